import { Injectable } from '@nestjs/common';
import { CaseProjectionRepository } from '../../../../libs/persistence/src';
import type {
  CaseActivities,
  CheckResolutionInput,
  CheckResolutionResult,
  ClaimOrderInput,
  ClaimOrderResult,
  FindOpenOrdersInput,
  FindOpenOrdersResult,
  ProjectCaseInput,
} from '../../../../libs/contracts/src';
import { DnsResolutionChecker } from './dns-resolution.checker';

/** The case workflow's side effects, as a Nest provider: repositories and clients come by DI. */
@Injectable()
export class CaseActivitiesService implements CaseActivities {
  constructor(
    private readonly projection: CaseProjectionRepository,
    private readonly dns: DnsResolutionChecker,
  ) {}

  async projectCase(input: ProjectCaseInput): Promise<void> {
    await this.projection.project(input);
  }

  async findOpenOrders({ caseId, entityKey }: FindOpenOrdersInput): Promise<FindOpenOrdersResult> {
    return { references: await this.projection.findOpenOrders(caseId, entityKey) };
  }

  async claimOrder(input: ClaimOrderInput): Promise<ClaimOrderResult> {
    return this.projection.claimOrder(input);
  }

  async checkResolution(input: CheckResolutionInput): Promise<CheckResolutionResult> {
    return this.dns.check(input);
  }

  /** The functions the Temporal worker registers, bound to this provider. */
  asActivities(): CaseActivities {
    return {
      projectCase: (input) => this.projectCase(input),
      findOpenOrders: (input) => this.findOpenOrders(input),
      claimOrder: (input) => this.claimOrder(input),
      checkResolution: (input) => this.checkResolution(input),
    };
  }
}
