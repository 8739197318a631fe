import { evaluateRules, finding, type RuleContext } from './rules';
import type { AccelerationRegion, CaseFacts, Finding, Hosting, Instance, IsoInstant, RuleId } from './types';

/** What the cloud account says of an instance named on a case (read by an activity, passed in). */
export interface LiveInstance {
  instanceId: string;
  regionId: string;
  billing: Instance['billing'];
  expiresAt: Instance['expiresAt'];
  publicIp: string | null;
  /** ECS `Status` (`Running`, `Stopped`, …), where the adapter knows it. */
  status?: string | null;
}

const COMPARED = ['regionId', 'billing', 'expiresAt', 'publicIp'] as const;

/**
 * DOMAIN.md's INSTANCE_NOT_FOUND and INSTANCE_FACTS_CHANGED: the case's instances against the
 * cloud account's live facts. `live` holds the instances the account has (any order); an instance
 * of the case missing there is not found, one whose facts differ has changed — BLOCKING before
 * approval, WARNING after (the filing is done; the difference is a risk to it).
 */
export function compareLiveInstances(instances: Instance[], live: LiveInstance[], approved: boolean): Finding[] {
  const byId = new Map(live.map((l) => [l.instanceId, l]));
  const severity = approved ? 'WARNING' : 'BLOCKING';
  return instances.flatMap((i, n): Finding[] => {
    const found = byId.get(i.instanceId);
    if (!found) {
      return [
        finding('INSTANCE_NOT_FOUND', `Instance ${i.instanceId} does not exist in the cloud account`, `hosting.instances[${n}].instanceId`, severity),
      ];
    }
    const changed = COMPARED.filter((key) => (i[key] ?? null) !== (found[key] ?? null));
    return changed.map((key) =>
      finding(
        'INSTANCE_FACTS_CHANGED',
        `Instance ${i.instanceId}: the case says ${key} ${i[key] ?? 'none'}, the cloud account ${found[key] ?? 'none'}`,
        `hosting.instances[${n}].${key}`,
        severity,
      ),
    );
  });
}

/** What the cloud account's CDN says of one accelerated domain (read by an activity, passed in). */
export interface LiveCdnDomain {
  domain: string;
  /** From the CDN's `Coverage`; null for a coverage DOMAIN.md does not name. */
  accelerationRegion: AccelerationRegion | null;
  cname: string | null;
  status: string | null;
}

/**
 * One look at the cloud account (the `verifyHosting` activity's answer): the live facts, or why
 * there are none — no account configured (the typed-in facts stand, and the case says so), or the
 * account refused (a permission error: a finding, never a stuck case).
 */
export type HostingCheck =
  | { outcome: 'CHECKED'; checkedAt: IsoInstant; instances: LiveInstance[]; cdn: LiveCdnDomain[] }
  | { outcome: 'NOT_CONFIGURED'; checkedAt: IsoInstant }
  | { outcome: 'DENIED'; checkedAt: IsoInstant; code: string; message: string };

/**
 * The case's CDN against the CDN's live answer for the case's domains (`live` holds the domains the
 * CDN accelerates): a CDN the case does not name, one the account does not have, or a different
 * acceleration region or CNAME is INSTANCE_FACTS_CHANGED.
 */
export function compareLiveCdn(cdn: Hosting['cdn'], live: LiveCdnDomain[], approved: boolean): Finding[] {
  const severity = approved ? 'WARNING' : 'BLOCKING';
  const changed = (path: string, message: string) => finding('INSTANCE_FACTS_CHANGED', message, path, severity);
  if (!cdn) {
    return live.map((l) =>
      changed('hosting.cdn', `The case names no CDN, the cloud account accelerates ${l.domain} (${l.accelerationRegion ?? 'unknown region'}, CNAME ${l.cname ?? 'none'})`),
    );
  }
  if (live.length === 0) return [changed('hosting.cdn', 'The case names a CDN, the cloud account accelerates none of its domains')];
  return live.flatMap((l) => [
    ...(l.accelerationRegion !== cdn.accelerationRegion
      ? [changed('hosting.cdn.accelerationRegion', `CDN ${l.domain}: the case says accelerationRegion ${cdn.accelerationRegion}, the cloud account ${l.accelerationRegion ?? 'none'}`)]
      : []),
    ...((l.cname ?? null) !== cdn.cname
      ? [changed('hosting.cdn.cname', `CDN ${l.domain}: the case says cname ${cdn.cname}, the cloud account ${l.cname ?? 'none'}`)]
      : []),
  ]);
}

