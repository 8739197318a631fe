import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { caseBody } from '../test/support/fixtures';
import { startFloor, type Floor } from './floor/floor';
import { closedLoop, freePort, openLoop, rssMiB, runNode, stop, temporalPid, waitFor, type Stats } from './support/measure';

/**
 * `npm run bench`: the project side by side with the floor (bench/floor: one Update, one activity,
 * one upsert) on the same Temporal server and database, in the same run. The API and the worker
 * run as their own processes from dist/ (as `npm start` runs them), so their memory is measured
 * apart. Writes bench/results/<date>.json and .md.
 *
 * BENCH_SECONDS (per measurement, default 10), BENCH_OPEN_CASES (default "0,1000,5000"),
 * BENCH_CONCURRENCY (default "1,8,32"), BENCH_LIST_LIMITS (default "20,50,100,200").
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const OPEN_CASES = (process.env.BENCH_OPEN_CASES ?? '0,1000,5000').split(',').map(Number);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,8,32').split(',').map(Number);
const LIST_LIMITS = (process.env.BENCH_LIST_LIMITS ?? '20,50,100,200').split(',').map(Number);
const GET_RATE = Number(process.env.BENCH_GET_RATE ?? 200);
const LIST_RATE = Number(process.env.BENCH_LIST_RATE ?? 100);
const BURST = Number(process.env.BENCH_BURST ?? 128);
/** Read-model rows the lists run over, cloned from a real projected case with SQL (as bench/list.bench.ts). */
const LIST_CASES = Number(process.env.BENCH_LIST_CASES ?? 100_000);

const root = join(__dirname, '..');
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

interface Api {
  url: string;
  child: ChildProcess;
}

async function startApi(env: Record<string, string>): Promise<Api> {
  const port = await freePort();
  const child = runNode(join(root, 'dist/apps/api/src/main.js'), { ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/health/live`);
  return { url, child };
}

async function call(url: string, method: string, body?: unknown, key?: string): Promise<{ status: number; body: unknown; retryAfter: string | null }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', 'x-actor': 'officer.bench', ...(key ? { 'idempotency-key': key } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, retryAfter: res.headers.get('retry-after') };
}

async function expectStatus(url: string, method: string, status: number, body?: unknown): Promise<Record<string, unknown>> {
  const res = await call(url, method, body);
  if (res.status !== status) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown>;
}

/** A change for setting up, retried with its Idempotency-Key while the (overloaded) service answers 503. */
async function setUp(url: string, body: unknown, status: number): Promise<Record<string, unknown>> {
  const key = randomUUID();
  for (let attempt = 1; ; attempt++) {
    const res = await call(url, 'POST', body, key);
    if (res.status === status) return res.body as Record<string, unknown>;
    if (res.status !== 503 || attempt >= 10) throw new Error(`POST ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function createCases(api: Api, n: number, concurrency = 8): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++;
        ids.push((await setUp(`${api.url}/v1/cases`, caseBody(), 201)).id as string);
      }
    }),
  );
  return ids;
}

