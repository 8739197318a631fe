import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { NotificationView } from '../../../../libs/contracts/src';
import { DomainError, ValidationFailedError } from '../../../../libs/domain/src';
import { NotificationRepository } from '../../../../libs/persistence/src';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { ListNotificationsQueryDto } from './notifications.dto';

const NotificationIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => new ValidationFailedError([{ field: 'id', message: 'id must be a notification id (UUID)' }]),
});

/** Reminders and notices, one per (recipient, case, rule, kind, deadline). */
@ApiTags('notifications')
@Controller('v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationRepository) {}

  @Get()
  @ApiOperation({ summary: 'Lists notifications, newest first (filters: recipient, caseId, unread; cursor pagination)' })
  async list(@Query() query: ListNotificationsQueryDto): Promise<{ items: NotificationView[]; nextCursor: string | null }> {
    const { items, last } = await this.notifications.list({
      recipient: query.recipient?.trim() || undefined,
      caseId: query.caseId,
      unread: query.unread === true,
      limit: query.limit ?? 50,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
    });
    return { items, nextCursor: encodeCursor(last) };
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Marks one notification read (again: keeps the first time)' })
  async read(@Param('id', NotificationIdPipe) id: string): Promise<NotificationView> {
    const n = await this.notifications.markRead(id, new Date());
    if (!n) throw new DomainError('NOTIFICATION_NOT_FOUND', `No notification ${id}`, { id });
    return n;
  }
}
