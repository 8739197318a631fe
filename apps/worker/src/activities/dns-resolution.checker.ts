import { Injectable } from '@nestjs/common';
import { Resolver } from 'node:dns/promises';
import { domainToASCII } from 'node:url';
import { AppConfig } from '../../../../libs/config/src';
import type { DnsCheck } from '../../../../libs/domain/src';
import type { CheckResolutionInput, CheckResolutionResult } from '../../../../libs/contracts/src';

const normalise = (name: string) => name.trim().toLowerCase().replace(/\.$/, '');

/**
 * Resolves each filed domain for real, through the resolvers in ICP_DNS_SERVERS (or the
 * system's): an A record to the SLB / instance IP, or a CNAME to the CDN endpoint.
 */
@Injectable()
export class DnsResolutionChecker {
  /**
   * The whole check's bound: lookups still running then are cancelled and count as failed
   * (ECANCELLED), well inside the activity's 15 s start-to-close timeout.
   */
  static readonly deadlineMs = 8000;

  constructor(private readonly config: AppConfig) {}

  async check({ domains, expected }: CheckResolutionInput): Promise<CheckResolutionResult> {
    const resolver = new Resolver({ timeout: 2000, tries: 2 });
    if (this.config.dnsServers.length) resolver.setServers(this.config.dnsServers);
    const deadline = setTimeout(() => resolver.cancel(), DnsResolutionChecker.deadlineMs);
    try {
      const checks = await Promise.all(domains.map((domain) => this.checkOne(resolver, domain, expected)));
      return { checks };
    } finally {
      clearTimeout(deadline);
    }
  }

  private async checkOne(resolver: Resolver, domain: string, expected: DnsCheck['expected']): Promise<DnsCheck> {
    const ascii = domainToASCII(normalise(domain)) || normalise(domain);
    try {
      const found =
        expected.type === 'A' ? await resolver.resolve4(ascii) : (await resolver.resolveCname(ascii)).map(normalise);
      const want = expected.type === 'A' ? expected.value : normalise(expected.value);
      return { domain, expected, found, resolved: found.includes(want), error: null };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'ERROR';
      return { domain, expected, found: [], resolved: false, error: `${expected.type} lookup failed: ${code}` };
    }
  }
}
