import { samePerson } from './persons';
import type { RuleConfig } from './rule-config';
import type { CaseFacts, ChecklistItem, DocumentState, DocumentType } from './types';

/**
 * The documents a case needs, from its facts (DOMAIN.md, "Documents"), and which are satisfied.
 * Whether an administrator is the principal is decided by ID type and number, not `isPrincipal`.
 */
export function checklist(facts: CaseFacts, config: RuleConfig, documents: DocumentState[]): ChecklistItem[] {
  const slots: { type: DocumentType; websiteIndex: number | null }[] = [
    { type: 'ENTITY_CERTIFICATE', websiteIndex: null },
    { type: 'PRINCIPAL_ID', websiteIndex: null },
    ...facts.websites.map((_, i) => ({ type: 'WEBSITE_ADMIN_ID' as const, websiteIndex: i })),
    { type: 'AUTHENTICITY_VERIFICATION_FORM', websiteIndex: null },
  ];
  facts.websites.forEach((w, i) => {
    if (!samePerson(facts.applicant.principal, w.administrator)) slots.push({ type: 'AUTHORISATION_LETTER', websiteIndex: i });
    if (config.regulatedCategories.includes(w.contentCategory)) slots.push({ type: 'PRE_APPROVAL', websiteIndex: i });
  });
  for (const type of config.provinces[facts.submissionProvince]?.extraDocuments ?? []) {
    if (type === 'DOMAIN_CERTIFICATE') facts.websites.forEach((_, i) => slots.push({ type, websiteIndex: i }));
    else if (!slots.some((s) => s.type === type)) slots.push({ type, websiteIndex: null });
  }
  return slots.map((slot) => ({
    ...slot,
    satisfied: documents.some(
      (d) => d.type === slot.type && d.websiteIndex === slot.websiteIndex && d.status === 'ACCEPTED',
    ),
  }));
}
