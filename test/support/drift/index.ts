/**
 * A deliberately drifted case workflow for the replay test's negative control: it schedules its
 * first activity under another name, as a careless edit without patched() would. Never deployed.
 */
import { proxyActivities } from '@temporalio/workflow';

const { findOpenOrders } = proxyActivities<{ findOpenOrders(input: unknown): Promise<unknown> }>({
  startToCloseTimeout: '30 seconds',
});

export async function caseWorkflow(): Promise<void> {
  await findOpenOrders({});
}
