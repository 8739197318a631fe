import { resolve } from 'node:path';
import { loadRuleConfig } from '../../config/src/app-config';
import { checkIcpNumber } from './icp-number';
import { provinceAbbreviations, type RuleConfig } from './rule-config';

const CONFIG: RuleConfig = loadRuleConfig(resolve(__dirname, '../../../config/rules.json'));

/** DOMAIN.md's province abbreviations as MIIT issues them today, by ISO 3166-2:CN code. */
const ABBREVIATIONS: [string, string][] = [
  ['CN-BJ', '京'],
  ['CN-TJ', '津'],
  ['CN-HE', '冀'],
  ['CN-SX', '晋'],
  ['CN-NM', '蒙'],
  ['CN-LN', '辽'],
  ['CN-JL', '吉'],
  ['CN-HL', '黑'],
  ['CN-SH', '沪'],
  ['CN-JS', '苏'],
  ['CN-ZJ', '浙'],
  ['CN-AH', '皖'],
  ['CN-FJ', '闽'],
  ['CN-JX', '赣'],
  ['CN-SD', '鲁'],
  ['CN-HA', '豫'],
  ['CN-HB', '鄂'],
  ['CN-HN', '湘'],
  ['CN-GD', '粤'],
  ['CN-GX', '桂'],
  ['CN-HI', '琼'],
  ['CN-CQ', '渝'],
  ['CN-SC', '蜀'],
  ['CN-GZ', '黔'],
  ['CN-YN', '滇'],
  ['CN-XZ', '藏'],
  ['CN-SN', '陕'],
  ['CN-GS', '陇'],
  ['CN-QH', '青'],
  ['CN-NX', '宁'],
  ['CN-XJ', '新'],
];

