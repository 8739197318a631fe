import { Client } from 'pg';
import { caseApi, eventually } from '../test/support/api';
import { caseBody } from '../test/support/fixtures';
import { startHarness, type Harness } from '../test/support/harness';

/**
 * The reminder sweep over 100 000 cases in the read model (bulk-inserted with SQL from a real
 * projected case): 1 in 97 is past its MIIT review deadline, 1 in 50 has an instance expiring
 * within 30 days, the rest are due later. The sweep is triggered through the real Schedule twice;
 * the second run must send nothing new. Prints the runs' durations and counts.
 */
const N = Number(process.env.BENCH_CASES ?? 100_000);

describe(`the reminder sweep over ${N} cases`, () => {
  let h: Harness;
  let db: Client;
  beforeAll(async () => {
    h = await startHarness({ ICP_OFFICERS_QUEUE: 'bench-officers' });
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await h?.close();
  });

  it('runs, then runs again sending nothing', async () => {
    const { body: template } = await caseApi(h).create(caseBody()).expect(201);
    const t0 = Date.now();
    await db.query(
      `WITH g AS (
         SELECT g, gen_random_uuid() AS id,
                CASE WHEN g % 97 = 0 THEN now() - interval '1 day' ELSE now() + interval '10 days' END AS due,
                CASE WHEN g % 50 = 0 THEN current_date + 10 ELSE current_date + 400 END AS expires
           FROM generate_series(1, $2::int) g)
       INSERT INTO cases (id, reference, stage, version, submission_province, applicant_name, entity_key, assignee,
                          icp_number, search_text, next_deadline_at, view, created_at, updated_at,
                          review_due, instance_expires_on)
       SELECT id, 'ICP-S-' || lpad(g::text, 7, '0'), 'MIIT_REVIEW', 1, 'CN-ZJ', 'Sweep Co ' || g, 'XX:sweep co ' || g,
              CASE WHEN g % 10 = 0 THEN NULL ELSE 'officer-' || (g % 50) END, NULL, 'sweep co ' || g, due,
              $1::jsonb || jsonb_build_object(
                'id', id, 'reference', 'ICP-S-' || lpad(g::text, 7, '0'), 'stage', 'MIIT_REVIEW',
                'assignee', CASE WHEN g % 10 = 0 THEN NULL ELSE 'officer-' || (g % 50) END,
                'deadlines', ($1::jsonb -> 'deadlines') || jsonb_build_object(
                  'reviewDue', to_char(due AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                  'miitReviewDue', to_char(due AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                  'instanceExpiresOn', to_char(expires, 'YYYY-MM-DD'),
                  'instanceExpiryWarningFrom', to_char(expires - 30, 'YYYY-MM-DD'))),
              now() - (g || ' seconds')::interval, now(), due, expires
         FROM g`,
      [JSON.stringify(template), N],
    );
    await db.query('ANALYZE cases');
    console.log(`inserted ${N} cases in ${Date.now() - t0} ms`);

    const handle = h.temporal.schedule.getHandle(h.config.reminders.schedule!.id);
    const run = async () => {
      const before = Number((await db.query(`SELECT count(*) FROM reminder_runs WHERE finished_at IS NOT NULL`)).rows[0].count);
      await new Promise((r) => setTimeout(r, 1100)); // scheduled workflow ids are per second
      await handle.trigger();
      await eventually(
        async () => Number((await db.query(`SELECT count(*) FROM reminder_runs WHERE finished_at IS NOT NULL`)).rows[0].count),
        (n) => n > before,
        600_000,
      );
      const { rows } = await db.query(
        `SELECT id, extract(epoch FROM finished_at - started_at) * 1000 AS ms, counts FROM reminder_runs ORDER BY finished_at DESC LIMIT 1`,
      );
      return rows[0] as { ms: number; counts: Record<string, number> };
    };
    const first = await run();
    console.log(`first run:  ${Math.round(first.ms)} ms ${JSON.stringify(first.counts)}`);
    const second = await run();
    console.log(`second run: ${Math.round(second.ms)} ms ${JSON.stringify(second.counts)}`);
    expect(first.counts.created).toBeGreaterThan(0);
    expect(second.counts.created).toBe(0);
    expect(second.counts.deliveries).toBe(0);
  });
});
