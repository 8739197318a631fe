import { Client, Connection } from '@temporalio/client';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { migrate } from '../../libs/persistence/src';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { codecDataConverter, parseCodecKeys } from '../../libs/codec/src';
import { ProjectionVerifier } from '../../libs/reconciliation/src';
import { HARNESS_ENV } from '../support/harness';
import { startDnsServer } from '../support/dns-server';
import { caseBody } from '../support/fixtures';
import { startPgCluster, type PgCluster } from './support/pg-cluster';
import { freePort, ROOT, ServiceProcess, waitFor } from './support/processes';
import { RetryingClient, STEPS, type CaseRun } from './support/traffic';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startDevServer } = require('../../scripts/dev-server') as typeof import('../../scripts/dev-server');

interface Row {
  fault: string;
  injected: number;
  requests: number;
  s503: number;
  other5xx: number;
  networkErrors: number;
  keyInProgress: number;
  duplicates: number;
  appliedTwice: number;
  lost: number;
  drift: number;
  unexpected: number;
}

/**
 * Faults an operator meets, injected while a retrying client drives cases spread over every stage:
 * the worker and the API killed with SIGKILL (built processes, `npm run build`), PostgreSQL (a
 * cluster of the suite's own) stopped for 30 s, the Temporal dev server restarted on its database
 * file. After each: no duplicate case, no acknowledged transition lost or applied twice, and the
 * reconciliation finds no drift.
 */
