import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadRuleConfig, parseRuleConfig } from './rule-config.schema';

const FILE = resolve(__dirname, '../../../config/rules.json');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON file being broken on purpose
type RulesFile = any;
const raw = (): RulesFile => JSON.parse(readFileSync(FILE, 'utf8'), (key, value) => (key === '_comment' ? undefined : value));

describe('the rules file is validated at load', () => {
  it('config/rules.json is valid', () => {
    const config = loadRuleConfig(FILE);
    expect(Object.keys(config.provinces)).toHaveLength(31);
    expect(config.provinces['CN-SC'].abbreviations).toEqual(['蜀', '川']);
    expect(config.provinces['CN-JS'].extraDocuments).toEqual(['DOMAIN_CERTIFICATE']);
    expect(config.localRegions).toContain('cn-wuhan-lr');
  });

  it('reads a single abbreviation (the shape before 2026-11-30) as a list of one', () => {
    const file = raw();
    file.provinces['CN-ZJ'].abbreviations = '浙';
    expect(parseRuleConfig(file).provinces['CN-ZJ'].abbreviations).toEqual(['浙']);
  });

  it.each([
    ['domain validity in days', (f: RulesFile) => void (f.provinces['CN-ZJ'].domainMinValidityDays = 45), /domainMinValidityDays was replaced by domainMinValidityMonths/],
    ['a province key that is not its code', (f: RulesFile) => void (f.provinces['CN-XX'] = { ...f.provinces['CN-ZJ'], abbreviations: ['杭'] }), /provinces\.CN-XX\.code: must match its key/],
    ['one abbreviation for two provinces', (f: RulesFile) => void f.provinces['CN-SC'].abbreviations.push('浙'), /浙 is also CN-ZJ's|浙 is also CN-SC's/],
    ['an abbreviation of two characters', (f: RulesFile) => void (f.provinces['CN-ZJ'].abbreviations = ['浙江']), /one Han character/],
    ['a region listed as mainland and outside', (f: RulesFile) => void f.nonMainlandRegions.push('cn-hangzhou'), /cn-hangzhou is listed as mainland too/],
    ['an unknown document type', (f: RulesFile) => void (f.provinces['CN-JS'].extraDocuments = ['DOMAIN_LICENCE']), /provinces\.CN-JS\.extraDocuments\.0/],
    ['a misspelt province field', (f: RulesFile) => void (f.provinces['CN-TJ'].personRule = {}), /personRule/],
    ['a missing quota', (f: RulesFile) => void delete f.serviceCodeQuota.ECS, /serviceCodeQuota\.ECS/],
    ['a negative age', (f: RulesFile) => void (f.minimumAge = -1), /minimumAge/],
  ])('refuses %s, naming it', (_, mutate, message) => {
    const file = raw();
    mutate(file);
    expect(() => parseRuleConfig(file, 'test.json')).toThrow(message);
  });
});
