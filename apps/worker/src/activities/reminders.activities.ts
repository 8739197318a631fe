import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../../libs/config/src';
import {
  type FinishRunInput,
  type NotificationDraft,
  type NotificationView,
  type NotifyCaseInput,
  type NotifyCaseResult,
  type ReminderActivities,
  type SendDigestsResult,
  type SweepPageInput,
  type SweepPageResult,
  type SweepRunInput,
  type CaseView,
} from '../../../../libs/contracts/src';
import {
  addBusinessDays,
  addDays,
  businessDaysBefore,
  chinaDate,
  NO_DEADLINES,
  REMINDER_TITLES,
  reminderDeadlines,
  type Deadlines,
  type ReminderKind,
  type ReminderRule,
} from '../../../../libs/domain/src';
import { NotificationRepository } from '../../../../libs/persistence/src';
import { WebhookActivitiesService } from './webhooks.activities';

/** The message a person reads for a reminder. */
export function reminderMessage(reference: string, rule: ReminderRule, kind: ReminderKind, due: string): string {
  const when = `${chinaDate(due)} (China time)`;
  return kind === 'OVERDUE'
    ? `${reference}: ${REMINDER_TITLES[rule]} — the deadline ${when} has passed`
    : `${reference}: ${REMINDER_TITLES[rule]} by ${when}`;
}

/**
 * The deadlines of a stored view, complete: views projected before every deadline was named
 * carry only the running review's `reviewDue`, named here by the stage.
 */
export function viewDeadlines(view: CaseView): Deadlines {
  const d: Deadlines = { ...NO_DEADLINES, ...view.deadlines };
  if (d.reviewDue && !d.initialReviewDue && !d.miitReviewDue) {
    if (view.stage === 'MIIT_REVIEW') d.miitReviewDue = d.reviewDue;
    else if (view.stage === 'INITIAL_REVIEW') d.initialReviewDue = d.reviewDue;
  }
  if (view.psbFiling) d.psbFilingDue = null;
  return d;
}

@Injectable()
export class ReminderActivitiesService implements ReminderActivities {
  constructor(
    private readonly config: AppConfig,
    private readonly notifications: NotificationRepository,
    private readonly webhooks: WebhookActivitiesService,
  ) {}

  private recipient(assignee: string | null): string {
    return assignee?.trim() || this.config.reminders.officersQueue;
  }

  /** A case's timer fired: one notification (unless already sent) and its webhook event. */
  async notifyCase(input: NotifyCaseInput): Promise<NotifyCaseResult> {
    const draft: NotificationDraft = {
      recipient: this.recipient(input.assignee),
      caseId: input.caseId,
      caseReference: input.caseReference,
      rule: input.rule,
      kind: input.kind,
      deadline: new Date(input.deadline).toISOString(),
      title: REMINDER_TITLES[input.rule],
      message: reminderMessage(input.caseReference, input.rule, input.kind, input.deadline),
    };
    const [created] = await this.notifications.insertNew([draft], 'workflow', new Date());
    // Published even when the row existed: a retry after a crash between the two must still deliver (deliveries dedupe).
    const notification = created ?? (await this.existing(draft));
    if (notification) await this.publishOne(notification);
    return { created: Boolean(created) };
  }

  private async existing(draft: NotificationDraft): Promise<NotificationView | null> {
    const { items } = await this.notifications.list({ recipient: draft.recipient, caseId: draft.caseId, limit: 200 });
    return (
      items.find((n) => n.rule === draft.rule && n.kind === draft.kind && n.deadline === draft.deadline && n.source === 'workflow') ?? null
    );
  }

  private async publishOne(n: NotificationView): Promise<void> {
    await this.webhooks.publish(n.kind === 'OVERDUE' ? 'case.overdue' : 'case.reminder', `notification:${n.id}`, { notification: n });
  }

  async startSweepRun({ runId, scheduledFor, startedAt }: SweepRunInput): Promise<void> {
    await this.notifications.startRun(runId, scheduledFor, startedAt);
  }

  /** One page of due cases: the reminders each calls for now, stored once per (recipient, case, rule, kind, deadline). */
  async sweepPage({ runId, now, after, limit }: SweepPageInput): Promise<SweepPageResult> {
    const { calendar, instanceExpiryWarningDays } = this.config.rules;
    const lead = this.config.reminders.leadBusinessDays;
    const deadlineHorizon = addBusinessDays(now, lead + 1, calendar);
    const expiryHorizon = addDays(chinaDate(now), instanceExpiryWarningDays);
    const rows = await this.notifications.sweepPage(deadlineHorizon, expiryHorizon, after, limit);
    const nowMs = Date.parse(now);
    const drafts: NotificationDraft[] = [];
    for (const { view } of rows) {
      for (const r of reminderDeadlines(viewDeadlines(view), { leadBusinessDays: lead }, calendar, businessDaysBefore)) {
        if (Date.parse(r.remindFrom) > nowMs) continue;
        const kind: ReminderKind = Date.parse(r.due) <= nowMs ? 'OVERDUE' : 'UPCOMING';
        drafts.push({
          recipient: this.recipient(view.assignee),
          caseId: view.id,
          caseReference: view.reference,
          rule: r.rule,
          kind,
          deadline: r.due,
          title: REMINDER_TITLES[r.rule],
          message: reminderMessage(view.reference, r.rule, kind, r.due),
        });
      }
    }
    const created = await this.notifications.insertNew(drafts, `sweep:${runId}`, new Date());
    return {
      scanned: rows.length,
      created: created.length,
      overdue: created.filter((n) => n.kind === 'OVERDUE').length,
      upcoming: created.filter((n) => n.kind === 'UPCOMING').length,
      last: rows.length === limit ? rows[rows.length - 1].id : null,
    };
  }

  /** One digest per recipient of what this run raised (none for a recipient with nothing new). */
  async sendDigests({ runId }: { runId: string }): Promise<SendDigestsResult> {
    const byRecipient = new Map<string, NotificationView[]>();
    for (const n of await this.notifications.bySource(`sweep:${runId}`)) {
      byRecipient.set(n.recipient, [...(byRecipient.get(n.recipient) ?? []), n]);
    }
    let deliveries = 0;
    for (const [recipient, notifications] of byRecipient) {
      deliveries += await this.webhooks.publish('reminder.digest', `digest:${runId}:${recipient}`, { recipient, runId, notifications });
    }
    return { recipients: byRecipient.size, deliveries };
  }

  async finishSweepRun({ runId, counts }: FinishRunInput): Promise<void> {
    await this.notifications.finishRun(runId, counts);
  }

  asActivities(): ReminderActivities {
    return {
      notifyCase: (i) => this.notifyCase(i),
      startSweepRun: (i) => this.startSweepRun(i),
      sweepPage: (i) => this.sweepPage(i),
      sendDigests: (i) => this.sendDigests(i),
      finishSweepRun: (i) => this.finishSweepRun(i),
    };
  }
}
