import { Client as PgClient } from 'pg';
import { main } from '../apps/reconcile/src/main';
import { caseApi } from './support/api';
import { driveTo } from './support/drive';
import { caseBody, uniqueName } from './support/fixtures';
import { HARNESS_ENV, startHarness, type Harness } from './support/harness';

/**
 * `npm run verify-projection` against real Postgres and Temporal: drift made by hand in SQL and a
 * workflow terminated in Temporal are reported (exit code 1), repaired with --repair, and gone.
 */
describe('verify-projection', () => {
  let h: Harness;
  let pg: PgClient;
  let log: jest.SpyInstance;

  beforeAll(async () => {
    h = await startHarness();
    // The command reads its configuration from the environment, as `npm run verify-projection` does:
    // the same codec keys as the service, or it cannot read the workflows' encrypted answers.
    process.env.ICP_CODEC_KEYS = HARNESS_ENV.ICP_CODEC_KEYS;
    pg = new PgClient({ connectionString: h.config.databaseUrl });
    await pg.connect();
  });
  beforeEach(() => {
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => log.mockRestore());
  afterAll(async () => {
    await pg?.end();
    await h?.close();
  });

  const printed = () => log.mock.calls.map((c) => String(c[0])).join('\n');
  const withCases = (ids: string[], ...flags: string[]) => main([...flags, ...ids.flatMap((id) => ['--case', id])]);

  it('finds no drift in cases the service wrote, and reports and repairs what was changed behind its back', async () => {
    const api = caseApi(h);
    const preparing = await driveTo(h, caseBody({}, uniqueName('Drift A')), 'PREPARING');
    const review = await driveTo(h, caseBody({}, uniqueName('Drift B')), 'MIIT_REVIEW');
    const resolving = await driveTo(h, caseBody({}, uniqueName('Drift C')), 'RESOLVING');
    const ids = [preparing, review, resolving];
    expect(await withCases(ids)).toBe(0);
    expect(printed()).toContain('verified 3 cases: 0 drift');

    // An event lost, a stage altered, a claim dropped, and a workflow terminated in Temporal.
    await pg.query(`DELETE FROM case_events WHERE case_id = $1 AND seq = 1`, [preparing]);
    await pg.query(`UPDATE cases SET stage = 'COMPLETED', view = jsonb_set(view, '{stage}', '"COMPLETED"') WHERE id = $1`, [review]);
    await pg.query(`DELETE FROM order_claims WHERE case_id = $1`, [review]);
    await h.temporal.workflow.getHandle(`Case:${resolving}`).terminate('operator test');
    expect((await api.get(resolving).expect(200)).body.allowedActions.length).toBeGreaterThan(0);

    log.mockClear();
    expect(await withCases(ids)).toBe(1);
    const report = printed();
    expect(report).toContain(`drift ${preparing} event-missing: event 1 case.created`);
    expect(report).toContain(`drift ${review} row-differs: row COMPLETED`);
    expect(report).toContain(`drift ${review} claim-missing`);
    expect(report).toContain(`drift ${resolving} row-differs`);
    expect(report).toContain('TERMINATED');

    log.mockClear();
    expect(await withCases(ids, '--repair')).toBe(0);
    expect(printed()).toMatch(/verified 3 cases: 4 drift, 4 repaired/);

    log.mockClear();
    expect(await withCases(ids)).toBe(0);
    expect(printed()).toContain('verified 3 cases: 0 drift');
    expect((await api.get(review).expect(200)).body.stage).toBe('MIIT_REVIEW');
    expect((await api.events(preparing).expect(200)).body.items[0]).toMatchObject({ seq: 1, type: 'case.created' });
    // The terminated case is marked: it offers nothing, and every action answers 409.
    expect((await api.get(resolving).expect(200)).body).toMatchObject({ stage: 'RESOLVING', allowedActions: [] });
    await api.act(resolving, 'resolution').expect(409);
  });
});
