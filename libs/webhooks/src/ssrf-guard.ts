import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Webhook URLs are an SSRF path: the service would send requests wherever an admin points it.
 * Loopback, link-local (cloud metadata at 169.254.169.254), private, shared, multicast and
 * unspecified addresses are refused unless the allow-list (ICP_WEBHOOK_ALLOW_HOSTS: host names,
 * IPs or CIDRs) names them. The check runs on the RESOLVED addresses, at registration and again
 * at every delivery, and the delivery connects to the address that was checked (no second lookup
 * a DNS rebinding could answer differently). node:net's BlockList does the CIDR matching.
 */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

export class WebhookTargetRefused extends Error {
  constructor(
    message: string,
    readonly addresses: string[] = [],
  ) {
    super(message);
    this.name = 'WebhookTargetRefused';
  }
}

/** The allow-list, parsed: host names (exact, lower case) and addresses or CIDRs. */
export class WebhookAllowList {
  private readonly hosts = new Set<string>();
  private readonly addresses = new BlockList();

  constructor(entries: string[]) {
    for (const entry of entries) {
      const [address, prefix] = entry.split('/');
      const family = isIP(address);
      if (family && prefix !== undefined) this.addresses.addSubnet(address, Number(prefix), family === 6 ? 'ipv6' : 'ipv4');
      else if (family) this.addresses.addAddress(address, family === 6 ? 'ipv6' : 'ipv4');
      else this.hosts.add(entry.toLowerCase());
    }
  }

  allowsHost(host: string): boolean {
    return this.hosts.has(host.toLowerCase());
  }

  allowsAddress(address: string): boolean {
    return this.addresses.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  }
}

/** IPv4-mapped IPv6 (::ffff:127.0.0.1) is checked as the IPv4 address it is. */
function normalise(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

export function isBlockedAddress(address: string): boolean {
  const a = normalise(address);
  return BLOCKED.check(a, isIP(a) === 6 ? 'ipv6' : 'ipv4');
}

export interface CheckedTarget {
  url: URL;
  /** The address to connect to: one that passed the check. */
  address: string;
  family: 4 | 6;
}

/** Checks a webhook URL's form: absolute http(s), https outside development, no credentials. */
export function checkUrlForm(raw: string, requireHttps: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookTargetRefused(`'${raw}' is not an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WebhookTargetRefused('A webhook URL must be http(s)');
  if (requireHttps && url.protocol !== 'https:') throw new WebhookTargetRefused('A webhook URL must be https outside development');
  if (url.username || url.password) throw new WebhookTargetRefused('A webhook URL must not carry credentials (use the secret)');
  return url;
}

/**
 * Resolves the URL's host and refuses it when any address it resolves to is blocked and not
 * allowed (every address: a name answering one public and one private address is refused).
 */
export async function resolveTarget(
  url: URL,
  allow: WebhookAllowList,
  resolve: (host: string) => Promise<{ address: string; family: number }[]> = (host) => lookup(host, { all: true, verbatim: true }),
): Promise<CheckedTarget> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let found: { address: string; family: number }[];
  if (isIP(host)) found = [{ address: host, family: isIP(host) }];
  else {
    try {
      found = await resolve(host);
    } catch (error) {
      throw new WebhookTargetRefused(`${host} does not resolve: ${(error as Error).message}`);
    }
  }
  if (found.length === 0) throw new WebhookTargetRefused(`${host} does not resolve`);
  const hostAllowed = allow.allowsHost(host);
  const refused = found.filter((a) => isBlockedAddress(a.address) && !hostAllowed && !allow.allowsAddress(normalise(a.address)));
  if (refused.length > 0) {
    throw new WebhookTargetRefused(
      `${host} resolves to ${refused.map((a) => a.address).join(', ')}: loopback, link-local and private addresses are refused unless ICP_WEBHOOK_ALLOW_HOSTS names them`,
      refused.map((a) => a.address),
    );
  }
  return { url, address: found[0].address, family: found[0].family === 6 ? 6 : 4 };
}
