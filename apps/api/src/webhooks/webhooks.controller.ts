import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ValidationFailedError } from '../../../../libs/domain/src';
import type { WebhookDeliveryView, WebhookView } from '../../../../libs/persistence/src';
import { Roles } from '../auth';
import { ActorName } from '../common/request-context';
import { ApiErrors } from '../openapi/api-responses';
import { CreateWebhookDto, WebhookDeliveryListDto, WebhookListDto, WebhookViewDto } from './webhooks.dto';
import { WebhooksService } from './webhooks.service';

const WebhookIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => new ValidationFailedError([{ field: 'id', message: 'id must be a webhook id (UUID)' }]),
});

/** Webhooks are managed by admins only (API.md: "manage webhooks (admin)"). */
@ApiTags('webhooks')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Registers a webhook (url, events, secret); the secret is never returned; the creator is the token subject' })
  @ApiCreatedResponse({ type: WebhookViewDto, description: 'The webhook (without its secret)' })
  @ApiErrors('WEBHOOK_URL_REFUSED')
  create(@Body() body: CreateWebhookDto, @ActorName() actor: string): Promise<WebhookView> {
    return this.webhooks.create(body, actor);
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Lists the webhooks (without secrets)' })
  @ApiOkResponse({ type: WebhookListDto, description: 'Every webhook' })
  async list(): Promise<{ items: WebhookView[] }> {
    return { items: await this.webhooks.list() };
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: 'Deletes a webhook: nothing more is sent to it; its deliveries stay readable' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors('WEBHOOK_NOT_FOUND')
  async delete(@Param('id', WebhookIdPipe) id: string): Promise<void> {
    await this.webhooks.delete(id);
  }

  @Get(':id/deliveries')
  @Roles('admin')
  @ApiOperation({ summary: 'Every delivery to the webhook and each of its attempts' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: WebhookDeliveryListDto, description: 'The deliveries, each with its attempts' })
  @ApiErrors('WEBHOOK_NOT_FOUND')
  async deliveries(@Param('id', WebhookIdPipe) id: string): Promise<{ items: WebhookDeliveryView[] }> {
    return { items: await this.webhooks.deliveries(id) };
  }
}
