import { resolve } from 'node:path';
import { loadRuleConfig } from '../../config/src/app-config';
import { checklist } from './checklist';
import type { RuleConfig } from './rule-config';
import { validFacts } from './testing/facts';
import { evaluateRules, FACT_CHECKS, isFilingRequired, RULES, websiteNameProblem, type RuleContext } from './rules';
import { RULE_IDS, type CaseFacts, type DocumentState, type Finding, type RuleId, type Severity } from './types';

const CONFIG: RuleConfig = loadRuleConfig(resolve(__dirname, '../../../config/rules.json'));
/** A Saturday, 12:00 in China (China date 2026-11-28). */
const NOW = '2026-11-28T04:00:00.000Z';
const VALID_ICP = '浙ICP备12345678号-1';

type Mutation = (facts: CaseFacts) => void;

/** The valid base case (see validFacts), changed by `mutation`. */
const facts = (mutation: Mutation = () => undefined): CaseFacts => validFacts(mutation);
const baseFacts = (): CaseFacts => validFacts();

function context(overrides: Partial<RuleContext> = {}): RuleContext {
  return { now: NOW, config: CONFIG, documents: null, icpNumber: null, ...overrides };
}

function withProvince(code: string, changes: Partial<RuleConfig['provinces'][string]>): RuleConfig {
  return { ...CONFIG, provinces: { ...CONFIG.provinces, [code]: { ...CONFIG.provinces[code], ...changes } } };
}

/** Every checklist slot of the facts, filled with an ACCEPTED document. */
function acceptedDocuments(f: CaseFacts, config: RuleConfig = CONFIG): DocumentState[] {
  return checklist(f, config, []).map(({ type, websiteIndex }) => ({ type, websiteIndex, status: 'ACCEPTED' as const }));
}

const inProvince =
  (code: string): Mutation =>
  (f) => {
    f.submissionProvince = code;
    f.applicant.certificate!.province = code;
  };
const presence =
  (p: CaseFacts['applicant']['mainlandPresence'], certificate = true): Mutation =>
  (f) => {
    f.applicant.mainlandPresence = p;
    if (!certificate) f.applicant.certificate = null;
  };
const instance =
  (changes: Partial<CaseFacts['hosting']['instances'][number]>): Mutation =>
  (f) => {
    Object.assign(f.hosting.instances[0], changes);
  };
const addInstance =
  (changes: Partial<CaseFacts['hosting']['instances'][number]>): Mutation =>
  (f) => {
    f.hosting.instances.push({ ...f.hosting.instances[0], instanceId: 'i-second', ...changes });
  };
const cdn =
  (accelerationRegion: 'MAINLAND' | 'GLOBAL' | 'GLOBAL_EXCLUDING_MAINLAND'): Mutation =>
  (f) => {
    f.hosting.cdn = { accelerationRegion, cname: 'contoso.cn.w.cdngslb.com' };
  };
const website =
  (changes: Partial<CaseFacts['websites'][number]>): Mutation =>
  (f) => {
    Object.assign(f.websites[0], changes);
  };
const domain = (d: string): Mutation => website({ domains: [d] });
const siteName = (name: string): Mutation => website({ name });
const admin =
  (changes: Partial<CaseFacts['websites'][number]['administrator']>): Mutation =>
  (f) => {
    Object.assign(f.websites[0].administrator, changes);
  };
const all =
  (...mutations: Mutation[]): Mutation =>
  (f) => {
    for (const m of mutations) m(f);
  };

interface RuleCase {
  rule: RuleId;
  name: string;
  mutate?: Mutation;
  ctx?: Partial<RuleContext>;
}

interface FailingCase extends RuleCase {
  path: string;
}

const EVERYTHING_ACCEPTED: Partial<RuleContext> = { documents: acceptedDocuments(baseFacts()) };

