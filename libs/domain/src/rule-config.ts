import type { WorkingCalendar } from './dates';
import type { ContentCategory, DocumentType, Product } from './types';

/**
 * A province's rules on the responsible people (DOMAIN.md, "The applicant"). Each flag is off
 * when absent.
 */
export interface ProvincePersonRules {
  /** The principal must be the entity's legal representative (chief representative of an office). */
  principalMustBeLegalRepresentative?: boolean;
  /** The website administrator must not be the principal (Tianjin). */
  adminMustNotBePrincipal?: boolean;
  /** When the principal is not the legal representative, the administrator must be the principal (Jiangsu). */
  adminMustBePrincipalUnlessLegalRepresentative?: boolean;
}

/** Per-province settings: everything DOMAIN.md marks as configurable by province. */
export interface ProvinceRules {
  code: string;
  name: string;
  /**
   * The abbreviations that start ICP numbers issued there, current first (蜀 then 川 for
   * Sichuan): any of them matches. Snapshots taken before 2026-11-30 have `abbreviation` instead;
   * read both through `provinceAbbreviations`.
   */
  abbreviations?: string[];
  /** @deprecated the single abbreviation of snapshots taken before 2026-11-30. */
  abbreviation?: string;
  acceptsOfficeFilings: boolean;
  /** Calendar months of domain validity the province wants left at submission (more than this). */
  domainMinValidityMonths?: number;
  /**
   * @deprecated days of snapshots taken before 2026-11-30 (90 or 45, from a mistake in DOMAIN.md):
   * no longer read; those snapshots get the national 3 calendar months.
   */
  domainMinValidityDays?: number;
  /** The MIIT review time limit, in mainland business days. */
  miitReviewBusinessDays: number;
  /** Documents the province wants on top of the national checklist. */
  extraDocuments: DocumentType[];
  personRules?: ProvincePersonRules;
}

/**
 * Everything the rules read that is not a fact of the case. Loaded from configuration at
 * boot and passed in (the workflow gets a snapshot in its input, so replays see the same).
 * Fields added on 2026-11-30 are optional here because snapshots taken before then lack them:
 * the accessors below give DOMAIN.md's values for those.
 */
export interface RuleConfig {
  provinces: Record<string, ProvinceRules>;
  mainlandRegions: string[];
  localRegions: string[];
  /** Known regions outside the mainland; an entry ending in `*` is a prefix (`ap-*`). */
  nonMainlandRegions?: string[];
  approvedTlds: string[];
  regulatedCategories: ContentCategory[];
  serviceCodeQuota: Record<Product, number>;
  minSubscriptionMonths: number;
  /** Months of subscription that must be left on the filing instance at submission. */
  instanceMinMonthsLeft?: number;
  instanceExpiryWarningDays: number;
  adminIdMinValidityMonths: number;
  principalIdMinValidityMonths?: number;
  /** Calendar months of domain validity wanted where the province sets none. */
  domainMinValidityMonths?: number;
  minimumAge?: number;
  initialReviewBusinessDays: number;
  psbFilingDays: number;
  /**
   * The mainland working calendar: public holidays and make-up working days (`YYYY-MM-DD`) and the
   * years they cover, merged at boot from chinese-days and config/rules.json (calendar.ts).
   */
  calendar: WorkingCalendar;
}

/** DOMAIN.md's non-mainland regions, for snapshots taken before the list was configured. */
export const DEFAULT_NON_MAINLAND_REGIONS = ['cn-hongkong', 'ap-*', 'us-*', 'eu-*', 'me-*', 'sa-*', 'na-*'];
/** DOMAIN.md's local regions added on 2026-11-30 (a snapshot's list is completed with them). */
const DEFAULT_LOCAL_REGIONS = ['cn-nanjing', 'cn-fuzhou', 'cn-wuhan-lr'];

/**
 * Abbreviations MIIT issues today where they differ from the ones snapshots taken before
 * 2026-11-30 hold (川, 贵, 云, 甘): an open case of those provinces must be approvable with the
 * number MIIT really issues, so an old snapshot's single abbreviation is completed with these.
 */
const CURRENT_ABBREVIATIONS: Record<string, string[]> = {
  'CN-SC': ['蜀', '川'],
  'CN-GZ': ['黔', '贵'],
  'CN-YN': ['滇', '云'],
  'CN-GS': ['陇', '甘'],
};

/** A province's ICP abbreviations, current first, from either configuration shape. */
export function provinceAbbreviations(province: ProvinceRules | undefined): string[] {
  if (!province) return [];
  if (Array.isArray(province.abbreviations)) return province.abbreviations;
  const legacy = typeof province.abbreviations === 'string' ? province.abbreviations : province.abbreviation;
  const current = CURRENT_ABBREVIATIONS[province.code] ?? [];
  return [...new Set([...current, ...(legacy ? [legacy] : [])])];
}

export function domainValidityMonths(config: RuleConfig, provinceCode: string): number {
  return config.provinces[provinceCode]?.domainMinValidityMonths ?? config.domainMinValidityMonths ?? 3;
}

export function regionKind(regionId: string, config: RuleConfig): 'MAINLAND' | 'NON_MAINLAND' | 'UNKNOWN' {
  const local = [...new Set([...config.localRegions, ...(config.nonMainlandRegions ? [] : DEFAULT_LOCAL_REGIONS)])];
  if (config.mainlandRegions.includes(regionId) || local.includes(regionId)) return 'MAINLAND';
  const outside = config.nonMainlandRegions ?? DEFAULT_NON_MAINLAND_REGIONS;
  const known = outside.some((r) => (r.endsWith('*') ? regionId.startsWith(r.slice(0, -1)) : r === regionId));
  return known ? 'NON_MAINLAND' : 'UNKNOWN';
}

export const ruleDefaults = (config: RuleConfig) => ({
  instanceMinMonthsLeft: config.instanceMinMonthsLeft ?? 3,
  principalIdMinValidityMonths: config.principalIdMinValidityMonths ?? config.adminIdMinValidityMonths,
  minimumAge: config.minimumAge ?? 18,
});
