import { checkDomain } from './domain-name';
import type { Severity } from './types';

/**
 * Website names as MIIT reviews them (DOMAIN.md, "Websites and domains"), after Unicode NFKC
 * normalisation: full-width letters and digits count as their ASCII forms.
 */
export function normaliseName(name: string): string {
  return name.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

const HAN = /\p{Script=Han}/gu;
/** Letters, digits, combining marks and spaces; anything else (punctuation, symbols, emoji) is a special symbol. */
const ALLOWED = /^[\p{L}\p{M}\p{N} ]*$/u;
const IPV4 = /(?:^|[^\d])\d{1,3}(?:\.\d{1,3}){3}(?:$|[^\d])/u;
const IPV6 = /[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}/iu;
const DOMAIN_LIKE = /[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

/** Words a non-government entity may not begin its website name with (simplified and traditional). */
export const RESERVED_NAME_WORDS = ['中国', '中华', '中央', '人民', '人大', '国家', '中國', '中華', '國家', 'China', 'National'];

export interface NameProblem {
  severity: Extract<Severity, 'BLOCKING' | 'WARNING'>;
  reason: string;
}

/** Answers by name (a pure function; its Unicode-property regular expressions are the costly part of a decision after IDNA). */
const NAME_MEMO = new Map<string, readonly NameProblem[]>();
const NAME_MEMO_MAX = 1024;

/** What is wrong with a website name; the most telling problem first, none when it passes. */
export function websiteNameProblems(name: string): NameProblem[] {
  let problems = NAME_MEMO.get(name);
  if (!problems) {
    problems = nameProblems(name);
    if (NAME_MEMO.size >= NAME_MEMO_MAX) NAME_MEMO.clear();
    NAME_MEMO.set(name, problems);
  }
  return problems.map((p) => ({ ...p }));
}

function nameProblems(name: string): NameProblem[] {
  const n = normaliseName(name);
  const blocking = (reason: string): NameProblem[] => [{ severity: 'BLOCKING', reason }];
  if (IPV4.test(n) || (n.includes(':') && IPV6.test(n))) return blocking('contains an IP address');
  if ((n.match(DOMAIN_LIKE) ?? []).some((d) => checkDomain(d).valid)) return blocking('contains a domain name');
  if (!ALLOWED.test(n)) return blocking('contains special symbols or emoji');
  const compact = n.replace(/ /g, '');
  if (/^[0-9]+$/.test(compact)) return blocking('is all digits');
  if (/^[A-Za-z0-9]+$/.test(compact)) return blocking('is all Latin letters and digits');
  const han = (n.match(HAN) ?? []).length;
  if (han < 3) return blocking(`has ${han} Han character(s); at least 3 are needed (spaces and symbols do not count)`);
  const latin = (w: string) => /^[A-Za-z]/.test(w);
  const begins = RESERVED_NAME_WORDS.find((w) =>
    latin(w) ? new RegExp(`^${w}(?![A-Za-z])`, 'i').test(n) : n.startsWith(w),
  );
  if (begins) return blocking(`begins with "${begins}", which a non-government entity may not use`);
  const inside = RESERVED_NAME_WORDS.find((w) =>
    latin(w) ? new RegExp(`(?<![A-Za-z])${w}(?![A-Za-z])`, 'i').test(n) : n.includes(w),
  );
  if (inside) {
    return [{ severity: 'WARNING', reason: `contains "${inside}": the reviewer may object for a non-government entity` }];
  }
  return [];
}
