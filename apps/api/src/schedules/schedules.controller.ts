import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '../../../../libs/config/src';
import { NotificationRepository } from '../../../../libs/persistence/src';
import { Roles, STAFF } from '../auth';
import { RemindersStatusDto } from './schedules.dto';

@ApiTags('schedules')
@Controller('v1/schedules')
export class SchedulesController {
  constructor(
    private readonly config: AppConfig,
    private readonly notifications: NotificationRepository,
  ) {}

  @Get('reminders')
  @Roles(...STAFF, 'admin')
  @ApiOperation({ summary: "The reminder sweep's schedule, its last run and that run's counts" })
  @ApiOkResponse({ type: RemindersStatusDto, description: 'The schedule and its recent runs' })
  async reminders(): Promise<RemindersStatusDto> {
    const runs = await this.notifications.lastRuns(10);
    return {
      schedule: this.config.reminders.schedule,
      leadBusinessDays: this.config.reminders.leadBusinessDays,
      officersQueue: this.config.reminders.officersQueue,
      lastRun: runs[0] ?? null,
      recentRuns: runs,
    };
  }
}
