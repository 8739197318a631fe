import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  amendCaseUpdate,
  assignCaseUpdate,
  checkResolutionUpdate,
  recordCertificateApplicationUpdate,
  recordCertificateUpdate,
  recordInitialReviewUpdate,
  recordMiitDecisionUpdate,
  recordPsbFilingUpdate,
  recordSmsVerificationUpdate,
  submitCaseUpdate,
  withdrawCaseUpdate,
  type CaseView,
} from '../../../../libs/contracts/src';
import { ValidationFailedError } from '../../../../libs/domain/src';
import { IdempotencyInterceptor } from '../common/idempotency.interceptor';
import { ActorName, CaseIdPipe, parseIfMatch } from '../common/request-context';
import { CurrentOperation, type Operation } from '../common/operation';
import { factChanges } from './case-facts.mapper';
import { CasesService, type PrecheckResult } from './cases.service';
import {
  AmendCaseDto,
  AssignDto,
  CaseBodyDto,
  CertificateApplicationDto,
  CreateCaseDto,
  InitialReviewDto,
  ListCasesQueryDto,
  MiitDecisionDto,
  PsbFilingDto,
  RecordCertificateDto,
  WithdrawDto,
} from './dto';

const IDEMPOTENCY = ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key + same body = same answer' });
const ACTOR = ApiHeader({ name: 'X-Actor', required: false, description: 'Who acts (recorded in the audit trail)' });

