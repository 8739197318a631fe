import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { REMINDER_RULES } from '../../../../libs/domain/src';

export class ListNotificationsQueryDto {
  @ApiPropertyOptional({
    description:
      'Whose notifications (an officer, or the officers\' queue). An officer gets its own by default (the token\'s subject) and may ' +
      'ask only for itself or the officers\' queue (another recipient is 403); a supervisor gets everyone\'s by default and may ask for anyone.',
  })
  @IsOptional() @IsString() @MaxLength(200)
  recipient?: string;

  @ApiPropertyOptional({ description: 'One case\'s notifications', format: 'uuid' })
  @IsOptional() @IsUUID('all', { message: 'caseId must be a case id (UUID)' })
  caseId?: string;

  @ApiPropertyOptional({ description: 'One deadline rule\'s notifications', enum: REMINDER_RULES })
  @IsOptional() @IsIn([...REMINDER_RULES], { message: `type must be one of ${REMINDER_RULES.join(', ')}` })
  type?: string;

  @ApiPropertyOptional({ description: 'Only those created at or after this instant', format: 'date-time', example: '2026-11-01T00:00:00Z' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date-time' })
  since?: string;

  @ApiPropertyOptional({ description: 'Only those not yet read' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false], { message: 'unread must be true or false' })
  unread?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional() @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt({ message: 'limit must be a whole number' }) @Min(1) @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional() @IsString() @MaxLength(200)
  cursor?: string;
}

/** A notification as the API answers it (NotificationView in libs/contracts). */
export class NotificationViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'An officer (token subject) or the officers\' queue', example: 'officer.zhang' }) recipient: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ example: 'ICP-2026-000123' }) caseReference: string;
  @ApiProperty({ enum: REMINDER_RULES, description: 'The deadline rule: what `type` filters on' }) rule: string;
  @ApiProperty({ enum: ['UPCOMING', 'OVERDUE'] }) kind: string;
  @ApiProperty({ format: 'date-time' }) deadline: string;
  @ApiProperty() title: string;
  @ApiProperty() message: string;
  @ApiProperty({ description: '`workflow` (the case\'s own timer) or `sweep:<run id>` (the scheduled sweep)', example: 'workflow' }) source: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When first marked read; null while unread' }) readAt: string | null;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationViewDto] }) items: NotificationViewDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' }) nextCursor: string | null;
}
