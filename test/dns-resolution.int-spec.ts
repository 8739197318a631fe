import { DnsResolutionChecker } from '../apps/worker/src/activities/dns-resolution.checker';
import { loadConfig } from '../libs/config/src';
import { startDnsServer, type DnsRecords, type DnsServer } from './support/dns-server';

/** The resolution check against a real (if tiny) authoritative DNS server on loopback. */
describe('DnsResolutionChecker (real resolver, local DNS server)', () => {
  const SLB_IP = '47.98.10.20';
  const CDN = 'contoso.cn.w.kunlunsl.com';
  const ZONE: DnsRecords = {
    'contoso.cn': { A: [SLB_IP] },
    'www.contoso.cn': { A: ['47.98.1.2', SLB_IP] },
    'elsewhere.cn': { A: ['203.0.113.7'] },
    'cdn.contoso.cn': { CNAME: `${CDN}.` },
    'shouty.contoso.cn': { CNAME: CDN.toUpperCase() },
    'other-cdn.contoso.cn': { CNAME: 'contoso.cn.cdn.example.net' },
    [CDN]: { A: ['198.51.100.1'] },
    'mail-only.contoso.cn': {},
    'xn--fsqu00a.xn--fiqs8s': { A: [SLB_IP] },
  };
  let server: DnsServer;
  let checker: DnsResolutionChecker;

  beforeAll(async () => {
    server = await startDnsServer(ZONE);
    checker = new DnsResolutionChecker(loadConfig({ ...process.env, ICP_DNS_SERVERS: server.address }));
  });
  afterAll(async () => {
    await server?.close();
  });

  const a = (...domains: string[]) => checker.check({ domains, expected: { type: 'A', value: SLB_IP } });
  const cname = (value: string, ...domains: string[]) => checker.check({ domains, expected: { type: 'CNAME', value } });

  it('resolves a domain whose A record is the expected IP', async () => {
    const { checks } = await a('contoso.cn', 'www.contoso.cn');
    expect(checks).toEqual([
      { domain: 'contoso.cn', expected: { type: 'A', value: SLB_IP }, found: [SLB_IP], resolved: true, error: null },
      {
        domain: 'www.contoso.cn',
        expected: { type: 'A', value: SLB_IP },
        found: ['47.98.1.2', SLB_IP],
        resolved: true,
        error: null,
      },
    ]);
  });

  it('does not resolve an A record to another IP, and lists what it found', async () => {
    const { checks } = await a('elsewhere.cn');
    expect(checks).toEqual([
      { domain: 'elsewhere.cn', expected: { type: 'A', value: SLB_IP }, found: ['203.0.113.7'], resolved: false, error: null },
    ]);
  });

  it('resolves a CNAME to the CDN endpoint, ignoring case and the trailing dot', async () => {
    const { checks } = await cname(`${CDN.toUpperCase()}.`, 'cdn.contoso.cn', 'shouty.contoso.cn');
    expect(checks.map((c) => [c.domain, c.resolved, c.found, c.error])).toEqual([
      ['cdn.contoso.cn', true, [CDN], null],
      ['shouty.contoso.cn', true, [CDN], null],
    ]);
  });

  it('does not resolve a CNAME that points elsewhere', async () => {
    const { checks } = await cname(CDN, 'other-cdn.contoso.cn');
    expect(checks[0]).toMatchObject({ resolved: false, found: ['contoso.cn.cdn.example.net'], error: null });
  });

  it('does not resolve a CNAME check on a name that only has A records (NODATA)', async () => {
    const { checks } = await cname(CDN, 'contoso.cn');
    expect(checks[0]).toMatchObject({ resolved: false, found: [] });
    expect(checks[0].error).toMatch(/ENODATA/);
  });

  it('does not resolve an unknown domain, and says why (NXDOMAIN)', async () => {
    const { checks } = await a('no-such-name.contoso.cn');
    expect(checks[0]).toMatchObject({ domain: 'no-such-name.contoso.cn', resolved: false, found: [] });
    expect(checks[0].error).toMatch(/ENOTFOUND/);
  });

  it('does not resolve a known name without the record type asked for (NODATA)', async () => {
    const { checks } = await a('mail-only.contoso.cn');
    expect(checks[0]).toMatchObject({ resolved: false, found: [] });
    expect(checks[0].error).toMatch(/ENODATA/);
  });

  it('follows a CNAME for an A check (CDN-fronted domain checked against the CDN IP)', async () => {
    const { checks } = await checker.check({ domains: ['cdn.contoso.cn'], expected: { type: 'A', value: '198.51.100.1' } });
    expect(checks[0]).toMatchObject({ resolved: true, found: ['198.51.100.1'], error: null });
  });

  it('resolves an internationalised domain through its punycode form', async () => {
    const { checks } = await a('例子.中国', ' 例子.中国. ');
    expect(checks.map((c) => [c.domain, c.resolved, c.found])).toEqual([
      ['例子.中国', true, [SLB_IP]],
      [' 例子.中国. ', true, [SLB_IP]],
    ]);
  });

  it('sees the zone change between checks (no stale answers)', async () => {
    server.set({ ...ZONE, 'contoso.cn': { A: ['203.0.113.9'] } });
    try {
      const { checks } = await a('contoso.cn');
      expect(checks[0]).toMatchObject({ resolved: false, found: ['203.0.113.9'] });
    } finally {
      server.set(ZONE);
    }
  });
});
