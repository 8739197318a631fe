import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { WEBHOOK_EVENTS } from '../../../../libs/contracts/src';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://hooks.example.com/icp' })
  @IsString() @MaxLength(2000)
  url: string;

  @ApiProperty({ example: ['case.overdue', 'reminder.digest'], description: `Any of ${WEBHOOK_EVENTS.join(', ')}, or * for all` })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20)
  @IsIn([...WEBHOOK_EVENTS, '*'], { each: true, message: `each event must be one of ${WEBHOOK_EVENTS.join(', ')} or *` })
  events: string[];

  @ApiProperty({ description: 'Signs each delivery (X-Signature: sha256=HMAC of the raw body); never returned', minLength: 16 })
  @IsString() @MinLength(16, { message: 'secret must be at least 16 characters' }) @MaxLength(200)
  secret: string;
}

/** A webhook as the API answers it (never its secret). */
export class WebhookViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://hooks.example.com/icp' }) url: string;
  @ApiProperty({ type: [String], example: ['case.overdue'] }) events: string[];
  @ApiProperty({ description: 'Who registered it (the token subject)', example: 'admin.root' }) createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookViewDto] }) items: WebhookViewDto[];
}

export class WebhookAttemptDto {
  @ApiProperty({ type: 'integer', minimum: 1 }) attempt: number;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ description: 'What came of the attempt', example: 'DELIVERED' }) outcome: string;
  @ApiProperty({ type: 'integer', nullable: true, description: "The receiver's HTTP status; null when none came" }) statusCode: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the attempt failed; null when it did not' }) error: string | null;
  @ApiProperty({ type: 'integer', minimum: 0 }) durationMs: number;
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'Sent as X-Delivery-Id' }) id: string;
  @ApiProperty({ format: 'uuid' }) webhookId: string;
  @ApiProperty({ example: 'case.overdue' }) eventType: string;
  @ApiProperty({ enum: ['PENDING', 'DELIVERED', 'FAILED', 'REFUSED'] }) status: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When delivered or given up; null while pending' }) finishedAt: string | null;
  @ApiProperty({ type: [WebhookAttemptDto] }) attempts: WebhookAttemptDto[];
}

export class WebhookDeliveryListDto {
  @ApiProperty({ type: [WebhookDeliveryDto] }) items: WebhookDeliveryDto[];
}
