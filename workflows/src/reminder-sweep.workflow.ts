/**
 * The scheduled reminder job (started by the Temporal Schedule `reminder-sweep:<task queue>`):
 * reads the read model page by page through activities, stores the reminders due now (each at
 * most once, whoever raised it first), then sends each recipient one digest of what is new.
 * Its clock is the workflow's, so a retried activity judges the same instant.
 */
import { log, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type {
  HostingWatchActivities,
  ReminderActivities,
  ReminderSweepInput,
  ReminderSweepResult,
  SweepPageResult,
  WatchHostingPageResult,
} from '../../libs/contracts/src';

const { startSweepRun, finishSweepRun } = proxyActivities<ReminderActivities>({
  startToCloseTimeout: '30 seconds',
  summary: 'Reminder run bookkeeping',
});
const { sweepPage } = proxyActivities<ReminderActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  summary: 'Reminders due: one page of cases',
});
const { sendDigests } = proxyActivities<ReminderActivities>({
  startToCloseTimeout: '2 minutes',
  summary: 'One digest per recipient',
});

/**
 * Approved cases' instances, a page at a time. Throttling makes the activity ask for a later retry
 * (10 s, then backing off to 2 min); after the last attempt the pass stops where it is and the
 * run still sends its digests (the next run looks again).
 */
const { watchHostingPage } = proxyActivities<HostingWatchActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '2 minutes', backoffCoefficient: 2, maximumAttempts: 8 },
  summary: 'Approved cases: their instances in the cloud account',
});

/** After approval the filing lives as long as its instance: look at the instances of approved cases. */
async function watchHosting(runId: string, now: string, pageSize: number): Promise<NonNullable<ReminderSweepResult['hosting']>> {
  const totals = { outcome: 'CHECKED' as WatchHostingPageResult['outcome'], scanned: 0, instances: 0, atRisk: 0, notified: 0, signalled: 0, failed: 0 };
  let after: string | null = null;
  try {
    do {
      const page: WatchHostingPageResult = await watchHostingPage({ runId, now, after, limit: pageSize });
      totals.outcome = page.outcome;
      totals.scanned += page.scanned;
      totals.instances += page.instances;
      totals.atRisk += page.atRisk;
      totals.notified += page.notified;
      totals.signalled += page.signalled;
      after = page.outcome === 'CHECKED' ? page.last : null;
    } while (after);
  } catch (error) {
    totals.failed = 1;
    log.warn('the look at approved cases’ instances stopped (the next run looks again)', { error: String(error) });
  }
  return totals;
}

export async function reminderSweepWorkflow(input: ReminderSweepInput = {}): Promise<ReminderSweepResult> {
  // Scheduled workflow ids carry the start time to the second; the run id makes a run's id unique.
  const info = workflowInfo();
  const runId = `${info.workflowId}/${info.runId}`;
  const now = new Date().toISOString();
  await startSweepRun({ runId, scheduledFor: null, startedAt: now });
  const totals = { scanned: 0, created: 0, overdue: 0, upcoming: 0 };
  // Runs begun before the sweep looked at the cloud account replay without it.
  const hosting = patched('sweep-watches-hosting') ? await watchHosting(runId, now, input.hostingPageSize ?? 100) : undefined;
  let after: string | null = null;
  do {
    const page: SweepPageResult = await sweepPage({ runId, now, after, limit: input.pageSize ?? 1000 });
    totals.scanned += page.scanned;
    totals.created += page.created;
    totals.overdue += page.overdue;
    totals.upcoming += page.upcoming;
    after = page.last;
  } while (after);
  const { recipients, deliveries } = await sendDigests({ runId });
  const result: ReminderSweepResult = { runId, ...totals, recipients, deliveries, ...(hosting ? { hosting } : {}) };
  const hostingCounts: Record<string, number> = hosting
    ? { hostingScanned: hosting.scanned, hostingAtRisk: hosting.atRisk, hostingNotified: hosting.notified, hostingSignalled: hosting.signalled, hostingFailed: hosting.failed }
    : {};
  await finishSweepRun({ runId, counts: { ...totals, recipients, deliveries, ...hostingCounts } });
  return result;
}