/** Each rule passes (no finding of its id) for the base case or a small mutation of it. */
const PASSING: RuleCase[] = [
  { rule: 'ENTITY_CERTIFICATE_MISSING', name: 'representative office with certificate' },
  { rule: 'ENTITY_CERTIFICATE_MISSING', name: 'NONE once the AIC certificate is recorded', mutate: presence('NONE') },
  { rule: 'ENTITY_CERTIFICATE_MISSING', name: 'branch with certificate', mutate: presence('BRANCH') },
  { rule: 'CERTIFICATE_EXPIRED', name: 'certificate valid for years' },
  {
    rule: 'CERTIFICATE_EXPIRED',
    name: 'certificate valid until today (China date)',
    mutate: (f) => void (f.applicant.certificate!.validUntil = '2026-11-28'),
  },
  { rule: 'CERTIFICATE_EXPIRED', name: 'no certificate (ENTITY_CERTIFICATE_MISSING covers it)', mutate: presence('BRANCH', false) },
  { rule: 'PROVINCE_MISMATCH', name: 'submitted where the certificate was issued' },
  { rule: 'PROVINCE_MISMATCH', name: 'no certificate yet', mutate: presence('NONE', false) },
  { rule: 'LICENCE_NOT_ALLOWED_FOR_OFFICE', name: 'representative office files ICP_FILING' },
  {
    rule: 'LICENCE_NOT_ALLOWED_FOR_OFFICE',
    name: 'branch applies for ICP_LICENCE',
    mutate: all(presence('BRANCH'), (f) => void (f.filingType = 'ICP_LICENCE')),
  },
  { rule: 'OFFICE_FILING_NOT_ACCEPTED', name: 'representative office (not OFFICE_ONLY) in CN-TJ', mutate: inProvince('CN-TJ') },
  { rule: 'OFFICE_FILING_NOT_ACCEPTED', name: 'OFFICE_ONLY in CN-ZJ, which accepts office filings', mutate: presence('OFFICE_ONLY') },
  {
    rule: 'OFFICE_FILING_NOT_ACCEPTED',
    name: 'OFFICE_ONLY in CN-TJ once configuration says it accepts office filings',
    mutate: all(presence('OFFICE_ONLY'), inProvince('CN-TJ')),
    ctx: { config: withProvince('CN-TJ', { acceptsOfficeFilings: true }) },
  },
  { rule: 'INSTANCE_REGION_NOT_MAINLAND', name: 'instance in cn-hangzhou' },
  { rule: 'INSTANCE_REGION_NOT_MAINLAND', name: 'local region cn-nanjing counts as mainland', mutate: instance({ regionId: 'cn-nanjing' }) },
  { rule: 'INSTANCE_REGION_NOT_MAINLAND', name: 'local region cn-fuzhou counts as mainland', mutate: instance({ regionId: 'cn-fuzhou' }) },
  { rule: 'INSTANCE_PRODUCT_NOT_ELIGIBLE', name: 'ECS' },
  {
    rule: 'INSTANCE_PRODUCT_NOT_ELIGIBLE',
    name: 'SLB with an ECS behind it',
    mutate: all(addInstance({ product: 'SLB', instanceId: 'lb-bp1xyz', serviceCodesUsed: 0 }), (f) => {
      f.hosting.slb = { publicIp: '47.98.10.20' };
    }),
  },
  { rule: 'INSTANCE_PRODUCT_NOT_ELIGIBLE', name: 'Simple Application Server', mutate: instance({ product: 'SIMPLE_APPLICATION_SERVER' }) },
  { rule: 'INSTANCE_PRODUCT_NOT_ELIGIBLE', name: 'Marketplace product', mutate: instance({ product: 'MARKETPLACE', serviceCodesUsed: 0 }) },
  { rule: 'INSTANCE_PAY_AS_YOU_GO', name: 'subscription billing' },
  {
    rule: 'INSTANCE_PAY_AS_YOU_GO',
    name: 'a pay-as-you-go SLB is not a filing server',
    mutate: addInstance({ product: 'SLB', billing: 'PAY_AS_YOU_GO', serviceCodesUsed: 0 }),
  },
  { rule: 'INSTANCE_SUBSCRIPTION_TOO_SHORT', name: '12 months bought' },
  { rule: 'INSTANCE_SUBSCRIPTION_TOO_SHORT', name: 'exactly 3 months bought', mutate: instance({ subscriptionMonths: 3 }) },
  { rule: 'INSTANCE_NO_PUBLIC_IP', name: 'public IP' },
  { rule: 'INSTANCE_NO_PUBLIC_IP', name: 'a Marketplace product needs none', mutate: instance({ product: 'MARKETPLACE', publicIp: null, serviceCodesUsed: 0 }) },
  { rule: 'SERVICE_CODES_EXHAUSTED', name: '1 of 5 ECS codes used' },
  { rule: 'SERVICE_CODES_EXHAUSTED', name: '4 of 5 ECS codes used', mutate: instance({ serviceCodesUsed: 4 }) },
  { rule: 'SERVICE_CODES_EXHAUSTED', name: '0 of 1 Marketplace codes used', mutate: instance({ product: 'MARKETPLACE', serviceCodesUsed: 0 }) },
  { rule: 'INSTANCE_EXPIRING', name: 'expires in years' },
  { rule: 'INSTANCE_EXPIRING', name: 'expires in 31 days', mutate: instance({ expiresAt: '2026-12-29' }) },
  { rule: 'WEBSITE_MULTIPLE_DOMAINS', name: 'one domain' },
  { rule: 'DOMAIN_INVALID', name: 'contoso.cn' },
  { rule: 'DOMAIN_INVALID', name: 'upper case with a trailing dot', mutate: domain('Contoso.CN.') },
  { rule: 'DOMAIN_INVALID', name: 'second-level domain under .com.cn', mutate: domain('shop.contoso.com.cn') },
  { rule: 'DOMAIN_INVALID', name: 'punycode TLD xn--fiqs8s', mutate: domain('contoso.xn--fiqs8s') },
  { rule: 'DOMAIN_INVALID', name: 'punycode IDN xn--fsqu00a.xn--fiqs8s', mutate: domain('xn--fsqu00a.xn--fiqs8s') },
  { rule: 'DOMAIN_INVALID', name: 'Unicode IDN 例子.中国', mutate: domain('例子.中国') },
  { rule: 'DOMAIN_TLD_NOT_APPROVED', name: '.cn' },
  { rule: 'DOMAIN_TLD_NOT_APPROVED', name: '.com', mutate: domain('contoso.com') },
  { rule: 'DOMAIN_TLD_NOT_APPROVED', name: '.xn--fiqs8s (punycode 中国)', mutate: domain('contoso.xn--fiqs8s') },
  { rule: 'DOMAIN_TLD_NOT_APPROVED', name: '.中国', mutate: domain('例子.中国') },
  { rule: 'DOMAIN_TLD_NOT_APPROVED', name: 'upper-case TLD', mutate: domain('contoso.COM') },
  { rule: 'DOMAIN_TLD_NOT_APPROVED', name: 'an invalid domain is DOMAIN_INVALID only', mutate: domain('123.456') },
  { rule: 'DOMAIN_VALIDITY_TOO_SHORT', name: 'expires in years' },
  { rule: 'DOMAIN_VALIDITY_TOO_SHORT', name: 'CN-ZJ: 46 days left (threshold 45)', mutate: website({ domainExpiresAt: '2027-01-13' }) },
  {
    rule: 'DOMAIN_VALIDITY_TOO_SHORT',
    name: 'CN-BJ: 91 days left (threshold 90)',
    mutate: all(inProvince('CN-BJ'), website({ domainExpiresAt: '2027-02-27' })),
  },
  { rule: 'WEBSITE_NAME_INVALID', name: '康拓索产品目录' },
  { rule: 'WEBSITE_NAME_INVALID', name: 'Latin letters mixed with Chinese', mutate: siteName('Contoso产品目录') },
  { rule: 'WEBSITE_NAME_INVALID', name: 'exactly 3 characters', mutate: siteName('康拓索') },
  { rule: 'WEBSITE_NAME_INVALID', name: '"national" inside a word: International Trade 国际贸易', mutate: siteName('International Trade 国际贸易') },
  { rule: 'WEBSITE_NAME_INVALID', name: '"China" inside a word: Chinatown 唐人街', mutate: siteName('Chinatown 唐人街') },
  { rule: 'ADMIN_ID_EXPIRING', name: 'valid for years' },
  { rule: 'ADMIN_ID_EXPIRING', name: 'valid for 3 months and a day', mutate: admin({ idValidUntil: '2027-03-01' }) },
  { rule: 'CDN_REQUIRES_FILING', name: 'no CDN' },
  { rule: 'CDN_REQUIRES_FILING', name: 'CDN GLOBAL_EXCLUDING_MAINLAND', mutate: cdn('GLOBAL_EXCLUDING_MAINLAND') },
  { rule: 'CDN_REQUIRES_FILING', name: 'CDN MAINLAND with an ICP number', mutate: cdn('MAINLAND'), ctx: { icpNumber: VALID_ICP } },
  { rule: 'CDN_REQUIRES_FILING', name: 'CDN GLOBAL with an ICP number', mutate: cdn('GLOBAL'), ctx: { icpNumber: VALID_ICP } },
  { rule: 'ICP_NUMBER_INVALID', name: 'no ICP number yet' },
  { rule: 'ICP_NUMBER_INVALID', name: `website number ${VALID_ICP}`, ctx: { icpNumber: VALID_ICP } },
  { rule: 'ICP_NUMBER_INVALID', name: 'entity number 浙ICP备12345678号', ctx: { icpNumber: '浙ICP备12345678号' } },
  {
    rule: 'ICP_NUMBER_INVALID',
    name: '京ICP备12345678号-1 for a Beijing case',
    mutate: inProvince('CN-BJ'),
    ctx: { icpNumber: '京ICP备12345678号-1' },
  },
  {
    rule: 'PRE_APPROVAL_REQUIRED',
    name: 'documents not enforced (null), even for NEWS',
    mutate: website({ contentCategory: 'NEWS' }),
  },
  { rule: 'PRE_APPROVAL_REQUIRED', name: 'GENERAL content with no documents', ctx: { documents: [] } },
  {
    rule: 'PRE_APPROVAL_REQUIRED',
    name: 'NEWS with an accepted pre-approval',
    mutate: website({ contentCategory: 'NEWS' }),
    ctx: { documents: [{ type: 'PRE_APPROVAL', websiteIndex: 0, status: 'ACCEPTED' }] },
  },
  { rule: 'AUTHORISATION_LETTER_REQUIRED', name: 'documents not enforced (null)' },
  {
    rule: 'AUTHORISATION_LETTER_REQUIRED',
    name: 'administrator is the principal',
    mutate: admin({ isPrincipal: true }),
    ctx: { documents: [] },
  },
  {
    rule: 'AUTHORISATION_LETTER_REQUIRED',
    name: 'accepted authorisation letter',
    ctx: { documents: [{ type: 'AUTHORISATION_LETTER', websiteIndex: 0, status: 'ACCEPTED' }] },
  },
  { rule: 'DOCUMENT_MISSING', name: 'documents not enforced (null)' },
  { rule: 'DOCUMENT_MISSING', name: 'every checklist document accepted', ctx: EVERYTHING_ACCEPTED },
];