/** The instance (and CDN) rules, evaluated again on the live facts. */
const LIVE_RULES: readonly RuleId[] = [
  'INSTANCE_REGION_NOT_MAINLAND',
  'INSTANCE_PAY_AS_YOU_GO',
  'INSTANCE_SUBSCRIPTION_TOO_SHORT',
  'INSTANCE_NO_PUBLIC_IP',
  'INSTANCE_EXPIRING',
  'HOSTING_OUTSIDE_MAINLAND',
  'CDN_REQUIRES_FILING',
];

/** The case's facts with what the cloud account says in place of what was typed in. */
export function withLiveFacts(facts: CaseFacts, check: HostingCheck): CaseFacts {
  if (check.outcome !== 'CHECKED') return facts;
  const byId = new Map(check.instances.map((l) => [l.instanceId, l]));
  const instances = facts.hosting.instances.map((i) => {
    const l = byId.get(i.instanceId);
    return l ? { ...i, regionId: l.regionId, billing: l.billing, expiresAt: l.expiresAt, publicIp: l.publicIp } : i;
  });
  const [liveCdn] = check.cdn;
  const cdn =
    liveCdn?.accelerationRegion && liveCdn.cname
      ? { accelerationRegion: liveCdn.accelerationRegion, cname: liveCdn.cname }
      : check.cdn.length === 0 ? null : facts.hosting.cdn;
  return { ...facts, hosting: { ...facts.hosting, instances, cdn } };
}

/**
 * What a look at the cloud account adds to a case's findings: the differences (INSTANCE_NOT_FOUND,
 * INSTANCE_FACTS_CHANGED), the instance rules on the live facts where they find more than the
 * typed-in facts did, or CLOUD_FACTS_UNVERIFIED when the account could not be asked.
 */
export function hostingFindings(facts: CaseFacts, check: HostingCheck, ctx: RuleContext, approved: boolean): Finding[] {
  if (check.outcome === 'NOT_CONFIGURED') {
    return [
      finding(
        'CLOUD_FACTS_UNVERIFIED',
        'No cloud account is configured: the hosting facts are as typed in, not checked against the account',
        'hosting',
        'INFO',
      ),
    ];
  }
  if (check.outcome === 'DENIED') {
    return [
      finding(
        'CLOUD_FACTS_UNVERIFIED',
        `The cloud account refused to describe the hosting (${check.code}: ${check.message}); grant the RAM permissions (ecs:DescribeInstances, cdn:DescribeUserDomains, alidns:DescribeDomainRecords) and refresh`,
        'hosting',
      ),
    ];
  }
  const differences = [
    ...compareLiveInstances(facts.hosting.instances, check.instances, approved),
    ...(facts.hosting.cdn || check.cdn.length > 0 ? compareLiveCdn(facts.hosting.cdn, check.cdn, approved) : []),
  ];
  const typed = new Set(evaluateRules(facts, ctx).map((f) => `${f.rule} ${f.path}`));
  const live = evaluateRules(withLiveFacts(facts, check), ctx).filter(
    (f) => LIVE_RULES.includes(f.rule) && !typed.has(`${f.rule} ${f.path}`),
  );
  return [...differences, ...live.map((f) => ({ ...f, message: `${f.message} (live facts of the cloud account)` }))];
}
