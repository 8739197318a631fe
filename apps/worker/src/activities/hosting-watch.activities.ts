import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { AppConfig } from '../../../../libs/config/src';
import { CloudAccessDeniedError, CloudThrottledError, type CloudInventory } from '../../../../libs/cloud/src';
import {
  caseWorkflowId,
  hostingWatchedSignal,
  type HostingWatchActivities,
  type NotificationDraft,
  type WatchHostingPageInput,
  type WatchHostingPageResult,
} from '../../../../libs/contracts/src';
import {
  addDays,
  chinaDate,
  endOfChinaDay,
  REMINDER_TITLES,
  watchHosting,
  type HostingCheck,
  type LiveInstance,
} from '../../../../libs/domain/src';
import { NotificationRepository } from '../../../../libs/persistence/src';
import { WorkerTemporalClient } from '../temporal-client';
import { CLOUD_INVENTORY, THROTTLED_RETRY_DELAY } from './hosting.activities';
import { reminderMessage } from './reminders.activities';

/**
 * After approval the filing lives as long as its instance: the reminder sweep looks at the
 * instances of approved cases (RESOLVING, COMPLETED) a page at a time, with one DescribeInstances
 * per 100 ids and region (not one per case), and
 * - raises `HOSTING_AT_RISK` when a filing instance was released or switched to pay-as-you-go,
 * - raises `INSTANCE_RENEWAL_DUE` from the live `ExpiredTime` (from the warning day on), also for
 *   cases whose workflow has closed (PSB filing recorded), which no timer watches any more,
 * - tells the open case workflows whose facts differ (signal `hostingWatched`), which record it
 *   (findings as WARNINGs, the renewal deadline from the live expiry).
 * Throttling fails the page with a later retry (Temporal backs off); a refusal ends the pass.
 */
@Injectable()
export class HostingWatchActivitiesService implements HostingWatchActivities {
  private readonly logger = new Logger(HostingWatchActivitiesService.name);

  constructor(
    @Inject(CLOUD_INVENTORY) private readonly inventory: CloudInventory | null,
    private readonly config: AppConfig,
    private readonly notifications: NotificationRepository,
    private readonly temporal: WorkerTemporalClient,
  ) {}

  async watchHostingPage({ runId, now, after, limit }: WatchHostingPageInput): Promise<WatchHostingPageResult> {
    const empty = { scanned: 0, instances: 0, atRisk: 0, notified: 0, signalled: 0, last: null };
    if (!this.inventory) return { outcome: 'NOT_CONFIGURED', ...empty };
    const rows = await this.notifications.approvedPage(after, limit);
    const ids = [...new Set(rows.flatMap(({ view }) => view.hosting.instances.map((i) => i.instanceId)))];
    let live: LiveInstance[];
    try {
      live = await this.inventory.describeInstances(ids);
    } catch (error) {
      if (error instanceof CloudAccessDeniedError) {
        this.logger.warn(`The cloud account refused DescribeInstances: ${error.code}; approved cases are not watched`);
        return { outcome: 'DENIED', code: error.code, ...empty };
      }
      if (error instanceof CloudThrottledError) {
        throw ApplicationFailure.create({ type: 'CloudThrottled', message: `${error.code}: ${error.message}`, nextRetryDelay: THROTTLED_RETRY_DELAY });
      }
      throw error;
    }
    const byId = new Map(live.map((l) => [l.instanceId, l]));
    const today = chinaDate(now);
    const warningDays = this.config.rules.instanceExpiryWarningDays;
    const drafts: NotificationDraft[] = [];
    let atRisk = 0;
    let signalled = 0;
    for (const { view } of rows) {
      if (view.hosting.instances.length === 0) continue;
      const mine = view.hosting.instances.map((i) => byId.get(i.instanceId)).filter((l): l is LiveInstance => Boolean(l));
      const watch = watchHosting(view.hosting, mine);
      const recipient = view.assignee?.trim() || this.config.reminders.officersQueue;
      const draft = (rule: NotificationDraft['rule'], kind: NotificationDraft['kind'], deadline: string, message: string): NotificationDraft => ({
        recipient,
        caseId: view.id,
        caseReference: view.reference,
        rule,
        kind,
        deadline,
        title: REMINDER_TITLES[rule],
        message,
      });
      if (watch.atRisk.length > 0) {
        atRisk += 1;
        // One notice per case and filed expiry (the sweep runs daily; the unique key keeps it to one).
        const filed = watch.atRisk[0].filedExpiresAt ?? chinaDate(view.createdAt);
        const what = watch.atRisk.map((r) => `${r.instanceId} ${r.reason === 'RELEASED' ? 'was released' : 'was switched to pay-as-you-go'}`).join('; ');
        drafts.push(
          draft(
            'HOSTING_AT_RISK',
            'OVERDUE',
            endOfChinaDay(filed),
            `${view.reference}: ${what}: the filing${view.icpNumber ? ` ${view.icpNumber}` : ''} is at risk of cancellation; restore a subscription instance`,
          ),
        );
      }
      if (watch.renewalDue && addDays(watch.renewalDue, -warningDays) <= today) {
        const due = endOfChinaDay(watch.renewalDue);
        const kind = Date.parse(due) <= Date.parse(now) ? 'OVERDUE' : 'UPCOMING';
        drafts.push(draft('INSTANCE_RENEWAL_DUE', kind, due, reminderMessage(view.reference, 'INSTANCE_RENEWAL_DUE', kind, due)));
      }
      if (watch.differs && view.allowedActions.length > 0) {
        const check: HostingCheck = { outcome: 'CHECKED', checkedAt: now, instances: mine, cdn: [], watch: true };
        try {
          await this.temporal.client.workflow.getHandle(caseWorkflowId(view.id)).signal(hostingWatchedSignal, check);
          signalled += 1;
        } catch (error) {
          // Closed since the projection was read: the notifications above are what is left to do.
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }
      }
    }
    const created = await this.notifications.insertNew(drafts, `sweep:${runId}`, new Date());
    return {
      outcome: 'CHECKED',
      scanned: rows.length,
      instances: ids.length,
      atRisk,
      notified: created.length,
      signalled,
      last: rows.length === limit ? rows[rows.length - 1].id : null,
    };
  }

  asActivities(): HostingWatchActivities {
    return { watchHostingPage: (input) => this.watchHostingPage(input) };
  }
}