describe('checkIcpNumber', () => {
/** Earlier forms still on numbers in use (DOMAIN.md): listed after the current one. */
const OLDER: [string, string][] = [
  ['CN-SC', '川'],
  ['CN-GZ', '贵'],
  ['CN-YN', '云'],
  ['CN-GS', '甘'],
];

  it('configuration knows exactly the 31 provinces of DOMAIN.md, current abbreviation first', () => {
    expect(Object.fromEntries(Object.values(CONFIG.provinces).map((p) => [p.code, provinceAbbreviations(p)[0]]))).toEqual(
      Object.fromEntries(ABBREVIATIONS),
    );
    for (const [code, older] of OLDER) expect(provinceAbbreviations(CONFIG.provinces[code])).toEqual([Object.fromEntries(ABBREVIATIONS)[code], older]);
  });

  it.each(OLDER)('%s still accepts its older abbreviation %s', (province, abbreviation) => {
    expect(checkIcpNumber(`${abbreviation}ICP备12345678号-1`, province, CONFIG)).toMatchObject({ valid: true, abbreviation });
  });

  it('accepts Sichuan 蜀ICP备2026007879号-1 (the audit reproduction)', () => {
    expect(checkIcpNumber('蜀ICP备2026007879号-1', 'CN-SC', CONFIG)).toEqual({
      valid: true,
      abbreviation: '蜀',
      entityNumber: '蜀ICP备2026007879号',
      websiteSuffix: 1,
    });
  });

  it.each([
    ['浙ICP备12345678号-0', 'the suffix 0'],
    ['浙ICP备12345678号-01', 'a leading zero'],
    ['浙ICP备12345678号-007', 'leading zeros'],
  ])('refuses %s (%s)', (number) => {
    expect(checkIcpNumber(number, 'CN-ZJ', CONFIG)).toMatchObject({ valid: false });
  });

  it.each([
    ['京ICP证030173号', 'CN-BJ', '京ICP证030173号'],
    ['浙B2-20090123', 'CN-ZJ', '浙B2-20090123'],
    ['蜀ICP证123456号', 'CN-SC', '蜀ICP证123456号'],
  ])('accepts the licence number %s for an ICP_LICENCE in %s', (number, province, entityNumber) => {
    expect(checkIcpNumber(number, province, CONFIG, 'ICP_LICENCE')).toMatchObject({ valid: true, entityNumber });
    expect(checkIcpNumber(number, province, CONFIG, 'ICP_FILING')).toEqual({ valid: false, reason: expect.stringContaining('licence number') });
  });

  it('refuses a filing number for an ICP_LICENCE', () => {
    expect(checkIcpNumber('浙ICP备12345678号-1', 'CN-ZJ', CONFIG, 'ICP_LICENCE')).toEqual({
      valid: false,
      reason: expect.stringContaining('filing number'),
    });
  });

  it('reads a snapshot taken before 2026-11-30 (one abbreviation per province), completed with the current ones', () => {
    const legacy = { code: 'CN-SC', name: 'Sichuan', abbreviation: '川', acceptsOfficeFilings: false, domainMinValidityDays: 45, miitReviewBusinessDays: 20, extraDocuments: [] };
    const config: RuleConfig = { ...CONFIG, provinces: { ...CONFIG.provinces, 'CN-SC': legacy } };
    expect(checkIcpNumber('蜀ICP备2026007879号-1', 'CN-SC', config)).toMatchObject({ valid: true });
    expect(checkIcpNumber('川ICP备12345678号-1', 'CN-SC', config)).toMatchObject({ valid: true });
    expect(checkIcpNumber('浙ICP备12345678号-1', 'CN-SC', config)).toMatchObject({ valid: false });
  });

  it.each([
    ['浙ICP备12345678号-1', 'CN-ZJ', { abbreviation: '浙', entityNumber: '浙ICP备12345678号', websiteSuffix: 1 }],
    ['浙ICP备12345678号', 'CN-ZJ', { abbreviation: '浙', entityNumber: '浙ICP备12345678号', websiteSuffix: null }],
    ['京ICP备05000000号-12', 'CN-BJ', { abbreviation: '京', entityNumber: '京ICP备05000000号', websiteSuffix: 12 }],
    ['粤ICP备2024123456号-3', 'CN-GD', { abbreviation: '粤', entityNumber: '粤ICP备2024123456号', websiteSuffix: 3 }],
    [' 沪ICP备123456号-1 ', 'CN-SH', { abbreviation: '沪', entityNumber: '沪ICP备123456号', websiteSuffix: 1 }],
  ])('%s is valid in %s', (number, province, parsed) => {
    expect(checkIcpNumber(number, province, CONFIG)).toEqual({ valid: true, ...parsed });
  });

  it.each(ABBREVIATIONS)('%s accepts its own abbreviation %s', (province, abbreviation) => {
    expect(checkIcpNumber(`${abbreviation}ICP备12345678号-1`, province, CONFIG)).toMatchObject({ valid: true, abbreviation });
  });

  it.each(ABBREVIATIONS.filter(([code]) => code !== 'CN-ZJ'))('a Zhejiang case rejects %s numbers (%s)', (_, abbreviation) => {
    const check = checkIcpNumber(`${abbreviation}ICP备12345678号-1`, 'CN-ZJ', CONFIG);
    expect(check).toEqual({ valid: false, reason: expect.stringContaining('Zhejiang (浙)') });
  });

  it.each([
    ['', 'empty'],
    ['ICP备12345678号-1', 'no province abbreviation'],
    ['ZJICP备12345678号-1', 'Latin letters instead of the abbreviation'],
    ['浙浙ICP备12345678号-1', 'two characters before ICP'],
    ['浙icp备12345678号-1', 'lower-case icp'],
    ['浙ICP12345678号-1', 'no 备'],
    ['浙ICP备12345号-1', 'fewer than 6 digits'],
    ['浙ICP备1234567890123号-1', 'more than 12 digits'],
    ['浙ICP备1234567a号-1', 'a letter among the digits'],
    ['浙ICP备12345678-1', 'no 号'],
    ['浙ICP备12345678号-', 'an empty website suffix'],
    ['浙ICP备12345678号-1234', 'a four-digit website suffix'],
    ['浙ICP备12345678号1', 'a suffix without a dash'],
    ['浙公网安备33010602011234号', 'a PSB record number'],
  ])("'%s' is malformed (%s)", (number) => {
    expect(checkIcpNumber(number, 'CN-ZJ', CONFIG)).toEqual({
      valid: false,
      reason: expect.stringContaining('is not an ICP number'),
    });
  });

  it('rejects a Han character that is no province abbreviation', () => {
    expect(checkIcpNumber('中ICP备12345678号-1', 'CN-ZJ', CONFIG)).toEqual({
      valid: false,
      reason: "'中' is not a province abbreviation",
    });
  });

  it('rejects any number for a province configuration does not know', () => {
    expect(checkIcpNumber('浙ICP备12345678号-1', 'CN-XX', CONFIG)).toEqual({
      valid: false,
      reason: expect.stringContaining('CN-XX (?)'),
    });
  });

  it('reads the abbreviations from configuration', () => {
    const config: RuleConfig = {
      ...CONFIG,
      provinces: { ...CONFIG.provinces, 'CN-ZJ': { ...CONFIG.provinces['CN-ZJ'], abbreviations: ['杭'] } },
    };
    expect(checkIcpNumber('杭ICP备12345678号-1', 'CN-ZJ', config)).toMatchObject({ valid: true });
    expect(checkIcpNumber('浙ICP备12345678号-1', 'CN-ZJ', config)).toMatchObject({ valid: false });
  });
});
