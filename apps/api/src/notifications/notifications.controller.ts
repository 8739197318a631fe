import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { NotificationView } from '../../../../libs/contracts/src';
import { AppConfig } from '../../../../libs/config/src';
import { DomainError, ValidationFailedError } from '../../../../libs/domain/src';
import { NotificationRepository } from '../../../../libs/persistence/src';
import { CurrentUser, Roles, STAFF, type Principal } from '../auth';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { ApiErrors } from '../openapi/api-responses';
import { ListNotificationsQueryDto, NotificationPageDto, NotificationViewDto } from './notifications.dto';

const NotificationIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => new ValidationFailedError([{ field: 'id', message: 'id must be a notification id (UUID)' }]),
});

/**
 * Reminders and notices, one per (recipient, case, rule, kind, deadline). Staff only: an officer
 * sees and marks read what is addressed to itself (the token's subject) or to the officers' queue;
 * a supervisor sees and marks read everyone's.
 */
@ApiTags('notifications')
@Controller('v1/notifications')
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Roles(...STAFF)
  @ApiOperation({
    summary: 'Lists notifications, newest first (filters: recipient, caseId, type, since, unread; cursor pagination)',
    description: "An officer gets its own notifications unless it asks for the officers' queue; a supervisor gets everyone's unless it names a recipient.",
  })
  @ApiOkResponse({ type: NotificationPageDto, description: 'One page of notifications' })
  @ApiErrors('FORBIDDEN')
  async list(@Query() query: ListNotificationsQueryDto, @CurrentUser() user: Principal): Promise<{ items: NotificationView[]; nextCursor: string | null }> {
    const asked = query.recipient?.trim() || undefined;
    let recipient = asked;
    if (user.role === 'officer') {
      recipient = asked ?? user.sub;
      if (!this.visibleTo(user).includes(recipient)) {
        throw new DomainError('FORBIDDEN', "An officer sees its own notifications and the officers' queue's; a supervisor sees anyone's", {
          role: user.role,
          allowed: ['supervisor'],
        });
      }
    }
    const { items, last } = await this.notifications.list({
      recipient,
      caseId: query.caseId,
      rule: query.type,
      since: query.since,
      unread: query.unread === true,
      limit: query.limit ?? 50,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
    });
    return { items, nextCursor: encodeCursor(last) };
  }

  @Post(':id/read')
  @HttpCode(200)
  @Roles(...STAFF)
  @ApiOperation({
    summary: 'Marks one notification read (again: keeps the first time)',
    description: "An officer may mark only its own or the officers' queue's; any other answers 404 NOTIFICATION_NOT_FOUND, as if it did not exist.",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: NotificationViewDto, description: 'The notification, read' })
  @ApiErrors('NOTIFICATION_NOT_FOUND')
  async read(@Param('id', NotificationIdPipe) id: string, @CurrentUser() user: Principal): Promise<NotificationView> {
    const n = await this.notifications.markRead(id, new Date(), user.role === 'officer' ? this.visibleTo(user) : undefined);
    if (!n) throw new DomainError('NOTIFICATION_NOT_FOUND', `No notification ${id}`, { id });
    return n;
  }

  private visibleTo(user: Principal): string[] {
    return [user.sub, this.config.reminders.officersQueue];
  }
}
