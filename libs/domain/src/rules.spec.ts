import { resolve } from 'node:path';
import { loadRuleConfig } from '../../config/src/app-config';
import { checklist } from './checklist';
import type { RuleConfig } from './rule-config';
import { validFacts } from './testing/facts';
import fc from 'fast-check';
import { domainToAscii } from './domain-name';
import { evaluateRules, FACT_CHECKS, isFilingRequired, RULES, websiteNameProblem, type RuleContext } from './rules';
import { normaliseName, websiteNameProblems } from './website-name';
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
  { rule: 'DOMAIN_INVALID', name: 'registered domain under .com.cn', mutate: domain('contoso.com.cn') },
  { rule: 'DOMAIN_INVALID', name: 'full-width ASCII, mapped by UTS #46', mutate: domain('ｃｏｎｔｏｓｏ．ｃｎ') },
  { rule: 'DOMAIN_INVALID', name: 'ideographic full stop 例子。中国, mapped', mutate: domain('例子。中国') },
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
  { rule: 'DOMAIN_VALIDITY_TOO_SHORT', name: 'CN-ZJ: 3 calendar months and a day (the day after the boundary)', mutate: website({ domainExpiresAt: '2027-03-01' }) },
  {
    rule: 'DOMAIN_VALIDITY_TOO_SHORT',
    name: 'CN-BJ: 3 calendar months and a day',
    mutate: all(inProvince('CN-BJ'), website({ domainExpiresAt: '2027-03-01' })),
  },
  {
    rule: 'DOMAIN_VALIDITY_TOO_SHORT',
    name: 'CN-ZJ configured to 1 month: 1 month and a day',
    mutate: website({ domainExpiresAt: '2026-12-29' }),
    ctx: { config: withProvince('CN-ZJ', { domainMinValidityMonths: 1 }) },
  },
  { rule: 'WEBSITE_NAME_INVALID', name: '康拓索产品目录' },
  { rule: 'WEBSITE_NAME_INVALID', name: 'Latin letters mixed with Chinese', mutate: siteName('Contoso产品目录') },
  { rule: 'WEBSITE_NAME_INVALID', name: 'exactly 3 characters', mutate: siteName('康拓索') },
  { rule: 'WEBSITE_NAME_INVALID', name: '"national" inside a word: International Trade 国际贸易', mutate: siteName('International Trade 国际贸易') },
  { rule: 'WEBSITE_NAME_INVALID', name: '"China" inside a word: Chinatown 唐人街', mutate: siteName('Chinatown 唐人街') },
  { rule: 'WEBSITE_NAME_INVALID', name: 'full-width Latin with 3 Han characters', mutate: siteName('Ｃｏｎｔｏｓｏ康拓索') },
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
    name: 'administrator is the principal (same ID type and number)',
    mutate: admin({ isPrincipal: true, idType: 'PASSPORT', idNumber: 'C01X00T47' }),
    ctx: { documents: [] },
  },
  {
    rule: 'AUTHORISATION_LETTER_REQUIRED',
    name: 'administrator is the principal by ID although isPrincipal says false',
    mutate: admin({ isPrincipal: false, idType: 'PASSPORT', idNumber: 'c01x 00t47' }),
    ctx: { documents: [] },
  },
  {
    rule: 'AUTHORISATION_LETTER_REQUIRED',
    name: 'accepted authorisation letter',
    ctx: { documents: [{ type: 'AUTHORISATION_LETTER', websiteIndex: 0, status: 'ACCEPTED' }] },
  },
  { rule: 'DOCUMENT_MISSING', name: 'documents not enforced (null)' },
  { rule: 'DOCUMENT_MISSING', name: 'every checklist document accepted', ctx: EVERYTHING_ACCEPTED },
  // Added with the 2026-11-30 revision of DOMAIN.md.
  { rule: 'INSTANCE_REGION_UNKNOWN', name: 'cn-hangzhou is known' },
  { rule: 'INSTANCE_REGION_UNKNOWN', name: 'the local region cn-wuhan-lr is known', mutate: instance({ regionId: 'cn-wuhan-lr' }) },
  { rule: 'INSTANCE_REGION_UNKNOWN', name: 'no instance, but a MAINLAND CDN', mutate: all((f) => void (f.hosting.instances = []), cdn('MAINLAND')) },
  { rule: 'INSTANCE_REGION_UNKNOWN', name: 'ap-* is a known prefix', mutate: all(addInstance({ regionId: 'ap-northeast-1', usedForFiling: false })) },
  { rule: 'DOMAIN_DUPLICATE', name: 'two websites, two domains', mutate: (f) => void f.websites.push({ ...f.websites[0], domains: ['contoso.com.cn'] }) },
  { rule: 'DOMAIN_DUPLICATE', name: 'an invalid domain twice is DOMAIN_INVALID only', mutate: (f) => void f.websites.push({ ...f.websites[0], domains: ['xn--a.cn'] }, { ...f.websites[0], domains: ['xn--a.cn'] }) },
  { rule: 'PRINCIPAL_ID_EXPIRING', name: 'valid for years' },
  { rule: 'PRINCIPAL_ID_EXPIRING', name: 'valid for 3 months and a day (the day after)', mutate: (f) => void (f.applicant.principal.idValidUntil = '2027-03-01') },
  { rule: 'PERSON_UNDERAGE', name: 'birth dates unknown (passports)' },
  { rule: 'PERSON_UNDERAGE', name: 'principal turns 18 today', mutate: (f) => void (f.applicant.principal.birthDate = '2008-11-28') },
  { rule: 'PERSON_UNDERAGE', name: 'administrator born 1990 per resident ID' },
  { rule: 'PERSON_UNDERAGE', name: 'resident ID: 18 today', mutate: admin({ idNumber: '33010620081128123X' }) },
  { rule: 'PERSON_UNDERAGE', name: 'born 29 February 2008: 18 on 28 February 2026', ctx: { now: '2026-02-28T04:00:00.000Z' }, mutate: admin({ birthDate: '2008-02-29' }) },
  { rule: 'PROVINCE_PERSON_RULE', name: 'CN-ZJ: the principal is the legal representative', mutate: (f) => void (f.applicant.principal.isLegalRepresentative = true) },
  { rule: 'PROVINCE_PERSON_RULE', name: 'CN-ZJ: not known whether the principal is the legal representative' },
  { rule: 'PROVINCE_PERSON_RULE', name: 'CN-GD has no person rule', mutate: all(inProvince('CN-GD'), (f) => void (f.applicant.principal.isLegalRepresentative = false)) },
  { rule: 'PROVINCE_PERSON_RULE', name: 'CN-TJ: administrator is not the principal', mutate: all(inProvince('CN-TJ'), presence('BRANCH')) },
  {
    rule: 'PROVINCE_PERSON_RULE',
    name: 'CN-JS: principal not the legal representative, administrator is the principal',
    mutate: all(inProvince('CN-JS'), (f) => void (f.applicant.principal.isLegalRepresentative = false), admin({ idType: 'PASSPORT', idNumber: 'C01X00T47' })),
  },
  { rule: 'PROVINCE_PERSON_RULE', name: 'CN-JS: principal is the legal representative, another administrator', mutate: all(inProvince('CN-JS'), (f) => void (f.applicant.principal.isLegalRepresentative = true)) },
  { rule: 'INSTANCE_SUBSCRIPTION_TOO_SHORT', name: 'exactly 3 months left (the day of)', mutate: instance({ expiresAt: '2027-02-28' }) },
  { rule: 'INSTANCE_PAY_AS_YOU_GO', name: 'a pay-as-you-go database ECS beside the filing instance', mutate: all(instance({ usedForFiling: true }), addInstance({ billing: 'PAY_AS_YOU_GO', expiresAt: null, usedForFiling: false })) },
  { rule: 'INSTANCE_PAY_AS_YOU_GO', name: 'a pay-as-you-go ECS marked not for filing beside an unmarked one', mutate: addInstance({ billing: 'PAY_AS_YOU_GO', expiresAt: null, usedForFiling: false }) },
  { rule: 'SERVICE_CODES_EXHAUSTED', name: 'one exhausted ECS beside one with free codes', mutate: addInstance({ serviceCodesUsed: 5 }) },
  { rule: 'INSTANCE_EXPIRING', name: 'a non-filing instance expiring tomorrow', mutate: all(instance({ usedForFiling: true }), addInstance({ expiresAt: '2026-11-29', usedForFiling: false })) },
  { rule: 'ICP_NUMBER_INVALID', name: 'Sichuan 蜀ICP备2026007879号-1', mutate: inProvince('CN-SC'), ctx: { icpNumber: '蜀ICP备2026007879号-1' } },
  { rule: 'ICP_NUMBER_INVALID', name: 'Sichuan older 川ICP备12345678号-2', mutate: inProvince('CN-SC'), ctx: { icpNumber: '川ICP备12345678号-2' } },
  { rule: 'ICP_NUMBER_INVALID', name: 'Gansu 陇ICP备12345678号-1', mutate: inProvince('CN-GS'), ctx: { icpNumber: '陇ICP备12345678号-1' } },
  { rule: 'ICP_NUMBER_INVALID', name: 'Guizhou 黔ICP备12345678号-1', mutate: inProvince('CN-GZ'), ctx: { icpNumber: '黔ICP备12345678号-1' } },
  { rule: 'ICP_NUMBER_INVALID', name: 'Yunnan 滇ICP备12345678号-1', mutate: inProvince('CN-YN'), ctx: { icpNumber: '滇ICP备12345678号-1' } },
  {
    rule: 'ICP_NUMBER_INVALID',
    name: 'licence number 京ICP证030173号 for a Beijing ICP_LICENCE by a branch',
    mutate: all(inProvince('CN-BJ'), presence('BRANCH'), (f) => void (f.filingType = 'ICP_LICENCE')),
    ctx: { icpNumber: '京ICP证030173号' },
  },
  { rule: 'ICP_NUMBER_INVALID', name: 'website suffix -10', ctx: { icpNumber: '浙ICP备12345678号-10' } },
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
  ...['CN-ZJ', 'CN-BJ', 'CN-SH', 'CN-SC', 'CN-JS'].flatMap((code): FailingCase[] => [
    {
      rule: 'DOMAIN_VALIDITY_TOO_SHORT',
      name: `${code}: exactly 3 calendar months left (the day of the boundary)`,
      mutate: all(inProvince(code), website({ domainExpiresAt: '2027-02-28' })),
      path: 'websites[0].domainExpiresAt',
    },
    {
      rule: 'DOMAIN_VALIDITY_TOO_SHORT',
      name: `${code}: a day less than 3 calendar months (the day before)`,
      mutate: all(inProvince(code), website({ domainExpiresAt: '2027-02-27' })),
      path: 'websites[0].domainExpiresAt',
    },
  ]),
  {
    rule: 'DOMAIN_VALIDITY_TOO_SHORT',
    name: 'CN-ZJ: 60 days left (Zhejiang used to accept 45 days)',
    mutate: website({ domainExpiresAt: '2027-01-27' }),
    path: 'websites[0].domainExpiresAt',
  },
  {
    rule: 'DOMAIN_VALIDITY_TOO_SHORT',
    name: 'CN-BJ: 91 days left, yet less than 3 calendar months (Beijing used to accept more than 90 days)',
    ctx: { now: '2027-03-01T04:00:00.000Z' },
    mutate: all(inProvince('CN-BJ'), website({ domainExpiresAt: '2027-05-31' })),
    path: 'websites[0].domainExpiresAt',
  },
  {
    rule: 'DOMAIN_VALIDITY_TOO_SHORT',
    name: 'CN-ZJ configured to 6 months: 5 months left',
    mutate: website({ domainExpiresAt: '2027-04-28' }),
    ctx: { config: withProvince('CN-ZJ', { domainMinValidityMonths: 6 }) },
    path: 'websites[0].domainExpiresAt',
  },
  ...[
    ['all digits', '12345678'],
    ['all digits, full-width', '１２３４'],
    ['all Latin letters', 'Contoso Catalog'],
    ['all Latin letters, full-width', 'ＡＢＣＤ'],
    ['Latin with a hyphen', 'Contoso-Shop'],
    ['Latin and digits', 'Web3'],
    ['two Han characters and a space', '康 拓'],
    ['two Han characters', '康拓'],
    ['a domain name', 'contoso.cn'],
    ['a domain name after Chinese', '康拓索contoso.cn'],
    ['an IP address', '192.168.1.1'],
    ['an IP address after Chinese', '康拓索192.168.1.1'],
    ['an emoji', '康拓索😀目录'],
    ['a symbol', '康拓索★目录'],
    ['begins with 中国', '中国康拓索目录'],
    ['begins with 中國 (traditional)', '中國康拓索'],
    ['begins with 中华', '中华康拓索目录'],
    ['begins with 中華 (traditional)', '中華康拓索目录'],
    ['begins with 中央', '中央康拓索'],
    ['begins with 人民', '人民康拓索服务'],
    ['begins with 人大', '人大康拓索'],
    ['begins with 国家', '国家康拓索目录'],
    ['begins with 國家 (traditional)', '國家康拓索目录'],
    ['begins with China', 'China 康拓索贸易'],
    ['begins with CHINA (any case)', 'CHINA康拓索贸易'],
    ['begins with National', 'National 康拓索贸易中心'],
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
  ...['ICP12345678', '浙ICP备123号', '浙ICP备12345678', '浙ICP证12345678号', 'ZJICP备12345678号-1', '浙ICP备12345678号-0', '浙ICP备12345678号-01'].map(
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
    path: 'websites[0].administrator',
  },
  {
    rule: 'AUTHORISATION_LETTER_REQUIRED',
    name: 'isPrincipal: true on a different person (by ID) does not spare the letter',
    mutate: admin({ isPrincipal: true }),
    ctx: { documents: [] },
    path: 'websites[0].administrator',
  },
  {
    rule: 'AUTHORISATION_LETTER_REQUIRED',
    name: 'authorisation letter rejected',
    ctx: { documents: [{ type: 'AUTHORISATION_LETTER', websiteIndex: 0, status: 'REJECTED' }] },
    path: 'websites[0].administrator',
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
  // Added with the 2026-11-30 revision of DOMAIN.md.
  { rule: 'INSTANCE_REGION_UNKNOWN', name: 'an unlisted region id', mutate: instance({ regionId: 'cn-atlantis' }), path: 'hosting.instances[0].regionId' },
  { rule: 'INSTANCE_REGION_UNKNOWN', name: 'no instance and no CDN', mutate: (f) => void (f.hosting.instances = []), path: 'hosting.instances' },
  {
    rule: 'INSTANCE_REGION_UNKNOWN',
    name: 'cn-wuhan-lr unknown to a configuration without it',
    mutate: instance({ regionId: 'cn-wuhan-lr' }),
    ctx: { config: { ...CONFIG, localRegions: ['cn-nanjing', 'cn-fuzhou'] } },
    path: 'hosting.instances[0].regionId',
  },
  { rule: 'DOMAIN_INVALID', name: 'invalid punycode xn--a.cn', mutate: domain('xn--a.cn'), path: 'websites[0].domains[0]' },
  { rule: 'DOMAIN_INVALID', name: 'the subdomain www.contoso.cn', mutate: domain('www.contoso.cn'), path: 'websites[0].domains[0]' },
  { rule: 'DOMAIN_INVALID', name: 'the subdomain shop.contoso.com.cn', mutate: domain('shop.contoso.com.cn'), path: 'websites[0].domains[0]' },
  { rule: 'DOMAIN_INVALID', name: 'an IP address', mutate: domain('47.98.1.2'), path: 'websites[0].domains[0]' },
  {
    rule: 'DOMAIN_DUPLICATE',
    name: 'the same domain in two entries',
    mutate: (f) => void f.websites.push({ ...f.websites[0], name: '康拓索新闻中心' }),
    path: 'websites[1].domains[0]',
  },
  {
    rule: 'DOMAIN_DUPLICATE',
    name: 'Unicode and punycode spellings of one domain',
    mutate: (f) => {
      f.websites[0].domains = ['例子.中国'];
      f.websites.push({ ...f.websites[0], domains: ['xn--fsqu00a.xn--fiqs8s'] });
    },
    path: 'websites[1].domains[0]',
  },
  {
    rule: 'DOMAIN_DUPLICATE',
    name: 'full-width and upper-case spellings of one domain',
    mutate: (f) => void f.websites.push({ ...f.websites[0], domains: ['ＣＯＮＴＯＳＯ．ＣＮ'] }),
    path: 'websites[1].domains[0]',
  },
  { rule: 'PRINCIPAL_ID_EXPIRING', name: 'valid for exactly 3 months (the day of)', mutate: (f) => void (f.applicant.principal.idValidUntil = '2027-02-28'), path: 'applicant.principal.idValidUntil' },
  { rule: 'PRINCIPAL_ID_EXPIRING', name: 'a day less (the day before)', mutate: (f) => void (f.applicant.principal.idValidUntil = '2027-02-27'), path: 'applicant.principal.idValidUntil' },
  { rule: 'PRINCIPAL_ID_EXPIRING', name: 'already expired', mutate: (f) => void (f.applicant.principal.idValidUntil = '2026-01-01'), path: 'applicant.principal.idValidUntil' },
  { rule: 'PERSON_UNDERAGE', name: 'principal turns 18 tomorrow', mutate: (f) => void (f.applicant.principal.birthDate = '2008-11-29'), path: 'applicant.principal.birthDate' },
  { rule: 'PERSON_UNDERAGE', name: 'administrator turns 18 tomorrow, by resident ID', mutate: admin({ idNumber: '330106200811291234' }), path: 'websites[0].administrator.birthDate' },
  { rule: 'PERSON_UNDERAGE', name: 'born 29 February 2008: 17 on 27 February 2026', ctx: { now: '2026-02-27T04:00:00.000Z' }, mutate: admin({ birthDate: '2008-02-29' }), path: 'websites[0].administrator.birthDate' },
  ...['CN-BJ', 'CN-SH', 'CN-ZJ', 'CN-SC', 'CN-TJ'].map(
    (code): FailingCase => ({
      rule: 'PROVINCE_PERSON_RULE',
      name: `${code}: the principal is not the legal representative`,
      mutate: all(inProvince(code), presence('BRANCH'), (f) => void (f.applicant.principal.isLegalRepresentative = false)),
      path: 'applicant.principal.isLegalRepresentative',
    }),
  ),
  {
    rule: 'PROVINCE_PERSON_RULE',
    name: 'CN-TJ: the administrator is the principal',
    mutate: all(inProvince('CN-TJ'), presence('BRANCH'), admin({ idType: 'PASSPORT', idNumber: 'C01X00T47' })),
    path: 'websites[0].administrator',
  },
  {
    rule: 'PROVINCE_PERSON_RULE',
    name: 'CN-JS: principal not the legal representative, another administrator',
    mutate: all(inProvince('CN-JS'), (f) => void (f.applicant.principal.isLegalRepresentative = false)),
    path: 'websites[0].administrator',
  },
  { rule: 'INSTANCE_SUBSCRIPTION_TOO_SHORT', name: 'a day less than 3 months left (the day before)', mutate: instance({ expiresAt: '2027-02-27' }), path: 'hosting.instances[0].expiresAt' },
  { rule: 'INSTANCE_SUBSCRIPTION_TOO_SHORT', name: 'expired yesterday', mutate: instance({ expiresAt: '2026-11-27' }), path: 'hosting.instances[0].expiresAt' },
  {
    rule: 'INSTANCE_PAY_AS_YOU_GO',
    name: 'the instance marked for filing is pay-as-you-go',
    mutate: all(instance({ usedForFiling: false }), addInstance({ billing: 'PAY_AS_YOU_GO', expiresAt: null, usedForFiling: true })),
    path: 'hosting.instances[1].billing',
  },
  {
    rule: 'SERVICE_CODES_EXHAUSTED',
    name: 'the only filing instance is exhausted, a context instance has codes',
    mutate: all(instance({ serviceCodesUsed: 5, usedForFiling: true }), addInstance({ serviceCodesUsed: 0, usedForFiling: false })),
    path: 'hosting.instances[0].serviceCodesUsed',
  },
  {
    rule: 'ICP_NUMBER_INVALID',
    name: 'a licence number for an ICP_FILING',
    ctx: { icpNumber: '浙ICP证123456号' },
    path: 'icpNumber',
  },
  {
    rule: 'ICP_NUMBER_INVALID',
    name: 'a filing number for an ICP_LICENCE',
    mutate: all(presence('BRANCH'), (f) => void (f.filingType = 'ICP_LICENCE')),
    ctx: { icpNumber: VALID_ICP },
    path: 'icpNumber',
  },
  { rule: 'ICP_NUMBER_INVALID', name: 'Sichuan number on a Zhejiang case', ctx: { icpNumber: '蜀ICP备2026007879号-1' }, path: 'icpNumber' },
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

  it('reads the local regions from configuration: a region in no list is unknown, never "not required"', () => {
    const f = facts(instance({ regionId: 'cn-nanjing' }));
    const config: RuleConfig = { ...CONFIG, localRegions: [] };
    expect(isFilingRequired(f, config)).toBe(true);
    expect(evaluateRules(f, context({ config })).map((x) => x.rule)).toEqual(['INSTANCE_REGION_UNKNOWN']);
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
      { rule: 'AUTHORISATION_LETTER_REQUIRED', path: 'websites[0].administrator' },
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
      all(inProvince('CN-BJ'), admin({ isPrincipal: true, idType: 'PASSPORT', idNumber: 'C01X00T47' }), (x) => {
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

describe('websiteNameProblems (after NFKC: full-width counts as ASCII)', () => {
  const blocking = (reason: string | RegExp) => [{ severity: 'BLOCKING', reason: expect.stringMatching(reason) }];
  const warning = (word: string) => [{ severity: 'WARNING', reason: expect.stringContaining(`"${word}"`) }];

  it.each([
    ['12345678', /all digits/],
    ['１２３４', /all digits/],
    ['ＡＢＣＤ', /all Latin/],
    ['Contoso Catalog', /all Latin/],
    ['Web3', /all Latin letters and digits/],
    ['Contoso-Shop', /special symbols/],
    ['康 拓', /2 Han character/],
    ['康拓', /2 Han character/],
    ['Indochina 旅游', /2 Han character/],
    ['contoso.cn', /domain name/],
    ['192.168.1.1', /IP address/],
    ['康拓索😀', /special symbols or emoji/],
    ['中國康拓索', /begins with "中國"/],
    ['中央康拓索', /begins with "中央"/],
    ['人大康拓索', /begins with "人大"/],
    ['人民币兑换指南', /begins with "人民"/],
    ['国家级康拓索实验室', /begins with "国家"/],
    ['China 贸易康拓索', /begins with "China"/],
    ['CHINA贸易网', /begins with "China"/],
    ['National 贸易中心', /begins with "National"/],
  ])('%s is refused: %s', (name, reason) => {
    expect(websiteNameProblems(name)).toEqual(blocking(reason));
  });

  it.each([
    ['康拓索中国目录', '中国'],
    ['康拓索中华料理', '中华'],
    ['Contoso中国站', '中国'],
    ['康拓索China站', 'China'],
    ['贸易 China 网站', 'China'],
    ['康拓索national', 'National'],
    ['国际 national 贸易', 'National'],
    ['Made in China 康拓索', 'China'],
  ])('%s is a WARNING: contains "%s" elsewhere than at the start', (name, word) => {
    expect(websiteNameProblems(name)).toEqual(warning(word));
  });

  it.each(['康拓索产品目录', 'International 国际贸易', 'INTERNATIONAL 贸易网', 'Nationwide 贸易网', 'Chinatown 唐人街', 'Chinaware 瓷器店', 'Ｃｏｎｔｏｓｏ康拓索'])(
    '%s is accepted',
    (name) => {
      expect(websiteNameProblems(name)).toEqual([]);
      expect(websiteNameProblem(name)).toBeNull();
    },
  );

  it('the finding of a reserved word elsewhere is a WARNING that does not block', () => {
    const found = evaluateRules(facts(siteName('康拓索中国目录')), context());
    expect(found).toEqual([expect.objectContaining({ rule: 'WEBSITE_NAME_INVALID', severity: 'WARNING', path: 'websites[0].name' })]);
  });
});

describe('names and domains: properties (fast-check)', () => {
  /** Full-width forms of printable ASCII (U+FF01–FF5E), as a Chinese keyboard types them. */
  const fullWidth = (text: string) => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  const ruleShape = (found: Finding[]) => found.map(({ rule, severity, path }) => ({ rule, severity, path }));
  const nameChars = fc.constantFrom(...'康拓索产品目录中国华央人民大家國華 ChinaNtol-3.19😀ABCxyz'.split(''), '😀');
  const names = fc.array(nameChars, { minLength: 0, maxLength: 12 }).map((cs) => cs.join(''));
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
  const domains = fc.tuple(label, fc.constantFrom('cn', 'com', 'com.cn', 'xn--fiqs8s', '中国', 'zz')).map(([l, tld]) => `${l}.${tld}`);

  it('name normalisation is idempotent', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (name) => normaliseName(normaliseName(name)) === normaliseName(name)));
  });

  it('a name and its full-width spelling get the same findings', () => {
    fc.assert(
      fc.property(names, (name) => {
        const a = ruleShape(evaluateRules(facts(siteName(name)), context()));
        const b = ruleShape(evaluateRules(facts(siteName(fullWidth(name))), context()));
        expect(b).toEqual(a);
      }),
    );
  });

  it('domain normalisation (UTS #46) is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(domains, fc.string()), (d) => {
        const once = domainToAscii(d);
        return once === null || domainToAscii(once) === once;
      }),
    );
  });

  it('a domain and its full-width or upper-case spelling get the same findings', () => {
    fc.assert(
      fc.property(domains, fc.boolean(), (d, wide) => {
        const variant = wide ? fullWidth(d) : d.toUpperCase();
        const a = ruleShape(evaluateRules(facts(domain(d)), context()));
        const b = ruleShape(evaluateRules(facts(domain(variant)), context()));
        expect(b).toEqual(a);
      }),
    );
  });
});

describe('RULES', () => {
  /** Severities as DOMAIN.md's rule table gives them. */
  const SEVERITIES: Partial<Record<RuleId, Severity>> = {
    HOSTING_OUTSIDE_MAINLAND: 'INFO',
    INSTANCE_EXPIRING: 'WARNING',
    CDN_REQUIRES_FILING: 'WARNING',
    SMS_VERIFICATION_EXPIRED: 'WARNING',
    REVIEW_OVERDUE: 'WARNING',
    PSB_FILING_DUE: 'WARNING',
    CALENDAR_ESTIMATED: 'WARNING',
    CLOUD_FACTS_UNVERIFIED: 'WARNING',
  };

  it.each(RULE_IDS.map((id) => [id, SEVERITIES[id] ?? 'BLOCKING'] as const))('%s is %s', (id, severity) => {
    expect(RULES[id].severity).toBe(severity);
    expect(RULES[id].summary).toEqual(expect.any(String));
  });
});
