/** The facts of a filing case, as API.md names them. Stored in histories and tables: never rename. */
export const MAINLAND_PRESENCES = ['BRANCH', 'REPRESENTATIVE_OFFICE', 'OFFICE_ONLY', 'NONE'] as const;
export type MainlandPresence = (typeof MAINLAND_PRESENCES)[number];

export const FILING_TYPES = ['ICP_FILING', 'ICP_LICENCE'] as const;
export type FilingType = (typeof FILING_TYPES)[number];

export const ID_TYPES = ['PASSPORT', 'RESIDENT_ID', 'HK_MACAO_PERMIT', 'TAIWAN_PERMIT', 'FOREIGNER_PERMANENT_RESIDENCE'] as const;
export type IdType = (typeof ID_TYPES)[number];

export const CONTENT_CATEGORIES = ['GENERAL', 'NEWS', 'PUBLISHING', 'EDUCATION', 'MEDICAL', 'DRUGS', 'FINANCE', 'CULTURE'] as const;
export type ContentCategory = (typeof CONTENT_CATEGORIES)[number];

export const PRODUCTS = ['ECS', 'SIMPLE_APPLICATION_SERVER', 'MARKETPLACE', 'SLB'] as const;
export type Product = (typeof PRODUCTS)[number];

export const BILLINGS = ['SUBSCRIPTION', 'PAY_AS_YOU_GO'] as const;
export type Billing = (typeof BILLINGS)[number];

export const ACCELERATION_REGIONS = ['MAINLAND', 'GLOBAL', 'GLOBAL_EXCLUDING_MAINLAND'] as const;
export type AccelerationRegion = (typeof ACCELERATION_REGIONS)[number];

export const DOCUMENT_TYPES = [
  'ENTITY_CERTIFICATE',
  'PRINCIPAL_ID',
  'WEBSITE_ADMIN_ID',
  'AUTHENTICITY_VERIFICATION_FORM',
  'AUTHORISATION_LETTER',
  'PRE_APPROVAL',
  'DOMAIN_CERTIFICATE',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** A date as `YYYY-MM-DD`. */
export type IsoDate = string;
/** An instant as ISO-8601 in UTC. */
export type IsoInstant = string;

export interface Certificate {
  number: string;
  province: string;
  validUntil: IsoDate;
}

export interface Person {
  fullName: string;
  idType: IdType;
  idNumber: string;
  idValidUntil: IsoDate;
  mobile: string;
  email: string;
  /** `YYYY-MM-DD`, when known (API.md, 2026-11-30); a mainland resident ID number encodes it too. */
  birthDate?: IsoDate | null;
}

export interface Principal extends Person {
  /**
   * Whether the principal is the entity's legal representative (for a representative office, its
   * chief representative). Not in API.md's example: an added optional field the province person
   * rules read; unknown (absent) is not judged.
   */
  isLegalRepresentative?: boolean | null;
}

export interface Administrator extends Person {
  /** Kept for compatibility (API.md): the rules decide it by comparing ID type and number. */
  isPrincipal: boolean;
}

export interface Applicant {
  name: string;
  countryOfRegistration: string;
  mainlandPresence: MainlandPresence;
  certificate: Certificate | null;
  principal: Principal;
}

export interface Website {
  name: string;
  domains: string[];
  contentCategory: ContentCategory;
  domainExpiresAt: IsoDate;
  administrator: Administrator;
}

export interface Instance {
  product: Product;
  instanceId: string;
  regionId: string;
  billing: Billing;
  subscriptionMonths: number;
  /** When the subscription ends; null for a pay-as-you-go instance, which has no term. */
  expiresAt: IsoDate | null;
  publicIp: string | null;
  serviceCodesUsed: number;
  /** The instance that issues the service code; absent means "the only instance" (API.md). */
  usedForFiling?: boolean;
}

export interface Hosting {
  instances: Instance[];
  slb: { publicIp: string } | null;
  /**
   * `domain`: the CDN domain whose Coverage and Cname these are (read when a case is opened from
   * instance ids, or typed in). Later looks at the cloud account ask it (besides the websites'
   * domains) and compare only its answer; absent, every website domain the CDN accelerates is compared.
   */
  cdn: { accelerationRegion: AccelerationRegion; cname: string; domain?: string } | null;
}

export interface CaseFacts {
  filingType: FilingType;
  submissionProvince: string;
  applicant: Applicant;
  websites: Website[];
  hosting: Hosting;
}

export type Severity = 'BLOCKING' | 'WARNING' | 'INFO' | 'REMINDER';

export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  path: string;
}

export const RULE_IDS = [
  'HOSTING_OUTSIDE_MAINLAND',
  'INSTANCE_REGION_UNKNOWN',
  'ENTITY_CERTIFICATE_MISSING',
  'CERTIFICATE_EXPIRED',
  'PROVINCE_MISMATCH',
  'LICENCE_NOT_ALLOWED_FOR_OFFICE',
  'OFFICE_FILING_NOT_ACCEPTED',
  'INSTANCE_REGION_NOT_MAINLAND',
  'INSTANCE_PRODUCT_NOT_ELIGIBLE',
  'INSTANCE_PAY_AS_YOU_GO',
  'INSTANCE_SUBSCRIPTION_TOO_SHORT',
  'INSTANCE_NO_PUBLIC_IP',
  'SERVICE_CODES_EXHAUSTED',
  'INSTANCE_EXPIRING',
  'WEBSITE_MULTIPLE_DOMAINS',
  'DOMAIN_INVALID',
  'DOMAIN_DUPLICATE',
  'DOMAIN_TLD_NOT_APPROVED',
  'DOMAIN_VALIDITY_TOO_SHORT',
  'WEBSITE_NAME_INVALID',
  'PRE_APPROVAL_REQUIRED',
  'ADMIN_ID_EXPIRING',
  'PRINCIPAL_ID_EXPIRING',
  'PERSON_UNDERAGE',
  'PROVINCE_PERSON_RULE',
  'AUTHORISATION_LETTER_REQUIRED',
  'DOCUMENT_MISSING',
  'CDN_REQUIRES_FILING',
  'ICP_NUMBER_INVALID',
  'SMS_VERIFICATION_EXPIRED',
  'REVIEW_OVERDUE',
  'PSB_FILING_DUE',
  'DNS_NOT_RESOLVED',
  'ORDER_ALREADY_OPEN',
  'INSTANCE_FACTS_CHANGED',
  'INSTANCE_NOT_FOUND',
  'CALENDAR_ESTIMATED',
  'CLOUD_FACTS_UNVERIFIED',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** What the rules know of a case's documents (filled in once documents are tracked). */
export interface DocumentState {
  /** The current version's id (absent in documents passed in from outside a case, e.g. precheck). */
  id?: string;
  type: DocumentType;
  websiteIndex: number | null;
  status: 'PENDING' | 'ACCEPTED' | 'REJECTED';
}

export interface ChecklistItem {
  type: DocumentType;
  websiteIndex: number | null;
  satisfied: boolean;
}
