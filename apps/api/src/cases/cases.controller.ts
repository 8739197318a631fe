import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
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
import { DomainError, ValidationFailedError } from '../../../../libs/domain/src';
import { CaseETagInterceptor, matchesIfNoneMatch } from '../common/case-etag.interceptor';
import { IdempotencyInterceptor } from '../common/idempotency.interceptor';
import { ApiCaseResponse, ApiErrors, ApiIdempotencyKey, ETAG_HEADER } from '../openapi/api-responses';
import { ActorName, CaseIdPipe, parseIfMatch } from '../common/request-context';
import { APPLICANT_AND_STAFF, CurrentUser, FullPersonalData, OwnCase, Roles, STAFF, type Principal } from '../auth';
import { CurrentOperation, type Operation } from '../common/operation';
import { factChanges } from './case-facts.mapper';
import { CasesService, type CaseScope, type PrecheckResult } from './cases.service';
import {
  AmendCaseDto,
  AssignDto,
  CaseBodyDto,
  CaseEventsDto,
  CaseCountsDto,
  CaseFilterQueryDto,
  CasePageDto,
  CaseSummaryPageDto,
  CertificateApplicationDto,
  CreateCaseDto,
  InitialReviewDto,
  ListCasesQueryDto,
  MiitDecisionDto,
  PrecheckResultDto,
  PsbFilingDto,
  RecordCertificateDto,
  WithdrawDto,
} from './dto';

const IDEMPOTENCY = ApiIdempotencyKey();
const CASE_ID = ApiParam({ name: 'id', format: 'uuid', description: 'The case id' });
/** What every action on an existing case can answer besides its own rules. */
const ACTION_ERRORS = ['CASE_NOT_FOUND', 'TRANSITION_NOT_ALLOWED', 'IDEMPOTENCY_KEY_REUSED', 'SERVICE_UNAVAILABLE'] as const;

