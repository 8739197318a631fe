/**
 * The scheduled reminder job (started by the Temporal Schedule `reminder-sweep:<task queue>`):
 * reads the read model page by page through activities, stores the reminders due now (each at
 * most once, whoever raised it first), then sends each recipient one digest of what is new.
 * Its clock is the workflow's, so a retried activity judges the same instant.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ReminderActivities, ReminderSweepInput, ReminderSweepResult, SweepPageResult } from '../../libs/contracts/src';

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

export async function reminderSweepWorkflow(input: ReminderSweepInput = {}): Promise<ReminderSweepResult> {
  // Scheduled workflow ids carry the start time to the second; the run id makes a run's id unique.
  const info = workflowInfo();
  const runId = `${info.workflowId}/${info.runId}`;
  const now = new Date().toISOString();
  await startSweepRun({ runId, scheduledFor: null, startedAt: now });
  const totals = { scanned: 0, created: 0, overdue: 0, upcoming: 0 };
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
  const result = { runId, ...totals, recipients, deliveries };
  await finishSweepRun({ runId, counts: { ...totals, recipients, deliveries } });
  return result;
}
