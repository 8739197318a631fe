import { checklist } from './checklist';
import { addDays, addMonths, chinaDate } from './dates';
import { checkDomain, normaliseDomain } from './domain-name';
import { checkIcpNumber } from './icp-number';
import { birthDateOf, isUnderAge, samePerson } from './persons';
import { domainValidityMonths, regionKind, ruleDefaults, type RuleConfig } from './rule-config';
import type { CaseFacts, DocumentState, Finding, Instance, IsoInstant, Person, RuleId, Severity } from './types';
import { websiteNameProblems } from './website-name';

/** Every rule of DOMAIN.md: its severity and what it means, for officers and for the OpenAPI page. */
export const RULES: Record<RuleId, { severity: Severity; summary: string }> = {
  HOSTING_OUTSIDE_MAINLAND: { severity: 'INFO', summary: 'Hosted outside the mainland: no filing is needed' },
  INSTANCE_REGION_UNKNOWN: { severity: 'BLOCKING', summary: 'Where the site is hosted is not known' },
  ENTITY_CERTIFICATE_MISSING: { severity: 'BLOCKING', summary: 'The entity certificate is missing' },
  CERTIFICATE_EXPIRED: { severity: 'BLOCKING', summary: 'The entity certificate has expired' },
  PROVINCE_MISMATCH: { severity: 'BLOCKING', summary: 'Submission province differs from the certificate' },
  LICENCE_NOT_ALLOWED_FOR_OFFICE: { severity: 'BLOCKING', summary: 'An office cannot hold an ICP licence' },
  OFFICE_FILING_NOT_ACCEPTED: { severity: 'BLOCKING', summary: 'The province does not accept office filings' },
  INSTANCE_REGION_NOT_MAINLAND: { severity: 'BLOCKING', summary: 'A filing instance is outside the mainland' },
  INSTANCE_PRODUCT_NOT_ELIGIBLE: { severity: 'BLOCKING', summary: 'No instance can issue a service code' },
  INSTANCE_PAY_AS_YOU_GO: { severity: 'BLOCKING', summary: 'Pay-as-you-go instances cannot be used' },
  INSTANCE_SUBSCRIPTION_TOO_SHORT: { severity: 'BLOCKING', summary: 'Less than 3 months of subscription bought or left' },
  INSTANCE_NO_PUBLIC_IP: { severity: 'BLOCKING', summary: 'The instance has no public IP' },
  SERVICE_CODES_EXHAUSTED: { severity: 'BLOCKING', summary: "The instance's service codes are used up" },
  INSTANCE_EXPIRING: { severity: 'WARNING', summary: 'The instance expires soon' },
  WEBSITE_MULTIPLE_DOMAINS: { severity: 'BLOCKING', summary: 'A website entry holds more than one domain' },
  DOMAIN_INVALID: { severity: 'BLOCKING', summary: 'Not a valid domain name' },
  DOMAIN_DUPLICATE: { severity: 'BLOCKING', summary: 'The same domain is in two website entries' },
  DOMAIN_TLD_NOT_APPROVED: { severity: 'BLOCKING', summary: 'The TLD is not approved by MIIT' },
  DOMAIN_VALIDITY_TOO_SHORT: { severity: 'BLOCKING', summary: 'The domain expires too soon' },
  WEBSITE_NAME_INVALID: { severity: 'BLOCKING', summary: 'The website name breaks the naming rules' },
  PRE_APPROVAL_REQUIRED: { severity: 'BLOCKING', summary: 'Regulated content needs a pre-approval document' },
  ADMIN_ID_EXPIRING: { severity: 'BLOCKING', summary: "The administrator's ID is valid for 3 months or less" },
  PRINCIPAL_ID_EXPIRING: { severity: 'BLOCKING', summary: "The principal's ID is valid for 3 months or less" },
  PERSON_UNDERAGE: { severity: 'BLOCKING', summary: 'The principal or an administrator is under 18' },
  PROVINCE_PERSON_RULE: { severity: 'BLOCKING', summary: "The province's rule on principal and administrator is broken" },
  AUTHORISATION_LETTER_REQUIRED: { severity: 'BLOCKING', summary: 'An authorisation letter is needed' },
  DOCUMENT_MISSING: { severity: 'BLOCKING', summary: 'A checklist document is missing or not verified' },
  CDN_REQUIRES_FILING: { severity: 'WARNING', summary: 'Mainland CDN waits for the ICP number' },
  ICP_NUMBER_INVALID: { severity: 'BLOCKING', summary: 'The ICP number is malformed or from another province' },
  SMS_VERIFICATION_EXPIRED: { severity: 'WARNING', summary: 'The SMS check was not completed within its window' },
  REVIEW_OVERDUE: { severity: 'WARNING', summary: 'A review is taking longer than its time limit' },
  PSB_FILING_DUE: { severity: 'WARNING', summary: 'The PSB filing is due' },
  DNS_NOT_RESOLVED: { severity: 'BLOCKING', summary: 'The domain does not resolve to the SLB IP or CDN endpoint' },
  ORDER_ALREADY_OPEN: { severity: 'BLOCKING', summary: 'The entity already has an open filing order' },
  INSTANCE_FACTS_CHANGED: { severity: 'BLOCKING', summary: "The cloud account's live facts differ from the case's" },
  CLOUD_FACTS_UNVERIFIED: {
    severity: 'WARNING',
    summary: 'The hosting facts could not be checked against the cloud account (none configured, or it refused): they are as typed in',
  },
  INSTANCE_NOT_FOUND: { severity: 'BLOCKING', summary: 'An instance named on the case does not exist in the cloud account' },
  CALENDAR_ESTIMATED: { severity: 'WARNING', summary: 'A deadline was counted Monday to Friday: no working calendar for its year' },
};