@ApiTags('cases')
@Controller('v1')
@UseInterceptors(CaseETagInterceptor, IdempotencyInterceptor)
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Post('precheck')
  @Roles(...APPLICANT_AND_STAFF)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Evaluates a case body without creating anything: is a filing required, findings, checklist. With hosting.instanceIds the ' +
      "instances' facts are read from the cloud account first (INSTANCE_NOT_FOUND for an id it does not have; 422 when no account " +
      'is configured or it refuses; 503 when it does not answer)',
  })
  @ApiOkResponse({ type: PrecheckResultDto, description: 'What the rules say of these facts' })
  @ApiErrors('RULE_VIOLATIONS', 'SERVICE_UNAVAILABLE')
  precheck(@Body() body: CaseBodyDto, @CurrentUser() user: Principal): Promise<PrecheckResult> {
    return this.cases.precheck(body, user.sub);
  }

  @Post('cases')
  @Roles(...APPLICANT_AND_STAFF)
  @FullPersonalData()
  @IDEMPOTENCY
  @ApiOperation({
    summary:
      'Opens a case and starts its workflow. With hosting.instanceIds (instead of hosting.instances) the facts are read from the ' +
      'cloud account by a workflow activity and the case.created event names where they came from; 422 RULE_VIOLATIONS with ' +
      'INSTANCE_NOT_FOUND for an id the account does not have, with CLOUD_FACTS_UNVERIFIED when no account is configured or it ' +
      'refuses (type the facts in); 503 when it does not answer',
  })
  @ApiCaseResponse(201, 'The case, opened (or, for a repeated Idempotency-Key, as first answered)')
  @ApiErrors('IDEMPOTENCY_KEY_REUSED', 'SERVICE_UNAVAILABLE', 'RULE_VIOLATIONS')
  create(@Body() body: CreateCaseDto, @CurrentUser() user: Principal, @CurrentOperation() op: Operation): Promise<CaseView> {
    if (body.assignee !== undefined && user.role !== 'supervisor' && body.assignee !== user.sub) {
      throw new DomainError('FORBIDDEN', 'Only a supervisor assigns a case to someone else', { role: user.role, assignee: body.assignee });
    }
    // An applicant's case belongs to its applicantId claim; staff open cases nobody owns yet.
    return this.cases.create(body, user.sub, op, user.role === 'applicant' ? user.applicantId : null);
  }

  @Get('cases')
  @Roles(...APPLICANT_AND_STAFF)
  @ApiOperation({ summary: 'Lists cases, newest first, with filters and cursor pagination' })
  @ApiOkResponse({ type: CasePageDto, description: 'One page of cases' })
  @ApiErrors('SERVICE_UNAVAILABLE')
  list(@Query() query: ListCasesQueryDto, @CurrentUser() user: Principal) {
    return this.cases.list(query, scopeOf(user));
  }

  // Before cases/:id, so that "summaries" and "counts" are not taken for case ids.
  @Get('cases/summaries')
  @Roles(...APPLICANT_AND_STAFF)
  @ApiOperation({
    summary: "Lists the same page as GET /v1/cases as summaries: a worklist's row (next deadline with business days left), no personal data",
  })
  @ApiOkResponse({ type: CaseSummaryPageDto, description: 'One page of case summaries' })
  @ApiErrors('SERVICE_UNAVAILABLE')
  summaries(@Query() query: ListCasesQueryDto, @CurrentUser() user: Principal) {
    return this.cases.summaries(query, scopeOf(user));
  }

  @Get('cases/counts')
  @Roles(...APPLICANT_AND_STAFF)
  @ApiOperation({ summary: "Counts the cases the list's filters match, in all and by stage (the worklist's counts)" })
  @ApiOkResponse({ type: CaseCountsDto, description: 'The counts' })
  @ApiErrors('SERVICE_UNAVAILABLE')
  counts(@Query() query: CaseFilterQueryDto, @CurrentUser() user: Principal) {
    return this.cases.counts(query, scopeOf(user));
  }

  @Get('cases/:id')
  @Roles(...APPLICANT_AND_STAFF)
  @OwnCase()
  @FullPersonalData()
  @ApiOperation({ summary: 'One case' })
  @CASE_ID
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag held: 304 while the case is still at that version' })
  @ApiCaseResponse(200, 'The case')
  @ApiResponse({ status: 304, description: 'The case is still at the version named in If-None-Match', headers: ETAG_HEADER })
  @ApiErrors('CASE_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  async get(
    @Param('id', CaseIdPipe) id: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CaseView> {
    const view = await this.cases.get(id);
    if (matchesIfNoneMatch(ifNoneMatch, view.version)) res.status(304);
    return view;
  }

  @Patch('cases/:id')
  @Roles(...APPLICANT_AND_STAFF)
  @OwnCase()
  @FullPersonalData()
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag (case version, `"7"`) the amendment was made against' })
  @CASE_ID
  @ApiOperation({ summary: 'Amends the facts (AWAITING_CERTIFICATE, PREPARING, RETURNED, NOT_REQUIRED)' })
  @ApiCaseResponse(200, 'The amended case')
  @ApiErrors('CASE_NOT_FOUND', 'TRANSITION_NOT_ALLOWED', 'VERSION_CONFLICT', 'RULE_VIOLATIONS', 'SERVICE_UNAVAILABLE')
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
  @Roles(...APPLICANT_AND_STAFF)
  @OwnCase()
  @FullPersonalData()
  @ApiOperation({ summary: 'The audit trail, oldest first' })
  @CASE_ID
  @ApiOkResponse({ type: CaseEventsDto, description: 'Every event of the case' })
  @ApiErrors('CASE_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  events(@Param('id', CaseIdPipe) id: string) {
    return this.cases.events(id);
  }

  @Post('cases/:id/certificate-application')
  @Roles(...STAFF)
  @FullPersonalData()
  @HttpCode(200)
  @IDEMPOTENCY
  @ApiOperation({ summary: 'Records that the representative-office certificate was applied for at the AIC' })
  @CASE_ID
  @ApiCaseResponse(200, 'The case after the action')
  @ApiErrors(...ACTION_ERRORS)
  certificateApplication(
    @Param('id', CaseIdPipe) id: string,
    @Body() body: CertificateApplicationDto,
    @ActorName() actor: string,
    @CurrentOperation() op: Operation,
  ) {
    return this.cases.act(id, 'certificate-application', recordCertificateApplicationUpdate, { actor, ...body }, op);
  }

  @Post('cases/:id/certificate')
  @Roles(...STAFF)
  @FullPersonalData()
  @HttpCode(200)
  @IDEMPOTENCY
  @ApiOperation({ summary: 'Records the AIC representative-office certificate' })
  @CASE_ID
  @ApiCaseResponse(200, 'The case after the action')
  @ApiErrors(...ACTION_ERRORS)
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
  @Roles(...STAFF)
  @FullPersonalData()
  @HttpCode(200)
  @IDEMPOTENCY
  @ApiOperation({ summary: 'Submits for initial review (422 RULE_VIOLATIONS with the blocking findings)' })
  @CASE_ID
  @ApiCaseResponse(200, 'The case after the action')
  @ApiErrors(...ACTION_ERRORS, 'RULE_VIOLATIONS')
  submit(@Param('id', CaseIdPipe) id: string, @ActorName() actor: string, @CurrentOperation() op: Operation) {
    return this.cases.act(id, 'submit', submitCaseUpdate, { actor }, op);
  }

  @Post('cases/:id/initial-review')
  @Roles(...STAFF)
  @FullPersonalData()
  @HttpCode(200)
  @IDEMPOTENCY
  @ApiOperation({ summary: "Records Alibaba Cloud's initial review" })
  @CASE_ID
  @ApiCaseResponse(200, 'The case after the action')
  @ApiErrors(...ACTION_ERRORS)
  initialReview(
    @Param('id', CaseIdPipe) id: string,
    @Body() body: InitialReviewDto,
    @ActorName() actor: string,
    @CurrentOperation() op: Operation,
  ) {
    return this.cases.act(id, 'initial-review', recordInitialReviewUpdate, { actor, decision: body.decision, reasons: body.reasons }, op);
  }

  @Post('cases/:id/sms-verification')
  @Roles(...STAFF)
  @FullPersonalData()
  @HttpCode(200)
  @IDEMPOTENCY
  @ApiOperation({ summary: 'Records that the SMS check was completed' })
  @CASE_ID
  @ApiCaseResponse(200, 'The case after the action')
  @ApiErrors(...ACTION_ERRORS)
  smsVerification(@Param('id', CaseIdPipe) id: string, @ActorName() actor: string, @CurrentOperation() op: Operation) {
    return this.cases.act(id, 'sms-verification', recordSmsVerificationUpdate, { actor }, op);
  }

  @Post('cases/:id/miit-decision')
  @Roles(...STAFF)
  @FullPersonalData()
  @HttpCode(200)
  @IDEMPOTENCY
  @ApiOperation({ summary: "Records MIIT's decision (422 if the ICP number is invalid)" })
  @CASE_ID
  @ApiCaseResponse(200, 'The case after the action')
  @ApiErrors(...ACTION_ERRORS, 'RULE_VIOLATIONS')
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
  @Roles(...STAFF)
  @FullPersonalData()
  @HttpCode(200)
  @IDEMPOTENCY
  @ApiOperation({ summary: 'Checks DNS now (422 DNS_NOT_RESOLVED until each domain resolves as expected)' })
  @CASE_ID
  @ApiCaseResponse(200, 'The case after the action')
  @ApiErrors(...ACTION_ERRORS, 'RULE_VIOLATIONS')
  resolution(@Param('id', CaseIdPipe) id: string, @ActorName() actor: string, @CurrentOperation() op: Operation) {
    return this.cases.act(id, 'resolution', checkResolutionUpdate, { actor }, op);
  }

  @Post('cases/:id/withdraw')
  @Roles(...APPLICANT_AND_STAFF)
  @OwnCase()
  @FullPersonalData()
  @HttpCode(200)
  @IDEMPOTENCY
  @ApiOperation({ summary: 'Withdraws the case before approval' })
  @CASE_ID
  @ApiCaseResponse(200, 'The case after the action')
  @ApiErrors(...ACTION_ERRORS)
  withdraw(@Param('id', CaseIdPipe) id: string, @Body() body: WithdrawDto, @ActorName() actor: string, @CurrentOperation() op: Operation) {
    return this.cases.act(id, 'withdraw', withdrawCaseUpdate, { actor, reason: body.reason }, op);
  }

  @Post('cases/:id/assign')
  @Roles(...STAFF)
  @FullPersonalData()
  @HttpCode(200)
  @IDEMPOTENCY
  @ApiOperation({ summary: 'Assigns the case to an officer (null unassigns)' })
  @CASE_ID
  @ApiCaseResponse(200, 'The case after the action')
  @ApiErrors(...ACTION_ERRORS)
  assign(@Param('id', CaseIdPipe) id: string, @Body() body: AssignDto, @CurrentUser() user: Principal, @CurrentOperation() op: Operation) {
    if (user.role !== 'supervisor' && body.assignee !== user.sub) {
      throw new DomainError('FORBIDDEN', 'An officer assigns cases to itself only; a supervisor assigns anyone', {
        role: user.role,
        assignee: body.assignee,
      });
    }
    return this.cases.act(id, 'assign', assignCaseUpdate, { actor: user.sub, assignee: body.assignee }, op);
  }

  @Post('cases/:id/psb-filing')
  @Roles(...STAFF)
  @FullPersonalData()
  @HttpCode(200)
  @IDEMPOTENCY
  @ApiOperation({ summary: 'Records the public-security (PSB) filing after approval' })
  @CASE_ID
  @ApiCaseResponse(200, 'The case after the action')
  @ApiErrors(...ACTION_ERRORS)
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

/** An applicant lists and counts its own cases only. */
function scopeOf(user: Principal): CaseScope {
  return user.role === 'applicant' ? { applicantId: user.applicantId ?? '' } : 'all';
}
