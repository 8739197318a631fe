import { addMonths } from './dates';
import { evaluateRules, filingInstances, finding, type RuleContext } from './rules';
import type { AccelerationRegion, CaseFacts, Finding, Hosting, Instance, IsoDate, IsoInstant, RuleId } from './types';

/** What the cloud account says of an instance named on a case (read by an activity, passed in). */
export interface LiveInstance {
  instanceId: string;
  regionId: string;
  billing: Instance['billing'];
  expiresAt: Instance['expiresAt'];
  publicIp: string | null;
  /** ECS `Status` (`Running`, `Stopped`, …), where the adapter knows it. */
  status?: string | null;
  /** The China date of ECS `CreationTime`, where the adapter knows it (absent in checks recorded before it was read). */
  createdAt?: IsoDate | null;
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
  | {
      outcome: 'CHECKED';
      checkedAt: IsoInstant;
      instances: LiveInstance[];
      cdn: LiveCdnDomain[];
      /**
       * A look after approval by the reminder sweep: only the instances were asked (the CDN was not,
       * so `cdn` says nothing), and the renewal deadline follows the live expiry. Absent otherwise.
       */
      watch?: true;
    }
  | { outcome: 'NOT_CONFIGURED'; checkedAt: IsoInstant }
  | { outcome: 'DENIED'; checkedAt: IsoInstant; code: string; message: string };

/**
 * The case's CDN against the CDN's live answer for the case's domains (`live` holds the domains the
 * CDN accelerates): a CDN the case does not name, one the account does not have, or a different
 * acceleration region or CNAME is INSTANCE_FACTS_CHANGED.
 */
export function compareLiveCdn(cdn: Hosting['cdn'], all: LiveCdnDomain[], approved: boolean): Finding[] {
  const severity = approved ? 'WARNING' : 'BLOCKING';
  const changed = (path: string, message: string) => finding('INSTANCE_FACTS_CHANGED', message, path, severity);
  // A case that names its CDN domain is compared with that domain's answer only (the websites'
  // other domains may be accelerated with CNAMEs of their own).
  const live = cdn?.domain ? answersFor(cdn.domain, all) : all;
  if (cdn?.domain && live.length === 0) {
    return [changed('hosting.cdn', `The case names CDN domain ${cdn.domain}, the cloud account does not accelerate it`)];
  }
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
  const instances = withLiveInstances(facts.hosting.instances, check.instances);
  if (check.watch) return { ...facts, hosting: { ...facts.hosting, instances } };
  const named = facts.hosting.cdn?.domain;
  const relevant = named ? answersFor(named, check.cdn) : check.cdn;
  const [liveCdn] = relevant;
  const cdn =
    liveCdn?.accelerationRegion && liveCdn.cname
      ? { accelerationRegion: liveCdn.accelerationRegion, cname: liveCdn.cname, ...(named ? { domain: named } : {}) }
      : relevant.length === 0 ? null : facts.hosting.cdn;
  return { ...facts, hosting: { ...facts.hosting, instances, cdn } };
}

/** The live answers for one CDN domain (domain names compare without case). */
function answersFor(domain: string, live: LiveCdnDomain[]): LiveCdnDomain[] {
  const named = domain.toLowerCase();
  return live.filter((l) => l.domain.toLowerCase() === named);
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
    ...(!check.watch && (facts.hosting.cdn || check.cdn.length > 0) ? compareLiveCdn(facts.hosting.cdn, check.cdn, approved) : []),
  ];
  const typed = new Set(evaluateRules(facts, ctx).map((f) => `${f.rule} ${f.path}`));
  const live = evaluateRules(withLiveFacts(facts, check), ctx).filter(
    (f) => LIVE_RULES.includes(f.rule) && !typed.has(`${f.rule} ${f.path}`),
  );
  return [...differences, ...live.map((f) => ({ ...f, message: `${f.message} (live facts of the cloud account)` }))];
}

function withLiveInstances(instances: Instance[], live: LiveInstance[]): Instance[] {
  const byId = new Map(live.map((l) => [l.instanceId, l]));
  return instances.map((i) => {
    const l = byId.get(i.instanceId);
    return l ? { ...i, regionId: l.regionId, billing: l.billing, expiresAt: l.expiresAt, publicIp: l.publicIp } : i;
  });
}

/** Whole calendar months from `from` to `to` (2026-01-31 → 2026-04-30 is 3). */
export function monthsBetween(from: IsoDate, to: IsoDate): number {
  if (to < from) return 0;
  let months = 0;
  while (addMonths(from, months + 1) <= to) months += 1;
  return months;
}

/** A case opened from instance ids alone: what to ask the cloud account for (`POST /v1/cases` with `hosting.instanceIds`). */
export interface HostingRequest {
  instanceIds: string[];
  /**
   * The ids (of `instanceIds`) that issue the service code: marked `usedForFiling: true`, the rest
   * `false` (context, such as a pay-as-you-go backend). Null: none marked (every instance files).
   */
  filingInstanceIds: string[] | null;
  /** The CDN domain to read `Coverage` and `Cname` of; null: the websites' domains are looked up. */
  cdnDomain: string | null;
  slb: Hosting['slb'];
}

/** Where a case's hosting facts came from, for the audit trail's `case.created` event. */
export interface HostingSource {
  from: 'CLOUD_ACCOUNT';
  checkedAt: IsoInstant;
  instanceIds: string[];
  /** The domains asked of the CDN. */
  cdnDomains: string[];
  /** The Temporal workflow whose activity read them (its history holds the answer). */
  lookup: string;
}

