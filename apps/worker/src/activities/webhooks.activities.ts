import { Injectable, Logger } from '@nestjs/common';
import { Context, ApplicationFailure } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AppConfig } from '../../../../libs/config/src';
import {
  webhookDeliveryWorkflowId,
  type DeliverWebhookInput,
  type DeliverWebhookResult,
  type WebhookActivities,
} from '../../../../libs/contracts/src';
import { WebhookRepository } from '../../../../libs/persistence/src';
import { checkUrlForm, resolveTarget, signBody, WebhookAllowList, WebhookTargetRefused } from '../../../../libs/webhooks/src';
import { WorkerTemporalClient } from '../temporal-client';

/** Sends webhook deliveries (each attempt recorded) and starts their delivery workflows. */
@Injectable()
export class WebhookActivitiesService implements WebhookActivities {
  private readonly logger = new Logger(WebhookActivitiesService.name);
  private readonly allow: WebhookAllowList;

  constructor(
    private readonly config: AppConfig,
    private readonly webhooks: WebhookRepository,
    private readonly temporal: WorkerTemporalClient,
  ) {
    this.allow = new WebhookAllowList(config.webhooks.allowHosts);
  }

  /**
   * Enqueues `eventType` for every webhook that wants it (once per dedupe key) and starts one
   * delivery workflow per delivery: the sender's retries never hold up a case or the sweep.
   */
  async publish(eventType: string, dedupeKey: string, data: unknown): Promise<number> {
    const ids = await this.webhooks.enqueue(eventType, dedupeKey, (id) => ({ id, type: eventType, createdAt: new Date().toISOString(), data }));
    for (const deliveryId of ids) {
      try {
        await this.temporal.client.workflow.start('webhookDeliveryWorkflow', {
          taskQueue: this.config.temporal.taskQueue,
          workflowId: webhookDeliveryWorkflowId(deliveryId),
          args: [{ deliveryId, retry: this.config.webhooks.retry }],
          staticSummary: `Webhook ${eventType}`,
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
    }
    return ids.length;
  }

  async deliverWebhook({ deliveryId }: DeliverWebhookInput): Promise<DeliverWebhookResult> {
    const attempt = Context.current().info.attempt;
    const delivery = await this.webhooks.pending(deliveryId);
    if (!delivery || delivery.status !== 'PENDING') return { outcome: 'GONE', statusCode: null };
    if (delivery.deleted) {
      await this.webhooks.recordAttempt(deliveryId, attempt, 'CANCELLED', null, 'the webhook was deleted', 0);
      await this.webhooks.finish(deliveryId, 'FAILED');
      return { outcome: 'GONE', statusCode: null };
    }
    const started = performance.now();
    let target;
    try {
      // Checked at every attempt on the address the name resolves to now, not only at registration.
      target = await resolveTarget(checkUrlForm(delivery.url, this.config.webhooks.requireHttps), this.allow);
    } catch (error) {
      if (!(error instanceof WebhookTargetRefused)) throw error;
      await this.webhooks.recordAttempt(deliveryId, attempt, 'REFUSED', null, error.message, performance.now() - started);
      await this.webhooks.finish(deliveryId, 'REFUSED');
      return { outcome: 'REFUSED', statusCode: null };
    }
    try {
      const statusCode = await this.send(target, delivery.body, {
        'content-type': 'application/json',
        'user-agent': 'icp-cases-webhooks',
        'x-signature': signBody(delivery.body, delivery.secret),
        'x-delivery-id': deliveryId,
        'x-event-type': delivery.eventType,
      });
      if (statusCode >= 200 && statusCode < 300) {
        await this.webhooks.recordAttempt(deliveryId, attempt, 'DELIVERED', statusCode, null, performance.now() - started);
        await this.webhooks.finish(deliveryId, 'DELIVERED');
        return { outcome: 'DELIVERED', statusCode };
      }
      // Redirects are not followed (a 3xx could point anywhere): like any other non-2xx, it is retried.
      await this.webhooks.recordAttempt(deliveryId, attempt, 'FAILED', statusCode, `HTTP ${statusCode}`, performance.now() - started);
      throw ApplicationFailure.retryable(`The receiver answered ${statusCode}`, 'WEBHOOK_HTTP_STATUS');
    } catch (error) {
      if (error instanceof ApplicationFailure) throw error;
      const message = (error as Error).message;
      await this.webhooks.recordAttempt(deliveryId, attempt, 'FAILED', null, message, performance.now() - started);
      throw ApplicationFailure.retryable(message, 'WEBHOOK_UNREACHABLE');
    }
  }

  async failWebhookDelivery({ deliveryId, error }: DeliverWebhookInput & { error: string }): Promise<void> {
    this.logger.warn(`Webhook delivery ${deliveryId} failed for good: ${error}`);
    await this.webhooks.finish(deliveryId, 'FAILED');
  }

  asActivities(): WebhookActivities {
    return {
      deliverWebhook: (input) => this.deliverWebhook(input),
      failWebhookDelivery: (input) => this.failWebhookDelivery(input),
    };
  }

  /** One POST to the checked address (its name kept for TLS and Host), bounded by ICP_WEBHOOK_TIMEOUT. */
  private send(
    target: { url: URL; address: string; family: 4 | 6 },
    body: string,
    headers: Record<string, string>,
  ): Promise<number> {
    const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(
        target.url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          timeout: this.config.webhooks.timeoutMs,
          // Connect to the address that passed the SSRF check, whatever a second lookup would say.
          lookup: (_host, options, callback) => {
            if ((options as { all?: boolean }).all) callback(null, [{ address: target.address, family: target.family }]);
            else (callback as unknown as (e: null, a: string, f: number) => void)(null, target.address, target.family);
          },
        },
        (res: IncomingMessage) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.config.webhooks.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
