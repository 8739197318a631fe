import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '../../../../libs/config/src';
import { NotificationRepository } from '../../../../libs/persistence/src';

@ApiTags('schedules')
@Controller('v1/schedules')
export class SchedulesController {
  constructor(
    private readonly config: AppConfig,
    private readonly notifications: NotificationRepository,
  ) {}

  @Get('reminders')
  @ApiOperation({ summary: "The reminder sweep's schedule, its last run and that run's counts" })
  async reminders() {
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
