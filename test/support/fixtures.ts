import { randomUUID } from 'node:crypto';
import { validFacts } from '../../libs/domain/src/testing/facts';

/** An applicant name no other test uses: "one open order per entity" must not couple tests. */
export const uniqueName = (base = 'Contoso GmbH') => `${base} ${randomUUID().slice(0, 8)}`;

/**
 * A certificate number of the entity `name`: the same name gets the same number (one entity), other
 * names other numbers, because "one open order per entity" keys on the certificate number.
 */
export function certificateNumberOf(name: string): string {
  let hash = 7;
  for (const c of name) hash = (hash * 31 + c.codePointAt(0)!) % 10_000_000;
  return `33010040${String(hash).padStart(7, '0')}`;
}

/** Case bodies as API.md shows them (the body is the case's facts), behind an SLB in Hangzhou. */
export function caseBody(overrides: Record<string, unknown> = {}, name = uniqueName()) {
  const facts = validFacts((f) => {
    f.applicant.name = name;
    f.applicant.certificate!.number = certificateNumberOf(name);
    f.hosting.slb = { publicIp: '47.98.10.20' };
  });
  return { ...facts, ...overrides };
}

/** The same enterprise without any mainland presence: it must first obtain the AIC certificate. */
export function caseBodyWithoutBranch(name = uniqueName('Fabrikam AG')) {
  const body = caseBody();
  return {
    ...body,
    applicant: { ...body.applicant, name, mainlandPresence: 'NONE', certificate: null },
  };
}

export function hongKongBody() {
  const body = caseBody();
  return {
    ...body,
    hosting: { instances: [{ ...body.hosting.instances[0], regionId: 'cn-hongkong' }], slb: null, cdn: null },
  };
}
