import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/activity';
import { AppConfig } from '../../../../libs/config/src';
import { AlibabaCloudInventory, CloudAccessDeniedError, CloudThrottledError, type CloudInventory } from '../../../../libs/cloud/src';
import type { HostingActivities, VerifyHostingInput } from '../../../../libs/contracts/src';
import type { HostingCheck, LiveCdnDomain } from '../../../../libs/domain/src';

/** The cloud account's inventory, or `null` when no account is configured. */
export const CLOUD_INVENTORY = Symbol('CLOUD_INVENTORY');

export const cloudInventoryProvider = {
  provide: CLOUD_INVENTORY,
  inject: [AppConfig],
  useFactory: ({ alibabaCloud }: AppConfig): CloudInventory | null => (alibabaCloud ? new AlibabaCloudInventory(alibabaCloud) : null),
};

/** How long a throttled call waits before Temporal tries it again (the API's flow control resets per second to minute). */
export const THROTTLED_RETRY_DELAY = '10 seconds';

@Injectable()
export class HostingActivitiesService implements HostingActivities {
  private readonly logger = new Logger(HostingActivitiesService.name);

  constructor(@Inject(CLOUD_INVENTORY) private readonly inventory: CloudInventory | null) {}

  async verifyHosting({ instanceIds, cdnDomains }: VerifyHostingInput): Promise<HostingCheck> {
    const checkedAt = new Date().toISOString();
    if (!this.inventory) return { outcome: 'NOT_CONFIGURED', checkedAt };
    try {
      const instances = await this.inventory.describeInstances(instanceIds);
      const cdn: LiveCdnDomain[] = [];
      for (const domain of cdnDomains) {
        const live = await this.inventory.describeCdnDomain(domain);
        if (live) cdn.push(live);
      }
      return { outcome: 'CHECKED', checkedAt, instances, cdn };
    } catch (error) {
      if (error instanceof CloudAccessDeniedError) {
        this.logger.warn(`The cloud account refused: ${error.code}`);
        return { outcome: 'DENIED', checkedAt, code: error.code, message: error.message };
      }
      if (error instanceof CloudThrottledError) {
        throw ApplicationFailure.create({
          type: 'CloudThrottled',
          message: `${error.code}: ${error.message}`,
          nextRetryDelay: THROTTLED_RETRY_DELAY,
        });
      }
      throw error;
    }
  }

  asActivities(): HostingActivities {
    return { verifyHosting: (input) => this.verifyHosting(input) };
  }
}
