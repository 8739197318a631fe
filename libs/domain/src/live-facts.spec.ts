import { resolve } from 'node:path';
import { loadRuleConfig } from '../../config/src';
import { compareLiveCdn, compareLiveInstances, hostingFindings, withLiveFacts, type HostingCheck, type LiveCdnDomain, type LiveInstance } from './live-facts';
import { validFacts } from './testing/facts';

const [instance] = validFacts().hosting.instances;
const live = (changes: Partial<LiveInstance> = {}): LiveInstance => ({
  instanceId: instance.instanceId,
  regionId: instance.regionId,
  billing: instance.billing,
  expiresAt: instance.expiresAt,
  publicIp: instance.publicIp,
  ...changes,
});

describe('compareLiveInstances (INSTANCE_NOT_FOUND, INSTANCE_FACTS_CHANGED)', () => {
  it('finds nothing when the account agrees with the case', () => {
    expect(compareLiveInstances([instance], [live(), live({ instanceId: 'i-other' })], false)).toEqual([]);
  });

  it('an instance the account does not have is not found', () => {
    expect(compareLiveInstances([instance], [live({ instanceId: 'i-other' })], false)).toEqual([
      expect.objectContaining({ rule: 'INSTANCE_NOT_FOUND', severity: 'BLOCKING', path: 'hosting.instances[0].instanceId' }),
    ]);
  });

  it.each([
    ['regionId', { regionId: 'cn-shanghai' }],
    ['billing', { billing: 'PAY_AS_YOU_GO' as const }],
    ['expiresAt', { expiresAt: '2030-11-29' }],
    ['publicIp', { publicIp: null }],
  ])('a changed %s is BLOCKING before approval and a WARNING after', (key, changes) => {
    const path = `hosting.instances[0].${key}`;
    expect(compareLiveInstances([instance], [live(changes)], false)).toEqual([
      expect.objectContaining({ rule: 'INSTANCE_FACTS_CHANGED', severity: 'BLOCKING', path }),
    ]);
    expect(compareLiveInstances([instance], [live(changes)], true)).toEqual([
      expect.objectContaining({ rule: 'INSTANCE_FACTS_CHANGED', severity: 'WARNING', path }),
    ]);
  });

  it('an expiry a day later (a renewal) is a change; the same day is not', () => {
    expect(compareLiveInstances([instance], [live({ expiresAt: '2030-12-01' })], false)).toHaveLength(1);
    expect(compareLiveInstances([instance], [live({ expiresAt: '2030-11-30' })], false)).toEqual([]);
  });
});

describe('compareLiveCdn and hostingFindings (the verifyHosting answer on a case)', () => {
  const config = loadRuleConfig(resolve(__dirname, '../../../config/rules.json'));
  const ctx = { now: '2026-11-28T04:00:00.000Z', config, documents: null, icpNumber: null };
  const cdn = { accelerationRegion: 'MAINLAND' as const, cname: 'example.cn.w.kunlunsl.com' };
  const liveCdn = (changes: Partial<LiveCdnDomain> = {}): LiveCdnDomain => ({
    domain: 'example.cn',
    accelerationRegion: 'MAINLAND',
    cname: 'example.cn.w.kunlunsl.com',
    status: 'online',
    ...changes,
  });
  const checked = (instances: LiveInstance[], cdnDomains: LiveCdnDomain[] = []): HostingCheck => ({
    outcome: 'CHECKED',
    checkedAt: ctx.now,
    instances,
    cdn: cdnDomains,
  });

  it('the CDN as the case says it: nothing; another region or CNAME: INSTANCE_FACTS_CHANGED with both values', () => {
    expect(compareLiveCdn(cdn, [liveCdn()], false)).toEqual([]);
    expect(compareLiveCdn(cdn, [liveCdn({ accelerationRegion: 'GLOBAL_EXCLUDING_MAINLAND' })], false)).toEqual([
      expect.objectContaining({
        rule: 'INSTANCE_FACTS_CHANGED',
        path: 'hosting.cdn.accelerationRegion',
        message: expect.stringMatching(/MAINLAND.*GLOBAL_EXCLUDING_MAINLAND/),
      }),
    ]);
    expect(compareLiveCdn(cdn, [liveCdn({ cname: 'other.w.kunlunsl.com' })], true)).toEqual([
      expect.objectContaining({ path: 'hosting.cdn.cname', severity: 'WARNING' }),
    ]);
  });

  it('a CDN the case does not name, and one the account does not have, are changes', () => {
    expect(compareLiveCdn(null, [liveCdn()], false)).toEqual([expect.objectContaining({ rule: 'INSTANCE_FACTS_CHANGED', path: 'hosting.cdn' })]);
    expect(compareLiveCdn(cdn, [], false)).toEqual([expect.objectContaining({ rule: 'INSTANCE_FACTS_CHANGED', path: 'hosting.cdn' })]);
  });

  it('evaluates the instance rules on the live facts: pay-as-you-go and an expiry within three months block', () => {
    const facts = validFacts();
    const payg = hostingFindings(facts, checked([live({ billing: 'PAY_AS_YOU_GO', expiresAt: null })]), ctx, false);
    expect(payg.map((f) => f.rule)).toEqual(expect.arrayContaining(['INSTANCE_FACTS_CHANGED', 'INSTANCE_PAY_AS_YOU_GO']));
    const soon = hostingFindings(facts, checked([live({ expiresAt: '2027-01-15' })]), ctx, false);
    expect(soon.map((f) => f.rule)).toEqual(expect.arrayContaining(['INSTANCE_FACTS_CHANGED', 'INSTANCE_SUBSCRIPTION_TOO_SHORT']));
    expect(hostingFindings(facts, checked([live()]), ctx, false)).toEqual([]);
  });

  it('no account configured is INFO, a refusal a WARNING, both CLOUD_FACTS_UNVERIFIED', () => {
    const facts = validFacts();
    expect(hostingFindings(facts, { outcome: 'NOT_CONFIGURED', checkedAt: ctx.now }, ctx, false)).toEqual([
      expect.objectContaining({ rule: 'CLOUD_FACTS_UNVERIFIED', severity: 'INFO' }),
    ]);
    expect(hostingFindings(facts, { outcome: 'DENIED', checkedAt: ctx.now, code: 'Forbidden.RAM', message: 'no' }, ctx, false)).toEqual([
      expect.objectContaining({ rule: 'CLOUD_FACTS_UNVERIFIED', severity: 'WARNING', message: expect.stringContaining('Forbidden.RAM') }),
    ]);
  });

  it('withLiveFacts puts the live values into the case and keeps the rest', () => {
    const facts = validFacts();
    const after = withLiveFacts(facts, checked([live({ publicIp: '39.96.5.6' })], [liveCdn()]));
    expect(after.hosting.instances[0]).toEqual({ ...facts.hosting.instances[0], publicIp: '39.96.5.6' });
    expect(after.hosting.cdn).toEqual(cdn);
  });
});
