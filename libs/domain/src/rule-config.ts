import type { WorkingCalendar } from './dates';
import type { ContentCategory, DocumentType, Product } from './types';

/** Per-province settings: everything DOMAIN.md marks as configurable by province. */
export interface ProvinceRules {
  code: string;
  name: string;
  /** The abbreviation that starts ICP numbers issued there (浙, 京, …). */
  abbreviation: string;
  acceptsOfficeFilings: boolean;
  /** Days of domain validity the province wants left at submission. */
  domainMinValidityDays: number;
  /** The MIIT review time limit, in mainland business days. */
  miitReviewBusinessDays: number;
  /** Documents the province wants on top of the national checklist. */
  extraDocuments: DocumentType[];
}

/**
 * Everything the rules read that is not a fact of the case. Loaded from configuration at
 * boot and passed in (the workflow gets a snapshot in its input, so replays see the same).
 */
export interface RuleConfig {
  provinces: Record<string, ProvinceRules>;
  mainlandRegions: string[];
  localRegions: string[];
  approvedTlds: string[];
  regulatedCategories: ContentCategory[];
  serviceCodeQuota: Record<Product, number>;
  minSubscriptionMonths: number;
  instanceExpiryWarningDays: number;
  adminIdMinValidityMonths: number;
  initialReviewBusinessDays: number;
  psbFilingDays: number;
  /**
   * The mainland working calendar: public holidays and make-up working days (`YYYY-MM-DD`) and the
   * years they cover, merged at boot from chinese-days and config/rules.json (calendar.ts).
   */
  calendar: WorkingCalendar;
}