export function finding(rule: RuleId, message: string, path: string, severity: Severity = RULES[rule].severity): Finding {
  return { rule, severity, message, path };
}

export interface RuleContext {
  now: IsoInstant;
  config: RuleConfig;
  /** The case's current documents; `null` while the case does not track documents (document rules stay silent). */
  documents: DocumentState[] | null;
  icpNumber: string | null;
  /**
   * `false` (ICP_ENFORCE_DOCUMENTS=false) turns the document rules into WARNINGs; it never
   * silences them (DOMAIN.md). Absent means enforced.
   */
  enforceDocuments?: boolean;
}

const CODE_ISSUING: ReadonlySet<Instance['product']> = new Set(['ECS', 'SIMPLE_APPLICATION_SERVER', 'MARKETPLACE']);
const BILLED_SERVERS: ReadonlySet<Instance['product']> = new Set(['ECS', 'SIMPLE_APPLICATION_SERVER']);
const OFFICE_PRESENCES = new Set(['REPRESENTATIVE_OFFICE', 'OFFICE_ONLY', 'NONE']);
/** The rules about documents: enforcement off makes them WARNINGs. */
export const DOCUMENT_RULES: readonly RuleId[] = ['PRE_APPROVAL_REQUIRED', 'AUTHORISATION_LETTER_REQUIRED', 'DOCUMENT_MISSING'];

export function isMainlandRegion(regionId: string, config: RuleConfig): boolean {
  return regionKind(regionId, config) === 'MAINLAND';
}

/**
 * A filing is needed unless every instance is in a known non-mainland region and no CDN
 * accelerates in the mainland. An unknown region, or no instance and no CDN, does not tell where
 * the site is hosted: the filing stays required (and INSTANCE_REGION_UNKNOWN blocks).
 */
export function isFilingRequired(facts: CaseFacts, config: RuleConfig): boolean {
  const { instances, cdn } = facts.hosting;
  if (cdn?.accelerationRegion === 'MAINLAND' || cdn?.accelerationRegion === 'GLOBAL') return true;
  if (instances.length === 0) return !cdn;
  return !instances.every((i) => regionKind(i.regionId, config) === 'NON_MAINLAND');
}

/**
 * The instances the instance rules judge (DOMAIN.md, "The hosting instance"): those marked
 * `usedForFiling`; with none marked, every instance, as before the flag existed (one instance is
 * then the filing instance). An instance marked `usedForFiling: false` is context only.
 */
