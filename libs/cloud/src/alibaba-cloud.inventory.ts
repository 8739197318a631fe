import Alidns, * as $Alidns from '@alicloud/alidns20150109';
import Cdn, * as $Cdn from '@alicloud/cdn20180510';
import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import Ecs, * as $Ecs from '@alicloud/ecs20140526';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import type { AccelerationRegion, LiveCdnDomain, LiveInstance } from '../../domain/src';
import { CloudAccessDeniedError, CloudThrottledError, type CloudInventory, type LiveDnsRecord } from './cloud-inventory';
import type { AlibabaCloudConfig } from './cloud-config';

/** CDN `Coverage` → DOMAIN.md's acceleration region. */
const COVERAGE: Record<string, AccelerationRegion> = {
  domestic: 'MAINLAND',
  global: 'GLOBAL',
  overseas: 'GLOBAL_EXCLUDING_MAINLAND',
};

const PAGE_SIZE = 100;

/** Codes Alibaba Cloud answers when the account may not do this (RAM policy, AccessKey state). */
function isAccessDenied(code: string, status: number | undefined): boolean {
  return (
    status === 403 ||
    /^(Forbidden|NoPermission|InvalidAccessKeyId|SignatureDoesNotMatch|InvalidSecurityToken|Unauthorized|IncompleteSignature)/.test(code)
  );
}

/** Sorts an SDK error into the port's: throttled, denied, or (anything else) transient. */
export function classifyCloudError(error: unknown): unknown {
  const e = error as { code?: unknown; statusCode?: unknown; message?: unknown; data?: { Message?: unknown } };
  const code = typeof e?.code === 'string' ? e.code : '';
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  const message = typeof e?.data?.Message === 'string' ? e.data.Message : String(e?.message ?? error);
  if (/^Throttling/.test(code) || status === 429) return new CloudThrottledError(code || 'Throttling', message);
  if (isAccessDenied(code, status)) return new CloudAccessDeniedError(code || String(status), message);
  return error;
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw classifyCloudError(error);
  }
}