/** Each rule fails (a finding of its id, with its severity, at this path) for a small mutation of the base case. */
const FAILING: FailingCase[] = [
  { rule: 'ENTITY_CERTIFICATE_MISSING', name: 'REPRESENTATIVE_OFFICE without certificate', mutate: presence('REPRESENTATIVE_OFFICE', false), path: 'applicant.certificate' },
  { rule: 'ENTITY_CERTIFICATE_MISSING', name: 'BRANCH without certificate', mutate: presence('BRANCH', false), path: 'applicant.certificate' },
  { rule: 'ENTITY_CERTIFICATE_MISSING', name: 'OFFICE_ONLY without certificate', mutate: presence('OFFICE_ONLY', false), path: 'applicant.certificate' },
  { rule: 'ENTITY_CERTIFICATE_MISSING', name: 'NONE before the AIC certificate', mutate: presence('NONE', false), path: 'applicant.certificate' },
  {
    rule: 'CERTIFICATE_EXPIRED',
    name: 'expired yesterday',
    mutate: (f) => void (f.applicant.certificate!.validUntil = '2026-11-27'),
    path: 'applicant.certificate.validUntil',
  },
  {
    rule: 'CERTIFICATE_EXPIRED',
    name: 'expired yesterday China time although it is still that day in UTC',
    mutate: (f) => void (f.applicant.certificate!.validUntil = '2026-11-27'),
    ctx: { now: '2026-11-27T16:30:00.000Z' },
    path: 'applicant.certificate.validUntil',
  },
  { rule: 'PROVINCE_MISMATCH', name: 'CN-ZJ certificate submitted in CN-SH', mutate: (f) => void (f.submissionProvince = 'CN-SH'), path: 'submissionProvince' },
  {
    rule: 'LICENCE_NOT_ALLOWED_FOR_OFFICE',
    name: 'REPRESENTATIVE_OFFICE applies for ICP_LICENCE',
    mutate: (f) => void (f.filingType = 'ICP_LICENCE'),
    path: 'filingType',
  },
  {
    rule: 'LICENCE_NOT_ALLOWED_FOR_OFFICE',
    name: 'OFFICE_ONLY applies for ICP_LICENCE',
    mutate: all(presence('OFFICE_ONLY'), (f) => void (f.filingType = 'ICP_LICENCE')),
    path: 'filingType',
  },
  {
    rule: 'LICENCE_NOT_ALLOWED_FOR_OFFICE',
    name: 'NONE applies for ICP_LICENCE',
    mutate: all(presence('NONE'), (f) => void (f.filingType = 'ICP_LICENCE')),
    path: 'filingType',
  },
  {
    rule: 'OFFICE_FILING_NOT_ACCEPTED',
    name: 'OFFICE_ONLY in CN-TJ, which does not accept office filings',
    mutate: all(presence('OFFICE_ONLY'), inProvince('CN-TJ')),
    path: 'applicant.mainlandPresence',
  },
  {
    rule: 'OFFICE_FILING_NOT_ACCEPTED',
    name: 'OFFICE_ONLY in CN-ZJ once configuration says it does not accept office filings',
    mutate: presence('OFFICE_ONLY'),
    ctx: { config: withProvince('CN-ZJ', { acceptsOfficeFilings: false }) },
    path: 'applicant.mainlandPresence',
  },
  {
    rule: 'INSTANCE_REGION_NOT_MAINLAND',
    name: 'a second instance in cn-hongkong',
    mutate: addInstance({ regionId: 'cn-hongkong' }),
    path: 'hosting.instances[1].regionId',
  },
  {
    rule: 'INSTANCE_REGION_NOT_MAINLAND',
    name: 'a second instance in ap-southeast-1',
    mutate: addInstance({ regionId: 'ap-southeast-1' }),
    path: 'hosting.instances[1].regionId',
  },
  {
    rule: 'INSTANCE_REGION_NOT_MAINLAND',
    name: 'only a Hong Kong instance, behind a MAINLAND CDN',
    mutate: all(instance({ regionId: 'cn-hongkong' }), cdn('MAINLAND')),
    path: 'hosting.instances[0].regionId',
  },
  {
    rule: 'INSTANCE_PRODUCT_NOT_ELIGIBLE',
    name: 'SLB only',
    mutate: all(instance({ product: 'SLB', instanceId: 'lb-bp1xyz', serviceCodesUsed: 0 }), (f) => {
      f.hosting.slb = { publicIp: '47.98.10.20' };
    }),
    path: 'hosting.instances',
  },
  {
    rule: 'INSTANCE_PRODUCT_NOT_ELIGIBLE',
    name: 'no instance at all behind a MAINLAND CDN',
    mutate: all((f) => void (f.hosting.instances = []), cdn('MAINLAND')),
    path: 'hosting.instances',
  },
  { rule: 'INSTANCE_PAY_AS_YOU_GO', name: 'ECS pay-as-you-go', mutate: instance({ billing: 'PAY_AS_YOU_GO' }), path: 'hosting.instances[0].billing' },
  {
    rule: 'INSTANCE_PAY_AS_YOU_GO',
    name: 'Simple Application Server pay-as-you-go',
    mutate: instance({ product: 'SIMPLE_APPLICATION_SERVER', billing: 'PAY_AS_YOU_GO' }),
    path: 'hosting.instances[0].billing',
  },
  {
    rule: 'INSTANCE_SUBSCRIPTION_TOO_SHORT',
    name: '2 months bought',
    mutate: instance({ subscriptionMonths: 2 }),
    path: 'hosting.instances[0].subscriptionMonths',
  },
  { rule: 'INSTANCE_NO_PUBLIC_IP', name: 'no public IP', mutate: instance({ publicIp: null }), path: 'hosting.instances[0].publicIp' },
  { rule: 'INSTANCE_NO_PUBLIC_IP', name: 'empty public IP', mutate: instance({ publicIp: '' }), path: 'hosting.instances[0].publicIp' },
  {
    rule: 'SERVICE_CODES_EXHAUSTED',
    name: 'ECS at its quota of 5',
    mutate: instance({ serviceCodesUsed: 5 }),
    path: 'hosting.instances[0].serviceCodesUsed',
  },
  {
    rule: 'SERVICE_CODES_EXHAUSTED',
    name: 'Simple Application Server at its quota of 5',
    mutate: instance({ product: 'SIMPLE_APPLICATION_SERVER', serviceCodesUsed: 5 }),
    path: 'hosting.instances[0].serviceCodesUsed',
  },
  {
    rule: 'SERVICE_CODES_EXHAUSTED',
    name: 'Marketplace at its quota of 1',
    mutate: instance({ product: 'MARKETPLACE', serviceCodesUsed: 1 }),
    path: 'hosting.instances[0].serviceCodesUsed',
  },
  { rule: 'INSTANCE_EXPIRING', name: 'expires in exactly 30 days', mutate: instance({ expiresAt: '2026-12-28' }), path: 'hosting.instances[0].expiresAt' },
  { rule: 'INSTANCE_EXPIRING', name: 'expires today', mutate: instance({ expiresAt: '2026-11-28' }), path: 'hosting.instances[0].expiresAt' },
  {
    rule: 'WEBSITE_MULTIPLE_DOMAINS',
    name: 'two domains in one entry',
    mutate: website({ domains: ['contoso.cn', 'contoso.com.cn'] }),
    path: 'websites[0].domains',
  },
  ...['contoso', '-bad.cn', 'bad-.cn', 'a..cn', '123.456', 'con_toso.cn', 'ab--cd.cn', '.cn', 'contoso.cn/shop', 'a'.repeat(64) + '.cn'].map(
    (d): FailingCase => ({ rule: 'DOMAIN_INVALID', name: `'${d.length > 20 ? 'a×64.cn' : d}'`, mutate: domain(d), path: 'websites[0].domains[0]' }),
  ),
  {
    rule: 'DOMAIN_INVALID',
    name: 'the second of two domains',
    mutate: website({ domains: ['contoso.cn', 'a..cn'] }),
    path: 'websites[0].domains[1]',
  },
  { rule: 'DOMAIN_TLD_NOT_APPROVED', name: '.zzz', mutate: domain('contoso.zzz'), path: 'websites[0].domains[0]' },
  { rule: 'DOMAIN_TLD_NOT_APPROVED', name: '.de', mutate: domain('contoso.de'), path: 'websites[0].domains[0]' },
  {
    rule: 'DOMAIN_VALIDITY_TOO_SHORT',
    name: 'CN-ZJ: exactly 45 days left',
    mutate: website({ domainExpiresAt: '2027-01-12' }),
    path: 'websites[0].domainExpiresAt',
  },
  {
    rule: 'DOMAIN_VALIDITY_TOO_SHORT',
    name: 'CN-BJ: 46 days left (enough in CN-ZJ, not in Beijing)',
    mutate: all(inProvince('CN-BJ'), website({ domainExpiresAt: '2027-01-13' })),
    path: 'websites[0].domainExpiresAt',
  },
  {
    rule: 'DOMAIN_VALIDITY_TOO_SHORT',
    name: 'CN-BJ: exactly 90 days left',
    mutate: all(inProvince('CN-BJ'), website({ domainExpiresAt: '2027-02-26' })),
    path: 'websites[0].domainExpiresAt',
  },
  {
    rule: 'DOMAIN_VALIDITY_TOO_SHORT',
    name: 'CN-ZJ: 60 days left with a configured threshold of 60',
    mutate: website({ domainExpiresAt: '2027-01-27' }),
    ctx: { config: withProvince('CN-ZJ', { domainMinValidityDays: 60 }) },
    path: 'websites[0].domainExpiresAt',
  },
  ...[
    ['all digits', '12345678'],
    ['all Latin letters', 'Contoso Catalog'],
    ['shorter than 3 characters', '康拓'],
    ['a domain name', 'contoso.cn'],
    ['contains 中国', '康拓索中国目录'],
    ['contains 中华', '中华康拓索目录'],
    ['contains 国家', '国家康拓索目录'],
    ['contains 人民', '康拓索人民服务'],
    ['contains China', '康拓索China站'],
    ['contains China as a word', 'China 贸易'],
    ['contains national (any case)', '康拓索National目录'],
    ['contains national as a word', 'National 贸易中心'],
  ].map(([what, n]): FailingCase => ({ rule: 'WEBSITE_NAME_INVALID', name: `${what}: ${n}`, mutate: siteName(n), path: 'websites[0].name' })),
  {
    rule: 'ADMIN_ID_EXPIRING',
    name: 'valid for exactly 3 months',
    mutate: admin({ idValidUntil: '2027-02-28' }),
    path: 'websites[0].administrator.idValidUntil',
  },
  { rule: 'ADMIN_ID_EXPIRING', name: 'already expired', mutate: admin({ idValidUntil: '2026-01-01' }), path: 'websites[0].administrator.idValidUntil' },
  { rule: 'CDN_REQUIRES_FILING', name: 'CDN MAINLAND without ICP number', mutate: cdn('MAINLAND'), path: 'hosting.cdn.accelerationRegion' },
  { rule: 'CDN_REQUIRES_FILING', name: 'CDN GLOBAL without ICP number', mutate: cdn('GLOBAL'), path: 'hosting.cdn.accelerationRegion' },
  ...['ICP12345678', '浙ICP备123号', '浙ICP备12345678', '浙ICP证12345678号', 'ZJICP备12345678号-1'].map(
    (n): FailingCase => ({ rule: 'ICP_NUMBER_INVALID', name: `malformed ${n}`, ctx: { icpNumber: n }, path: 'icpNumber' }),
  ),
  { rule: 'ICP_NUMBER_INVALID', name: 'Beijing number on a Zhejiang case', ctx: { icpNumber: '京ICP备12345678号-1' }, path: 'icpNumber' },
  { rule: 'ICP_NUMBER_INVALID', name: 'not a province abbreviation', ctx: { icpNumber: '中ICP备12345678号-1' }, path: 'icpNumber' },
  ...(['NEWS', 'PUBLISHING', 'EDUCATION', 'MEDICAL', 'DRUGS'] as const).map(
    (category): FailingCase => ({
      rule: 'PRE_APPROVAL_REQUIRED',
      name: `${category} without documents`,
      mutate: website({ contentCategory: category }),
      ctx: { documents: [] },
      path: 'websites[0].contentCategory',
    }),
  ),
  {
    rule: 'PRE_APPROVAL_REQUIRED',
    name: 'NEWS with only a pending pre-approval',
    mutate: website({ contentCategory: 'NEWS' }),
    ctx: { documents: [{ type: 'PRE_APPROVAL', websiteIndex: 0, status: 'PENDING' }] },
    path: 'websites[0].contentCategory',
  },
  {
    rule: 'AUTHORISATION_LETTER_REQUIRED',
    name: 'administrator is not the principal, no documents',
    ctx: { documents: [] },
    path: 'websites[0].administrator.isPrincipal',
  },
  {
    rule: 'AUTHORISATION_LETTER_REQUIRED',
    name: 'authorisation letter rejected',
    ctx: { documents: [{ type: 'AUTHORISATION_LETTER', websiteIndex: 0, status: 'REJECTED' }] },
    path: 'websites[0].administrator.isPrincipal',
  },
  { rule: 'DOCUMENT_MISSING', name: 'entity certificate missing', ctx: { documents: [] }, path: 'documents.ENTITY_CERTIFICATE' },
  { rule: 'DOCUMENT_MISSING', name: 'principal ID missing', ctx: { documents: [] }, path: 'documents.PRINCIPAL_ID' },
  { rule: 'DOCUMENT_MISSING', name: 'website administrator ID missing', ctx: { documents: [] }, path: 'websites[0]' },
  {
    rule: 'DOCUMENT_MISSING',
    name: 'authenticity verification form missing',
    ctx: { documents: [] },
    path: 'documents.AUTHENTICITY_VERIFICATION_FORM',
  },
];

