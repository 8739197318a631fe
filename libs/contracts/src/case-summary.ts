import type { FilingType, IsoInstant, RunningDeadlineName, Stage } from '../../domain/src';

/**
 * One case as a list shows it (GET /v1/cases): what a worklist row needs, not the whole view. Read
 * from the projection's columns, so a page of 200 costs a fraction of 200 views.
 */
export interface CaseSummary {
  id: string;
  reference: string;
  stage: Stage;
  version: number;
  filingType: FilingType;
  submissionProvince: string;
  applicant: { name: string; countryOfRegistration: string };
  /** The applicant (token claim) who owns the case; null when staff opened it. */
  applicantId: string | null;
  /** Every domain of every website, in order. */
  domains: string[];
  assignee: string | null;
  icpNumber: string | null;
  /** The earliest deadline still running, with the mainland business days left (negative: overdue). */
  nextDeadline: { name: RunningDeadlineName; at: IsoInstant; businessDaysLeft: number; overdue: boolean } | null;
  /** BLOCKING findings on the case now: what stands between it and submission. */
  blockingFindings: number;
  createdAt: IsoInstant;
  updatedAt: IsoInstant;
}
