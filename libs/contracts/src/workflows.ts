import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaseCommand, CaseState, Certificate, DocumentType, FactChanges, HostingCheck, IsoDate, NewCase, RuleConfig } from '../../domain/src';
import type { CaseView } from './case-view';

export const DEFAULT_TASK_QUEUE = 'icp-cases';

/** One workflow per case; its id is derived from the case id (`Case:<id>`). */
export const caseWorkflowId = (caseId: string): string => `Case:${caseId}`;
export const certificateWorkflowId = (caseId: string): string => `CaseCertificate:${caseId}`;
/**
 * One look at the cloud account for a request (a case opened, or prechecked, from instance ids):
 * `HostingLookup:<operation id>`, so a retry of the same request attaches to the look in flight.
 */
export const hostingLookupWorkflowId = (operationId: string): string => `HostingLookup:${operationId}`;

export interface CaseWorkflowInput {
  newCase: NewCase;
  /** Snapshot of the rule configuration the case is judged by (so replays see the same). */
  config: RuleConfig;
  smsWindowMs: number;
  actor: string;
  /**
   * Continue as new once the run's history has this many events (ICP_HISTORY_EVENT_BUDGET), or
   * when the server suggests it, whichever comes first. Absent: only when the server suggests it.
   */
  historyEventBudget?: number;
  /** Set when this run continues an earlier one of the same case: everything that run held. */
  continued?: CaseWorkflowContinuation;
  /** Reminder settings at creation; absent in cases opened before reminders (they raise none). */
  reminders?: { leadBusinessDays: number };
  /** The applicant who owns the case (absent in histories recorded before ownership existed). */
  applicantId?: string | null;
}

/** The state one run of a case hands to the next (continue-as-new). */
export interface CaseWorkflowContinuation {
  state: CaseState;
  /** The sequence number of the last audit event projected. */
  seq: number;
  /** The certificate child (`CaseCertificate:<id>`) is still running: the new run adopts it by id. */
  certificateChildRunning: boolean;
  /** Failed resolution checks that found the same as the one before (not re-recorded), all runs. */
  repeatedFailedChecks: number;
  /** How many runs came before this one. */
  run: number;
  /** The case keeps the lifecycle from before the 2026-11-30 rule revision (absent: it does). */
  legacyLifecycle?: boolean;
  /** Reminders already sent (`rule|kind|due`), so a new run does not send them again. */
  remindersSent?: string[];
}

/** The case's live state with the audit sequence, for the reconciliation command. */
export interface CaseProjectionState {
  view: CaseView;
  seq: number;
  /** The entity key the projection writes (for the open-order claim). */
  entityKey: string;
  repeatedFailedChecks: number;
  run: number;
}

/** Every update carries who asked; the rest is the command's payload. */
export interface Actor {
  actor: string;
}

export type CertificateApplicationInput = Actor & { authority: string; appliedAt: IsoDate };
export type CertificateInput = Actor & { certificate: Certificate };
export type AmendInput = Actor & { changes: FactChanges; expectedVersion?: number };
export type InitialReviewInput = Actor & { decision: 'APPROVED' | 'RETURNED'; reasons?: string[] };
export type MiitDecisionInput = Actor & { decision: 'APPROVED' | 'REJECTED'; icpNumber?: string; reasons?: string[] };
export type WithdrawInput = Actor & { reason: string };
export type AssignInput = Actor & { assignee: string | null };
export type PsbFilingInput = Actor & { recordNumber: string; filedAt: IsoDate };
export type DocumentUploadedInput = Actor & {
  document: { id: string; type: DocumentType; websiteIndex: number | null; sha256: string };
  /**
   * What the documents row shows besides the workflow's own state; the workflow's projection
   * writes the row with it. Absent only in updates sent before rows were projected (the API
   * wrote those rows itself).
   */
  file?: DocumentFile;
};
/** An uploaded file's description (its content is already stored under the document id). */
export interface DocumentFile {
  size: number;
  contentType: string;
  filename: string;
}
export type DocumentReviewedInput = Actor & { documentId: string; decision: 'ACCEPTED' | 'REJECTED'; reason: string | null };