function findingsOf(rule: RuleId, c: RuleCase): { viaCheck: Finding[]; viaEvaluate: Finding[] } {
  const f = facts(c.mutate);
  const ctx = context(c.ctx);
  return {
    viaCheck: FACT_CHECKS[rule]!(f, ctx),
    viaEvaluate: evaluateRules(f, ctx).filter((x) => x.rule === rule),
  };
}

describe('fact rules', () => {
  it('the base case breaks no rule at all', () => {
    expect(evaluateRules(baseFacts(), context())).toEqual([]);
  });

  it('the base case with every checklist document accepted breaks no rule either', () => {
    expect(evaluateRules(baseFacts(), context(EVERYTHING_ACCEPTED))).toEqual([]);
  });

  it('the tables cover every rule in FACT_CHECKS, both ways', () => {
    const checked = Object.keys(FACT_CHECKS).sort();
    expect([...new Set(PASSING.map((c) => c.rule))].sort()).toEqual(checked);
    expect([...new Set(FAILING.map((c) => c.rule))].sort()).toEqual(checked);
  });

  describe('passes', () => {
    it.each(PASSING)('$rule: $name', (c) => {
      const { viaCheck, viaEvaluate } = findingsOf(c.rule, c);
      expect(viaCheck).toEqual([]);
      expect(viaEvaluate).toEqual([]);
    });
  });

  describe('fails', () => {
    it.each(FAILING)('$rule: $name → $path', (c) => {
      const { viaCheck, viaEvaluate } = findingsOf(c.rule, c);
      const expected = expect.objectContaining({
        rule: c.rule,
        severity: RULES[c.rule].severity,
        path: c.path,
        message: expect.any(String),
      });
      expect(viaCheck).toContainEqual(expected);
      expect(viaEvaluate).toContainEqual(expected);
      for (const f of viaEvaluate) expect(f.message.length).toBeGreaterThan(10);
    });
  });
});

