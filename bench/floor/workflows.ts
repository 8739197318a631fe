import { condition, defineUpdate, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { FloorActivities } from './activities';

/**
 * The floor the bench measures the project against: the least a Temporal-orchestrated case
 * service can do per change. One Update, one activity, one PostgreSQL upsert; no validator,
 * no search attributes, no domain rules, no HTTP.
 */
export const floorStep = defineUpdate<number, [string]>('floorStep');

const { floorUpsert } = proxyActivities<FloorActivities>({ startToCloseTimeout: '30s' });

export async function floorWorkflow(): Promise<void> {
  let version = 0;
  setHandler(floorStep, async (value) => {
    version += 1;
    await floorUpsert(workflowInfo().workflowId, version, value);
    return version;
  });
  await condition(() => false);
}
