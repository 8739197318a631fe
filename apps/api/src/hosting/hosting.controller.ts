import { Controller, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { refreshHostingUpdate, type CaseView } from '../../../../libs/contracts/src';
import { CaseETagInterceptor } from '../common/case-etag.interceptor';
import { IdempotencyInterceptor } from '../common/idempotency.interceptor';
import { ActorName, CaseIdPipe } from '../common/request-context';
import { CurrentOperation, type Operation } from '../common/operation';
import { ApiCaseResponse, ApiErrors, ApiIdempotencyKey } from '../openapi/api-responses';
import { CasesService } from '../cases/cases.service';
import { FullPersonalData, Roles, STAFF } from '../auth';

/** The hosting facts from the cloud account itself (issue 14). */
@ApiTags('hosting')
@Controller('v1')
@UseInterceptors(CaseETagInterceptor, IdempotencyInterceptor)
export class HostingController {
  constructor(private readonly cases: CasesService) {}

  @Post('cases/:id/hosting/refresh')
  @Roles(...STAFF)
  @FullPersonalData()
  @HttpCode(200)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary:
      "Pulls the cloud account's live instance and CDN facts into the case: an amendment audited as hosting.refreshed with the differences " +
      '(AWAITING_CERTIFICATE, PREPARING, RETURNED, NOT_REQUIRED; 422 RULE_VIOLATIONS CLOUD_FACTS_UNVERIFIED when no account is configured or it refuses; 503 when it does not answer)',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The case id' })
  @ApiCaseResponse(200, 'The case with the live hosting facts')
  @ApiErrors('CASE_NOT_FOUND', 'TRANSITION_NOT_ALLOWED', 'IDEMPOTENCY_KEY_REUSED', 'SERVICE_UNAVAILABLE', 'RULE_VIOLATIONS')
  refresh(@Param('id', CaseIdPipe) id: string, @ActorName() actor: string, @CurrentOperation() op: Operation): Promise<CaseView> {
    return this.cases.act(id, 'hosting-refresh', refreshHostingUpdate, { actor }, op);
  }
}