describe('HOSTING_OUTSIDE_MAINLAND', () => {
  const outside: [string, Mutation][] = [
    ['a Hong Kong instance', instance({ regionId: 'cn-hongkong' })],
    ['a Singapore instance', instance({ regionId: 'ap-southeast-1' })],
    ['a US instance', instance({ regionId: 'us-west-1' })],
    ['a Hong Kong instance behind a GLOBAL_EXCLUDING_MAINLAND CDN', all(instance({ regionId: 'cn-hongkong' }), cdn('GLOBAL_EXCLUDING_MAINLAND'))],
    ['no instance and no CDN', (f) => void (f.hosting.instances = [])],
    [
      'a Hong Kong instance and otherwise broken facts (nothing else applies)',
      all(instance({ regionId: 'cn-hongkong', billing: 'PAY_AS_YOU_GO', publicIp: null }), presence('BRANCH', false), domain('a..cn'), siteName('12')),
    ],
  ];

  it.each(outside)('is the only finding for %s', (_, mutation) => {
    const f = facts(mutation);
    expect(isFilingRequired(f, CONFIG)).toBe(false);
    expect(evaluateRules(f, context({ documents: [] }))).toEqual([
      { rule: 'HOSTING_OUTSIDE_MAINLAND', severity: 'INFO', message: expect.any(String), path: 'hosting' },
    ]);
  });

  const inside: [string, Mutation, RuleId[]][] = [
    ['an instance in cn-hangzhou', () => undefined, []],
    ['an instance in the local region cn-nanjing', instance({ regionId: 'cn-nanjing' }), []],
    ['an instance in the local region cn-fuzhou', instance({ regionId: 'cn-fuzhou' }), []],
    [
      'a Hong Kong instance behind a MAINLAND CDN',
      all(instance({ regionId: 'cn-hongkong' }), cdn('MAINLAND')),
      ['INSTANCE_REGION_NOT_MAINLAND', 'CDN_REQUIRES_FILING'],
    ],
    [
      'a Hong Kong instance behind a GLOBAL CDN',
      all(instance({ regionId: 'cn-hongkong' }), cdn('GLOBAL')),
      ['INSTANCE_REGION_NOT_MAINLAND', 'CDN_REQUIRES_FILING'],
    ],
    ['a mainland and a Hong Kong instance', addInstance({ regionId: 'cn-hongkong' }), ['INSTANCE_REGION_NOT_MAINLAND']],
  ];

  it.each(inside)('a filing is required for %s', (_, mutation, rules) => {
    const f = facts(mutation);
    expect(isFilingRequired(f, CONFIG)).toBe(true);
    const found = evaluateRules(f, context());
    expect(found.map((x) => x.rule)).toEqual(rules);
    expect(found.map((x) => x.rule)).not.toContain('HOSTING_OUTSIDE_MAINLAND');
  });

  it('reads the local regions from configuration', () => {
    const f = facts(instance({ regionId: 'cn-nanjing' }));
    const config: RuleConfig = { ...CONFIG, localRegions: [] };
    expect(isFilingRequired(f, config)).toBe(false);
  });
});

