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