export function filingInstances(instances: Instance[]): { instance: Instance; index: number }[] {
  const indexed = instances.map((instance, index) => ({ instance, index }));
  const marked = indexed.filter(({ instance }) => instance.usedForFiling === true);
  if (marked.length > 0) return marked;
  return indexed.filter(({ instance }) => instance.usedForFiling !== false);
}

type Check = (facts: CaseFacts, ctx: RuleContext) => Finding[];

function each<T>(items: T[], fn: (item: T, index: number) => Finding | null | undefined): Finding[] {
  return items.map(fn).filter((f): f is Finding => Boolean(f));
}

const filing = (facts: CaseFacts) => filingInstances(facts.hosting.instances);

const PRESENCE_NAMES: Record<string, string> = {
  BRANCH: 'A branch files with its registration certificate',
  REPRESENTATIVE_OFFICE: 'A representative office files with its Registration Certificate of Resident Representative Office',
  OFFICE_ONLY: "An office files with its office's registration certificate",
};

const LICENCE_MESSAGES: Record<string, string> = {
  REPRESENTATIVE_OFFICE: 'An ICP licence can never be obtained in the name of a representative office: file as ICP_FILING or apply through a branch',
  OFFICE_ONLY: 'An ICP licence can never be obtained in the name of an office: file as ICP_FILING or apply through a branch',
  NONE: 'Without a mainland branch an ICP licence cannot be obtained (the representative-office certificate the entity is waiting for never allows one): file as ICP_FILING or apply through a branch',
};

/** Each domain of the case with where it sits, and its IDNA check. */
function domainsOf(facts: CaseFacts) {
  return facts.websites.flatMap((w, n) =>
    w.domains.map((d, k) => ({ domain: d, website: n, path: `websites[${n}].domains[${k}]`, check: checkDomain(d) })),
  );
}

function people(facts: CaseFacts): { person: Person; role: string; path: string }[] {
  return [
    { person: facts.applicant.principal, role: `the principal ${facts.applicant.principal.fullName}`, path: 'applicant.principal' },
    ...facts.websites.map((w, n) => ({
      person: w.administrator as Person,
      role: `administrator ${w.administrator.fullName}`,
      path: `websites[${n}].administrator`,
    })),
  ];
}

