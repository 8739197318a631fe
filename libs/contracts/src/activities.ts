import type { DnsCheck, HostingCheck, IsoInstant } from '../../domain/src';
import type { CaseView } from './case-view';

export interface CaseEventRecord {
  seq: number;
  at: string;
  actor: string;
  type: string;
  fromStage: string | null;
  toStage: string;
  data: Record<string, unknown>;
}

/** Writes the case row and one audit event; idempotent on (caseId, seq). */
export interface ProjectCaseInput {
  view: CaseView;
  /** Normalised applicant identity, for "one open order per entity". */
  entityKey: string;
  event: CaseEventRecord;
  /** The documents row this event changes, written in the same transaction as the event. */
  document?: DocumentProjection;
}

/**
 * A document as the case workflow applied it: the `documents` row follows the workflow, so the
 * table never shows a document (or a review) the workflow does not count.
 */
export type DocumentProjection =
  | {
      change: 'uploaded';
      id: string;
      type: string;
      websiteIndex: number | null;
      sha256: string;
      size: number;
      contentType: string;
      filename: string;
      uploadedBy: string;
      uploadedAt: string;
    }
  | { change: 'reviewed'; id: string; status: 'ACCEPTED' | 'REJECTED'; reason: string | null; reviewedBy: string; reviewedAt: string };

export interface FindOpenOrdersInput {
  caseId: string;
  entityKey: string;
}
export interface FindOpenOrdersResult {
  references: string[];
}

/**
 * Takes the entity's one open-order claim for this case (idempotent for the same case), in the
 * submission's own step: the database's unique key on the entity decides a race, not a read.
 */
export interface ClaimOrderInput {
  caseId: string;
  reference: string;
  entityKey: string;
  /** The case's version when it claims; a projection of a later version may release the claim. */
  version: number;
}
export interface ClaimOrderResult {
  /** The reference of the case that holds the entity's claim, when it is another one. */
  heldBy: string | null;
}

export interface CheckResolutionInput {
  domains: string[];
  expected: { type: 'A' | 'CNAME'; value: string };
}
export interface CheckResolutionResult {
  checks: DnsCheck[];
}

/** The activities the case workflow calls. Implemented by Nest providers in apps/worker. */
export interface CaseActivities {
  projectCase(input: ProjectCaseInput): Promise<void>;
  findOpenOrders(input: FindOpenOrdersInput): Promise<FindOpenOrdersResult>;
  claimOrder(input: ClaimOrderInput): Promise<ClaimOrderResult>;
  checkResolution(input: CheckResolutionInput): Promise<CheckResolutionResult>;
}

/** Moved to the domain library (DOMAIN.md's entity rule); re-exported so callers keep working. */
export { entityKey } from '../../domain/src/entity';

/** What to look up in the cloud account: the case's instances, and its domains on the CDN. */
export interface VerifyHostingInput {
  instanceIds: string[];
  /** The websites' domains in ASCII (IDNA) form. */
  cdnDomains: string[];
}

/**
 * The hosting checks, as activities: the live facts of the cloud account (or why there are none).
 * Transient errors fail the activity (Temporal retries); throttling fails it with a later retry;
 * a permission error is an answer (`DENIED`), so the case gets a finding and never hangs on it.
 */
export interface HostingActivities {
  verifyHosting(input: VerifyHostingInput): Promise<HostingCheck>;
}

/** One page of approved cases (RESOLVING, COMPLETED) whose instances the reminder sweep looks at. */
export interface WatchHostingPageInput {
  /** The sweep run: notifications raised are `sweep:<runId>` (they go into its digests). */
  runId: string;
  /** The sweep's clock (workflow time). */
  now: IsoInstant;
  /** Keyset position: the last case id of the previous page. */
  after: string | null;
  limit: number;
}
export interface WatchHostingPageResult {
  /** `NOT_CONFIGURED` (no account: nothing to watch) and `DENIED` end the pass. */
  outcome: HostingCheck['outcome'];
  /** The account's refusal code, when `DENIED`. */
  code?: string;
  scanned: number;
  /** Instances asked for (DescribeInstances calls are batches of 100 per region). */
  instances: number;
  /** Cases whose filing instance was released or switched to pay-as-you-go. */
  atRisk: number;
  /** Notifications raised (HOSTING_AT_RISK, INSTANCE_RENEWAL_DUE from the live expiry). */
  notified: number;
  /** Open case workflows told of a look that differs from their facts. */
  signalled: number;
  last: string | null;
}

/** The reminder sweep's look at the instances of approved cases (apps/worker/src/activities/hosting-watch.activities.ts). */
export interface HostingWatchActivities {
  watchHostingPage(input: WatchHostingPageInput): Promise<WatchHostingPageResult>;
}
