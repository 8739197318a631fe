import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min, ValidateIf } from 'class-validator';
import { DOCUMENT_TYPES, type DocumentType } from '../../../../libs/domain/src';
import { ChecklistItemDto } from '../cases/dto';

/** The text fields of the multipart upload (`file` is the file part). */
export class UploadDocumentDto {
  @ApiProperty({ enum: DOCUMENT_TYPES })
  @IsIn(DOCUMENT_TYPES)
  type: DocumentType;

  @ApiPropertyOptional({ description: 'The website a per-website document belongs to (0-based)' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value === '' ? undefined : value))
  @IsInt({ message: 'websiteIndex must be a whole number' })
  @Min(0)
  websiteIndex?: number;
}

export class ReviewDocumentDto {
  @ApiProperty({ enum: ['ACCEPTED', 'REJECTED'] })
  @IsIn(['ACCEPTED', 'REJECTED'])
  decision: 'ACCEPTED' | 'REJECTED';

  @ApiPropertyOptional({ description: 'Required when REJECTED' })
  @ValidateIf((o: ReviewDocumentDto) => o.decision === 'REJECTED' || o.reason !== undefined)
  @IsString()
  @IsNotEmpty({ message: 'a rejection needs a reason' })
  @MaxLength(1000)
  reason?: string;
}

export class DocumentReviewViewDto {
  @ApiProperty({ example: 'officer.zhang' })
  by: string;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ type: String, nullable: true, description: 'Why it was rejected' })
  reason: string | null;
}

/** A document as the API answers it. */
export class DocumentViewDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: DOCUMENT_TYPES })
  type: string;

  @ApiProperty({ type: Number, nullable: true, description: 'The website a per-website document belongs to (0-based)' })
  websiteIndex: number | null;

  @ApiProperty({ example: 1, description: 'Version within its slot, from 1' })
  version: number;

  @ApiProperty({ enum: ['PENDING', 'ACCEPTED', 'REJECTED'] })
  status: 'PENDING' | 'ACCEPTED' | 'REJECTED';

  @ApiProperty({ description: 'Whether this is the slot’s current version' })
  current: boolean;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The version that replaced this one' })
  supersededBy: string | null;

  @ApiProperty({ pattern: '^[0-9a-f]{64}$' })
  sha256: string;

  @ApiProperty({ description: 'Bytes' })
  size: number;

  @ApiProperty({ enum: ['application/pdf', 'image/jpeg', 'image/png'], description: 'Recognised from the content' })
  contentType: string;

  @ApiProperty({ example: 'passport.pdf' })
  filename: string;

  @ApiProperty({ example: 'applicant' })
  uploadedBy: string;

  @ApiProperty({ format: 'date-time' })
  uploadedAt: string;

  @ApiProperty({ type: DocumentReviewViewDto, nullable: true })
  review: DocumentReviewViewDto | null;
}
export type DocumentView = DocumentViewDto;

export class DocumentListDto {
  @ApiProperty({ type: [DocumentViewDto], description: 'Every version of every document' })
  items: DocumentViewDto[];

  @ApiProperty({ type: [ChecklistItemDto], description: 'The documents the case needs and whether each is satisfied' })
  checklist: ChecklistItemDto[];
}
