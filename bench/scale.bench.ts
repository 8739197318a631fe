import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { CASE_SUMMARY_COLUMNS, CASE_VIEW_COLUMNS } from '../libs/persistence/src';
import { caseBody } from '../test/support/fixtures';
import { mintToken, TEST_CODEC_KEYS, TEST_JWT_SECRET } from '../test/support/tokens';
import { startFloor, type Floor } from './floor/floor';
import { cloneCases } from './support/clone-cases';
import { closedLoop, freePort, openLoop, peakRssMiB, rssMiB, runNode, stop, temporalPid, waitFor, type Stats } from './support/measure';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { nodeArgs } = require('../scripts/node-args') as { nodeArgs(role: 'api' | 'worker'): string[] };

/**
 * `npm run bench`: the project side by side with the floor (bench/floor: one Update, one activity,
 * one upsert) on the same Temporal server and database, in the same run, on each target:
 *
 * - `dev`: the Temporal dev server (SQLite) the test setup starts, one API and one worker process;
 * - `cluster`: the production topology of scripts/cluster.js: the real Temporal server v1.29.1 on
 *   PostgreSQL (built from Go modules once per machine), two APIs behind the proxy, two workers.
 *
 * The API and the workers run as their own processes from dist/ (as `npm start` runs them), so
 * their memory is measured apart. Writes bench/results/<date>.json and .md; the table puts the
 * targets side by side.
 *
 * BENCH_TARGETS (default "dev,cluster"), BENCH_SECONDS (per measurement, default 10),
 * BENCH_OPEN_CASES (default "0,1000,5000"), BENCH_CONCURRENCY (default "1,8,32"),
 * BENCH_LIST_LIMITS (default "20,50,100,200"), BENCH_LIST_ROUTES (default "summaries,cases"), BENCH_GET_RATE, BENCH_LIST_RATE, BENCH_BURST,
 * BENCH_LIST_CASES (see docs/performance.md).
 */
const TARGETS = (process.env.BENCH_TARGETS ?? 'dev,cluster').split(',').map((t) => t.trim()).filter(Boolean) as ('dev' | 'cluster')[];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const OPEN_CASES = (process.env.BENCH_OPEN_CASES ?? '0,1000,5000').split(',').map(Number);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,8,32').split(',').map(Number);
const LIST_LIMITS = (process.env.BENCH_LIST_LIMITS ?? '20,50,100,200').split(',').map(Number);
const LIST_ROUTES = (process.env.BENCH_LIST_ROUTES ?? 'summaries,cases').split(',').map((r) => r.trim()) as ('summaries' | 'cases')[];
const GET_RATE = Number(process.env.BENCH_GET_RATE ?? 200);
const LIST_RATE = Number(process.env.BENCH_LIST_RATE ?? 100);
const BURST = Number(process.env.BENCH_BURST ?? 128);
/** Read-model rows the lists run over, cloned from a real projected case with SQL (as bench/list.bench.ts). */
const LIST_CASES = Number(process.env.BENCH_LIST_CASES ?? 100_000);
const TARGET_NAMES = { dev: 'dev server', cluster: 'cluster' } as const;

const root = join(__dirname, '..');
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

/**
 * What every service process of the bench gets: the token secret the bench mints with, payload
 * encryption as in production, rate limits out of the way, and no worker metrics port (two
 * workers on one machine would both want 9464).
 */
const SERVICE_ENV: Record<string, string> = {
  AUTH_JWT_SECRET: TEST_JWT_SECRET,
  ICP_CODEC_KEYS: TEST_CODEC_KEYS,
  ICP_RATE_LIMIT_PER_USER: '100000000',
  ICP_RATE_LIMIT_PER_IP: '100000000',
  ICP_WORKER_METRICS_PORT: '0',
  ICP_ENFORCE_DOCUMENTS: 'false',
  LOG_LEVEL: 'warn',
};
/** A supervisor: assigns cases to anyone. */
const AUTHORIZATION = `Bearer ${mintToken({ sub: 'supervisor.bench', role: 'supervisor' }, { expiresInSeconds: 12 * 3600 })}`;

