/**
 * Who a filing order belongs to, for "one open order per entity" (DOMAIN.md, "The applicant"):
 * the certificate number when there is one, else the country and the name normalised (NFKC,
 * case-folded, punctuation, symbols and spaces dropped), so `Contoso GmbH` and `Contoso GmbH.`
 * are one entity. Stored in the read model: a change here re-keys cases on their next projection.
 */
export function entityKey(applicant: {
  name: string;
  countryOfRegistration: string;
  certificate?: { number: string } | null;
}): string {
  const certificate = applicant.certificate?.number.normalize('NFKC').replace(/[\s\p{P}\p{S}]/gu, '').toUpperCase();
  if (certificate) return `CERT:${certificate}`;
  const name = applicant.name.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');
  return `${applicant.countryOfRegistration.trim().toUpperCase()}:${name}`;
}
