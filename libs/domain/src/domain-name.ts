/**
 * Domain syntax as MIIT accepts it: LDH labels (punycode `xn--` labels included) or Unicode
 * labels of letters and digits (an IDN as typed), at least two labels, a TLD that is not numeric.
 */
const ASCII_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const UNICODE_LABEL = /^(?!-)[\p{L}\p{M}\p{N}-]{1,63}(?<!-)$/u;

export function normaliseDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}

export function isValidDomain(domain: string): boolean {
  const name = normaliseDomain(domain);
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  if (labels.length < 2) return false;
  for (const label of labels) {
    const ascii = Array.from(label).every((c) => c.charCodeAt(0) < 0x80);
    if (ascii ? !ASCII_LABEL.test(label) : !UNICODE_LABEL.test(label)) return false;
    if (ascii && label.slice(2, 4) === '--' && !label.startsWith('xn--')) return false;
  }
  return !/^\d+$/.test(labels[labels.length - 1]);
}

export function topLevelDomain(domain: string): string {
  const labels = normaliseDomain(domain).split('.');
  return labels[labels.length - 1];
}