/**
 * The hosting facts of a case opened from instance ids, from the cloud account's answer. ECS is the
 * product DescribeInstances describes; `subscriptionMonths` is counted from `CreationTime` to
 * `ExpiredTime` (the API has no "months bought": an instance switched from pay-as-you-go to a
 * subscription counts from its creation, so the figure can be high); `serviceCodesUsed` is not in
 * any API and starts at 0 (amend it when other filings used codes). `problems`: an instance or the
 * named CDN domain the account does not have (INSTANCE_NOT_FOUND).
 */
export function hostingFromLive(
  request: HostingRequest,
  check: Extract<HostingCheck, { outcome: 'CHECKED' }>,
): { hosting: Hosting; problems: Finding[] } {
  const byId = new Map(check.instances.map((l) => [l.instanceId, l]));
  const problems: Finding[] = [];
  const instances: Instance[] = [];
  request.instanceIds.forEach((id, n) => {
    const l = byId.get(id);
    if (!l) {
      problems.push(finding('INSTANCE_NOT_FOUND', `Instance ${id} does not exist in the cloud account (looked in its regions)`, `hosting.instanceIds[${n}]`));
      return;
    }
    instances.push({
      product: 'ECS',
      instanceId: id,
      regionId: l.regionId,
      billing: l.billing,
      subscriptionMonths: l.billing === 'SUBSCRIPTION' && l.createdAt && l.expiresAt ? monthsBetween(l.createdAt, l.expiresAt) : 0,
      expiresAt: l.expiresAt,
      publicIp: l.publicIp,
      serviceCodesUsed: 0,
      ...(request.filingInstanceIds ? { usedForFiling: request.filingInstanceIds.includes(id) } : {}),
    });
  });
  const named = request.cdnDomain;
  // Without a named domain, of the websites' accelerated domains the one whose coverage includes
  // the mainland (the stricter for CDN_REQUIRES_FILING), else the first. The case keeps the domain:
  // later looks ask it and compare only its answer, so the others' CNAMEs are not "changes".
  const usable = check.cdn.filter((c) => c.accelerationRegion && c.cname);
  const live = named
    ? answersFor(named, check.cdn)[0]
    : (usable.find((c) => c.accelerationRegion !== 'GLOBAL_EXCLUDING_MAINLAND') ?? usable[0]);
  if (named && !live) {
    problems.push(finding('INSTANCE_NOT_FOUND', `The cloud account's CDN does not accelerate ${request.cdnDomain}`, 'hosting.cdnDomain'));
  }
  const cdn = live?.accelerationRegion && live.cname ? { accelerationRegion: live.accelerationRegion, cname: live.cname, domain: live.domain } : null;
  return { hosting: { instances, slb: request.slb, cdn }, problems };
}

/**
 * Why facts could not be read for a case opened from instance ids (or a precheck of them): no
 * account configured, or the account refused. BLOCKING: there is nothing to open the case with.
 */
export function unreadableHosting(check: Exclude<HostingCheck, { outcome: 'CHECKED' }>): Finding[] {
  return [
    check.outcome === 'NOT_CONFIGURED'
      ? finding(
          'CLOUD_FACTS_UNVERIFIED',
          'No cloud account is configured, so instance facts cannot be read from it: type them in (hosting.instances with region, billing, expiry, public IP) instead of hosting.instanceIds',
          'hosting.instanceIds',
          'BLOCKING',
        )
      : finding(
          'CLOUD_FACTS_UNVERIFIED',
          `The cloud account refused to describe the instances (${check.code}: ${check.message}); grant the RAM permissions (ecs:DescribeInstances, cdn:DescribeUserDomains) or type the facts in (hosting.instances)`,
          'hosting.instanceIds',
          'BLOCKING',
        ),
  ];
}

/** The same live instance facts (what a later look would change nothing of). */
export function sameLiveInstances(a: HostingCheck | null | undefined, b: HostingCheck): boolean {
  if (a?.outcome !== 'CHECKED' || b.outcome !== 'CHECKED') return false;
  const key = (c: Extract<HostingCheck, { outcome: 'CHECKED' }>) =>
    JSON.stringify(
      c.instances
        .map((i) => [i.instanceId, i.regionId, i.billing, i.expiresAt ?? null, i.publicIp ?? null])
        .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
  return key(a) === key(b);
}

/** What an approved case's filing instances look like in the cloud account (the reminder sweep's watch). */
export interface HostingWatch {
  /** Filing instances released (not in the account) or switched to pay-as-you-go: the filing is at risk. */
  atRisk: { instanceId: string; reason: 'RELEASED' | 'PAY_AS_YOU_GO'; filedExpiresAt: IsoDate | null }[];
  /** The earliest live expiry of a filing instance on a subscription: the real renewal deadline. */
  renewalDue: IsoDate | null;
  /** The live facts differ from the case's (a look worth recording on the case). */
  differs: boolean;
}

export function watchHosting(hosting: Hosting, live: LiveInstance[]): HostingWatch {
  const byId = new Map(live.map((l) => [l.instanceId, l]));
  const atRisk: HostingWatch['atRisk'] = [];
  const expiries: IsoDate[] = [];
  for (const { instance } of filingInstances(hosting.instances)) {
    const l = byId.get(instance.instanceId);
    if (!l) atRisk.push({ instanceId: instance.instanceId, reason: 'RELEASED', filedExpiresAt: instance.expiresAt });
    else if (l.billing === 'PAY_AS_YOU_GO') atRisk.push({ instanceId: instance.instanceId, reason: 'PAY_AS_YOU_GO', filedExpiresAt: instance.expiresAt });
    else if (l.expiresAt) expiries.push(l.expiresAt);
  }
  const differs = compareLiveInstances(hosting.instances, live, true).length > 0;
  return { atRisk, renewalDue: expiries.sort()[0] ?? null, differs };
}