/** Answers once the case's first projection is written (used with update-with-start). */
export const openCaseUpdate = defineUpdate<CaseView, []>('openCase');
export const recordCertificateApplicationUpdate = defineUpdate<CaseView, [CertificateApplicationInput]>(
  'recordCertificateApplication',
);
export const recordCertificateUpdate = defineUpdate<CaseView, [CertificateInput]>('recordCertificate');
export const amendCaseUpdate = defineUpdate<CaseView, [AmendInput]>('amendCase');
export const submitCaseUpdate = defineUpdate<CaseView, [Actor]>('submitCase');
export const recordInitialReviewUpdate = defineUpdate<CaseView, [InitialReviewInput]>('recordInitialReview');
export const recordSmsVerificationUpdate = defineUpdate<CaseView, [Actor]>('recordSmsVerification');
export const recordMiitDecisionUpdate = defineUpdate<CaseView, [MiitDecisionInput]>('recordMiitDecision');
export const checkResolutionUpdate = defineUpdate<CaseView, [Actor]>('checkResolution');
export const withdrawCaseUpdate = defineUpdate<CaseView, [WithdrawInput]>('withdrawCase');
export const assignCaseUpdate = defineUpdate<CaseView, [AssignInput]>('assignCase');
export const recordPsbFilingUpdate = defineUpdate<CaseView, [PsbFilingInput]>('recordPsbFiling');
export const recordDocumentUploadUpdate = defineUpdate<CaseView, [DocumentUploadedInput]>('recordDocumentUpload');
export const recordDocumentReviewUpdate = defineUpdate<CaseView, [DocumentReviewedInput]>('recordDocumentReview');

/** An officer pulls the cloud account's live hosting facts into the case (an audited amendment). */
export type RefreshHostingInput = Actor;
export const refreshHostingUpdate = defineUpdate<CaseView, [RefreshHostingInput]>('refreshHosting');

/**
 * The reminder sweep's look at an approved case's instances (a `CHECKED` look with `watch: true`):
 * recorded as `hosting.watched` when it differs from the case's last look, ignored otherwise. A
 * signal, not an update: the sweep does not wait on each case's worker.
 */
export const hostingWatchedSignal = defineSignal<[HostingCheck]>('hostingWatched');

export const getCaseQuery = defineQuery<CaseView>('getCase');
export const getProjectionStateQuery = defineQuery<CaseProjectionState>('getProjectionState');

/** The representative-office certificate, obtained at the AIC: a child workflow of the case. */
export interface CertificateWorkflowInput {
  caseId: string;
  applicantName: string;
  province: string;
}
export type CertificateWorkflowResult =
  | { outcome: 'ISSUED'; certificate: Certificate; application: { authority: string; appliedAt: IsoDate } | null }
  | { outcome: 'ABANDONED' };
export interface CertificateProgress {
  step: 'NOT_APPLIED' | 'APPLIED' | 'ISSUED' | 'ABANDONED';
  application: { authority: string; appliedAt: IsoDate } | null;
  certificate: Certificate | null;
}
export const aicApplicationSubmittedSignal = defineSignal<[{ authority: string; appliedAt: IsoDate }]>(
  'aicApplicationSubmitted',
);
export const certificateIssuedSignal = defineSignal<[Certificate]>('certificateIssued');
export const abandonCertificateSignal = defineSignal<[]>('abandonCertificate');
export const getCertificateProgressQuery = defineQuery<CertificateProgress>('getCertificateProgress');

export type { CaseCommand };

/**
 * Search attributes the case workflow sets, so the Temporal UI can filter cases. The dev server
 * registers them from config/search-attributes.json; another server needs them created once.
 */
export const caseStageSearchAttribute = defineSearchAttributeKey('CaseStage', SearchAttributeType.KEYWORD);
export const caseReferenceSearchAttribute = defineSearchAttributeKey('CaseReference', SearchAttributeType.KEYWORD);
export const caseProvinceSearchAttribute = defineSearchAttributeKey('CaseProvince', SearchAttributeType.KEYWORD);