describe('faults', () => {
  const CASES_PER_ROUND = 8;
  let dir: string;
  let pg: PgCluster;
  let temporal: { address: string; stop(): Promise<void> };
  let temporalPort: number;
  let dns: Awaited<ReturnType<typeof startDnsServer>>;
  let worker: ServiceProcess;
  let api: ServiceProcess;
  let apiUrl: string;
  let db: DataSource;
  let connection: Connection;
  let client: Client;
  const table: Row[] = [];

  const startTemporal = () => startDevServer({ port: temporalPort, headless: true, dbFile: join(dir, 'temporal.db'), logFile: join(dir, 'temporal.log') });
  const apiReady = () => waitFor('API', async () => (await fetch(`${apiUrl}/health/ready`)).status === 200);

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/apps/api/src/main.js'))) throw new Error('run `npm run build` first (npm run test:faults does)');
    dir = mkdtempSync(join(tmpdir(), 'icp-faults-'));
    pg = await startPgCluster();
    const databaseUrl = pg.url('icp_cases_faults');
    await migrate(databaseUrl);
    temporalPort = await freePort();
    temporal = await startTemporal();
    dns = await startDnsServer({});
    dns.set({ [caseBody().websites[0].domains[0]]: { A: ['47.98.10.20'] } });
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    const env = {
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: `icp-faults-${randomUUID()}`,
      ICP_DNS_SERVERS: dns.address,
      ICP_ENFORCE_DOCUMENTS: 'false',
      ICP_UPDATE_TIMEOUT: '10s',
      ICP_WORKFLOW_BUNDLE: process.env.ICP_WORKFLOW_BUNDLE!,
      DATABASE_POOL_SIZE: '5',
      // The tests' token secret and codec keys, rate limits out of the way.
      ...HARNESS_ENV,
    };
    worker = new ServiceProcess('worker', 'dist/apps/worker/src/main.js', env, dir);
    api = new ServiceProcess('api', 'dist/apps/api/src/main.js', env, dir);
    worker.start();
    api.start();
    await apiReady();
    db = new DataSource(dataSourceOptions(databaseUrl));
    await db.initialize();
    connection = await Connection.connect({ address: temporal.address });
    client = new Client({ connection, dataConverter: codecDataConverter(parseCodecKeys(HARNESS_ENV.ICP_CODEC_KEYS)) });
  });

  afterAll(async () => {
    if (table.length) printTable(table);
    await connection?.close();
    await db?.destroy();
    await api?.stop();
    await worker?.stop();
    await dns?.close();
    await temporal?.stop();
    pg?.destroy();
    if (dir && !process.env.KEEP_FAULT_LOGS) rmSync(dir, { recursive: true, force: true });
    else if (dir) console.log(`fault logs kept in ${dir}`);
  });

  /**
   * Opens a round of cases, then drives them on (each to another stage, so every stage is
   * reached) while `fault` runs: the fault lands on transitions in flight. With `duringCreation`,
   * the cases are opened while it runs instead.
   */
  async function round(name: string, fault: () => Promise<number>, duringCreation = false): Promise<Row> {
    const http = new RetryingClient(() => apiUrl);
    const drive = (run: CaseRun, i: number) => http.driveCase(run, 1 + (i % STEPS.length));
    const open = () => Promise.all(Array.from({ length: CASES_PER_ROUND }, () => http.createCase()));
    let traffic: Promise<CaseRun[]>;
    if (duringCreation) {
      traffic = open().then((runs) => Promise.all(runs.map(drive)));
    } else {
      const runs = await open();
      traffic = Promise.all(runs.map(drive));
    }
    await new Promise((r) => setTimeout(r, 1000));
    const injected = await fault();
    const runs = await traffic;
    await apiReady();
    const row: Row = { fault: name + (duringCreation ? ' (creations)' : ''), injected, ...http.stats, ...(await check(runs)) };
    table.push(row);
    return row;
  }

  async function check(runs: CaseRun[]): Promise<Omit<Row, 'fault' | 'injected' | 'requests' | 's503' | 'other5xx' | 'networkErrors' | 'keyInProgress'>> {
    let duplicates = 0;
    let appliedTwice = 0;
    let lost = 0;
    for (const run of runs) {
      const rows = (await db.query(`SELECT id FROM cases WHERE applicant_name = $1`, [run.applicantName])) as { id: string }[];
      duplicates += Math.max(0, rows.length - 1);
      if (!run.caseId) continue;
      // The workflow, not only the row: it must have projected what it acknowledged.
      await waitFor('projection', async () => (await db.query(`SELECT 1 FROM cases WHERE id = $1`, [run.caseId])).length === 1, 30_000);
      const types = ((await db.query(`SELECT type FROM case_events WHERE case_id = $1`, [run.caseId])) as { type: string }[]).map((e) => e.type);
      for (const step of STEPS) {
        const n = types.filter((t) => t === step.event).length;
        if (n > 1) {
          appliedTwice += n - 1;
          console.log(`applied ${n} times: ${step.name} on ${run.caseId} (${run.retried.includes(step.name) ? 'sent again with the same key' : 'sent once'})`);
        }
        if (run.acknowledged.includes(step.name) && n === 0) {
          lost++;
          console.log(`lost: ${step.name} on ${run.caseId}, acknowledged but not in its events`);
        }
      }
    }
    const report = await new ProjectionVerifier(db, client).verify({ repair: false });
    for (const d of report.drift) console.log(`drift ${d.caseId} ${d.kind}: ${d.detail}`);
    const unexpected = runs.flatMap((r) => r.unexpected);
    for (const u of unexpected) console.log(`unexpected answer: ${u}`);
    return { duplicates, appliedTwice, lost, drift: report.drift.length, unexpected: unexpected.length };
  }

  const killWorker = async () => {
    await worker.kill();
    await new Promise((r) => setTimeout(r, 3000));
    worker.start();
    return 1;
  };
  const killApi = async () => {
    await api.kill();
    await new Promise((r) => setTimeout(r, 1000));
    api.start();
    return 1;
  };

  it('survives the worker killed with SIGKILL mid-traffic', async () => {
    const row = await round('worker kill -9', killWorker);
    expect(row).toMatchObject({ duplicates: 0, appliedTwice: 0, lost: 0, drift: 0 });
  });

  // Retried creations are exactly-once only with the API's idempotent creation (issue 8, item 1):
  // these rounds report duplicates; the workflow's own guarantees are asserted.
  it('survives the worker killed while cases are being opened', async () => {
    const row = await round('worker kill -9', killWorker, true);
    expect(row).toMatchObject({ appliedTwice: 0, lost: 0, drift: 0 });
  });

  it('survives the API killed while cases are being opened', async () => {
    const row = await round('API kill -9', killApi, true);
    expect(row).toMatchObject({ appliedTwice: 0, lost: 0, drift: 0 });
  });

  it('survives the API killed with SIGKILL mid-request', async () => {
    const row = await round('API kill -9', killApi);
    expect(row).toMatchObject({ duplicates: 0, appliedTwice: 0, lost: 0, drift: 0 });
  });

  it('survives PostgreSQL stopped for 30 s', async () => {
    const row = await round('PostgreSQL down 30 s', async () => {
      pg.stop();
      await new Promise((r) => setTimeout(r, 30_000));
      pg.start();
      return 1;
    });
    expect(row).toMatchObject({ duplicates: 0, appliedTwice: 0, lost: 0, drift: 0 });
  });

  it('survives the Temporal dev server restarted on its database file', async () => {
    const row = await round('Temporal restarted', async () => {
      await temporal.stop();
      temporal = await startTemporal();
      return 1;
    });
    expect(row).toMatchObject({ duplicates: 0, appliedTwice: 0, lost: 0, drift: 0 });
  });
});

function printTable(rows: Row[]): void {
  const header = ['fault', 'injected', 'requests', '503s', 'other 5xx', 'cut conns', 'key in progress (409)', 'duplicates', 'applied twice', 'lost', 'drift', 'unexpected'];
  const lines = rows.map((r) => [r.fault, r.injected, r.requests, r.s503, r.other5xx, r.networkErrors, r.keyInProgress, r.duplicates, r.appliedTwice, r.lost, r.drift, r.unexpected].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  console.log(['', fmt(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...lines.map(fmt)].join('\n'));
}
