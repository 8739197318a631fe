import { PDF } from './files';
import type { Role } from '../../apps/api/src/auth/principal';
import { DEFAULT_OFFICER, type Harness } from './harness';

/**
 * Small helpers over the HTTP contract, so scenarios read like an officer's day. `actor` is the
 * token's `sub` (an officer unless `role` says otherwise): the audit trail records it.
 */
export function caseApi(h: Harness, actor = DEFAULT_OFFICER, role: Role = 'officer', applicantId?: string) {
  const http = actor === DEFAULT_OFFICER && role === 'officer' ? h.http : h.as({ sub: actor, role, applicantId });
  return {
    create: (body: object, headers: Record<string, string> = {}) => http.post('/v1/cases').set(headers).send(body),
    get: (id: string) => http.get(`/v1/cases/${id}`),
    events: (id: string) => http.get(`/v1/cases/${id}/events`),
    amend: (id: string, body: object, headers: Record<string, string> = {}) => http.patch(`/v1/cases/${id}`).set(headers).send(body),
    act: (id: string, action: string, body: object = {}, headers: Record<string, string> = {}) =>
      http.post(`/v1/cases/${id}/${action}`).set(headers).send(body),
  };
}

/** Polls until `check` passes (for what a durable timer does on its own). */
export async function eventually<T>(fn: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await fn();
  while (!check(value)) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
    value = await fn();
  }
  return value;
}

/**
 * Uploads and accepts a document for every unmet checklist slot, as an applicant and an officer
 * would before submitting.
 */
export async function satisfyChecklist(h: Harness, caseId: string): Promise<void> {
  const { body } = await h.http.get(`/v1/cases/${caseId}/documents`).expect(200);
  for (const slot of body.checklist as { type: string; websiteIndex: number | null; satisfied: boolean }[]) {
    if (slot.satisfied) continue;
    const upload = h.http
      .post(`/v1/cases/${caseId}/documents`)
      .field('type', slot.type)
      .attach('file', Buffer.concat([PDF, Buffer.from(`% ${slot.type} ${slot.websiteIndex}\n`)]), `${slot.type}.pdf`);
    if (slot.websiteIndex !== null) void upload.field('websiteIndex', String(slot.websiteIndex));
    const { body: document } = await upload.expect(201);
    await h.http
      .post(`/v1/cases/${caseId}/documents/${document.id}/review`)
      .send({ decision: 'ACCEPTED' })
      .expect(200);
  }
}
