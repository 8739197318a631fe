import { resolve } from 'node:path';
import { loadRuleConfig } from '../../config/src';
import { decide, openCase } from './decide';
import {
  compareLiveCdn,
  compareLiveInstances,
  hostingFindings,
  hostingFromLive,
  monthsBetween,
  sameLiveInstances,
  unreadableHosting,
  watchHosting,
  withLiveFacts,
  type HostingCheck,
  type LiveCdnDomain,
  type LiveInstance,
} from './live-facts';
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

describe('a case opened from instance ids alone (hostingFromLive)', () => {
  const checkedAt = '2026-11-28T04:00:00.000Z';
  const request = { instanceIds: ['i-a', 'i-b'], filingInstanceIds: null, cdnDomain: null, slb: { publicIp: '47.98.10.20' } };
  const a: LiveInstance = { instanceId: 'i-a', regionId: 'cn-hangzhou', billing: 'SUBSCRIPTION', expiresAt: '2027-11-30', publicIp: '47.98.1.2', createdAt: '2026-11-29' };
  const b: LiveInstance = { instanceId: 'i-b', regionId: 'cn-shanghai', billing: 'PAY_AS_YOU_GO', expiresAt: null, publicIp: null, createdAt: '2026-01-01' };
  const cdn: LiveCdnDomain = { domain: 'contoso.cn', accelerationRegion: 'MAINLAND', cname: 'contoso.cn.w.kunlunsl.com', status: 'online' };

  it('builds ECS instances from the live facts, months bought from CreationTime to ExpiredTime, no codes used', () => {
    const { hosting, problems } = hostingFromLive(request, { outcome: 'CHECKED', checkedAt, instances: [b, a], cdn: [cdn] });
    expect(problems).toEqual([]);
    expect(hosting).toEqual({
      instances: [
        { product: 'ECS', instanceId: 'i-a', regionId: 'cn-hangzhou', billing: 'SUBSCRIPTION', subscriptionMonths: 12, expiresAt: '2027-11-30', publicIp: '47.98.1.2', serviceCodesUsed: 0 },
        { product: 'ECS', instanceId: 'i-b', regionId: 'cn-shanghai', billing: 'PAY_AS_YOU_GO', subscriptionMonths: 0, expiresAt: null, publicIp: null, serviceCodesUsed: 0 },
      ],
      slb: { publicIp: '47.98.10.20' },
      cdn: { accelerationRegion: 'MAINLAND', cname: 'contoso.cn.w.kunlunsl.com', domain: 'contoso.cn' },
    });
  });

  it('filingInstanceIds marks the filing instances; the others are context', () => {
    const { hosting } = hostingFromLive({ ...request, filingInstanceIds: ['i-a'] }, { outcome: 'CHECKED', checkedAt, instances: [a, b], cdn: [] });
    expect(hosting.instances.map((i) => [i.instanceId, i.usedForFiling])).toEqual([
      ['i-a', true],
      ['i-b', false],
    ]);
  });

  it('keeps the CDN domain it read, and of several accelerated domains the one covering the mainland', () => {
    const abroad: LiveCdnDomain = { domain: 'www.contoso.cn', accelerationRegion: 'GLOBAL_EXCLUDING_MAINLAND', cname: 'www.contoso.cn.w.kunlunsl.com', status: 'online' };
    const { hosting } = hostingFromLive(request, { outcome: 'CHECKED', checkedAt, instances: [a, b], cdn: [abroad, cdn] });
    expect(hosting.cdn).toEqual({ accelerationRegion: 'MAINLAND', cname: 'contoso.cn.w.kunlunsl.com', domain: 'contoso.cn' });
    const named = hostingFromLive({ ...request, cdnDomain: 'WWW.contoso.cn' }, { outcome: 'CHECKED', checkedAt, instances: [a, b], cdn: [abroad, cdn] });
    expect(named.hosting.cdn).toEqual({ accelerationRegion: 'GLOBAL_EXCLUDING_MAINLAND', cname: 'www.contoso.cn.w.kunlunsl.com', domain: 'www.contoso.cn' });
  });

  it('a case that names its CDN domain is compared with that domain only, and a refresh keeps it', () => {
    const named = { accelerationRegion: 'GLOBAL' as const, cname: 'static.contoso.cn.w.kunlunsl.com', domain: 'static.contoso.cn' };
    const staticCdn: LiveCdnDomain = { domain: 'static.contoso.cn', accelerationRegion: 'GLOBAL', cname: named.cname, status: 'online' };
    // The websites' own domain accelerated with its own CNAME is not a change of the case's CDN.
    expect(compareLiveCdn(named, [cdn, staticCdn], false)).toEqual([]);
    expect(compareLiveCdn(named, [cdn], false)).toEqual([
      expect.objectContaining({ rule: 'INSTANCE_FACTS_CHANGED', path: 'hosting.cdn', message: expect.stringContaining('static.contoso.cn') }),
    ]);
    expect(compareLiveCdn(named, [{ ...staticCdn, cname: 'moved.w.kunlunsl.com' }], false)).toEqual([
      expect.objectContaining({ path: 'hosting.cdn.cname' }),
    ]);
    const facts = { ...validFacts(), hosting: { ...validFacts().hosting, cdn: named } };
    const check: HostingCheck = { outcome: 'CHECKED', checkedAt, instances: [], cdn: [cdn, staticCdn] };
    expect(withLiveFacts(facts, check).hosting.cdn).toEqual(named);
    expect(withLiveFacts(facts, { ...check, cdn: [cdn] }).hosting.cdn).toBeNull();
  });

  it('an id the account does not have, and a named CDN domain it does not accelerate, are INSTANCE_NOT_FOUND at their paths', () => {
    const { hosting, problems } = hostingFromLive({ ...request, cdnDomain: 'cdn.contoso.cn' }, { outcome: 'CHECKED', checkedAt, instances: [a], cdn: [cdn] });
    expect(hosting.instances.map((i) => i.instanceId)).toEqual(['i-a']);
    expect(problems).toEqual([
      expect.objectContaining({ rule: 'INSTANCE_NOT_FOUND', severity: 'BLOCKING', path: 'hosting.instanceIds[1]', message: expect.stringContaining('i-b') }),
      expect.objectContaining({ rule: 'INSTANCE_NOT_FOUND', path: 'hosting.cdnDomain', message: expect.stringContaining('cdn.contoso.cn') }),
    ]);
  });

  it('no account, or a refusal, says to type the facts in', () => {
    expect(unreadableHosting({ outcome: 'NOT_CONFIGURED', checkedAt })).toEqual([
      expect.objectContaining({ rule: 'CLOUD_FACTS_UNVERIFIED', severity: 'BLOCKING', path: 'hosting.instanceIds', message: expect.stringContaining('type them in') }),
    ]);
    expect(unreadableHosting({ outcome: 'DENIED', checkedAt, code: 'Forbidden.RAM', message: 'no' })[0].message).toContain('Forbidden.RAM');
  });

  it('months between dates are whole calendar months', () => {
    expect(monthsBetween('2026-01-31', '2026-04-30')).toBe(3);
    expect(monthsBetween('2026-11-29', '2027-02-27')).toBe(2);
    // Clamped like addMonths: 29 November plus three months is the last day of February.
    expect(monthsBetween('2026-11-29', '2027-02-28')).toBe(3);
    expect(monthsBetween('2027-01-01', '2026-01-01')).toBe(0);
  });
});

