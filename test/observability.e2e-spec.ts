import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { caseApi, eventually } from './support/api';
import { caseBody } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';

/** The API's JSON log lines, captured from its real pino logger. */
class Captured extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  raw = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.raw += chunk.toString();
    for (const line of chunk.toString().split('\n').filter(Boolean)) this.lines.push(JSON.parse(line));
    done();
  }
}

describe('logs and metrics of the API (real Postgres, real Temporal)', () => {
  let h: Harness;
  const logs = new Captured();
  beforeAll(async () => {
    h = await startHarness({ LOG_LEVEL: 'debug' }, {}, { logDestination: logs });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('writes one access-log line per request with route, status, duration, request id, actor and case id, and echoes the id', async () => {
    const api = caseApi(h, 'officer.li');
    const created = await api.create(caseBody(), { 'X-Request-Id': 'trace-me-42' }).expect(201);
    expect(created.headers['x-request-id']).toBe('trace-me-42');
    const read = await api.get(created.body.id).expect(200);
    const generated = read.headers['x-request-id'];
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const refused = await h.http.get('/v1/cases/x').set('X-Request-Id', 'bad id with spaces').expect(400);
    expect(refused.headers['x-request-id']).not.toBe('bad id with spaces');

    const access = (id: string) => logs.lines.filter((l) => l.requestId === id && typeof l.status === 'number');
    expect(access('trace-me-42')).toEqual([
      expect.objectContaining({ level: 'info', method: 'POST', route: '/v1/cases', status: 201, actor: 'officer.li', durationMs: expect.any(Number) }),
    ]);
    expect(access(generated)).toEqual([
      expect.objectContaining({ method: 'GET', route: '/v1/cases/:id', status: 200, caseId: created.body.id, actor: 'officer.li' }),
    ]);
    // Without a token the line names nobody.
    const anonymous = await h.anonymous.get('/v1/cases').set('X-Request-Id', 'nobody-42').expect(401);
    expect(anonymous.headers['x-request-id']).toBe('nobody-42');
    expect(access('nobody-42')).toEqual([expect.objectContaining({ status: 401, actor: 'anonymous' })]);
  });

  it('never writes personal data: the principal\'s passport number, mobile and name appear in no line', async () => {
    const body = caseBody();
    const principal = (body as { applicant: { principal: { idNumber: string; mobile: string; fullName: string } } }).applicant.principal;
    principal.idNumber = 'E98765432';
    const created = await caseApi(h).create(body).expect(201);
    // A refused amendment too, whose error details quote the input.
    await caseApi(h).amend(created.body.id, { applicant: { principal: { ...principal, mobile: 'not a number' } } });
    await h.http.get(`/v1/cases/${created.body.id}`).expect(200);
    expect(logs.raw.length).toBeGreaterThan(0);
    expect(logs.raw).not.toContain('E98765432');
    expect(logs.raw).not.toContain(principal.mobile);
    expect(logs.raw).not.toContain(principal.fullName);
  });

  it('serves /metrics for Prometheus: request histograms by route and status, transitions by action and outcome, open cases by stage', async () => {
    const created = await caseApi(h).create(caseBody()).expect(201);
    await caseApi(h).act(created.body.id, 'submit', {}); // refused or applied: either is an outcome
    const metrics = await h.http.get('/metrics').expect(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain;.*version=0.0.4/);
    expect(metrics.text).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/v1\/cases",status="201"\} \d+/);
    expect(metrics.text).toMatch(/icp_transitions_total\{action="submit",outcome="(applied|refused|failed)"\} 1/);
    expect(metrics.text).toMatch(/icp_open_cases\{stage="[A-Z_]+"\} \d+/);
  });

  it('serves icp_projection_lag_seconds: decision instant (event at) to projection write (projected_at) of the newest event', async () => {
    const created = await caseApi(h).create(caseBody()).expect(201);
    // The withdrawal's projection is written before the update answers: no need to wait for the workflow to end.
    await caseApi(h).act(created.body.id, 'withdraw', { reason: 'walked away' }).expect(200);
    const db = h.app.get(DataSource);
    const [own]: { projected_at: Date | null; at: Date }[] = await db.query('SELECT projected_at, at FROM case_events WHERE case_id = $1 ORDER BY seq DESC LIMIT 1', [
      created.body.id,
    ]);
    expect(own.projected_at).toBeInstanceOf(Date);
    expect(own.projected_at!.getTime()).toBeGreaterThanOrEqual(own.at.getTime());
    const metrics = await h.http.get('/metrics').expect(200);
    const served = /^icp_projection_lag_seconds (\S+)$/m.exec(metrics.text);
    expect(served).not.toBeNull();
    // Other suites project into the same database meanwhile, so the newest event need not be this case's.
    expect(Number(served![1])).toBeGreaterThanOrEqual(0);
  });

  it('follows one request by its id from the access log through the workflow\'s and the activities\' log lines', async () => {
    const api = caseApi(h);
    const created = await api.create(caseBody(), { 'X-Request-Id': 'follow-me-create' }).expect(201);
    const caseId: string = created.body.id;
    await api.act(caseId, 'withdraw', { reason: 'walked away' }, { 'X-Request-Id': 'follow-me-withdraw' }).expect(200);
    // The workflow ends after the withdrawal (its last line is 'case closed'): polled rather than long-polled.
    const handle = h.temporal.workflow.getHandle(`Case:${caseId}`);
    await eventually(async () => (await handle.describe()).status.name, (status) => status === 'COMPLETED', 60_000);
    const lines = (id: string) => logs.lines.filter((l) => l.requestId === id);
    await eventually(
      async () => lines('follow-me-withdraw').filter((l) => l.activityType).length,
      (n) => n > 0,
    );
    // The access log, the workflow (its start carried the creation's id) and each request's projection activity.
    expect(lines('follow-me-create')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ route: '/v1/cases', status: 201 }),
        expect.objectContaining({ workflowId: `Case:${caseId}`, caseId, msg: 'case closed' }),
        expect.objectContaining({ workflowId: `Case:${caseId}`, caseId, activityType: expect.any(String) }),
      ]),
    );
    expect(lines('follow-me-withdraw')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ route: '/v1/cases/:id/withdraw', status: 200, caseId }),
        expect.objectContaining({ workflowId: `Case:${caseId}`, caseId, activityType: expect.any(String) }),
      ]),
    );
  });
});
