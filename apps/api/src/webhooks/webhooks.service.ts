import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../../libs/config/src';
import { DomainError } from '../../../../libs/domain/src';
import { WebhookRepository, type WebhookDeliveryView, type WebhookView } from '../../../../libs/persistence/src';
import { checkUrlForm, resolveTarget, WebhookAllowList, WebhookTargetRefused } from '../../../../libs/webhooks/src';
import type { CreateWebhookDto } from './webhooks.dto';

@Injectable()
export class WebhooksService {
  private readonly allow: WebhookAllowList;

  constructor(
    private readonly config: AppConfig,
    private readonly webhooks: WebhookRepository,
  ) {
    this.allow = new WebhookAllowList(config.webhooks.allowHosts);
  }

  /** Refuses URLs that are not https (outside development) or resolve to loopback, link-local or private addresses. */
  async create(body: CreateWebhookDto, actor: string): Promise<WebhookView> {
    try {
      await resolveTarget(checkUrlForm(body.url, this.config.webhooks.requireHttps), this.allow);
    } catch (error) {
      if (!(error instanceof WebhookTargetRefused)) throw error;
      throw new DomainError('WEBHOOK_URL_REFUSED', error.message, { url: body.url, addresses: error.addresses });
    }
    return this.webhooks.create({ url: body.url, events: [...new Set(body.events)], secret: body.secret, createdBy: actor });
  }

  list(): Promise<WebhookView[]> {
    return this.webhooks.list();
  }

  async delete(id: string): Promise<void> {
    if (!(await this.webhooks.delete(id))) throw notFound(id);
  }

  async deliveries(id: string): Promise<WebhookDeliveryView[]> {
    if (!(await this.webhooks.find(id))) throw notFound(id);
    return this.webhooks.deliveries(id);
  }
}

function notFound(id: string): DomainError {
  return new DomainError('WEBHOOK_NOT_FOUND', `No webhook ${id}`, { id });
}
