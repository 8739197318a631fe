import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ValidationFailedError } from '../../../../libs/domain/src';
import type { WebhookDeliveryView, WebhookView } from '../../../../libs/persistence/src';
import { ActorName } from '../common/request-context';
import { CreateWebhookDto } from './webhooks.dto';
import { WebhooksService } from './webhooks.service';

const WebhookIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => new ValidationFailedError([{ field: 'id', message: 'id must be a webhook id (UUID)' }]),
});

@ApiTags('webhooks')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Registers a webhook (url, events, secret); the secret is never returned' })
  create(@Body() body: CreateWebhookDto, @ActorName() actor: string): Promise<WebhookView> {
    return this.webhooks.create(body, actor);
  }

  @Get()
  @ApiOperation({ summary: 'Lists the webhooks (without secrets)' })
  async list(): Promise<{ items: WebhookView[] }> {
    return { items: await this.webhooks.list() };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Deletes a webhook: nothing more is sent to it; its deliveries stay readable' })
  async delete(@Param('id', WebhookIdPipe) id: string): Promise<void> {
    await this.webhooks.delete(id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Every delivery to the webhook and each of its attempts' })
  async deliveries(@Param('id', WebhookIdPipe) id: string): Promise<{ items: WebhookDeliveryView[] }> {
    return { items: await this.webhooks.deliveries(id) };
  }
}
