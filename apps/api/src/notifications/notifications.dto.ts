import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { REMINDER_RULES } from '../../../../libs/domain/src';
import { PageQueryDto } from '../common/page-query.dto';

export class ListNotificationsQueryDto extends PageQueryDto {
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