/** `ExpiredTime` is UTC to the minute (`2027-05-31T16:00Z`); the case keeps the China date it ends on. */
export function chinaDateOf(expiredTime: string): string | null {
  const ms = Date.parse(expiredTime);
  if (Number.isNaN(ms)) return null;
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * The Alibaba Cloud adapter of {@link CloudInventory}, on the official SDKs: ECS DescribeRegions and
 * DescribeInstances, CDN DescribeUserDomains, Alidns DescribeDomainRecords. An instance id does not
 * say its region, so the regions the account can see are asked in turn until every id is found.
 */
export class AlibabaCloudInventory implements CloudInventory {
  private readonly credential: Credential;

  constructor(private readonly config: AlibabaCloudConfig) {
    this.credential = new Credential(
      new CredentialConfig(
        config.roleArn
          ? {
              type: 'ram_role_arn',
              accessKeyId: config.accessKeyId,
              accessKeySecret: config.accessKeySecret,
              securityToken: config.securityToken,
              roleArn: config.roleArn,
              roleSessionName: 'icp-cases',
            }
          : config.securityToken
            ? { type: 'sts', accessKeyId: config.accessKeyId, accessKeySecret: config.accessKeySecret, securityToken: config.securityToken }
            : { type: 'access_key', accessKeyId: config.accessKeyId, accessKeySecret: config.accessKeySecret },
      ),
    );
  }

  private sdkConfig(product: string, regionId: string): $OpenApiUtil.Config {
    const override = this.config.endpoint ? new URL(this.config.endpoint) : null;
    return new $OpenApiUtil.Config({
      credential: this.credential,
      regionId,
      endpoint: override ? override.host : `${product}.aliyuncs.com`,
      protocol: override ? override.protocol.replace(':', '') : 'https',
      readTimeout: this.config.timeoutMs,
      connectTimeout: this.config.timeoutMs,
    });
  }

  private ecs(regionId: string): Ecs {
    const config = this.sdkConfig(`ecs.${regionId}`, regionId);
    if (!this.config.endpoint) config.endpoint = `ecs.${regionId}.aliyuncs.com`;
    return new Ecs(config);
  }

  /** The regions to look in: the configured list, else the account's (DescribeRegions). */
  private async regions(): Promise<string[]> {
    if (this.config.regions.length > 0) return this.config.regions;
    const answer = await call(() => this.ecs(this.config.regionId).describeRegions(new $Ecs.DescribeRegionsRequest({ acceptLanguage: 'en-US' })));
    return (answer.body?.regions?.region ?? []).map((r) => r.regionId ?? '').filter(Boolean);
  }

  async describeInstances(instanceIds: string[]): Promise<LiveInstance[]> {
    const wanted = new Set(instanceIds);
    const found: LiveInstance[] = [];
    if (wanted.size === 0) return found;
    for (const regionId of await this.regions()) {
      const ids = [...wanted];
      if (ids.length === 0) break;
      // DescribeInstances takes at most 100 ids in InstanceIds: ask in batches.
      for (let start = 0; start < ids.length; start += PAGE_SIZE) {
        const batch = ids.slice(start, start + PAGE_SIZE);
        let nextToken: string | undefined;
        do {
          const request = new $Ecs.DescribeInstancesRequest({ regionId, instanceIds: JSON.stringify(batch), maxResults: PAGE_SIZE, nextToken });
          const answer = await call(() => this.ecs(regionId).describeInstances(request));
          for (const i of answer.body?.instances?.instance ?? []) {
            if (!i.instanceId || !wanted.has(i.instanceId)) continue;
            wanted.delete(i.instanceId);
            const payAsYouGo = i.instanceChargeType === 'PostPaid';
            found.push({
              instanceId: i.instanceId,
              regionId: i.regionId ?? regionId,
              billing: payAsYouGo ? 'PAY_AS_YOU_GO' : 'SUBSCRIPTION',
              expiresAt: payAsYouGo || !i.expiredTime ? null : chinaDateOf(i.expiredTime),
              publicIp: i.eipAddress?.ipAddress || i.publicIpAddress?.ipAddress?.[0] || null,
              status: i.status ?? null,
              createdAt: i.creationTime ? chinaDateOf(i.creationTime) : null,
            });
          }
          nextToken = answer.body?.nextToken || undefined;
        } while (nextToken);
      }
    }
    return found;
  }

  async describeCdnDomain(domain: string): Promise<LiveCdnDomain | null> {
    const client = new Cdn(this.sdkConfig('cdn', this.config.regionId));
    for (let pageNumber = 1; ; pageNumber += 1) {
      const request = new $Cdn.DescribeUserDomainsRequest({ domainName: domain, domainSearchType: 'full_match', pageNumber, pageSize: PAGE_SIZE });
      const answer = await call(() => client.describeUserDomains(request));
      const page = answer.body?.domains?.pageData ?? [];
      const hit = page.find((d) => d.domainName?.toLowerCase() === domain.toLowerCase());
      if (hit) {
        return {
          domain,
          accelerationRegion: COVERAGE[hit.coverage ?? ''] ?? null,
          cname: hit.cname ?? null,
          status: hit.domainStatus ?? null,
        };
      }
      if (page.length === 0 || pageNumber * PAGE_SIZE >= Number(answer.body?.totalCount ?? 0)) return null;
    }
  }

  async describeDnsRecords(domain: string): Promise<LiveDnsRecord[]> {
    const client = new Alidns(this.sdkConfig('alidns', this.config.regionId));
    const records: LiveDnsRecord[] = [];
    for (let pageNumber = 1; ; pageNumber += 1) {
      const request = new $Alidns.DescribeDomainRecordsRequest({ domainName: domain, pageNumber, pageSize: PAGE_SIZE });
      const answer = await call(() => client.describeDomainRecords(request));
      const page = answer.body?.domainRecords?.record ?? [];
      records.push(
        ...page.map((r) => ({ rr: r.RR ?? '', type: r.type ?? '', value: r.value ?? '', ttl: r.TTL ?? 0, status: r.status ?? '' })),
      );
      if (page.length === 0 || records.length >= Number(answer.body?.totalCount ?? 0)) return records;
    }
  }
}
