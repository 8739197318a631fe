import { checklist } from './checklist';
import { addDays, addMonths, chinaDate } from './dates';
import { isValidDomain, normaliseDomain, topLevelDomain } from './domain-name';
import { checkIcpNumber } from './icp-number';
import type { RuleConfig } from './rule-config';
import type { CaseFacts, DocumentState, Finding, Instance, IsoInstant, RuleId, Severity } from './types';

/** Every rule of DOMAIN.md: its severity and what it means, for officers and for the OpenAPI page. */
export const RULES: Record<RuleId, { severity: Severity; summary: string }> = {
  HOSTING_OUTSIDE_MAINLAND: { severity: 'INFO', summary: 'Hosted outside the mainland: no filing is needed' },
  ENTITY_CERTIFICATE_MISSING: { severity: 'BLOCKING', summary: 'The entity certificate is missing' },
  CERTIFICATE_EXPIRED: { severity: 'BLOCKING', summary: 'The entity certificate has expired' },
  PROVINCE_MISMATCH: { severity: 'BLOCKING', summary: 'Submission province differs from the certificate' },
  LICENCE_NOT_ALLOWED_FOR_OFFICE: { severity: 'BLOCKING', summary: 'An office cannot hold an ICP licence' },
  OFFICE_FILING_NOT_ACCEPTED: { severity: 'BLOCKING', summary: 'The province does not accept office filings' },
  INSTANCE_REGION_NOT_MAINLAND: { severity: 'BLOCKING', summary: 'A filing instance is outside the mainland' },
  INSTANCE_PRODUCT_NOT_ELIGIBLE: { severity: 'BLOCKING', summary: 'No instance can issue a service code' },
  INSTANCE_PAY_AS_YOU_GO: { severity: 'BLOCKING', summary: 'Pay-as-you-go instances cannot be used' },
  INSTANCE_SUBSCRIPTION_TOO_SHORT: { severity: 'BLOCKING', summary: 'Less than 3 months of subscription bought' },
  INSTANCE_NO_PUBLIC_IP: { severity: 'BLOCKING', summary: 'The instance has no public IP' },
  SERVICE_CODES_EXHAUSTED: { severity: 'BLOCKING', summary: "The instance's service codes are used up" },
  INSTANCE_EXPIRING: { severity: 'WARNING', summary: 'The instance expires soon' },
  WEBSITE_MULTIPLE_DOMAINS: { severity: 'BLOCKING', summary: 'A website entry holds more than one domain' },
  DOMAIN_INVALID: { severity: 'BLOCKING', summary: 'Not a valid domain name' },
  DOMAIN_TLD_NOT_APPROVED: { severity: 'BLOCKING', summary: 'The TLD is not approved by MIIT' },
  DOMAIN_VALIDITY_TOO_SHORT: { severity: 'BLOCKING', summary: 'The domain expires too soon' },
  WEBSITE_NAME_INVALID: { severity: 'BLOCKING', summary: 'The website name breaks the naming rules' },
  PRE_APPROVAL_REQUIRED: { severity: 'BLOCKING', summary: 'Regulated content needs a pre-approval document' },
  ADMIN_ID_EXPIRING: { severity: 'BLOCKING', summary: "The administrator's ID is valid for 3 months or less" },
  AUTHORISATION_LETTER_REQUIRED: { severity: 'BLOCKING', summary: 'An authorisation letter is needed' },
  DOCUMENT_MISSING: { severity: 'BLOCKING', summary: 'A checklist document is missing or not verified' },
  CDN_REQUIRES_FILING: { severity: 'WARNING', summary: 'Mainland CDN waits for the ICP number' },
  ICP_NUMBER_INVALID: { severity: 'BLOCKING', summary: 'The ICP number is malformed or from another province' },
  SMS_VERIFICATION_EXPIRED: { severity: 'WARNING', summary: 'The SMS check was not completed within its window' },
  REVIEW_OVERDUE: { severity: 'REMINDER', summary: 'A review is taking longer than its time limit' },
  PSB_FILING_DUE: { severity: 'REMINDER', summary: 'The PSB filing is due' },
  DNS_NOT_RESOLVED: { severity: 'BLOCKING', summary: 'The domain does not resolve to the SLB IP or CDN endpoint' },
  ORDER_ALREADY_OPEN: { severity: 'BLOCKING', summary: 'The entity already has an open filing order' },
};

export function finding(rule: RuleId, message: string, path: string): Finding {
  return { rule, severity: RULES[rule].severity, message, path };
}

export interface RuleContext {
  now: IsoInstant;
  config: RuleConfig;
  /** The case's current documents; `null` while the case does not track documents (document rules stay silent). */
  documents: DocumentState[] | null;
  icpNumber: string | null;
}

const CODE_ISSUING: ReadonlySet<Instance['product']> = new Set(['ECS', 'SIMPLE_APPLICATION_SERVER', 'MARKETPLACE']);
const BILLED_SERVERS: ReadonlySet<Instance['product']> = new Set(['ECS', 'SIMPLE_APPLICATION_SERVER']);
const OFFICE_PRESENCES = new Set(['REPRESENTATIVE_OFFICE', 'OFFICE_ONLY', 'NONE']);
const FORBIDDEN_NAME_WORDS: [string, RegExp][] = [
  ['中国', /中国/],
  ['中华', /中华/],
  ['国家', /国家/],
  ['人民', /人民/],
  ['China', /\bchina\b/i],
  ['national', /\bnational\b/i],
];

