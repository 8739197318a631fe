/**
 * What an integrator writes with a client generated from the published document
 * (`openapi-typescript` types + `openapi-fetch`): it must type-check (test: apps/api/src/openapi/
 * openapi-document.spec.ts runs tsc on it). Never run; the types are the test.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './generated/openapi';

type CreateCase = components['schemas']['CreateCaseDto'];

export async function walk(baseUrl: string, token: string, facts: CreateCase): Promise<string> {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });

  const created = await client.POST('/v1/cases', { body: facts, headers: { 'Idempotency-Key': 'walk-1' } });
  if (created.error) {
    // Errors are typed per status: a 409 is one of the documented codes, each with its details.
    // RULE_VIOLATIONS: a case opened from hosting.instanceIds the cloud account cannot describe.
    const code:
      | 'IDEMPOTENCY_KEY_REUSED'
      | 'RULE_VIOLATIONS'
      | 'VALIDATION_FAILED'
      | 'UNAUTHENTICATED'
      | 'FORBIDDEN'
      | 'RATE_LIMITED'
      | 'PAYLOAD_TOO_LARGE'
      | 'UNSUPPORTED_MEDIA_TYPE'
      | 'SERVICE_UNAVAILABLE'
      | 'INTERNAL_ERROR' = created.error.code;
    throw new Error(`${code}: ${created.error.message}`);
  }
  const id: string = created.data.id;
  const version: number = created.data.version;

  const read = await client.GET('/v1/cases/{id}', { params: { path: { id } } });
  if (!read.data) throw new Error('no case');
  const stage: components['schemas']['CaseViewDto']['stage'] = read.data.stage;
  // @ts-expect-error a stage the document does not list
  const wrong: typeof stage = 'APPROVED';
  const assignee: string | null = read.data.assignee;

  const submitted = await client.POST('/v1/cases/{id}/submit', { params: { path: { id } } });
  if (submitted.error?.code === 'RULE_VIOLATIONS') {
    const rules: string[] = submitted.error.details.findings.map((f) => f.rule);
    return rules.join(',');
  }
  if (submitted.error?.code === 'TRANSITION_NOT_ALLOWED') return submitted.error.details.allowed.join(',');
  if (!submitted.data) throw new Error('not submitted');
  const next: string[] = submitted.data.allowedActions;
  return [id, version, stage, wrong, assignee, ...next].join(' ');
}
