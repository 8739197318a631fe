import { ApiProperty } from '@nestjs/swagger';

export class ReminderScheduleDto {
  @ApiProperty({ description: 'The Temporal Schedule id' }) id: string;
  @ApiProperty({ example: '0 8 * * 1-5' }) cron: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) timezone: string;
  @ApiProperty({ type: 'integer', description: 'How far back missed runs are caught up (ms)' }) catchupWindowMs: number;
}

export class ReminderRunDto {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null while the run is going' }) finishedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The scheduled time (null for a run started by hand)' }) scheduledFor: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'What the run counted (cases scanned, notifications created, …)',
    example: { cases: 3, notifications: 2 },
  })
  counts: Record<string, number>;
}

export class RemindersStatusDto {
  @ApiProperty({ type: ReminderScheduleDto, nullable: true, description: 'Null when no sweep Schedule is configured' }) schedule: ReminderScheduleDto | null;
  @ApiProperty({ type: 'integer', description: 'Business days ahead a deadline is reminded' }) leadBusinessDays: number;
  @ApiProperty({ description: 'The recipient of notices for unassigned cases' }) officersQueue: string;
  @ApiProperty({ type: ReminderRunDto, nullable: true, description: 'The latest run; null before the first' }) lastRun: ReminderRunDto | null;
  @ApiProperty({ type: [ReminderRunDto], description: 'The last ten runs, newest first' }) recentRuns: ReminderRunDto[];
}