@ApiTags('cases')
@Controller('v1')
@UseInterceptors(IdempotencyInterceptor)
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Post('precheck')
  @HttpCode(200)
  @ApiOperation({ summary: 'Evaluates a case body without creating anything: is a filing required, findings, checklist' })
  precheck(@Body() body: CaseBodyDto): PrecheckResult {
    return this.cases.precheck(body);
  }

  @Post('cases')
  @IDEMPOTENCY
  @ACTOR
  @ApiOperation({ summary: 'Opens a case and starts its workflow' })
  create(@Body() body: CreateCaseDto, @ActorName() actor: string, @CurrentOperation() op: Operation): Promise<CaseView> {
    return this.cases.create(body, actor, op);
  }

  @Get('cases')
  @ApiOperation({ summary: 'Lists cases, newest first, with filters and cursor pagination' })
  list(@Query() query: ListCasesQueryDto) {
    return this.cases.list(query);
  }

  @Get('cases/:id')
  @ApiOperation({ summary: 'One case' })
  get(@Param('id', CaseIdPipe) id: string): Promise<CaseView> {
    return this.cases.get(id);
  }

  @Patch('cases/:id')
  @ACTOR
  @ApiHeader({ name: 'If-Match', required: false, description: 'The case version the amendment was made against' })
  @ApiOperation({ summary: 'Amends the facts (AWAITING_CERTIFICATE, PREPARING, RETURNED, NOT_REQUIRED)' })
  amend(
    @Param('id', CaseIdPipe) id: string,
    @Body() body: AmendCaseDto,
    @Headers('if-match') ifMatch: string | undefined,
    @ActorName() actor: string,
    @CurrentOperation() op: Operation,
  ): Promise<CaseView> {
    const headerVersion = parseIfMatch(ifMatch);
    if (headerVersion !== undefined && body.version !== undefined && headerVersion !== body.version) {
      throw new ValidationFailedError([{ field: 'version', message: 'If-Match and version name different versions' }]);
    }
    const changes = factChanges(body);
    this.cases.assertProvinces({
      submissionProvince: changes.submissionProvince,
      'applicant.certificate.province': changes.applicant?.certificate?.province,
    });
    return this.cases.act(id, 'amend', amendCaseUpdate, { actor, changes, expectedVersion: headerVersion ?? body.version }, op);
  }

  @Get('cases/:id/events')
  @ApiOperation({ summary: 'The audit trail, oldest first' })
  events(@Param('id', CaseIdPipe) id: string) {
    return this.cases.events(id);
  }

  @Post('cases/:id/certificate-application')
  @HttpCode(200)
  @IDEMPOTENCY
  @ACTOR
  @ApiOperation({ summary: 'Records that the representative-office certificate was applied for at the AIC' })
  certificateApplication(
    @Param('id', CaseIdPipe) id: string,
    @Body() body: CertificateApplicationDto,
    @ActorName() actor: string,
    @CurrentOperation() op: Operation,
  ) {
    return this.cases.act(id, 'certificate-application', recordCertificateApplicationUpdate, { actor, ...body }, op);
  }

  @Post('cases/:id/certificate')
  @HttpCode(200)
  @IDEMPOTENCY
  @ACTOR
  @ApiOperation({ summary: 'Records the AIC representative-office certificate' })
  certificate(
    @Param('id', CaseIdPipe) id: string,
    @Body() body: RecordCertificateDto,
    @ActorName() actor: string,
    @CurrentOperation() op: Operation,
  ) {
    const { number, province, validUntil } = body;
    this.cases.assertProvinces({ province });
    return this.cases.act(id, 'certificate', recordCertificateUpdate, { actor, certificate: { number, province, validUntil } }, op);
  }

  @Post('cases/:id/submit')
  @HttpCode(200)
  @IDEMPOTENCY
  @ACTOR
  @ApiOperation({ summary: 'Submits for initial review (422 RULE_VIOLATIONS with the blocking findings)' })
  submit(@Param('id', CaseIdPipe) id: string, @ActorName() actor: string, @CurrentOperation() op: Operation) {
    return this.cases.act(id, 'submit', submitCaseUpdate, { actor }, op);
  }

  @Post('cases/:id/initial-review')
  @HttpCode(200)
  @IDEMPOTENCY
  @ACTOR
  @ApiOperation({ summary: "Records Alibaba Cloud's initial review" })
  initialReview(
    @Param('id', CaseIdPipe) id: string,
    @Body() body: InitialReviewDto,
    @ActorName() actor: string,
    @CurrentOperation() op: Operation,
  ) {
    return this.cases.act(id, 'initial-review', recordInitialReviewUpdate, { actor, decision: body.decision, reasons: body.reasons }, op);
  }

  @Post('cases/:id/sms-verification')
  @HttpCode(200)
  @IDEMPOTENCY
  @ACTOR
  @ApiOperation({ summary: 'Records that the SMS check was completed' })
  smsVerification(@Param('id', CaseIdPipe) id: string, @ActorName() actor: string, @CurrentOperation() op: Operation) {
    return this.cases.act(id, 'sms-verification', recordSmsVerificationUpdate, { actor }, op);
  }

  @Post('cases/:id/miit-decision')
  @HttpCode(200)
  @IDEMPOTENCY
  @ACTOR
  @ApiOperation({ summary: "Records MIIT's decision (422 if the ICP number is invalid)" })
  miitDecision(
    @Param('id', CaseIdPipe) id: string,
    @Body() body: MiitDecisionDto,
    @ActorName() actor: string,
    @CurrentOperation() op: Operation,
  ) {
    const decision = { actor, decision: body.decision, icpNumber: body.icpNumber, reasons: body.reasons };
    return this.cases.act(id, 'miit-decision', recordMiitDecisionUpdate, decision, op);
  }

  @Post('cases/:id/resolution')
  @HttpCode(200)
  @IDEMPOTENCY
  @ACTOR
  @ApiOperation({ summary: 'Checks DNS now (422 DNS_NOT_RESOLVED until each domain resolves as expected)' })
  resolution(@Param('id', CaseIdPipe) id: string, @ActorName() actor: string, @CurrentOperation() op: Operation) {
    return this.cases.act(id, 'resolution', checkResolutionUpdate, { actor }, op);
  }

  @Post('cases/:id/withdraw')
  @HttpCode(200)
  @IDEMPOTENCY
  @ACTOR
  @ApiOperation({ summary: 'Withdraws the case before approval' })
  withdraw(@Param('id', CaseIdPipe) id: string, @Body() body: WithdrawDto, @ActorName() actor: string, @CurrentOperation() op: Operation) {
    return this.cases.act(id, 'withdraw', withdrawCaseUpdate, { actor, reason: body.reason }, op);
  }

  @Post('cases/:id/assign')
  @HttpCode(200)
  @IDEMPOTENCY
  @ACTOR
  @ApiOperation({ summary: 'Assigns the case to an officer (null unassigns)' })
  assign(@Param('id', CaseIdPipe) id: string, @Body() body: AssignDto, @ActorName() actor: string, @CurrentOperation() op: Operation) {
    return this.cases.act(id, 'assign', assignCaseUpdate, { actor, assignee: body.assignee }, op);
  }

  @Post('cases/:id/psb-filing')
  @HttpCode(200)
  @IDEMPOTENCY
  @ACTOR
  @ApiOperation({ summary: 'Records the public-security (PSB) filing after approval' })
  psbFiling(
    @Param('id', CaseIdPipe) id: string,
    @Body() body: PsbFilingDto,
    @ActorName() actor: string,
    @CurrentOperation() op: Operation,
  ) {
    const filing = { actor, recordNumber: body.recordNumber, filedAt: body.filedAt };
    return this.cases.act(id, 'psb-filing', recordPsbFilingUpdate, filing, op);
  }
}