/** The fact rules, in DOMAIN.md order; each returns its findings (none when the rule passes). */
export const FACT_CHECKS: Partial<Record<RuleId, Check>> = {
  INSTANCE_REGION_UNKNOWN: ({ hosting }, { config }) => {
    if (hosting.instances.length === 0 && !hosting.cdn) {
      return [
        finding(
          'INSTANCE_REGION_UNKNOWN',
          'No instance and no CDN are listed, so where the site is hosted is not known: add the instance that serves it',
          'hosting.instances',
        ),
      ];
    }
    return each(hosting.instances, (i, n) =>
      regionKind(i.regionId, config) === 'UNKNOWN'
        ? finding(
            'INSTANCE_REGION_UNKNOWN',
            `Region ${i.regionId} of instance ${i.instanceId} is neither a known mainland nor a known non-mainland region: check the region id (the configuration may need it)`,
            `hosting.instances[${n}].regionId`,
          )
        : null,
    );
  },
  ENTITY_CERTIFICATE_MISSING: ({ applicant }) => {
    if (applicant.certificate) return [];
    const message =
      applicant.mainlandPresence === 'NONE'
        ? 'The representative-office certificate from the Administration for Industry and Commerce has not been recorded yet'
        : `${PRESENCE_NAMES[applicant.mainlandPresence]}: add it`;
    return [finding('ENTITY_CERTIFICATE_MISSING', message, 'applicant.certificate')];
  },
  CERTIFICATE_EXPIRED: ({ applicant }, { now }) => {
    const cert = applicant.certificate;
    if (!cert || cert.validUntil >= chinaDate(now)) return [];
    return [
      finding('CERTIFICATE_EXPIRED', `The entity certificate expired on ${cert.validUntil}`, 'applicant.certificate.validUntil'),
    ];
  },
  PROVINCE_MISMATCH: ({ applicant, submissionProvince }, { config }) => {
    const cert = applicant.certificate;
    if (!cert || cert.province === submissionProvince) return [];
    const name = (code: string) => config.provinces[code]?.name ?? code;
    return [
      finding(
        'PROVINCE_MISMATCH',
        `The filing must be submitted in ${name(cert.province)}, where the certificate was issued, not in ${name(submissionProvince)}`,
        'submissionProvince',
      ),
    ];
  },
  LICENCE_NOT_ALLOWED_FOR_OFFICE: ({ filingType, applicant }) =>
    filingType === 'ICP_LICENCE' && OFFICE_PRESENCES.has(applicant.mainlandPresence)
      ? [finding('LICENCE_NOT_ALLOWED_FOR_OFFICE', LICENCE_MESSAGES[applicant.mainlandPresence], 'filingType')]
      : [],
  OFFICE_FILING_NOT_ACCEPTED: ({ applicant, submissionProvince }, { config }) => {
    const province = config.provinces[submissionProvince];
    if (applicant.mainlandPresence !== 'OFFICE_ONLY' || province?.acceptsOfficeFilings) return [];
    return [
      finding(
        'OFFICE_FILING_NOT_ACCEPTED',
        `${province?.name ?? submissionProvince} does not accept filings in the name of an office`,
        'applicant.mainlandPresence',
      ),
    ];
  },
  INSTANCE_REGION_NOT_MAINLAND: (facts, { config }) =>
    each(filing(facts), ({ instance: i, index: n }) =>
      regionKind(i.regionId, config) === 'NON_MAINLAND'
        ? finding(
            'INSTANCE_REGION_NOT_MAINLAND',
            `Instance ${i.instanceId} is in ${i.regionId}, outside the mainland: only a mainland instance can be used for the filing`,
            `hosting.instances[${n}].regionId`,
          )
        : null,
    ),
  INSTANCE_PRODUCT_NOT_ELIGIBLE: (facts) => {
    if (facts.hosting.instances.length === 0) {
      return [
        finding(
          'INSTANCE_PRODUCT_NOT_ELIGIBLE',
          'No instance is listed: the filing needs an ECS, Simple Application Server or Marketplace instance',
          'hosting.instances',
        ),
      ];
    }
    if (filing(facts).some(({ instance }) => CODE_ISSUING.has(instance.product))) return [];
    const other = facts.hosting.instances.find((i) => CODE_ISSUING.has(i.product));
    return [
      finding(
        'INSTANCE_PRODUCT_NOT_ELIGIBLE',
        other
          ? `SLB cannot issue a service code: mark the ECS instance behind it (${other.instanceId}) as used for filing`
          : 'SLB cannot issue a service code: add the ECS instance behind it',
        'hosting.instances',
      ),
    ];
  },
  INSTANCE_PAY_AS_YOU_GO: (facts) =>
    each(filing(facts), ({ instance: i, index: n }) =>
      BILLED_SERVERS.has(i.product) && i.billing === 'PAY_AS_YOU_GO'
        ? finding(
            'INSTANCE_PAY_AS_YOU_GO',
            `Instance ${i.instanceId} is billed pay-as-you-go: convert it to a monthly or yearly subscription`,
            `hosting.instances[${n}].billing`,
          )
        : null,
    ),
  INSTANCE_SUBSCRIPTION_TOO_SHORT: (facts, { now, config }) => {
    const today = chinaDate(now);
    const monthsLeft = ruleDefaults(config).instanceMinMonthsLeft;
    const leftUntil = addMonths(today, monthsLeft);
    return each(filing(facts), ({ instance: i, index: n }) => {
      if (!BILLED_SERVERS.has(i.product) || i.billing !== 'SUBSCRIPTION') return null;
      if (i.subscriptionMonths < config.minSubscriptionMonths) {
        return finding(
          'INSTANCE_SUBSCRIPTION_TOO_SHORT',
          `Instance ${i.instanceId} has ${i.subscriptionMonths} month(s) bought; at least ${config.minSubscriptionMonths} are needed (renewals count)`,
          `hosting.instances[${n}].subscriptionMonths`,
        );
      }
      if (i.expiresAt && i.expiresAt < leftUntil) {
        return finding(
          'INSTANCE_SUBSCRIPTION_TOO_SHORT',
          i.expiresAt < today
            ? `Instance ${i.instanceId} expired on ${i.expiresAt}: renew it for at least ${monthsLeft} months first`
            : `Instance ${i.instanceId} expires on ${i.expiresAt}, less than ${monthsLeft} months from now: renew it first (until ${leftUntil} or later)`,
          `hosting.instances[${n}].expiresAt`,
        );
      }
      return null;
    });
  },
  INSTANCE_NO_PUBLIC_IP: (facts) =>
    each(filing(facts), ({ instance: i, index: n }) =>
      BILLED_SERVERS.has(i.product) && !i.publicIp
        ? finding(
            'INSTANCE_NO_PUBLIC_IP',
            `Instance ${i.instanceId} has no public IP or public bandwidth`,
            `hosting.instances[${n}].publicIp`,
          )
        : null,
    ),
  SERVICE_CODES_EXHAUSTED: (facts, { config }) => {
    const issuing = filing(facts).filter(({ instance }) => CODE_ISSUING.has(instance.product));
    const quota = (i: Instance) => config.serviceCodeQuota[i.product] ?? 0;
    if (issuing.length === 0 || issuing.some(({ instance }) => instance.serviceCodesUsed < quota(instance))) return [];
    return issuing.map(({ instance: i, index: n }) =>
      finding(
        'SERVICE_CODES_EXHAUSTED',
        `Instance ${i.instanceId} has used ${i.serviceCodesUsed} of its ${quota(i)} service codes; used codes cannot be released`,
        `hosting.instances[${n}].serviceCodesUsed`,
      ),
    );
  },
  INSTANCE_EXPIRING: (facts, { now, config }) => {
    const limit = addDays(chinaDate(now), config.instanceExpiryWarningDays);
    return each(filing(facts), ({ instance: i, index: n }) =>
      i.expiresAt && i.expiresAt <= limit
        ? finding(
            'INSTANCE_EXPIRING',
            `Instance ${i.instanceId} expires on ${i.expiresAt}: renew it, or the site goes dark and the filing may be cancelled`,
            `hosting.instances[${n}].expiresAt`,
          )
        : null,
    );
  },
  WEBSITE_MULTIPLE_DOMAINS: ({ websites }) =>
    each(websites, (w, n) =>
      w.domains.length > 1
        ? finding(
            'WEBSITE_MULTIPLE_DOMAINS',
            `Website "${w.name}" lists ${w.domains.length} domains; one website entry holds exactly one domain`,
            `websites[${n}].domains`,
          )
        : null,
    ),
  DOMAIN_INVALID: (facts) =>
    each(domainsOf(facts), ({ domain, path, check }) =>
      check.valid ? null : finding('DOMAIN_INVALID', `'${domain}' ${check.reason}`, path),
    ),
  DOMAIN_DUPLICATE: (facts) => {
    const seen = new Map<string, string>();
    return each(domainsOf(facts), ({ domain, path, check }) => {
      const key = check.ascii ?? undefined;
      if (!key) return null;
      const first = seen.get(key);
      if (!first) {
        seen.set(key, path);
        return null;
      }
      return finding('DOMAIN_DUPLICATE', `'${domain}' is the same domain as ${first} (${key}): a domain is filed once`, path);
    });
  },
  DOMAIN_TLD_NOT_APPROVED: (facts, { config }) => {
    const approved = new Set(config.approvedTlds.map((t) => normaliseDomain(t)));
    return each(domainsOf(facts), ({ path, check }) =>
      !check.valid || approved.has(check.topLevelDomain)
        ? null
        : finding('DOMAIN_TLD_NOT_APPROVED', `.${check.topLevelDomain} is not on the MIIT list of approved top-level domains`, path),
    );
  },
  DOMAIN_VALIDITY_TOO_SHORT: ({ websites, submissionProvince }, { now, config }) => {
    const months = domainValidityMonths(config, submissionProvince);
    const limit = addMonths(chinaDate(now), months);
    return each(websites, (w, n) =>
      w.domainExpiresAt <= limit
        ? finding(
            'DOMAIN_VALIDITY_TOO_SHORT',
            `${w.domains[0] ?? 'The domain'} expires on ${w.domainExpiresAt}; it must be valid for more than ${months} calendar months after submission (after ${limit})`,
            `websites[${n}].domainExpiresAt`,
          )
        : null,
    );
  },
  WEBSITE_NAME_INVALID: ({ websites }) =>
    websites.flatMap((w, n) =>
      websiteNameProblems(w.name).map((p) =>
        finding('WEBSITE_NAME_INVALID', `Website name "${w.name}" ${p.reason}`, `websites[${n}].name`, p.severity),
      ),
    ),
  ADMIN_ID_EXPIRING: ({ websites }, { now, config }) => {
    const limit = addMonths(chinaDate(now), config.adminIdMinValidityMonths);
    return each(websites, (w, n) =>
      w.administrator.idValidUntil <= limit
        ? finding(
            'ADMIN_ID_EXPIRING',
            `The ID of administrator ${w.administrator.fullName} is valid until ${w.administrator.idValidUntil}; it must be valid for more than ${config.adminIdMinValidityMonths} months`,
            `websites[${n}].administrator.idValidUntil`,
          )
        : null,
    );
  },
  PRINCIPAL_ID_EXPIRING: ({ applicant }, { now, config }) => {
    const months = ruleDefaults(config).principalIdMinValidityMonths;
    const principal = applicant.principal;
    if (principal.idValidUntil > addMonths(chinaDate(now), months)) return [];
    return [
      finding(
        'PRINCIPAL_ID_EXPIRING',
        `The ID of the principal ${principal.fullName} is valid until ${principal.idValidUntil}; it must be valid for more than ${months} months`,
        'applicant.principal.idValidUntil',
      ),
    ];
  },
  PERSON_UNDERAGE: (facts, { now, config }) => {
    const age = ruleDefaults(config).minimumAge;
    const today = chinaDate(now);
    return each(people(facts), ({ person, role, path }) => {
      const born = birthDateOf(person);
      return born && isUnderAge(born, today, age)
        ? finding('PERSON_UNDERAGE', `${capitalise(role)} was born on ${born} and is under ${age}`, `${path}.birthDate`)
        : null;
    });
  },
  PROVINCE_PERSON_RULE: ({ applicant, websites, submissionProvince }, { config }) => {
    const province = config.provinces[submissionProvince];
    const rules = province?.personRules;
    if (!rules) return [];
    const where = province.name;
    const principal = applicant.principal;
    const found: Finding[] = [];
    if (rules.principalMustBeLegalRepresentative && principal.isLegalRepresentative === false) {
      found.push(
        finding(
          'PROVINCE_PERSON_RULE',
          `In ${where} the principal must be the entity's legal representative (for a representative office, its chief representative)`,
          'applicant.principal.isLegalRepresentative',
        ),
      );
    }
    websites.forEach((w, n) => {
      const same = samePerson(principal, w.administrator);
      if (rules.adminMustNotBePrincipal && same) {
        found.push(
          finding('PROVINCE_PERSON_RULE', `In ${where} the website administrator must not be the principal`, `websites[${n}].administrator`),
        );
      }
      if (rules.adminMustBePrincipalUnlessLegalRepresentative && principal.isLegalRepresentative === false && !same) {
        found.push(
          finding(
            'PROVINCE_PERSON_RULE',
            `In ${where}, when the principal is not the legal representative, the website administrator must be the principal`,
            `websites[${n}].administrator`,
          ),
        );
      }
    });
    return found;
  },
  CDN_REQUIRES_FILING: ({ hosting }, { icpNumber }) => {
    const region = hosting.cdn?.accelerationRegion;
    if ((region !== 'MAINLAND' && region !== 'GLOBAL') || icpNumber) return [];
    return [
      finding(
        'CDN_REQUIRES_FILING',
        `CDN acceleration ${region} needs the ICP number: DNS to the CDN waits for approval (or use GLOBAL_EXCLUDING_MAINLAND)`,
        'hosting.cdn.accelerationRegion',
      ),
    ];
  },
  ICP_NUMBER_INVALID: ({ submissionProvince, filingType }, { icpNumber, config }) => {
    if (!icpNumber) return [];
    const check = checkIcpNumber(icpNumber, submissionProvince, config, filingType);
    return check.valid ? [] : [finding('ICP_NUMBER_INVALID', check.reason, 'icpNumber')];
  },
  PRE_APPROVAL_REQUIRED: (facts, ctx) => documentFindings(facts, ctx, 'PRE_APPROVAL'),
  AUTHORISATION_LETTER_REQUIRED: (facts, ctx) => documentFindings(facts, ctx, 'AUTHORISATION_LETTER'),
  DOCUMENT_MISSING: (facts, ctx) => documentFindings(facts, ctx, 'OTHER'),
};

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The first reason a website name breaks the naming rules (BLOCKING or WARNING), or null. */
export function websiteNameProblem(name: string): string | null {
  return websiteNameProblems(name)[0]?.reason ?? null;
}

