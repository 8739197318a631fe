import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min, ValidateIf } from 'class-validator';
import { DOCUMENT_TYPES, type DocumentType } from '../../../../libs/domain/src';

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

/** A document as the API answers it. */
export interface DocumentView {
  id: string;
  type: string;
  websiteIndex: number | null;
  version: number;
  status: 'PENDING' | 'ACCEPTED' | 'REJECTED';
  current: boolean;
  supersededBy: string | null;
  sha256: string;
  size: number;
  contentType: string;
  filename: string;
  uploadedBy: string;
  uploadedAt: string;
  review: { by: string; at: string; reason: string | null } | null;
}