describe('document rules', () => {
  it('are silent while documents are not enforced (documents: null), whatever the facts', () => {
    const f = facts(all(website({ contentCategory: 'MEDICAL' }), inProvince('CN-BJ')));
    const rules = evaluateRules(f, context({ documents: null })).map((x) => x.rule);
    expect(rules).not.toContain('DOCUMENT_MISSING');
    expect(rules).not.toContain('PRE_APPROVAL_REQUIRED');
    expect(rules).not.toContain('AUTHORISATION_LETTER_REQUIRED');
  });

  it('with documents: [] yield one finding per unmet checklist slot', () => {
    const f = facts(website({ contentCategory: 'NEWS' }));
    const found = evaluateRules(f, context({ documents: [] }));
    expect(found.map(({ rule, path }) => ({ rule, path }))).toEqual([
      { rule: 'PRE_APPROVAL_REQUIRED', path: 'websites[0].contentCategory' },
      { rule: 'AUTHORISATION_LETTER_REQUIRED', path: 'websites[0].administrator.isPrincipal' },
      { rule: 'DOCUMENT_MISSING', path: 'documents.ENTITY_CERTIFICATE' },
      { rule: 'DOCUMENT_MISSING', path: 'documents.PRINCIPAL_ID' },
      { rule: 'DOCUMENT_MISSING', path: 'websites[0]' },
      { rule: 'DOCUMENT_MISSING', path: 'documents.AUTHENTICITY_VERIFICATION_FORM' },
    ]);
    expect(found.filter((x) => x.rule === 'DOCUMENT_MISSING')).toHaveLength(4);
    expect(found.every((x) => x.severity === 'BLOCKING')).toBe(true);
  });

  it('a province extra (CN-BJ DOMAIN_CERTIFICATE) adds one DOCUMENT_MISSING per website', () => {
    const f = facts(
      all(inProvince('CN-BJ'), admin({ isPrincipal: true }), (x) => {
        x.websites.push({ ...x.websites[0], name: '康拓索新闻中心', domains: ['contoso.com.cn'] });
      }),
    );
    const missing = evaluateRules(f, context({ documents: [] })).filter((x) => x.rule === 'DOCUMENT_MISSING');
    expect(missing).toHaveLength(3 + 2 + 2); // certificate, principal ID, form; 2 admin IDs; 2 domain certificates
    expect(missing.filter((x) => x.message.startsWith('DOMAIN_CERTIFICATE')).map((x) => x.path)).toEqual([
      'websites[0]',
      'websites[1]',
    ]);
  });

  const unsatisfying: [string, DocumentState][] = [
    ['PENDING', { type: 'ENTITY_CERTIFICATE', websiteIndex: null, status: 'PENDING' }],
    ['REJECTED', { type: 'ENTITY_CERTIFICATE', websiteIndex: null, status: 'REJECTED' }],
    ['ACCEPTED but tied to a website', { type: 'ENTITY_CERTIFICATE', websiteIndex: 0, status: 'ACCEPTED' }],
    ['ACCEPTED but of another type', { type: 'PRINCIPAL_ID', websiteIndex: null, status: 'ACCEPTED' }],
  ];

  it.each(unsatisfying)('a document that is %s does not satisfy the ENTITY_CERTIFICATE slot', (_, document) => {
    const docs = [...acceptedDocuments(baseFacts()).filter((d) => d.type !== 'ENTITY_CERTIFICATE' && d.type !== document.type), document];
    const missing = evaluateRules(baseFacts(), context({ documents: docs })).filter((x) => x.rule === 'DOCUMENT_MISSING');
    expect(missing.map((x) => x.path)).toContain('documents.ENTITY_CERTIFICATE');
  });

  it('a website document for another website index does not satisfy the slot', () => {
    const docs = acceptedDocuments(baseFacts()).map((d) => (d.type === 'WEBSITE_ADMIN_ID' ? { ...d, websiteIndex: 1 } : d));
    const missing = evaluateRules(baseFacts(), context({ documents: docs })).filter((x) => x.rule === 'DOCUMENT_MISSING');
    expect(missing).toEqual([expect.objectContaining({ path: 'websites[0]', message: expect.stringContaining('WEBSITE_ADMIN_ID') })]);
  });

  it('accepting the last document clears the last finding', () => {
    const docs = acceptedDocuments(baseFacts());
    const last = docs.length - 1;
    const pending = docs.map((d, i) => (i === last ? { ...d, status: 'PENDING' as const } : d));
    expect(evaluateRules(baseFacts(), context({ documents: pending }))).toHaveLength(1);
    expect(evaluateRules(baseFacts(), context({ documents: docs }))).toEqual([]);
  });
});

