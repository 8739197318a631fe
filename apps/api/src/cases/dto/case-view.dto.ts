import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import type { CaseEventRecord, CaseSummary, CaseView } from '../../../../../libs/contracts/src';
import type { PrecheckResult } from '../cases.service';
import { ACTIONS, DOCUMENT_TYPES, FILING_TYPES, RULE_IDS, STAGES, type Action, type DocumentType, type FilingType, type RuleId, type RunningDeadlineName, type Severity, type Stage } from '../../../../../libs/domain/src';
import { ApplicantDto, CdnDto, InstanceDto, SlbDto, WebsiteDto } from './case-body.dto';

/**
 * What the API answers, as classes only so that @nestjs/swagger can publish them: the types the
 * code returns are `CaseView` and friends in libs/contracts; the type checks at the end of this
 * file keep both in step (and the end-to-end tests validate every answer against the document).
 */
const SEVERITIES: readonly Severity[] = ['BLOCKING', 'WARNING', 'INFO', 'REMINDER'];

/** A case's hosting as answered: always its instances (with their facts), whether typed in or read from the cloud account. */
export class HostingViewDto {
  @ApiProperty({ type: [InstanceDto] })
  instances: InstanceDto[];

  @ApiPropertyOptional({ type: SlbDto, nullable: true })
  slb?: SlbDto | null;

  @ApiPropertyOptional({ type: CdnDto, nullable: true })
  cdn?: CdnDto | null;
}

export class FindingDto {
  @ApiProperty({ enum: RULE_IDS })
  rule: RuleId;

  @ApiProperty({ enum: SEVERITIES })
  severity: Severity;

  @ApiProperty({ example: 'The instance is billed pay-as-you-go; a subscription is required' })
  message: string;

  @ApiProperty({ example: 'hosting.instances[0].billing', description: 'Where in the facts the finding points' })
  path: string;
}

export class DeadlinesDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  smsVerificationDue: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  reviewDue: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  psbFilingDue: string | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'Alibaba Cloud initial review due (2 business days)' })
  initialReviewDue?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: "MIIT review due (the province's limit in business days)" })
  miitReviewDue?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, description: 'Earliest expiry of the filing instance' })
  instanceExpiresOn?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, description: 'The day the instance expiry warning starts' })
  instanceExpiryWarningFrom?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, description: "The entity certificate's expiry" })
  certificateExpiresOn?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, description: 'The day the certificate expiry warning starts' })
  certificateExpiryWarningFrom?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, description: 'After approval: renew the instance by this day or the filing is at risk' })
  instanceRenewalDue?: string | null;

  @ApiPropertyOptional({
    type: [String],
    description: 'Deadlines counted past the working calendar data (Monday to Friday), with a CALENDAR_ESTIMATED finding',
  })
  estimated?: string[];
}

export class CertificateApplicationViewDto {
  @ApiProperty({ example: 'Hangzhou Administration for Industry and Commerce' })
  authority: string;

  @ApiProperty({ format: 'date', example: '2026-11-02' })
  appliedAt: string;
}

export class PsbFilingViewDto {
  @ApiProperty({ example: '33010602012345' })
  recordNumber: string;

  @ApiProperty({ format: 'date', example: '2026-12-01' })
  filedAt: string;
}

export class WithdrawalViewDto {
  @ApiProperty({ example: 'The applicant moved the site to Hong Kong' })
  reason: string;
}

export class CaseDocumentStateDto {
  @ApiProperty({ format: 'uuid', required: false, description: 'The current version of the slot' })
  id?: string;

  @ApiProperty({ enum: DOCUMENT_TYPES })
  type: DocumentType;

  @ApiProperty({ type: Number, nullable: true, description: 'The website a per-website document belongs to (0-based)' })
  websiteIndex: number | null;

  @ApiProperty({ enum: ['PENDING', 'ACCEPTED', 'REJECTED'] })
  status: 'PENDING' | 'ACCEPTED' | 'REJECTED';
}

export class CaseViewDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: "The applicant who owns the case (the applicantId claim of the token that opened it); null for cases staff opened" })
  applicantId?: string | null;

  @ApiProperty({ example: 'ICP-2026-000042' })
  reference: string;

  @ApiProperty({ enum: STAGES })
  stage: Stage;

  @ApiProperty({ example: 3, description: 'Grows with every change; the ETag of the case ("3"), what If-Match takes' })
  version: number;

  @ApiProperty({ enum: FILING_TYPES })
  filingType: FilingType;

  @ApiProperty({ example: 'CN-ZJ' })
  submissionProvince: string;

  @ApiProperty({ type: ApplicantDto })
  applicant: ApplicantDto;

  @ApiProperty({ type: [WebsiteDto] })
  websites: WebsiteDto[];

  @ApiProperty({ type: HostingViewDto })
  hosting: HostingViewDto;

  @ApiProperty({ type: [FindingDto] })
  findings: FindingDto[];

  @ApiProperty({ type: String, nullable: true, example: '浙ICP备12345678号-1' })
  icpNumber: string | null;

  @ApiProperty({ type: DeadlinesDto })
  deadlines: DeadlinesDto;

  @ApiProperty({ type: String, nullable: true, example: 'officer.zhang' })
  assignee: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ enum: ACTIONS, isArray: true, description: 'What the case accepts next' })
  allowedActions: Action[];

  @ApiProperty({ type: [String], description: 'Why the initial review or MIIT returned the case' })
  returnReasons: string[];

  @ApiProperty({ type: CertificateApplicationViewDto, nullable: true })
  certificateApplication: CertificateApplicationViewDto | null;

  @ApiProperty({ type: PsbFilingViewDto, nullable: true })
  psbFiling: PsbFilingViewDto | null;

  @ApiProperty({ type: WithdrawalViewDto, nullable: true })
  withdrawal: WithdrawalViewDto | null;

  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'The day the site went live (set when resolution is verified); the PSB filing counts from it' })
  liveAt: string | null;

  @ApiProperty({ type: [CaseDocumentStateDto], description: 'The current document of each slot (GET …/documents has every version)' })
  documents: CaseDocumentStateDto[];
}

