/**
 * Domains as MIIT compares them (DOMAIN.md, "Websites and domains"): IDNA processing by UTS #46
 * (full-width forms and the ideographic full stop mapped, case folded, invalid punycode refused,
 * label and name lengths checked), then the registrable domain by the public suffix list.
 *
 * Libraries, not hand-written label checks: `tr46` is the UTS #46 implementation of whatwg-url
 * (jsdom); Node's `url.domainToASCII` does the same, but the domain library runs in the workflow
 * sandbox, which has no Node built-ins. `tldts` holds the public suffix list.
 */
import { parse } from 'tldts';
import { toASCII } from 'tr46';

const UTS46 = {
  checkHyphens: true,
  checkBidi: true,
  checkJoiners: true,
  useSTD3ASCIIRules: true,
  verifyDNSLength: true,
  transitionalProcessing: false,
} as const;

/**
 * Answers of UTS #46 processing by input. It is the domain library's most expensive step (tr46 maps
 * every code point through its table) and every decision runs it again for each domain of the case
 * and each approved TLD of the configuration: about 5 ms of a 2-core machine's CPU per `decide`,
 * twice per transition (validator and handler). A pure function of its input, so a memo changes no
 * answer (and is safe in workflow code); bounded, and emptied when full, so memory stays flat.
 */
const ASCII_MEMO = new Map<string, string | null>();
const ASCII_MEMO_MAX = 4096;

/** The ASCII (punycode) form after UTS #46 processing, or null when it is not a valid domain name. */
export function domainToAscii(domain: string): string | null {
  const known = ASCII_MEMO.get(domain);
  if (known !== undefined) return known;
  const trimmed = domain.trim().replace(/[.。．｡]$/u, '');
  const ascii = trimmed.length === 0 ? null : toASCII(trimmed, UTS46);
  if (ASCII_MEMO.size >= ASCII_MEMO_MAX) ASCII_MEMO.clear();
  ASCII_MEMO.set(domain, ascii);
  return ascii;
}

/** Lower-cased, trailing dot dropped: for names that are compared, not filed (CDN endpoints). */
export function normaliseDomain(domain: string): string {
  return domainToAscii(domain) ?? domain.trim().toLowerCase().replace(/\.$/, '');
}

export type DomainCheck =
  | { valid: true; ascii: string; topLevelDomain: string }
  | { valid: false; reason: string; ascii: string | null; registrable?: string };

/** Whether `domain` can be filed: a valid name that is itself a registrable domain (not a subdomain). */
export function checkDomain(domain: string): DomainCheck {
  const ascii = domainToAscii(domain);
  if (!ascii) return { valid: false, ascii: null, reason: 'is not a valid domain name (IDNA processing refuses it)' };
  const parsed = parse(ascii);
  if (parsed.isIp) return { valid: false, ascii, reason: 'is an IP address, not a domain name' };
  if (!parsed.domain || !parsed.publicSuffix) {
    return { valid: false, ascii, reason: 'is not a domain under a public top-level domain' };
  }
  if (parsed.domain !== ascii) {
    return {
      valid: false,
      ascii,
      registrable: parsed.domain,
      reason: `is a subdomain: file the registered domain ${parsed.domain}, which covers its subdomains`,
    };
  }
  const labels = ascii.split('.');
  return { valid: true, ascii, topLevelDomain: labels[labels.length - 1] };
}

export function isValidDomain(domain: string): boolean {
  return checkDomain(domain).valid;
}

/** The last label, in ASCII form (`xn--fiqs8s` for 中国). */
export function topLevelDomain(domain: string): string {
  const labels = normaliseDomain(domain).split('.');
  return labels[labels.length - 1];
}
