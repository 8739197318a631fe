import { randomInt } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { WorkflowFailedError } from '@temporalio/client';
import { caseApi, satisfyChecklist } from './support/api';
import { startDnsServer } from './support/dns-server';
import { driveTo } from './support/drive';
import { caseBody, caseBodyWithoutBranch, uniqueName } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';
import { recordHistory } from './support/histories';

/**
 * The workflow's side of "exactly once, whatever fails": a closed case offers nothing, history is
 * bounded by continue-as-new, a cancellation in Temporal is a withdrawal, and one open order per
 * entity is a claim the database settles.
 */
describe('exactly once: the case workflow', () => {
  let h: Harness;
  let dns: Awaited<ReturnType<typeof startDnsServer>>;
  let api: ReturnType<typeof caseApi>;
  let pg: PgClient;

  beforeAll(async () => {
    dns = await startDnsServer({});
    // A low event budget, so every scenario here continues as new at least once.
    h = await startHarness({ ICP_DNS_SERVERS: dns.address, ICP_HISTORY_EVENT_BUDGET: '150' });
    api = caseApi(h, 'supervisor.guarantees', 'supervisor'); // assigns to others
    pg = new PgClient({ connectionString: h.config.databaseUrl });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end();
    await h?.close();
    await dns?.close();
  });

  const row = async (id: string) =>
    (await pg.query<{ stage: string; view: { allowedActions: string[]; version: number } }>('SELECT stage, view FROM cases WHERE id = $1', [id])).rows[0];
  const projectionState = (id: string) =>
    h.temporal.workflow.getHandle(`Case:${id}`).query<{ seq: number; run: number; repeatedFailedChecks: number }>('getProjectionState');
  /** Another applicant, also by certificate number (the entity key may use either). */
  const otherEntity = () => {
    const body = caseBody({}, uniqueName('Northwind Ltd'));
    return { ...body, applicant: { ...body.applicant, certificate: { ...body.applicant.certificate!, number: `3301004${String(randomInt(1e8)).padStart(8, '0')}` } } };
  };

  it('offers no action once the PSB filing has closed the workflow, and refuses them all', async () => {
    const id = await driveTo(h, otherEntity(), 'RESOLVING');
    await api.act(id, 'resolution').expect(422); // nothing resolves yet: the zone is empty
    const domain = (await api.get(id).expect(200)).body.websites[0].domains[0] as string;
    dns.set({ [domain]: { A: ['47.98.10.20'] } });
    const completed = await api.act(id, 'resolution').expect(200);
    expect(completed.body.allowedActions).toEqual(['assign', 'psb-filing']);
    const filed = await api.act(id, 'psb-filing', { recordNumber: '33010602099999', filedAt: '2026-12-01' }).expect(200);
    expect(filed.body).toMatchObject({ stage: 'COMPLETED', allowedActions: [] });
    await h.temporal.workflow.getHandle(`Case:${id}`).result();
    expect((await api.get(id).expect(200)).body.allowedActions).toEqual([]);
    expect((await row(id)).view.allowedActions).toEqual([]);
    for (const action of ['assign', 'psb-filing']) {
      const refused = await api.act(id, action, action === 'assign' ? { assignee: 'officer.zhang' } : { recordNumber: '1', filedAt: '2026-12-02' }).expect(409);
      expect(refused.body.details).toEqual({ stage: 'COMPLETED', allowed: [] });
    }
  });

  it('continues as new past the event budget, keeps every record, and completes', async () => {
    // Without a branch: the certificate child runs across the case's runs and is adopted by id.
    const body = caseBodyWithoutBranch();
    const domain = `continued-${randomInt(1e9)}.cn`;
    body.websites[0].domains = [domain];
    const { body: opened } = await api.create(body).expect(201);
    const id: string = opened.id;
    await satisfyChecklist(h, id);
    for (let i = 0; i < 6; i++) await api.act(id, 'assign', { assignee: `officer.${i}` }).expect(200);
    expect((await projectionState(id)).run).toBeGreaterThanOrEqual(1);
    const child = h.temporal.workflow.getHandle(`CaseCertificate:${id}`);
    expect((await child.describe()).status.name).toBe('RUNNING');

    await api.act(id, 'certificate-application', { authority: 'Hangzhou AIC', appliedAt: '2026-11-20' }).expect(200);
    expect((await child.query<{ step: string }>('getCertificateProgress')).step).toBe('APPLIED');
    await api.act(id, 'certificate', { number: `3301004${String(randomInt(1e8)).padStart(8, '0')}`, province: 'CN-ZJ', validUntil: '2031-12-31' }).expect(200);
    expect(await child.result()).toMatchObject({ outcome: 'ISSUED' });

    await api.act(id, 'submit').expect(200);
    await api.act(id, 'initial-review', { decision: 'APPROVED' }).expect(200);
    await api.act(id, 'sms-verification').expect(200);
    await api.act(id, 'miit-decision', { decision: 'APPROVED', icpNumber: '浙ICP备2026001111号-1' }).expect(200);

    // Repeated failing checks answer 422 each time, but the same failure is recorded once.
    for (let i = 0; i < 40; i++) {
      const failed = await api.act(id, 'resolution').expect(422);
      expect(failed.body.details.findings).toEqual([expect.objectContaining({ rule: 'DNS_NOT_RESOLVED' })]);
    }
    const state = await projectionState(id);
    expect(state.repeatedFailedChecks).toBe(39);
    expect(state.run).toBeGreaterThanOrEqual(3);
    dns.set({ [domain]: { A: ['47.98.10.20'] } });
    await api.act(id, 'resolution').expect(200);
    await api.act(id, 'psb-filing', { recordNumber: '33010602012345', filedAt: '2026-12-01' }).expect(200);
    const final = await h.temporal.workflow.getHandle(`Case:${id}`).result();
    expect(final).toMatchObject({ stage: 'COMPLETED', allowedActions: [], psbFiling: { recordNumber: '33010602012345' } });

    const events = (await api.events(id).expect(200)).body.items as { seq: number; type: string }[];
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.type === 'resolution.failed')).toHaveLength(1);
    expect(events.filter((e) => e.type.startsWith('case.') || e.type.startsWith('certificate.')).map((e) => e.type)).toEqual([
      'case.created',
      ...Array.from({ length: 6 }, () => 'case.assigned'),
      'certificate.applied',
      'certificate.recorded',
      'case.submitted',
    ]);
    expect(events[events.length - 1].type).toBe('psb-filing.recorded');
    expect((await row(id)).view).toMatchObject({ version: final.version, allowedActions: [] });
    await recordHistory(h, id, 'continued-as-new');
  });

  it('withdraws a case cancelled in Temporal, closes its certificate child and offers nothing', async () => {
    const { body: opened } = await api.create(caseBodyWithoutBranch()).expect(201);
    const handle = h.temporal.workflow.getHandle(`Case:${opened.id}`);
    await handle.cancel();
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    expect((await handle.describe()).status.name).toBe('CANCELLED');
    expect((await h.temporal.workflow.getHandle(`CaseCertificate:${opened.id}`).result())).toEqual({ outcome: 'ABANDONED' });

    const view = (await api.get(opened.id).expect(200)).body;
    expect(view).toMatchObject({ stage: 'WITHDRAWN', withdrawal: { reason: 'cancelled in Temporal' }, allowedActions: [] });
    const events = (await api.events(opened.id).expect(200)).body.items;
    expect(events[events.length - 1]).toMatchObject({ type: 'case.withdrawn', actor: 'system', toStage: 'WITHDRAWN', data: { reason: 'cancelled in Temporal' } });
    await api.act(opened.id, 'assign', { assignee: 'x' }).expect(409);
    await recordHistory(h, opened.id, 'cancelled-in-temporal');
  });

  it('closes a case cancelled after approval where it stands, offering nothing', async () => {
    const id = await driveTo(h, otherEntity(), 'RESOLVING');
    const handle = h.temporal.workflow.getHandle(`Case:${id}`);
    await handle.cancel();
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const view = (await api.get(id).expect(200)).body;
    expect(view).toMatchObject({ stage: 'RESOLVING', allowedActions: [] });
    const events = (await api.events(id).expect(200)).body.items;
    expect(events[events.length - 1]).toMatchObject({ type: 'case.closed', actor: 'system', data: { reason: 'cancelled in Temporal' } });
  });

  it('lets exactly one of two concurrent submissions of one entity open an order (5 trials)', async () => {
    const trials = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const body = otherEntity();
        const [a, b] = await Promise.all([driveTo(h, body, 'PREPARING'), driveTo(h, body, 'PREPARING')]);
        const answers = await Promise.all([api.act(a, 'submit'), api.act(b, 'submit')]);
        return { ids: [a, b], answers };
      }),
    );
    for (const { ids, answers } of trials) {
      expect(answers.map((r) => r.status).sort()).toEqual([200, 422]);
      const winner = answers.findIndex((r) => r.status === 200);
      const loser = answers[1 - winner];
      expect(loser.body.details.findings).toEqual([
        expect.objectContaining({ rule: 'ORDER_ALREADY_OPEN', message: expect.stringContaining(answers[winner].body.reference) }),
      ]);
      const claims = await pg.query('SELECT case_id FROM order_claims WHERE case_id = ANY($1)', [ids]);
      expect(claims.rows).toEqual([{ case_id: ids[winner] }]);
    }

    // Returned for correction keeps the order open; withdrawn releases it for the other case.
    const { ids, answers } = trials[0];
    const winner = ids[answers.findIndex((r) => r.status === 200)];
    const loser = ids.find((x) => x !== winner)!;
    await api.act(winner, 'initial-review', { decision: 'RETURNED', reasons: ['Name'] }).expect(200);
    expect((await api.act(loser, 'submit').expect(422)).body.details.findings[0].rule).toBe('ORDER_ALREADY_OPEN');
    await api.act(winner, 'withdraw', { reason: 'Filed by the other case' }).expect(200);
    await api.act(loser, 'submit').expect(200);
    expect((await pg.query('SELECT case_id FROM order_claims WHERE case_id = ANY($1)', [ids])).rows).toEqual([{ case_id: loser }]);
  });
});