function documentFindings(
  facts: CaseFacts,
  ctx: RuleContext,
  kind: 'PRE_APPROVAL' | 'AUTHORISATION_LETTER' | 'OTHER',
): Finding[] {
  if (ctx.documents === null) return [];
  const severity: Severity = ctx.enforceDocuments === false ? 'WARNING' : 'BLOCKING';
  const unmet = checklist(facts, ctx.config, ctx.documents).filter((item) => !item.satisfied);
  return unmet
    .filter((item) => (kind === 'OTHER' ? item.type !== 'PRE_APPROVAL' && item.type !== 'AUTHORISATION_LETTER' : item.type === kind))
    .map((item) => {
      const site = item.websiteIndex === null ? null : facts.websites[item.websiteIndex];
      const path = item.websiteIndex === null ? `documents.${item.type}` : `websites[${item.websiteIndex}]`;
      if (item.type === 'PRE_APPROVAL') {
        return finding(
          'PRE_APPROVAL_REQUIRED',
          `Website "${site?.name}" carries ${site?.contentCategory} content and needs an accepted pre-approval document`,
          `websites[${item.websiteIndex}].contentCategory`,
          severity,
        );
      }
      if (item.type === 'AUTHORISATION_LETTER') {
        return finding(
          'AUTHORISATION_LETTER_REQUIRED',
          `Administrator ${site?.administrator.fullName} is not the principal (by ID): an accepted authorisation letter is needed`,
          `websites[${item.websiteIndex}].administrator`,
          severity,
        );
      }
      const what = site ? `${item.type} for website "${site.name}"` : item.type;
      return finding('DOCUMENT_MISSING', `${what} is missing or not yet accepted`, path, severity);
    });
}

