/**
 * One webhook delivery: its attempts are the activity's, retried by Temporal with backoff. A
 * workflow of its own (`WebhookDelivery:<id>`), so a slow or dead receiver never holds up a case.
 */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { DeliverWebhookResult, WebhookActivities, WebhookDeliveryWorkflowInput } from '../../libs/contracts/src';

const { failWebhookDelivery } = proxyActivities<WebhookActivities>({ startToCloseTimeout: '30 seconds', summary: 'Delivery failed for good' });

export async function webhookDeliveryWorkflow(input: WebhookDeliveryWorkflowInput): Promise<DeliverWebhookResult | { outcome: 'FAILED' }> {
  const { deliverWebhook } = proxyActivities<WebhookActivities>({
    // The request itself is bounded by ICP_WEBHOOK_TIMEOUT; this bounds the whole attempt.
    startToCloseTimeout: '1 minute',
    retry: {
      initialInterval: input.retry.initialIntervalMs,
      maximumInterval: input.retry.maximumIntervalMs,
      backoffCoefficient: 2,
      maximumAttempts: input.retry.maximumAttempts,
    },
    summary: 'Deliver webhook',
  });
  try {
    return await deliverWebhook({ deliveryId: input.deliveryId });
  } catch (error) {
    const cause = error instanceof ActivityFailure ? error.cause : error;
    const message = cause instanceof ApplicationFailure || cause instanceof Error ? cause.message : String(cause);
    await failWebhookDelivery({ deliveryId: input.deliveryId, error: message });
    return { outcome: 'FAILED' };
  }
}
