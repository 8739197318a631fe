import type { IsoInstant, ReminderKind, ReminderRule } from '../../domain/src';

/** Webhook event types (API.md) plus the sweep's per-recipient digest. */
export const WEBHOOK_EVENTS = ['case.created', 'case.stage_changed', 'case.reminder', 'case.overdue', 'document.reviewed', 'reminder.digest'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** What raises a notification: one per (recipient, case, rule, kind, deadline). */
export interface NotificationDraft {
  recipient: string;
  caseId: string;
  caseReference: string;
  rule: ReminderRule;
  kind: ReminderKind;
  deadline: IsoInstant;
  title: string;
  message: string;
}

/** A notification as the API answers it: the draft as stored. */
export interface NotificationView extends NotificationDraft {
  id: string;
  /** `workflow` (the case's own timer) or `sweep:<run id>` (the scheduled job). */
  source: string;
  createdAt: IsoInstant;
  readAt: IsoInstant | null;
}

/** The case workflow's timer fired: notify the case's recipient (assignee, or the officers' queue). */
export interface NotifyCaseInput {
  caseId: string;
  caseReference: string;
  assignee: string | null;
  rule: ReminderRule;
  kind: ReminderKind;
  deadline: IsoInstant;
}
export interface NotifyCaseResult {
  /** False when this reminder had been sent already (by the sweep or an earlier attempt). */
  created: boolean;
}

export interface SweepPageInput {
  runId: string;
  /** The sweep's own clock (workflow time), so a replayed or caught-up run judges the same instant. */
  now: IsoInstant;
  /** Keyset position: the last case id of the previous page. */
  after: string | null;
  limit: number;
}
export interface SweepPageResult {
  scanned: number;
  created: number;
  overdue: number;
  upcoming: number;
  last: string | null;
}

export interface SweepRunInput {
  runId: string;
  scheduledFor: IsoInstant | null;
  startedAt: IsoInstant;
}
export interface SendDigestsResult {
  recipients: number;
  deliveries: number;
}
export interface FinishRunInput {
  runId: string;
  counts: Record<string, number>;
}

/** The sweep's and the case workflow's side effects (apps/worker/src/activities/reminders.activities.ts). */
export interface ReminderActivities {
  notifyCase(input: NotifyCaseInput): Promise<NotifyCaseResult>;
  startSweepRun(input: SweepRunInput): Promise<void>;
  sweepPage(input: SweepPageInput): Promise<SweepPageResult>;
  sendDigests(input: { runId: string }): Promise<SendDigestsResult>;
  finishSweepRun(input: FinishRunInput): Promise<void>;
}

export interface ReminderSweepInput {
  /** Cases read per activity call. */
  pageSize?: number;
  /** Approved cases whose instances are looked at per activity call (default 100). */
  hostingPageSize?: number;
}
export interface ReminderSweepResult {
  runId: string;
  scanned: number;
  created: number;
  overdue: number;
  upcoming: number;
  recipients: number;
  deliveries: number;
  /** The look at approved cases' instances (absent in runs begun before it). */
  hosting?: {
    /** `NOT_CONFIGURED`: no cloud account, nothing looked at; `DENIED`: the account refused. */
    outcome: 'CHECKED' | 'NOT_CONFIGURED' | 'DENIED';
    scanned: number;
    instances: number;
    atRisk: number;
    notified: number;
    signalled: number;
    /** 1 when the pass stopped after its retries (throttled or unavailable for too long). */
    failed: number;
  };
}

/** One webhook delivery (its attempts are the activity's retries). */
export interface DeliverWebhookInput {
  deliveryId: string;
}
export interface DeliverWebhookResult {
  outcome: 'DELIVERED' | 'REFUSED' | 'GONE';
  statusCode: number | null;
}
export interface WebhookActivities {
  deliverWebhook(input: DeliverWebhookInput): Promise<DeliverWebhookResult>;
  /** After the last retry: the delivery failed for good. */
  failWebhookDelivery(input: DeliverWebhookInput & { error: string }): Promise<void>;
}

export interface WebhookDeliveryWorkflowInput {
  deliveryId: string;
  retry: { initialIntervalMs: number; maximumIntervalMs: number; maximumAttempts: number };
}

export const webhookDeliveryWorkflowId = (deliveryId: string): string => `WebhookDelivery:${deliveryId}`;
export const DEFAULT_REMINDER_SCHEDULE_ID = 'reminder-sweep';