/** One deployment the bench measures. */
interface Target {
  key: 'dev' | 'cluster';
  /** Where requests go (the API, or the proxy in front of the APIs). */
  url: string;
  databaseUrl: string;
  temporalAddress: string;
  /** Variables for one more API process against this deployment (the overload burst). */
  env: Record<string, string>;
  pids(): { workers: number[]; apis: number[]; temporal: number | null };
  stop(): Promise<void>;
}

/**
 * Node flags for the dev target's processes, from BENCH_WORKER_NODE_OPTIONS / BENCH_API_NODE_OPTIONS:
 * e.g. `--max-old-space-size=…`, or `--cpu-prof --cpu-prof-dir=DIR` (a profile per thread, the
 * worker's workflow thread included). Given on the command line, after the launchers' own, so they
 * win and may be flags NODE_OPTIONS refuses.
 */
function extraArgs(name: string): string[] {
  return (process.env[name] ?? '').split(/\s+/).filter(Boolean);
}

async function startApi(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = runNode(join(root, 'dist/apps/api/src/main.js'), { ...env, PORT: String(port) }, [...nodeArgs('api'), ...extraArgs('BENCH_API_NODE_OPTIONS')]);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/health/live`);
  return { url, child };
}

async function startDev(): Promise<Target> {
  const env = {
    ...SERVICE_ENV,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
    DATABASE_URL: process.env.DATABASE_URL!,
    TEMPORAL_TASK_QUEUE: `icp-bench-${Date.now().toString(36)}`,
    ICP_WORKFLOW_BUNDLE: process.env.ICP_WORKFLOW_BUNDLE ?? '',
  };
  const worker = runNode(join(root, 'dist/apps/worker/src/main.js'), env, [...nodeArgs('worker'), ...extraArgs('BENCH_WORKER_NODE_OPTIONS')]);
  const api = await startApi(env);
  const tpid = temporalPid(env.TEMPORAL_ADDRESS.split(':').pop()!);
  return {
    key: 'dev',
    url: api.url,
    databaseUrl: env.DATABASE_URL,
    temporalAddress: env.TEMPORAL_ADDRESS,
    env,
    pids: () => ({ workers: [worker.pid!], apis: [api.child.pid!], temporal: tpid }),
    async stop() {
      await stop(api.child);
      await stop(worker);
    },
  };
}

async function startClusterTarget(): Promise<Target> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startCluster } = require('../test/cluster/support') as typeof import('../test/cluster/support');
  const cluster = await startCluster({
    env: { ...SERVICE_ENV, ICP_WORKFLOW_BUNDLE: process.env.ICP_WORKFLOW_BUNDLE ?? '' },
    log: (m: string) => process.env.BENCH_LOG && console.log(`[cluster] ${m}`),
  });
  const role = (r: 'api' | 'worker') => cluster.processes.filter((p) => p.role === r).map((p) => p.child.pid!);
  return {
    key: 'cluster',
    url: cluster.proxy.url,
    databaseUrl: cluster.databaseUrl,
    temporalAddress: cluster.temporal.address,
    env: {
      ...SERVICE_ENV,
      DATABASE_URL: cluster.databaseUrl,
      TEMPORAL_ADDRESS: cluster.temporal.address,
      TEMPORAL_NAMESPACE: cluster.temporal.namespace,
      ICP_WORKFLOW_BUNDLE: process.env.ICP_WORKFLOW_BUNDLE ?? '',
    },
    pids: () => ({ workers: role('worker'), apis: role('api'), temporal: cluster.temporal.pid }),
    stop: () => cluster.stop({ drop: !process.env.BENCH_KEEP }),
  };
}

async function call(url: string, method: string, body?: unknown, key?: string): Promise<{ status: number; body: unknown; retryAfter: string | null }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', authorization: AUTHORIZATION, ...(key ? { 'idempotency-key': key } : {}) },
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
    if ((res.status !== 503 && res.status !== 502) || attempt >= 10) throw new Error(`POST ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function createCases(url: string, n: number, concurrency = 8): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++;
        ids.push((await setUp(`${url}/v1/cases`, caseBody(), 201)).id as string);
      }
    }),
  );
  return ids;
}