describe('websiteNameProblem', () => {
  it.each([
    ['12345678', 'is all digits'],
    ['Contoso Catalog', 'is all Latin letters'],
    ['康拓', 'is shorter than 3 characters'],
    ['contoso.cn', 'is a domain name'],
    ['康拓索中国目录', 'contains "中国", which a non-government entity may not use'],
    ['康拓索China站', 'contains "China", which a non-government entity may not use'],
    ['康拓索National目录', 'contains "national", which a non-government entity may not use'],
    ['康拓索产品目录', null],
  ])('%s → %s', (name, problem) => {
    expect(websiteNameProblem(name)).toBe(problem);
  });

  const forbidden = (word: string) => `contains "${word}", which a non-government entity may not use`;

  describe('"China" and "national" match as whole words only, in any case', () => {
    it.each([
      ['China 贸易', 'China'],
      ['CHINA贸易网', 'China'],
      ['china-贸易', 'China'],
      ['贸易 (China) 网', 'China'],
      ['康拓索 china', 'China'],
      ['National 贸易中心', 'national'],
      ['NATIONAL 贸易', 'national'],
      ['康拓索national', 'national'],
      ['国际 national-贸易', 'national'],
      ['Made in China 康拓索', 'China'],
    ])('%s → contains "%s"', (name, word) => {
      expect(websiteNameProblem(name)).toBe(forbidden(word));
    });

    it.each([
      'International Trade 国际贸易',
      'INTERNATIONAL 贸易',
      'Internationale 贸易',
      'Nationwide 贸易',
      'Nationals 俱乐部',
      'Chinatown 唐人街',
      'Indochina 旅游',
      'Chinaware 瓷器',
    ])('%s is accepted', (name) => {
      expect(websiteNameProblem(name)).toBeNull();
    });

    it('a name of Latin letters only is refused as such before any word is looked for', () => {
      expect(websiteNameProblem('China National Trade')).toBe('is all Latin letters');
    });
  });

  describe('the Chinese words match anywhere (no word boundaries in Chinese)', () => {
    it.each([
      ['人民币兑换指南', '人民'],
      ['国家级康拓索实验室', '国家'],
      ['康拓索中华料理', '中华'],
      ['Contoso中国站', '中国'],
      ['International 中国 Trade', '中国'],
    ])('%s → contains "%s"', (name, word) => {
      expect(websiteNameProblem(name)).toBe(forbidden(word));
    });
  });
});

describe('RULES', () => {
  /** Severities as DOMAIN.md's rule table gives them. */
  const SEVERITIES: Partial<Record<RuleId, Severity>> = {
    CALENDAR_ESTIMATED: 'WARNING',
    HOSTING_OUTSIDE_MAINLAND: 'INFO',
    INSTANCE_EXPIRING: 'WARNING',
    CDN_REQUIRES_FILING: 'WARNING',
    SMS_VERIFICATION_EXPIRED: 'WARNING',
    REVIEW_OVERDUE: 'REMINDER',
    PSB_FILING_DUE: 'REMINDER',
  };

  it.each(RULE_IDS.map((id) => [id, SEVERITIES[id] ?? 'BLOCKING'] as const))('%s is %s', (id, severity) => {
    expect(RULES[id].severity).toBe(severity);
    expect(RULES[id].summary).toEqual(expect.any(String));
  });
});