describe('scale, side by side with the floor', () => {
  const env: Record<string, string> = {
    ICP_ENFORCE_DOCUMENTS: 'false',
    TEMPORAL_TASK_QUEUE: `icp-bench-${Date.now().toString(36)}`,
    ICP_WORKFLOW_BUNDLE: process.env.ICP_WORKFLOW_BUNDLE ?? '',
  };
  let worker: ChildProcess;
  let api: Api;
  let floor: Floor;
  let pool: Pool;
  const results: Record<string, unknown> = {};
  const rows: string[][] = [];

  beforeAll(async () => {
    worker = runNode(join(root, 'dist/apps/worker/src/main.js'), env);
    api = await startApi(env);
    floor = await startFloor(process.env.TEMPORAL_ADDRESS!, process.env.DATABASE_URL!);
    pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  }, 120_000);

  afterAll(async () => {
    await floor?.close();
    await pool?.end();
    if (api) await stop(api.child);
    if (worker) await stop(worker);
    const date = new Date().toISOString();
    const dir = join(root, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const machine = { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadavg: loadavg() };
    const conditions = { seconds: SECONDS, openCases: OPEN_CASES, concurrency: CONCURRENCY, listLimits: LIST_LIMITS, getRate: GET_RATE, listRate: LIST_RATE, burst: BURST };
    const table = [
      '| what | project | floor / bare pg | ratio |',
      '| --- | --- | --- | --- |',
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n');
    const stamp = date.replace(/[:.]/g, '-');
    writeFileSync(join(dir, `${stamp}.json`), JSON.stringify({ date, machine, conditions, results }, null, 2) + '\n');
    writeFileSync(join(dir, `${stamp}.md`), `# Bench ${date}\n\nMachine: ${JSON.stringify(machine)}\n\nConditions: ${JSON.stringify(conditions)}\n\n${table}\n`);
    console.log(`\n${table}\n\nwritten to bench/results/${stamp}.json and .md`);
  }, 60_000);

  const fmt = (s: Stats) => `${s.perSecond}/s p50 ${s.p50} p95 ${s.p95} p99 ${s.p99} ms${s.errors ? ` (${s.errors} errors)` : ''}`;

  it('memory with open cases', async () => {
    const port = process.env.TEMPORAL_ADDRESS!.split(':').pop()!;
    const tpid = temporalPid(port);
    const memory: Record<number, { worker: number; api: number; temporal: number | null }> = {};
    results.memory = memory;
    let open = 0;
    for (const target of OPEN_CASES) {
      if (target > open) {
        const ids = await createCases(api, target - open, 16);
        open = target;
        // Touch each once more so the worker holds every one of them (as far as its cache allows).
        let k = 0;
        await Promise.all(
          Array.from({ length: 16 }, async () => {
            while (k < ids.length) await setUp(`${api.url}/v1/cases/${ids[k++]}/assign`, { assignee: 'officer.mem' }, 200);
          }),
        );
      }
      await new Promise((r) => setTimeout(r, 2000));
      memory[target] = { worker: rssMiB(worker.pid!), api: rssMiB(api.child.pid!), temporal: tpid ? rssMiB(tpid) : null };
      rows.push([`RSS with ${target}+ open cases (worker / API / Temporal)`, `${memory[target].worker} / ${memory[target].api} / ${memory[target].temporal ?? '?'} MiB`, '', '']);
    }
  }, 3_600_000);

  it('creation and transitions, at each concurrency', async () => {
    // Warm-up both sides.
    const warm = await createCases(api, 4);
    for (let i = 0; i < 4; i++) await floor.step(await floor.create(), 'warm');
    await expectStatus(`${api.url}/v1/cases/${warm[0]}/assign`, 'POST', 200, { assignee: 'officer.warm' });

    const creation = await closedLoop(8, SECONDS * 1000, async () => void (await expectStatus(`${api.url}/v1/cases`, 'POST', 201, caseBody())));
    const floorCreation = await closedLoop(8, SECONDS * 1000, async () => void (await floor.create()));
    results.creation = { concurrency: 8, project: creation, floor: floorCreation };
    rows.push(['creation, c=8', fmt(creation), fmt(floorCreation), `${ratio(creation.perSecond, floorCreation.perSecond)}× throughput`]);

    for (const c of CONCURRENCY) {
      const ids = await createCases(api, c);
      const floorIds = await Promise.all(Array.from({ length: c }, () => floor.create()));
      const project = await closedLoop(c, SECONDS * 1000, async (w, i) => {
        await expectStatus(`${api.url}/v1/cases/${ids[w]}/assign`, 'POST', 200, { assignee: `officer.${i % 7}` });
      });
      const bare = await closedLoop(c, SECONDS * 1000, async (w, i) => void (await floor.step(floorIds[w], `officer.${i % 7}`)));
      results[`transition_c${c}`] = { project, floor: bare };
      rows.push([
        `transition, c=${c}`,
        fmt(project),
        fmt(bare),
        `${ratio(project.perSecond, bare.perSecond)}× throughput, p50 ${ratio(project.p50, bare.p50)}×, p99 ${ratio(project.p99, bare.p99)}×`,
      ]);
    }
  }, 1_800_000);

  it('reads at fixed rates (open loop), beside a bare pg read', async () => {
    const [id] = await createCases(api, 1);
    const get = await openLoop(GET_RATE, SECONDS * 1000, async () => void (await expectStatus(`${api.url}/v1/cases/${id}`, 'GET', 200)));
    const bare = await openLoop(GET_RATE, SECONDS * 1000, async () => void (await pool.query('SELECT view FROM cases WHERE id = $1', [id])));
    results.getById = { rate: GET_RATE, project: get, pg: bare };
    rows.push([`GET /v1/cases/{id} at ${GET_RATE}/s`, fmt(get), fmt(bare), `p99 ${ratio(get.p99, bare.p99)}×`]);

    const template = await expectStatus(`${api.url}/v1/cases/${id}`, 'GET', 200);
    await pool.query(
      `INSERT INTO cases (id, reference, stage, version, submission_province, applicant_name, entity_key, assignee,
                          icp_number, search_text, next_deadline_at, view, created_at, updated_at)
       SELECT gen_random_uuid(), 'ICP-B-' || lpad(g::text, 7, '0'),
              (ARRAY['PREPARING','INITIAL_REVIEW','MIIT_REVIEW','RETURNED','COMPLETED','AWAITING_CERTIFICATE'])[1 + g % 6],
              1, (ARRAY['CN-ZJ','CN-BJ','CN-SH','CN-GD','CN-JS'])[1 + g % 5],
              'Bench Co ' || g, 'XX:bench co ' || g, 'officer-' || (g % 50),
              NULL, 'icp-b-' || lpad(g::text, 7, '0') || ' bench co ' || g || ' site' || g || '.cn',
              now() + interval '3 days',
              jsonb_set(jsonb_set($1::jsonb, '{id}', to_jsonb(gen_random_uuid()::text)), '{reference}', to_jsonb('ICP-B-' || g)),
              now() - (g || ' seconds')::interval, now()
         FROM generate_series(1, $2::int) g`,
      [JSON.stringify(template), LIST_CASES],
    );
    await pool.query('ANALYZE cases');
    const total = (await pool.query<{ n: string }>('SELECT count(*) AS n FROM cases')).rows[0].n;
    for (const limit of LIST_LIMITS) {
      const list = await openLoop(LIST_RATE, SECONDS * 1000, async () => void (await expectStatus(`${api.url}/v1/cases?stage=PREPARING&limit=${limit}`, 'GET', 200)));
      const bareList = await openLoop(LIST_RATE, SECONDS * 1000, async () => {
        await pool.query(`SELECT view FROM cases WHERE stage = 'PREPARING' ORDER BY created_at DESC, id DESC LIMIT $1`, [limit + 1]);
      });
      results[`list_limit${limit}`] = { rate: LIST_RATE, cases: Number(total), project: list, pg: bareList };
      rows.push([`GET /v1/cases?stage&limit=${limit} at ${LIST_RATE}/s (${total} cases)`, fmt(list), fmt(bareList), `p99 ${ratio(list.p99, bareList.p99)}×`]);
    }
  }, 1_800_000);

  it('overload burst: concurrent submits with ICP_UPDATE_TIMEOUT=3s, with and without admission control', async () => {
    const burst: Record<string, unknown> = {};
    for (const [label, maxInFlight] of [
      ['admission off', '1000000'],
      ['admission on (default)', ''],
    ] as const) {
      const over = await startApi({ ...env, ICP_UPDATE_TIMEOUT: '3s', ...(maxInFlight ? { ICP_API_MAX_IN_FLIGHT: maxInFlight } : {}) });
      try {
        // Set up through the main API (its 30 s timeout): only the burst goes to the 3 s one.
        const ids = await createCases(api, BURST, 16);
        const t0 = Date.now();
        const answers = await Promise.all(
          ids.map(async (id, i) => {
            const t = Date.now();
            const res = await call(`${over.url}/v1/cases/${id}/submit`, 'POST', {});
            return { id, i, status: res.status, retryAfter: res.retryAfter, ms: Date.now() - t };
          }),
        );
        const wall = Date.now() - t0;
        // Let anything still in the workflows' queues finish, then see what was applied.
        await new Promise((r) => setTimeout(r, 10_000));
        let appliedOf503 = 0;
        for (const a of answers.filter((x) => x.status === 503)) {
          const view = await expectStatus(`${over.url}/v1/cases/${a.id}`, 'GET', 200);
          if (view.stage === 'INITIAL_REVIEW') appliedOf503++;
        }
        const count = (s: number) => answers.filter((a) => a.status === s).length;
        const refused = answers.filter((a) => a.status === 503);
        const outcome = {
          ok: count(200),
          unavailable: count(503),
          other: answers.length - count(200) - count(503),
          appliedOf503,
          withRetryAfter: refused.filter((a) => a.retryAfter).length,
          slowest503Ms: refused.length ? Math.max(...refused.map((a) => a.ms)) : null,
          wallMs: wall,
        };
        burst[label] = outcome;
        rows.push([
          `overload: ${BURST} concurrent submits, 3 s timeout, ${label}`,
          `${outcome.ok} × 200, ${outcome.unavailable} × 503 (${appliedOf503} of them applied anyway), ${outcome.other} other; slowest 503 ${outcome.slowest503Ms} ms`,
          '',
          '',
        ]);
      } finally {
        await stop(over.child);
      }
    }
    results.overload = burst;
  }, 600_000);
});