/** The same page as the API reads it (CaseReadRepository.summaries: the summary's columns), straight from pg. */
const LIST_SQL = `SELECT ${CASE_SUMMARY_COLUMNS} FROM cases WHERE stage = 'PREPARING' ORDER BY created_at DESC, id DESC LIMIT $1`;
/** What GET /v1/cases reads: the whole views (CaseReadRepository.list). */
const VIEWS_SQL = `SELECT ${CASE_VIEW_COLUMNS} FROM cases WHERE stage = 'PREPARING' ORDER BY created_at DESC, id DESC LIMIT $1`;

const fmt = (s: Stats) => `${s.perSecond}/s p50 ${s.p50} p95 ${s.p95} p99 ${s.p99} ms${s.errors ? ` (${s.errors} errors)` : ''}`;
const load = () => loadavg().map((x) => Math.round(x * 10) / 10);

/** Rows of the table: one cell triple (project, floor or bare pg, ratio) per target, plus a comparison value. */
interface Row {
  what: string;
  cells: Partial<Record<'dev' | 'cluster', { project: string; floor: string; ratio: string; compare?: number }>>;
}
const rows: Row[] = [];
const results: Record<string, Record<string, unknown>> = {};
function put(target: Target, what: string, project: string, floor = '', r = '', compare?: number): void {
  let row = rows.find((x) => x.what === what);
  if (!row) rows.push((row = { what, cells: {} }));
  row.cells[target.key] = { project, floor, ratio: r, compare };
}

