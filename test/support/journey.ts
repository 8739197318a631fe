import type { Harness } from './harness';
import { caseApi, satisfyChecklist } from './api';
import { caseBody } from './fixtures';

/** What a journey needs: the HTTP API (in-process or a remote base URL through supertest). */
export type HttpApi = Pick<Harness, 'http'>;

/** The stages and events one complete journey goes through, for callers to check. */
export const JOURNEY_EVENTS = [
  'case.created',
  'case.submitted',
  'initial-review.approved',
  'sms.verified',
  'miit.approved',
  'resolution.verified',
  'psb-filing.recorded',
];

/**
 * One case from creation to COMPLETED and its PSB filing (which closes the workflow), over
 * HTTP: documents, submission, both reviews, the SMS check and the DNS resolution (`domain`
 * must resolve to the case's SLB address, 47.98.10.20, through the resolver the worker uses).
 */
export async function runCaseToCompletion(h: HttpApi, domain: string, actor = 'officer.zhang'): Promise<string> {
  const api = caseApi(h as Harness, actor);
  const body = caseBody();
  body.websites[0].domains = [domain];
  const { body: created } = await api.create(body).expect(201);
  const id: string = created.id;
  await satisfyChecklist(h as Harness, id);
  await api.act(id, 'submit').expect(200);
  await api.act(id, 'initial-review', { decision: 'APPROVED' }).expect(200);
  await api.act(id, 'sms-verification').expect(200);
  await api.act(id, 'miit-decision', { decision: 'APPROVED', icpNumber: '浙ICP备2026004321号-1' }).expect(200);
  const { body: completed } = await api.act(id, 'resolution').expect(200);
  if (completed.stage !== 'COMPLETED') throw new Error(`case ${id} ended in ${completed.stage}`);
  await api.act(id, 'psb-filing', { recordNumber: '33010602054321', filedAt: '2026-12-01' }).expect(200);
  return id;
}
