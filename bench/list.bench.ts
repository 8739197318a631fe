import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { caseApi } from '../test/support/api';
import { caseBody } from '../test/support/fixtures';
import { startHarness, type Harness } from '../test/support/harness';
import { cloneCases } from './support/clone-cases';

/**
 * GET /v1/cases with 100 000 cases in the read model: first page, a deep page reached by cursor,
 * each filter. The rows are cloned from a real projected case with SQL (fast), so the JSON is real.
 */
const N = Number(process.env.BENCH_CASES ?? 100_000);

describe(`listing ${N} cases`, () => {
  let h: Harness;
  let db: Client;
  beforeAll(async () => {
    h = await startHarness();
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await h?.close();
  });

  it('stays fast on deep pages and with filters', async () => {
    const api = caseApi(h);
    const { body: template } = await api.create(caseBody()).expect(201);
    const t0 = Date.now();
    await cloneCases(db, template, N);
    console.log(`inserted ${N} cases in ${Date.now() - t0}ms`);

    const time = async (path: string, query: Record<string, string | number>, runs = 20) => {
      const samples: number[] = [];
      let body: { items: unknown[]; nextCursor: string | null } = { items: [], nextCursor: null };
      for (let i = 0; i < runs; i++) {
        const t = process.hrtime.bigint();
        body = (await h.http.get(path).query(query).expect(200)).body;
        samples.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      samples.sort((a, b) => a - b);
      return { p50: samples[Math.floor(runs / 2)], p95: samples[Math.floor(runs * 0.95)], body };
    };
    const line = (name: string, r: { p50: number; p95: number; body: { items: unknown[] } }) =>
      console.log(`${name.padEnd(40)} items=${String(r.body.items.length).padStart(3)} p50=${r.p50.toFixed(1)}ms p95=${r.p95.toFixed(1)}ms`);

    const first = await time('/v1/cases', { limit: 50 });
    line('first page (limit 50)', first);
    // Walk 1 000 pages deep by cursor (50 000 rows), then time that page.
    let cursor = first.body.nextCursor!;
    const walk = Date.now();
    for (let i = 0; i < 1000 && cursor; i++) cursor = (await h.http.get('/v1/cases').query({ limit: 50, cursor }).expect(200)).body.nextCursor;
    console.log(`walked 1000 pages by cursor in ${Date.now() - walk}ms`);
    line('page 1001 by cursor', await time('/v1/cases', { limit: 50, cursor }));
    line('stage=MIIT_REVIEW', await time('/v1/cases', { stage: 'MIIT_REVIEW', limit: 50 }));
    line('province=CN-GD', await time('/v1/cases', { province: 'CN-GD', limit: 50 }));
    line('assignee=officer-7', await time('/v1/cases', { assignee: 'officer-7', limit: 50 }));
    line('overdue=true', await time('/v1/cases', { overdue: 'true', limit: 50 }));
    line('q=site4242 (trigram)', await time('/v1/cases', { q: 'site4242', limit: 50 }));
    line('limit=200', await time('/v1/cases', { limit: 200 }));
    const plan = await db.query(
      `EXPLAIN SELECT view FROM cases WHERE stage = 'MIIT_REVIEW' AND (created_at, id) < (now(), $1::uuid) ORDER BY created_at DESC, id DESC LIMIT 51`,
      [randomUUID()],
    );
    console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
  }, 600_000);
});