export function isMainlandRegion(regionId: string, config: RuleConfig): boolean {
  return config.mainlandRegions.includes(regionId) || config.localRegions.includes(regionId);
}

/** A filing is needed when an instance is in a mainland region or a CDN accelerates in the mainland. */
export function isFilingRequired(facts: CaseFacts, config: RuleConfig): boolean {
  const mainlandInstance = facts.hosting.instances.some((i) => isMainlandRegion(i.regionId, config));
  const region = facts.hosting.cdn?.accelerationRegion;
  return mainlandInstance || region === 'MAINLAND' || region === 'GLOBAL';
}

type Check = (facts: CaseFacts, ctx: RuleContext) => Finding[];

function each<T>(items: T[], fn: (item: T, index: number) => Finding | null | undefined): Finding[] {
  return items.map(fn).filter((f): f is Finding => Boolean(f));
}

/** The fact rules, in DOMAIN.md order; each returns its findings (none when the rule passes). */
export const FACT_CHECKS: Partial<Record<RuleId, Check>> = {
  ENTITY_CERTIFICATE_MISSING: ({ applicant }) => {
    if (applicant.certificate) return [];
    const message =
      applicant.mainlandPresence === 'NONE'
        ? 'The representative-office certificate from the Administration for Industry and Commerce has not been recorded yet'
        : `A ${applicant.mainlandPresence.toLowerCase().replace(/_/g, ' ')} files with its registration certificate: add it`;
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
      ? [
          finding(
            'LICENCE_NOT_ALLOWED_FOR_OFFICE',
            'An ICP licence can never be obtained in the name of a representative office: file as ICP_FILING or apply through a branch',
            'filingType',
          ),
        ]
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
  INSTANCE_REGION_NOT_MAINLAND: ({ hosting }, { config }) =>
    each(hosting.instances, (i, n) =>
      isMainlandRegion(i.regionId, config)
        ? null
        : finding(
            'INSTANCE_REGION_NOT_MAINLAND',
            `Instance ${i.instanceId} is in ${i.regionId}, outside the mainland: only a mainland instance can be used for the filing`,
            `hosting.instances[${n}].regionId`,
          ),
    ),
  INSTANCE_PRODUCT_NOT_ELIGIBLE: ({ hosting }) =>
    hosting.instances.some((i) => CODE_ISSUING.has(i.product))
      ? []
      : [
          finding(
            'INSTANCE_PRODUCT_NOT_ELIGIBLE',
            hosting.instances.length === 0
              ? 'No instance is listed: the filing needs an ECS, Simple Application Server or Marketplace instance'
              : 'SLB cannot issue a service code: add the ECS instance behind it',
            'hosting.instances',
          ),
        ],
  INSTANCE_PAY_AS_YOU_GO: ({ hosting }) =>
    each(hosting.instances, (i, n) =>
      BILLED_SERVERS.has(i.product) && i.billing === 'PAY_AS_YOU_GO'
        ? finding(
            'INSTANCE_PAY_AS_YOU_GO',
            `Instance ${i.instanceId} is billed pay-as-you-go: convert it to a monthly or yearly subscription`,
            `hosting.instances[${n}].billing`,
          )
        : null,
    ),
  INSTANCE_SUBSCRIPTION_TOO_SHORT: ({ hosting }, { config }) =>
    each(hosting.instances, (i, n) =>
      BILLED_SERVERS.has(i.product) && i.billing === 'SUBSCRIPTION' && i.subscriptionMonths < config.minSubscriptionMonths
        ? finding(
            'INSTANCE_SUBSCRIPTION_TOO_SHORT',
            `Instance ${i.instanceId} has ${i.subscriptionMonths} month(s) bought; at least ${config.minSubscriptionMonths} are needed (renewals count)`,
            `hosting.instances[${n}].subscriptionMonths`,
          )
        : null,
    ),
  INSTANCE_NO_PUBLIC_IP: ({ hosting }) =>
    each(hosting.instances, (i, n) =>
      BILLED_SERVERS.has(i.product) && !i.publicIp
        ? finding(
            'INSTANCE_NO_PUBLIC_IP',
            `Instance ${i.instanceId} has no public IP or public bandwidth`,
            `hosting.instances[${n}].publicIp`,
          )
        : null,
    ),
  SERVICE_CODES_EXHAUSTED: ({ hosting }, { config }) =>
    each(hosting.instances, (i, n) => {
      const quota = config.serviceCodeQuota[i.product] ?? 0;
      return CODE_ISSUING.has(i.product) && i.serviceCodesUsed >= quota
        ? finding(
            'SERVICE_CODES_EXHAUSTED',
            `Instance ${i.instanceId} has used ${i.serviceCodesUsed} of its ${quota} service codes; used codes cannot be released`,
            `hosting.instances[${n}].serviceCodesUsed`,
          )
        : null;
    }),
  INSTANCE_EXPIRING: ({ hosting }, { now, config }) => {
    const limit = addDays(chinaDate(now), config.instanceExpiryWarningDays);
    return each(hosting.instances, (i, n) =>
      i.expiresAt !== null && i.expiresAt <= limit
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
  DOMAIN_INVALID: ({ websites }) =>
    websites.flatMap((w, n) =>
      each(w.domains, (d, k) =>
        isValidDomain(d) ? null : finding('DOMAIN_INVALID', `'${d}' is not a valid domain name`, `websites[${n}].domains[${k}]`),
      ),
    ),
  DOMAIN_TLD_NOT_APPROVED: ({ websites }, { config }) =>
    websites.flatMap((w, n) =>
      each(w.domains, (d, k) =>
        !isValidDomain(d) || config.approvedTlds.includes(topLevelDomain(d))
          ? null
          : finding(
              'DOMAIN_TLD_NOT_APPROVED',
              `.${topLevelDomain(d)} is not on the MIIT list of approved top-level domains`,
              `websites[${n}].domains[${k}]`,
            ),
      ),
    ),
  DOMAIN_VALIDITY_TOO_SHORT: ({ websites, submissionProvince }, { now, config }) => {
    const days = config.provinces[submissionProvince]?.domainMinValidityDays ?? 0;
    const limit = addDays(chinaDate(now), days);
    return each(websites, (w, n) =>
      w.domainExpiresAt <= limit
        ? finding(
            'DOMAIN_VALIDITY_TOO_SHORT',
            `${w.domains[0] ?? 'The domain'} expires on ${w.domainExpiresAt}; the province wants more than ${days} days of validity left`,
            `websites[${n}].domainExpiresAt`,
          )
        : null,
    );
  },
  WEBSITE_NAME_INVALID: ({ websites }) =>
    each(websites, (w, n) => {
      const reason = websiteNameProblem(w.name);
      return reason ? finding('WEBSITE_NAME_INVALID', `Website name "${w.name}" ${reason}`, `websites[${n}].name`) : null;
    }),
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
  ICP_NUMBER_INVALID: ({ submissionProvince }, { icpNumber, config }) => {
    if (!icpNumber) return [];
    const check = checkIcpNumber(icpNumber, submissionProvince, config);
    return check.valid ? [] : [finding('ICP_NUMBER_INVALID', check.reason, 'icpNumber')];
  },
  PRE_APPROVAL_REQUIRED: (facts, ctx) => documentFindings(facts, ctx, 'PRE_APPROVAL'),
  AUTHORISATION_LETTER_REQUIRED: (facts, ctx) => documentFindings(facts, ctx, 'AUTHORISATION_LETTER'),
  DOCUMENT_MISSING: (facts, ctx) => documentFindings(facts, ctx, 'OTHER'),
};

export function websiteNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (Array.from(trimmed).length < 3) return 'is shorter than 3 characters';
  if (/^[0-9\s]+$/.test(trimmed)) return 'is all digits';
  if (/^[A-Za-z\s]+$/.test(trimmed)) return 'is all Latin letters';
  if (isValidDomain(trimmed) && trimmed.includes('.')) return 'is a domain name';
  const word = FORBIDDEN_NAME_WORDS.find(([, pattern]) => pattern.test(trimmed));
  if (word) return `contains "${word[0]}", which a non-government entity may not use`;
  return null;
}

function documentFindings(
  facts: CaseFacts,
  ctx: RuleContext,
  kind: 'PRE_APPROVAL' | 'AUTHORISATION_LETTER' | 'OTHER',
): Finding[] {
  if (ctx.documents === null) return [];
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
        );
      }
      if (item.type === 'AUTHORISATION_LETTER') {
        return finding(
          'AUTHORISATION_LETTER_REQUIRED',
          `Administrator ${site?.administrator.fullName} is not the principal: an accepted authorisation letter is needed`,
          `websites[${item.websiteIndex}].administrator.isPrincipal`,
        );
      }
      const what = site ? `${item.type} for website "${site.name}"` : item.type;
      return finding('DOCUMENT_MISSING', `${what} is missing or not yet accepted`, path);
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
        'No instance is in a mainland region and no CDN accelerates in the mainland: no ICP filing is needed',
        'hosting',
      ),
    ];
  }
  return Object.values(FACT_CHECKS).flatMap((check) => check!(facts, ctx));
}

export function blocking(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'BLOCKING');
}

export { normaliseDomain };

/** Where the filed domains must point once approved: the CDN endpoint (CNAME), else the SLB or instance IP (A). */
export function expectedResolution(facts: CaseFacts): { type: 'A' | 'CNAME'; value: string } | null {
  if (facts.hosting.cdn) return { type: 'CNAME', value: normaliseDomain(facts.hosting.cdn.cname) };
  if (facts.hosting.slb) return { type: 'A', value: facts.hosting.slb.publicIp };
  const ip = facts.hosting.instances.find((i) => i.publicIp && CODE_ISSUING.has(i.product))?.publicIp;
  return ip ? { type: 'A', value: ip } : null;
}