function table(): string {
  const head = ['what', ...TARGETS.flatMap((t) => [`${TARGET_NAMES[t]}: project`, 'floor / bare pg', 'ratio'])];
  const both = TARGETS.includes('dev') && TARGETS.includes('cluster');
  if (both) head.push('cluster ÷ dev (project)');
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const row of rows) {
    const cells = [row.what, ...TARGETS.flatMap((t) => [row.cells[t]?.project ?? '', row.cells[t]?.floor ?? '', row.cells[t]?.ratio ?? ''])];
    if (both) {
      const d = row.cells.dev?.compare;
      const c = row.cells.cluster?.compare;
      cells.push(d && c ? `${ratio(c, d)}×` : '');
    }
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

afterAll(() => {
  const date = new Date().toISOString();
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const machine = { cpus: cpus().length, model: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadavg: load() };
  const conditions = { targets: TARGETS, seconds: SECONDS, openCases: OPEN_CASES, concurrency: CONCURRENCY, listLimits: LIST_LIMITS, getRate: GET_RATE, listRate: LIST_RATE, burst: BURST, listCases: LIST_CASES };
  const stamp = date.replace(/[:.]/g, '-');
  const text = table();
  const loads = TARGETS.map((t) => `${TARGET_NAMES[t]} ${JSON.stringify(results[t]?.loadavg ?? null)}`).join('; ');
  writeFileSync(join(dir, `${stamp}.json`), JSON.stringify({ date, machine, conditions, results }, null, 2) + '\n');
  writeFileSync(
    join(dir, `${stamp}.md`),
    `# Bench ${date}\n\nMachine: ${JSON.stringify(machine)}\n\nConditions: ${JSON.stringify(conditions)}\n\nLoad average (1/5/15 min) at the start and end of each target: ${loads}\n\n${text}\n`,
  );
  console.log(`\n${text}\n\nload average: ${loads}\nwritten to bench/results/${stamp}.json and .md`);
});

for (const key of TARGETS) {
  describe(`scale on the ${TARGET_NAMES[key]}, side by side with the floor`, () => {
    let target: Target;
    let floor: Floor;
    let pool: Pool;
    const out: Record<string, unknown> = {};

    beforeAll(async () => {
      results[key] = out;
      out.loadavg = { start: load() };
      target = key === 'dev' ? await startDev() : await startClusterTarget();
      floor = await startFloor(target.temporalAddress, target.databaseUrl);
      pool = new Pool({ connectionString: target.databaseUrl, max: 10 });
    }, 3_600_000); // the cluster builds the Temporal server from Go modules the first time (minutes)

    afterAll(async () => {
      (out.loadavg as Record<string, unknown>).end = load();
      await floor?.close();
      await pool?.end();
      await target?.stop();
    }, 120_000);

    it('memory with open cases', async () => {
      const memory: Record<number, { workers: number[]; apis: number[]; temporal: number | null; workersPeak: number[] }> = {};
      out.memory = memory;
      let open = 0;
      const mib = (pids: number[]) => pids.map(rssMiB);
      for (const n of OPEN_CASES) {
        if (n > open) {
          const ids = await createCases(target.url, n - open, 16);
          open = n;
          // Touch each once more so the workers hold every one of them (as far as their caches allow).
          let k = 0;
          await Promise.all(
            Array.from({ length: 16 }, async () => {
              while (k < ids.length) await setUp(`${target.url}/v1/cases/${ids[k++]}/assign`, { assignee: 'officer.mem' }, 200);
            }),
          );
        }
        await new Promise((r) => setTimeout(r, 2000));
        const pids = target.pids();
        memory[n] = { workers: mib(pids.workers), apis: mib(pids.apis), temporal: pids.temporal ? rssMiB(pids.temporal) : null, workersPeak: pids.workers.map(peakRssMiB) };
        const m = memory[n];
        const list = (xs: number[]) => xs.map((x) => (Number.isNaN(x) ? 'exited' : x)).join('+');
        put(
          target,
          `RSS with ${n}+ open cases (worker / API / Temporal), MiB; worker's peak so far`,
          `${list(m.workers)} / ${list(m.apis)} / ${m.temporal ?? '?'}; peak ${list(m.workersPeak)}`,
        );
      }
    }, 3_600_000);

    it('creation and transitions, at each concurrency', async () => {
      // Warm-up both sides.
      const warm = await createCases(target.url, 4);
      for (let i = 0; i < 4; i++) await floor.step(await floor.create(), 'warm');
      await expectStatus(`${target.url}/v1/cases/${warm[0]}/assign`, 'POST', 200, { assignee: 'officer.warm' });

      const creation = await closedLoop(8, SECONDS * 1000, async () => void (await expectStatus(`${target.url}/v1/cases`, 'POST', 201, caseBody())));
      const floorCreation = await closedLoop(8, SECONDS * 1000, async () => void (await floor.create()));
      out.creation = { concurrency: 8, project: creation, floor: floorCreation };
      put(target, 'creation, c=8', fmt(creation), fmt(floorCreation), `${ratio(creation.perSecond, floorCreation.perSecond)}× throughput`, creation.perSecond);

      for (const c of CONCURRENCY) {
        const ids = await createCases(target.url, c);
        const floorIds = await Promise.all(Array.from({ length: c }, () => floor.create()));
        const project = await closedLoop(c, SECONDS * 1000, async (w, i) => {
          await expectStatus(`${target.url}/v1/cases/${ids[w]}/assign`, 'POST', 200, { assignee: `officer.${i % 7}` });
        });
        const bare = await closedLoop(c, SECONDS * 1000, async (w, i) => void (await floor.step(floorIds[w], `officer.${i % 7}`)));
        out[`transition_c${c}`] = { project, floor: bare };
        put(
          target,
          `transition, c=${c}`,
          fmt(project),
          fmt(bare),
          `${ratio(project.perSecond, bare.perSecond)}× throughput, p50 ${ratio(project.p50, bare.p50)}×, p99 ${ratio(project.p99, bare.p99)}×`,
          project.perSecond,
        );
      }
    }, 1_800_000);

    it('reads at fixed rates (open loop), beside a bare pg read', async () => {
      const [id] = await createCases(target.url, 1);
      const get = await openLoop(GET_RATE, SECONDS * 1000, async () => void (await expectStatus(`${target.url}/v1/cases/${id}`, 'GET', 200)));
      const bare = await openLoop(GET_RATE, SECONDS * 1000, async () => void (await pool.query('SELECT view FROM cases WHERE id = $1', [id])));
      out.getById = { rate: GET_RATE, project: get, pg: bare };
      put(target, `GET /v1/cases/{id} at ${GET_RATE}/s`, fmt(get), fmt(bare), `p99 ${ratio(get.p99, bare.p99)}×`, get.p99);

      const template = await expectStatus(`${target.url}/v1/cases/${id}`, 'GET', 200);
      await cloneCases(pool, template, LIST_CASES);
      const total = (await pool.query<{ n: string }>('SELECT count(*) AS n FROM cases')).rows[0].n;
      // Both list routes: the worklist's summaries (read from columns) and the contract's whole views,
      // each beside the bare pg read of what it reads.
      for (const route of LIST_ROUTES) {
        for (const limit of LIST_LIMITS) {
          const path = route === 'summaries' ? '/v1/cases/summaries' : '/v1/cases';
          const list = await openLoop(LIST_RATE, SECONDS * 1000, async () => void (await expectStatus(`${target.url}${path}?stage=PREPARING&limit=${limit}`, 'GET', 200)));
          const bareList = await openLoop(LIST_RATE, SECONDS * 1000, async () => {
            await pool.query(route === 'summaries' ? LIST_SQL : VIEWS_SQL, [limit + 1]);
          });
          out[`list_${route}_limit${limit}`] = { rate: LIST_RATE, cases: Number(total), project: list, pg: bareList };
          put(target, `GET ${path}?stage&limit=${limit} at ${LIST_RATE}/s (${LIST_CASES}+ cases)`, fmt(list), fmt(bareList), `p99 ${ratio(list.p99, bareList.p99)}×`, list.p99);
        }
      }
    }, 1_800_000);

    it('overload burst: concurrent submits with ICP_UPDATE_TIMEOUT=3s, with and without admission control', async () => {
      const burst: Record<string, unknown> = {};
      for (const [label, maxInFlight] of [
        ['admission off', '1000000'],
        ['admission on (default)', ''],
      ] as const) {
        const over = await startApi({ ...target.env, ICP_UPDATE_TIMEOUT: '3s', ...(maxInFlight ? { ICP_API_MAX_IN_FLIGHT: maxInFlight } : {}) });
        try {
          // Set up through the deployment (its 30 s timeout): only the burst goes to the 3 s API.
          const ids = await createCases(target.url, BURST, 16);
          const t0 = Date.now();
          const answers = await Promise.all(
            ids.map(async (id, i) => {
              const t = Date.now();
              const res = await call(`${over.url}/v1/cases/${id}/submit`, 'POST', {});
              // Refused by admission control (before anything was sent) or timed out waiting on the workflow.
              const admission = res.status === 503 && (res.body as { details?: { maxInFlight?: number } } | null)?.details?.maxInFlight !== undefined;
              return { id, i, status: res.status, admission, retryAfter: res.retryAfter, ms: Date.now() - t };
            }),
          );
          const wall = Date.now() - t0;
          // Let anything still in the workflows' queues finish, then see what was applied.
          await new Promise((r) => setTimeout(r, 10_000));
          let appliedOf503 = 0;
          let appliedOfRefused = 0;
          for (const a of answers.filter((x) => x.status === 503)) {
            const view = await expectStatus(`${over.url}/v1/cases/${a.id}`, 'GET', 200);
            if (view.stage === 'INITIAL_REVIEW') appliedOf503++;
            if (view.stage === 'INITIAL_REVIEW' && a.admission) appliedOfRefused++;
          }
          const count = (s: number) => answers.filter((a) => a.status === s).length;
          const refused = answers.filter((a) => a.status === 503);
          const outcome = {
            ok: count(200),
            unavailable: count(503),
            other: answers.length - count(200) - count(503),
            appliedOf503,
            refusedByAdmission: refused.filter((a) => a.admission).length,
            appliedOfRefused,
            slowestRefusalMs: refused.some((a) => a.admission) ? Math.max(...refused.filter((a) => a.admission).map((a) => a.ms)) : null,
            withRetryAfter: refused.filter((a) => a.retryAfter).length,
            slowest503Ms: refused.length ? Math.max(...refused.map((a) => a.ms)) : null,
            wallMs: wall,
          };
          burst[label] = outcome;
          put(
            target,
            `overload: ${BURST} concurrent submits to one API, 3 s timeout, ${label}`,
            `${outcome.ok} × 200, ${outcome.unavailable} × 503 (${outcome.refusedByAdmission} refused by admission control, ${appliedOfRefused} of those applied; ` +
              `${outcome.unavailable - outcome.refusedByAdmission} timed out, ${appliedOf503 - appliedOfRefused} of those applied later), ${outcome.other} other; ` +
              `slowest refusal ${outcome.slowestRefusalMs ?? '–'} ms, slowest 503 ${outcome.slowest503Ms} ms`,
            '',
            '',
            outcome.ok || undefined,
          );
        } finally {
          await stop(over.child);
        }
      }
      out.overload = burst;
    }, 600_000);
  });
}
