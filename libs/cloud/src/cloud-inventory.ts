import type { LiveCdnDomain, LiveInstance } from '../../domain/src';

/** One DNS record of a domain as the account's DNS service holds it. */
export interface LiveDnsRecord {
  /** Host record: `@`, `www`, … */
  rr: string;
  type: string;
  value: string;
  ttl: number;
  status: 'ENABLE' | 'DISABLE' | string;
}

/**
 * The port: what a cloud account says of the hosting named on a case. Adapters answer for one
 * account (its credentials come from configuration). Instances the account does not have are
 * simply absent from the answer; a domain the CDN does not accelerate is `null`.
 */
export interface CloudInventory {
  describeInstances(instanceIds: string[]): Promise<LiveInstance[]>;
  describeCdnDomain(domain: string): Promise<LiveCdnDomain | null>;
  describeDnsRecords(domain: string): Promise<LiveDnsRecord[]>;
}

/** The account refused the call (missing RAM permission, wrong or disabled AccessKey). Not retried. */
export class CloudAccessDeniedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CloudAccessDeniedError';
  }
}

/** The API throttled the account (`Throttling.User`, …): retry later, not at once. */
export class CloudThrottledError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CloudThrottledError';
  }
}