/**
 * Evaluates every fact rule. When no filing is required, the only finding is
 * HOSTING_OUTSIDE_MAINLAND: nothing else applies to a case that ends as not required.
 */
export function evaluateRules(facts: CaseFacts, ctx: RuleContext): Finding[] {
  if (!isFilingRequired(facts, ctx.config)) {
    return [
      finding(
        'HOSTING_OUTSIDE_MAINLAND',
        'Every instance is in a known region outside the mainland and no CDN accelerates in the mainland: no ICP filing is needed',
        'hosting',
      ),
    ];
  }
  return Object.values(FACT_CHECKS).flatMap((check) => check!(facts, ctx));
}

/**
 * After approval the rules that gate submission keep being evaluated, but as WARNINGs: risks to
 * the filing, not reasons to refuse what is already done (DOMAIN.md, "The lifecycle").
 */
export function asRisks(findings: Finding[]): Finding[] {
  return findings.map((f) => (f.severity === 'BLOCKING' ? { ...f, severity: 'WARNING' } : f));
}

export function blocking(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'BLOCKING');
}

export { normaliseDomain };

/** Where the filed domains must point once approved: the CDN endpoint (CNAME), else the SLB or instance IP (A). */
export function expectedResolution(facts: CaseFacts): { type: 'A' | 'CNAME'; value: string } | null {
  if (facts.hosting.cdn) return { type: 'CNAME', value: normaliseDomain(facts.hosting.cdn.cname) };
  if (facts.hosting.slb) return { type: 'A', value: facts.hosting.slb.publicIp };
  const ip = filing(facts).find(({ instance: i }) => i.publicIp && CODE_ISSUING.has(i.product))?.instance.publicIp;
  return ip ? { type: 'A', value: ip } : null;
}
