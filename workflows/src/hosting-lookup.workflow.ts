/**
 * One look at the cloud account for a request that names instances by id (a case opened, or
 * prechecked, from `hosting.instanceIds`): the API does no cloud I/O of its own, it runs this.
 * Read-only, so a retry simply looks again; its history holds the answer the case was opened with.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { HostingActivities, VerifyHostingInput } from '../../libs/contracts/src';
import type { HostingCheck } from '../../libs/domain/src';

/** As the case workflow's look: server errors retried with backoff, throttling after 10 s (the activity says so). */
const { verifyHosting } = proxyActivities<HostingActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2, maximumAttempts: 4 },
  summary: 'Instances and CDN domain from the cloud account',
});

export async function hostingLookupWorkflow(input: VerifyHostingInput): Promise<HostingCheck> {
  return verifyHosting(input);
}
