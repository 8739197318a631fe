import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call as the SDK sent it: the RPC action and version (headers), and the parameters. */
export interface CloudCall {
  action: string;
  version: string;
  params: Record<string, string>;
  host: string;
  signed: boolean;
}

export type CloudAnswer = { status: number; body: Record<string, unknown> };
export type CloudHandler = (call: CloudCall) => CloudAnswer | undefined | Promise<CloudAnswer | undefined>;

export interface FakeAlibabaCloudApi {
  /** `http://127.0.0.1:PORT`, for ICP_ALIBABA_CLOUD_ENDPOINT. */
  endpoint: string;
  calls: CloudCall[];
  /** Answers by the handler (at once or later); `undefined` from it answers 404 InvalidAction.NotFound. */
  handle(handler: CloudHandler): void;
  close(): Promise<void>;
}

/** An error answer as Alibaba Cloud's RPC APIs send it (`Code`, `Message`, `RequestId`, `HostId`). */
export function cloudError(status: number, code: string, message: string): CloudAnswer {
  return { status, body: { RequestId: 'E0A1C3C2-0000-4000-8000-000000000000', HostId: 'ecs.aliyuncs.com', Code: code, Message: message } };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A local HTTP endpoint that speaks the Alibaba Cloud RPC API's JSON (V3 requests: `x-acs-action`
 * and `x-acs-version` headers, parameters in the query string or a form body). Not a stub of the
 * adapter: the real SDK signs and sends real requests to it, and the tests check what arrives.
 */
export async function startFakeAlibabaCloudApi(): Promise<FakeAlibabaCloudApi> {
  const calls: CloudCall[] = [];
  let handler: CloudHandler = () => undefined;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const body = await readBody(req);
      const params: Record<string, string> = Object.fromEntries(url.searchParams);
      if (body && String(req.headers['content-type'] ?? '').includes('form')) Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
      const call: CloudCall = {
        action: String(req.headers['x-acs-action'] ?? params.Action ?? ''),
        version: String(req.headers['x-acs-version'] ?? params.Version ?? ''),
        params,
        host: String(req.headers.host ?? ''),
        signed: /^ACS3-HMAC-SHA256 Credential=/.test(String(req.headers.authorization ?? '')) || Boolean(params.Signature),
      };
      calls.push(call);
      const answer = (await handler(call)) ?? cloudError(404, 'InvalidAction.NotFound', `Specified api ${call.action} is not found`);
      res.writeHead(answer.status, { 'content-type': 'application/json;charset=utf-8', 'x-acs-request-id': 'E0A1C3C2-0000-4000-8000-000000000000' });
      res.end(JSON.stringify(answer.body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    handle(h) {
      handler = h;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An ECS instance as DescribeInstances answers it (API reference, 2014-05-26), abridged to what matters here. */
export function ecsInstance(
  id: string,
  o: { regionId?: string; chargeType?: 'PrePaid' | 'PostPaid'; expiredTime?: string; publicIp?: string | null; eip?: string; status?: string } = {},
): Record<string, unknown> {
  return {
    InstanceId: id,
    InstanceName: id,
    RegionId: o.regionId ?? 'cn-hangzhou',
    ZoneId: `${o.regionId ?? 'cn-hangzhou'}-h`,
    InstanceType: 'ecs.g7.large',
    Status: o.status ?? 'Running',
    InstanceChargeType: o.chargeType ?? 'PrePaid',
    InternetChargeType: 'PayByTraffic',
    ExpiredTime: o.expiredTime ?? (o.chargeType === 'PostPaid' ? '2099-12-31T15:59Z' : '2027-11-29T16:00Z'),
    CreationTime: '2026-11-29T08:00Z',
    PublicIpAddress: { IpAddress: o.publicIp === null || o.eip ? [] : [o.publicIp ?? '47.98.1.2'] },
    EipAddress: { IpAddress: o.eip ?? '', AllocationId: o.eip ? 'eip-1' : '', InternetChargeType: '' },
    VpcAttributes: { VpcId: 'vpc-1', VSwitchId: 'vsw-1', PrivateIpAddress: { IpAddress: ['172.16.0.10'] }, NatIpAddress: '' },
  };
}

/** A DescribeInstances answer (token paging: NextToken empty on the last page). */
export function describeInstancesAnswer(instances: Record<string, unknown>[], nextToken = ''): CloudAnswer {
  return {
    status: 200,
    body: { RequestId: 'R-1', TotalCount: instances.length, PageSize: 100, PageNumber: 1, NextToken: nextToken, Instances: { Instance: instances } },
  };
}

/** A DescribeRegions answer. */
export function describeRegionsAnswer(regions: string[]): CloudAnswer {
  return {
    status: 200,
    body: { RequestId: 'R-2', Regions: { Region: regions.map((r) => ({ RegionId: r, LocalName: r, RegionEndpoint: `ecs.${r}.aliyuncs.com`, Status: 'available' })) } },
  };
}

/** A CDN DescribeUserDomains answer (page-number paging). */
export function describeUserDomainsAnswer(
  domains: { domain: string; coverage: string; cname: string; status?: string }[],
  page = { number: 1, size: 100, total: domains.length },
): CloudAnswer {
  return {
    status: 200,
    body: {
      RequestId: 'R-3',
      PageNumber: page.number,
      PageSize: page.size,
      TotalCount: page.total,
      Domains: {
        PageData: domains.map((d) => ({
          DomainName: d.domain,
          Cname: d.cname,
          Coverage: d.coverage,
          CdnType: 'web',
          DomainStatus: d.status ?? 'online',
          SslProtocol: 'on',
          Sandbox: 'normal',
          GmtCreated: '2026-11-01T08:00:00Z',
          Sources: { Source: [{ Type: 'ipaddr', Content: '47.98.1.2', Port: 80, Priority: '20', Weight: '10' }] },
        })),
      },
    },
  };
}

/** An Alidns DescribeDomainRecords answer (page-number paging). */
export function describeDomainRecordsAnswer(
  records: { rr: string; type: string; value: string }[],
  page = { number: 1, size: 100, total: records.length },
): CloudAnswer {
  return {
    status: 200,
    body: {
      RequestId: 'R-4',
      PageNumber: page.number,
      PageSize: page.size,
      TotalCount: page.total,
      DomainRecords: {
        Record: records.map((r, n) => ({
          DomainName: 'example.cn',
          RecordId: `rec-${page.number}-${n}`,
          RR: r.rr,
          Type: r.type,
          Value: r.value,
          TTL: 600,
          Line: 'default',
          Status: 'ENABLE',
          Locked: false,
          Weight: 1,
        })),
      },
    },
  };
}