export class CaseSummaryApplicantDto {
  @ApiProperty({ example: 'Contoso GmbH' })
  name: string;

  @ApiProperty({ example: 'DE' })
  countryOfRegistration: string;
}

export class NextDeadlineDto {
  @ApiProperty({ enum: ['smsVerificationDue', 'reviewDue', 'psbFilingDue'], description: 'Which deadline of the case view it is' })
  name: RunningDeadlineName;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ example: 3, description: 'Mainland business days from today to the due day (China time); 0 on the day, negative once overdue' })
  businessDaysLeft: number;

  @ApiProperty()
  overdue: boolean;
}

/** A list row: the case at a glance; GET /v1/cases/{id} has the whole view. */
export class CaseSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'ICP-2026-000042' })
  reference: string;

  @ApiProperty({ enum: STAGES })
  stage: Stage;

  @ApiProperty()
  version: number;

  @ApiProperty({ enum: FILING_TYPES })
  filingType: FilingType;

  @ApiProperty({ example: 'CN-ZJ' })
  submissionProvince: string;

  @ApiProperty({ type: CaseSummaryApplicantDto })
  applicant: CaseSummaryApplicantDto;

  @ApiProperty({ type: String, nullable: true, description: 'The applicant (token claim) who owns the case; null when staff opened it' })
  applicantId: string | null;

  @ApiProperty({ type: [String], example: ['example.cn'], description: 'Every domain of every website' })
  domains: string[];

  @ApiProperty({ type: String, nullable: true })
  assignee: string | null;

  @ApiProperty({ type: String, nullable: true })
  icpNumber: string | null;

  @ApiProperty({ type: NextDeadlineDto, nullable: true, description: 'The earliest running deadline (SMS check, review, PSB filing)' })
  nextDeadline: NextDeadlineDto | null;

  @ApiProperty({ description: 'BLOCKING findings on the case now' })
  blockingFindings: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class CasePageDto {
  @ApiProperty({ type: [CaseSummaryDto], description: 'Summaries, newest first' })
  items: CaseSummaryDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}

export class CaseCountsDto {
  @ApiProperty({ description: 'Cases matching the filters' })
  total: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { PREPARING: 12, MIIT_REVIEW: 4 },
    description: 'Cases by stage; stages with none are left out',
  })
  byStage: Partial<Record<Stage, number>>;
}

export class CaseEventDto {
  @ApiProperty({ example: 1, description: 'Position in the case history, from 1' })
  seq: number;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ example: 'officer.zhang' })
  actor: string;

  @ApiProperty({ example: 'CASE_OPENED' })
  type: string;

  @ApiProperty({ type: String, enum: [...STAGES, null], nullable: true, description: 'null for the event that opened the case' })
  fromStage: string | null;

  @ApiProperty({ enum: STAGES })
  toStage: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What the event recorded (depends on its type)' })
  data: Record<string, unknown>;
}

export class CaseEventsDto {
  @ApiProperty({ type: [CaseEventDto] })
  items: CaseEventDto[];
}

export class ChecklistItemDto {
  @ApiProperty({ enum: DOCUMENT_TYPES })
  type: DocumentType;

  @ApiProperty({ type: Number, nullable: true })
  websiteIndex: number | null;

  @ApiProperty()
  satisfied: boolean;
}

export class PrecheckResultDto {
  @ApiProperty({ description: 'Whether the site needs an ICP filing at all' })
  filingRequired: boolean;

  @ApiProperty({ type: [FindingDto] })
  findings: FindingDto[];

  @ApiProperty({ type: [ChecklistItemDto] })
  checklist: ChecklistItemDto[];

  @ApiPropertyOptional({
    type: HostingViewDto,
    description: 'With hosting.instanceIds: the hosting facts read from the cloud account, as the rules judged them',
  })
  hosting?: HostingViewDto;
}

/** Compile-time only: each answer fits its published class, and has no field the class leaves out. */
type Check<T extends true> = T;
type Publishes<Actual extends Dto, Dto> = Exclude<keyof Actual, keyof Dto> extends never ? true : false;
export type _PublishedAnswers = [
  Check<Publishes<CaseView, CaseViewDto>>,
  Check<Publishes<CaseSummary, CaseSummaryDto>>,
  Check<Publishes<CaseEventRecord, CaseEventDto>>,
  Check<Publishes<PrecheckResult, PrecheckResultDto>>,
];
