import {
  cloudError,
  describeDomainRecordsAnswer,
  describeInstancesAnswer,
  describeRegionsAnswer,
  describeUserDomainsAnswer,
  ecsInstance,
  startFakeAlibabaCloudApi,
  type FakeAlibabaCloudApi,
} from '../../../test/support/alibaba-cloud-api';
import { AlibabaCloudInventory } from './alibaba-cloud.inventory';
import { loadAlibabaCloudConfig, type AlibabaCloudConfig } from './cloud-config';
import { CloudAccessDeniedError, CloudThrottledError } from './cloud-inventory';

/** The real SDKs against a local endpoint speaking the RPC API's JSON (no stub of the adapter). */
describe('AlibabaCloudInventory (official SDKs against a local RPC endpoint)', () => {
  let api: FakeAlibabaCloudApi;
  let config: AlibabaCloudConfig;
  beforeAll(async () => {
    api = await startFakeAlibabaCloudApi();
    config = loadAlibabaCloudConfig({
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI-test',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret',
      ICP_ALIBABA_CLOUD_ENDPOINT: api.endpoint,
    })!;
  });
  afterAll(() => api.close());
  beforeEach(() => api.calls.splice(0));

  const inventory = (overrides: Partial<AlibabaCloudConfig> = {}) => new AlibabaCloudInventory({ ...config, ...overrides });

  describe('ECS DescribeRegions + DescribeInstances', () => {
    it('looks in each region of the account, sends the ids as a JSON list, and reads charge type, expiry, IP, status', async () => {
      api.handle((call) => {
        if (call.action === 'DescribeRegions') return describeRegionsAnswer(['cn-hangzhou', 'cn-shanghai']);
        if (call.action !== 'DescribeInstances') return undefined;
        return call.params.RegionId === 'cn-hangzhou'
          ? describeInstancesAnswer([ecsInstance('i-a', { expiredTime: '2027-11-29T16:00Z' })])
          : describeInstancesAnswer([ecsInstance('i-b', { regionId: 'cn-shanghai', chargeType: 'PostPaid', eip: '39.1.1.1', status: 'Stopped' })]);
      });
      const live = await inventory().describeInstances(['i-a', 'i-b']);
      expect(live).toEqual([
        { instanceId: 'i-a', regionId: 'cn-hangzhou', billing: 'SUBSCRIPTION', expiresAt: '2027-11-30', publicIp: '47.98.1.2', status: 'Running', createdAt: '2026-11-29' },
        { instanceId: 'i-b', regionId: 'cn-shanghai', billing: 'PAY_AS_YOU_GO', expiresAt: null, publicIp: '39.1.1.1', status: 'Stopped', createdAt: '2026-11-29' },
      ]);
      expect(api.calls.map((c) => [c.action, c.version, c.params.RegionId])).toEqual([
        ['DescribeRegions', '2014-05-26', undefined],
        ['DescribeInstances', '2014-05-26', 'cn-hangzhou'],
        ['DescribeInstances', '2014-05-26', 'cn-shanghai'],
      ]);
      expect(JSON.parse(api.calls[1].params.InstanceIds)).toEqual(['i-a', 'i-b']);
      // The second region is asked only for what the first did not have.
      expect(JSON.parse(api.calls[2].params.InstanceIds)).toEqual(['i-b']);
      expect(api.calls[1].params.MaxResults).toBe('100');
      expect(api.calls.every((c) => c.signed)).toBe(true);
    });

    it('follows NextToken across pages', async () => {
      api.handle((call) =>
        call.action !== 'DescribeInstances'
          ? undefined
          : call.params.NextToken === 'page-2'
            ? describeInstancesAnswer([ecsInstance('i-b')])
            : describeInstancesAnswer([ecsInstance('i-a')], 'page-2'),
      );
      const live = await inventory({ regions: ['cn-hangzhou'] }).describeInstances(['i-a', 'i-b']);
      expect(live.map((l) => l.instanceId)).toEqual(['i-a', 'i-b']);
      expect(api.calls.map((c) => c.params.NextToken ?? null)).toEqual([null, 'page-2']);
    });

    it('asks for at most 100 ids per call (the API’s limit on InstanceIds), so a sweep’s page of cases is a few calls', async () => {
      const ids = Array.from({ length: 230 }, (_, n) => `i-${String(n).padStart(3, '0')}`);
      api.handle((call) =>
        call.action === 'DescribeInstances' ? describeInstancesAnswer((JSON.parse(call.params.InstanceIds) as string[]).map((id) => ecsInstance(id))) : undefined,
      );
      const live = await inventory({ regions: ['cn-hangzhou'] }).describeInstances(ids);
      expect(live.map((l) => l.instanceId)).toEqual(ids);
      expect(api.calls.map((c) => (JSON.parse(c.params.InstanceIds) as string[]).length)).toEqual([100, 100, 30]);
    });

    it('an instance the account does not have is absent from the answer (INSTANCE_NOT_FOUND is the domain’s call)', async () => {
      api.handle((call) => (call.action === 'DescribeInstances' ? describeInstancesAnswer([]) : undefined));
      await expect(inventory({ regions: ['cn-hangzhou', 'cn-beijing'] }).describeInstances(['i-gone'])).resolves.toEqual([]);
      expect(api.calls.map((c) => c.params.RegionId)).toEqual(['cn-hangzhou', 'cn-beijing']);
    });

    it('Throttling.User is a CloudThrottledError (retried later, not at once)', async () => {
      api.handle(() => cloudError(400, 'Throttling.User', 'Request was denied due to user flow control.'));
      const error = await inventory({ regions: ['cn-hangzhou'] }).describeInstances(['i-a']).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CloudThrottledError);
      expect(error).toMatchObject({ code: 'Throttling.User' });
    });

    it('a RAM permission error is a CloudAccessDeniedError with the API’s code', async () => {
      api.handle(() => cloudError(403, 'Forbidden.RAM', 'User not authorized to operate on the specified resource, or this API does not support RAM.'));
      const error = await inventory({ regions: ['cn-hangzhou'] }).describeInstances(['i-a']).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CloudAccessDeniedError);
      expect(error).toMatchObject({ code: 'Forbidden.RAM', message: expect.stringContaining('not authorized') });
    });

    it('a server error stays a plain error (Temporal retries it)', async () => {
      api.handle(() => cloudError(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.'));
      const error = await inventory({ regions: ['cn-hangzhou'] }).describeInstances(['i-a']).catch((e: unknown) => e);
      expect(error).not.toBeInstanceOf(CloudThrottledError);
      expect(error).not.toBeInstanceOf(CloudAccessDeniedError);
      expect(error).toMatchObject({ code: 'ServiceUnavailable' });
    });
  });

  describe('CDN DescribeUserDomains', () => {
    it('reads Coverage and Cname of the exact domain, asked by full match', async () => {
      api.handle((call) =>
        call.action === 'DescribeUserDomains'
          ? describeUserDomainsAnswer([{ domain: 'example.cn', coverage: 'domestic', cname: 'example.cn.w.kunlunsl.com' }])
          : undefined,
      );
      await expect(inventory().describeCdnDomain('example.cn')).resolves.toEqual({
        domain: 'example.cn',
        accelerationRegion: 'MAINLAND',
        cname: 'example.cn.w.kunlunsl.com',
        status: 'online',
      });
      expect(api.calls).toEqual([
        expect.objectContaining({
          action: 'DescribeUserDomains',
          version: '2018-05-10',
          params: expect.objectContaining({ DomainName: 'example.cn', DomainSearchType: 'full_match', PageNumber: '1', PageSize: '100' }),
        }),
      ]);
    });

    it('pages by PageNumber until the domain is found, and maps overseas/global coverage', async () => {
      api.handle((call) => {
        if (call.action !== 'DescribeUserDomains') return undefined;
        const n = Number(call.params.PageNumber);
        return n === 1
          ? describeUserDomainsAnswer([{ domain: 'a.example.cn', coverage: 'global', cname: 'a.w.kunlunsl.com' }], { number: 1, size: 100, total: 101 })
          : describeUserDomainsAnswer([{ domain: 'example.cn', coverage: 'overseas', cname: 'example.cn.w.kunlunsl.com' }], { number: 2, size: 100, total: 101 });
      });
      await expect(inventory().describeCdnDomain('example.cn')).resolves.toMatchObject({ accelerationRegion: 'GLOBAL_EXCLUDING_MAINLAND' });
      expect(api.calls.map((c) => c.params.PageNumber)).toEqual(['1', '2']);
    });

    it('a domain the CDN does not accelerate is null', async () => {
      api.handle((call) => (call.action === 'DescribeUserDomains' ? describeUserDomainsAnswer([]) : undefined));
      await expect(inventory().describeCdnDomain('example.cn')).resolves.toBeNull();
    });
  });

  describe('Alidns DescribeDomainRecords', () => {
    it('reads every page of records', async () => {
      api.handle((call) => {
        if (call.action !== 'DescribeDomainRecords') return undefined;
        return call.params.PageNumber === '1'
          ? describeDomainRecordsAnswer([{ rr: '@', type: 'A', value: '47.98.1.2' }], { number: 1, size: 1, total: 2 })
          : describeDomainRecordsAnswer([{ rr: 'www', type: 'CNAME', value: 'example.cn.w.kunlunsl.com' }], { number: 2, size: 1, total: 2 });
      });
      await expect(inventory().describeDnsRecords('example.cn')).resolves.toEqual([
        { rr: '@', type: 'A', value: '47.98.1.2', ttl: 600, status: 'ENABLE' },
        { rr: 'www', type: 'CNAME', value: 'example.cn.w.kunlunsl.com', ttl: 600, status: 'ENABLE' },
      ]);
      expect(api.calls.map((c) => [c.action, c.version, c.params.DomainName, c.params.PageNumber])).toEqual([
        ['DescribeDomainRecords', '2015-01-09', 'example.cn', '1'],
        ['DescribeDomainRecords', '2015-01-09', 'example.cn', '2'],
      ]);
    });

    it('a permission error is a CloudAccessDeniedError', async () => {
      api.handle(() => cloudError(403, 'Forbidden.RAM', 'User not authorized to operate on the specified resource.'));
      await expect(inventory().describeDnsRecords('example.cn')).rejects.toBeInstanceOf(CloudAccessDeniedError);
    });
  });

  describe('configuration', () => {
    it('none configured is null; half configured is an error; _FILE variants are read', () => {
      expect(loadAlibabaCloudConfig({})).toBeNull();
      expect(() => loadAlibabaCloudConfig({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'x' })).toThrow(/both/);
      expect(() => loadAlibabaCloudConfig({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'x', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'y', ICP_ALIBABA_CLOUD_ENDPOINT: 'ftp://x' })).toThrow(
        /ICP_ALIBABA_CLOUD_ENDPOINT/,
      );
      expect(loadAlibabaCloudConfig({ ALIBABA_CLOUD_ACCESS_KEY_ID_FILE: __filename, ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'y' })?.accessKeyId).toContain('AlibabaCloudInventory');
    });
  });
});