describe('after approval: the reminder sweep watches the instances (watchHosting, hosting-watched)', () => {
  const config = loadRuleConfig(resolve(__dirname, '../../../config/rules.json'));
  const facts = validFacts();

  it('a released or pay-as-you-go filing instance puts the filing at risk; the renewal is due at the live expiry', () => {
    expect(watchHosting(facts.hosting, [])).toEqual({ atRisk: [{ instanceId: 'i-bp1abc', reason: 'RELEASED', filedExpiresAt: '2030-11-30' }], renewalDue: null, differs: true });
    expect(watchHosting(facts.hosting, [live({ billing: 'PAY_AS_YOU_GO', expiresAt: null })]).atRisk).toEqual([
      { instanceId: 'i-bp1abc', reason: 'PAY_AS_YOU_GO', filedExpiresAt: '2030-11-30' },
    ]);
    expect(watchHosting(facts.hosting, [live({ expiresAt: '2027-01-15' })])).toEqual({ atRisk: [], renewalDue: '2027-01-15', differs: true });
    expect(watchHosting(facts.hosting, [live()])).toEqual({ atRisk: [], renewalDue: '2030-11-30', differs: false });
  });

  it('recorded on an approved case: the filed facts stay, the differences are WARNINGs, the renewal deadline follows the live expiry', () => {
    const ctx = (now: string) => ({ now, config, smsWindowMs: 86_400_000 });
    let state = openCase({ caseId: 'c-1', reference: 'ICP-2026-000001', facts, enforceDocuments: false }, ctx('2026-11-28T04:00:00.000Z')).state;
    // Straight to COMPLETED for the sake of the rule (the stage table is tested elsewhere).
    state = { ...state, stage: 'COMPLETED', icpNumber: '浙ICP备2026004321号-1' };
    const check: HostingCheck = { outcome: 'CHECKED', checkedAt: '2027-01-02T01:00:00.000Z', instances: [live({ expiresAt: '2027-01-15' })], cdn: [], watch: true };
    const decision = decide(state, { type: 'hosting-watched', check }, ctx('2027-01-02T01:00:00.000Z'));
    expect(decision.event).toMatchObject({
      type: 'hosting.watched',
      data: { outcome: 'CHECKED', differences: [{ path: 'hosting.instances[0].expiresAt', from: '2030-11-30', to: '2027-01-15' }] },
    });
    expect(decision.state.facts.hosting.instances[0].expiresAt).toBe('2030-11-30');
    expect(decision.state.deadlines.instanceRenewalDue).toBe('2027-01-15');
    expect(decision.state.findings.filter((f) => f.rule === 'INSTANCE_FACTS_CHANGED')).toEqual([expect.objectContaining({ severity: 'WARNING' })]);
    // Only the instances were asked: the case's CDN is not called changed.
    expect(decision.state.findings.some((f) => f.path.startsWith('hosting.cdn'))).toBe(false);
    expect(sameLiveInstances(decision.state.hostingCheck, { ...check, checkedAt: '2027-01-03T01:00:00.000Z' })).toBe(true);
    expect(sameLiveInstances(decision.state.hostingCheck, { ...check, instances: [live({ billing: 'PAY_AS_YOU_GO', expiresAt: null })] })).toBe(false);
  });
});
