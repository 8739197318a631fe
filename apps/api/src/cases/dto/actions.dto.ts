import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { STAGES, type Stage } from '../../../../../libs/domain/src';
import { CertificateDto } from './case-body.dto';
import { PageQueryDto } from '../../common/page-query.dto';
import { IsDateOnly, PROVINCE_CODE } from './validators';

export class RecordCertificateDto extends CertificateDto {}

export class CertificateApplicationDto {
  @ApiProperty({ example: 'Hangzhou Administration for Industry and Commerce' })
  @IsString() @IsNotEmpty() @MaxLength(200)
  authority: string;

  @ApiProperty({ example: '2026-11-02', format: 'date' })
  @IsDateOnly()
  appliedAt: string;
}

export class InitialReviewDto {
  @ApiProperty({ enum: ['APPROVED', 'RETURNED'] })
  @IsIn(['APPROVED', 'RETURNED'])
  decision: 'APPROVED' | 'RETURNED';

  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(1000, { each: true })
  reasons?: string[];
}

export class MiitDecisionDto {
  @ApiProperty({ enum: ['APPROVED', 'REJECTED'] })
  @IsIn(['APPROVED', 'REJECTED'])
  decision: 'APPROVED' | 'REJECTED';

  @ApiPropertyOptional({ example: '浙ICP备12345678号-1', description: 'Required with APPROVED' })
  @ValidateIf((o: MiitDecisionDto) => o.decision === 'APPROVED' || o.icpNumber !== undefined)
  @IsString() @IsNotEmpty({ message: 'icpNumber is required when the decision is APPROVED' }) @MaxLength(40)
  icpNumber?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(1000, { each: true })
  reasons?: string[];
}

export class WithdrawDto {
  @ApiProperty({ example: 'The applicant moved the site to Hong Kong' })
  @IsString() @IsNotEmpty() @MaxLength(1000)
  reason: string;
}

export class AssignDto {
  @ApiProperty({ type: String, example: 'officer.zhang', nullable: true, description: 'null to unassign' })
  @ValidateIf((o: AssignDto) => o.assignee !== null)
  @IsString() @IsNotEmpty() @MaxLength(200)
  assignee: string | null;
}

export class PsbFilingDto {
  @ApiProperty({ example: '33010602012345' })
  @IsString() @IsNotEmpty() @MaxLength(64)
  recordNumber: string;

  @ApiProperty({ example: '2026-12-01', format: 'date' })
  @IsDateOnly()
  filedAt: string;
}

/** The list's filters, shared by GET /v1/cases and GET /v1/cases/counts. */
export class CaseFilterQueryDto {
  @ApiPropertyOptional({ enum: STAGES })
  @IsOptional() @IsIn(STAGES)
  stage?: Stage;

  @ApiPropertyOptional({ example: 'CN-ZJ' })
  @IsOptional() @Matches(PROVINCE_CODE, { message: 'province must be an ISO 3166-2:CN code such as CN-ZJ' })
  province?: string;

  @ApiPropertyOptional()
  @IsOptional() @IsString() @MaxLength(200)
  assignee?: string;

  @ApiPropertyOptional({ description: 'Only cases nobody is assigned to (not with assignee)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false], { message: 'unassigned must be true or false' })
  unassigned?: boolean;

  @ApiPropertyOptional({ description: 'Only cases with a deadline that has passed' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false], { message: 'overdue must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ description: 'Only cases with a running deadline (SMS, review, PSB filing) at or before this instant', format: 'date-time' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'dueBefore must be an ISO-8601 instant such as 2026-12-01T00:00:00Z' })
  dueBefore?: string;

  @ApiPropertyOptional({ description: 'Free text: applicant or website name, domain, reference, ICP number' })
  @IsOptional() @IsString() @MaxLength(200)
  q?: string;

}

export class ListCasesQueryDto extends IntersectionType(CaseFilterQueryDto, PageQueryDto) {}
