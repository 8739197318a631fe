import { Controller, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { refreshHostingUpdate, type CaseView } from '../../../../libs/contracts/src';
import { IdempotencyInterceptor } from '../common/idempotency.interceptor';
import { ActorName, CaseIdPipe } from '../common/request-context';
import { CurrentOperation, type Operation } from '../common/operation';
import { CasesService } from '../cases/cases.service';

/** The hosting facts from the cloud account itself (issue 14). */
@ApiTags('hosting')
@Controller('v1')
@UseInterceptors(IdempotencyInterceptor)
export class HostingController {
  constructor(private readonly cases: CasesService) {}

  @Post('cases/:id/hosting/refresh')
  @HttpCode(200)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key + same body = same answer' })
  @ApiHeader({ name: 'X-Actor', required: false, description: 'Who acts (recorded in the audit trail)' })
  @ApiOperation({
    summary:
      "Pulls the cloud account's live instance and CDN facts into the case: an amendment audited as hosting.refreshed with the differences " +
      '(AWAITING_CERTIFICATE, PREPARING, RETURNED, NOT_REQUIRED; 422 RULE_VIOLATIONS CLOUD_FACTS_UNVERIFIED when no account is configured or it refuses; 503 when it does not answer)',
  })
  refresh(@Param('id', CaseIdPipe) id: string, @ActorName() actor: string, @CurrentOperation() op: Operation): Promise<CaseView> {
    return this.cases.act(id, 'hosting-refresh', refreshHostingUpdate, { actor }, op);
  }
}
