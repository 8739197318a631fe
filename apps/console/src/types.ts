// The shapes of the public /v1 API the console reads (API.md; the OpenAPI document at /docs-json).
// Stage, rule and document names come from the domain library. Its constants are imported from the
// specific pure modules (no I/O, no Node API), never from its index, which pulls in domain-name.ts
// (tldts, tr46): Vite bundles only these few arrays.
import type { Action, Stage } from '../../../libs/domain/src/stages';
import type { RuleId, Severity, DocumentType } from '../../../libs/domain/src/types';
import type { Deadlines, DeadlineName } from '../../../libs/domain/src/deadlines';

export { ACTION_STAGES, STAGES } from '../../../libs/domain/src/stages';
export { DOCUMENT_TYPES } from '../../../libs/domain/src/types';
export { PER_WEBSITE_DOCUMENTS } from '../../../libs/domain/src/documents';
export type { Stage, Action, RuleId, Severity, DocumentType, Deadlines, DeadlineName };

export type Role = 'applicant' | 'officer' | 'supervisor' | 'admin';

export interface NextDeadline {
  name: 'smsVerificationDue' | 'reviewDue' | 'psbFilingDue';
  at: string;
  /** Mainland business days left; negative: overdue by that many. */
  businessDaysLeft: number | null;
  overdue: boolean;
}

/** A worklist row: `GET /v1/cases/summaries` items (`GET /v1/cases` answers whole case views). */
export interface CaseSummary {
  id: string;
  reference: string;
  stage: Stage;
  version: number;
  filingType: string;
  submissionProvince: string;
  applicant: { name: string; countryOfRegistration: string };
  applicantId: string | null;
  domains: string[];
  assignee: string | null;
  icpNumber: string | null;
  nextDeadline: NextDeadline | null;
  blockingFindings: number;
  createdAt: string;
  updatedAt: string;
}

export interface CaseCounts {
  total: number;
  byStage: Partial<Record<Stage, number>>;
}

export interface Person {
  fullName: string;
  idType: string;
  idNumber: string;
  idValidUntil?: string;
  mobile?: string;
  email?: string;
  birthDate?: string;
}

export interface Website {
  name: string;
  domains: string[];
  contentCategory: string;
  domainExpiresAt?: string;
  administrator: Person & { isPrincipal?: boolean };
}

export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  path: string;
}

/** `GET /v1/cases/{id}` (and every action's answer). */
export interface CaseView {
  id: string;
  reference: string;
  stage: Stage;
  version: number;
  filingType: 'ICP_FILING' | 'ICP_LICENCE';
  submissionProvince: string;
  applicant: {
    name: string;
    countryOfRegistration: string;
    mainlandPresence: string;
    certificate: { number: string; province: string; validUntil: string } | null;
    principal: Person;
  };
  websites: Website[];
  hosting: {
    instances: { product: string; instanceId: string; regionId: string; billing: string; expiresAt?: string | null; publicIp?: string }[];
    slb: { publicIp: string } | null;
    cdn: { accelerationRegion: string; cname: string } | null;
  };
  findings: Finding[];
  icpNumber: string | null;
  deadlines: Deadlines;
  liveAt?: string | null;
  assignee: string | null;
  createdAt: string;
  updatedAt: string;
  allowedActions: Action[];
  returnReasons?: string[];
  applicantId?: string | null;
}

export interface CaseEvent {
  seq: number;
  at: string;
  actor: string;
  type: string;
  fromStage: Stage | null;
  toStage: Stage;
  data: Record<string, unknown>;
}

export interface DocumentView {
  id: string;
  type: DocumentType;
  websiteIndex: number | null;
  version: number;
  status: 'PENDING' | 'ACCEPTED' | 'REJECTED';
  current: boolean;
  sha256: string;
  size: number;
  contentType: string;
  filename: string;
  uploadedBy: string;
  uploadedAt: string;
  review: { by: string; at: string; reason: string | null } | null;
}

export interface ChecklistItem {
  type: DocumentType;
  websiteIndex: number | null;
  satisfied: boolean;
}

export interface NotificationView {
  id: string;
  recipient: string;
  caseId: string;
  caseReference: string;
  rule: string;
  kind: 'UPCOMING' | 'OVERDUE';
  deadline: string;
  title: string;
  message: string;
  createdAt: string;
  readAt: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ConsoleSettings {
  oidc: { authority: string; clientId: string; scope: string } | null;
  tokenSignIn: boolean;
  officersQueue?: string;
}
