import { Client as TemporalClient, Connection } from '@temporalio/client';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { eventually } from '../support/api';
import { caseBody } from '../support/fixtures';
import { startDnsServer, type DnsServer } from '../support/dns-server';
import { JOURNEY_EVENTS, runCaseToCompletion } from '../support/journey';
import { startCluster, type Cluster } from './support';
import { mintToken } from '../support/tokens';
import { HARNESS_ENV, withAuthorization } from '../support/harness';
import { codecDataConverter, parseCodecKeys } from '../../libs/codec/src';

/** The burst's client acts as a supervisor (it assigns cases to others). */
const SUPERVISOR_TOKEN = mintToken({ sub: 'supervisor.cluster', role: 'supervisor' }, { expiresInSeconds: 6 * 3600 });

/**
 * The production topology, proven: the real Temporal server (v1.29.1 on PostgreSQL), two API
 * and two worker processes of the built service, one port in front (round robin, health-aware).
 * Cases go through both APIs; mid-burst one worker and one API are killed (SIGKILL); afterwards
 * every case is complete exactly once in PostgreSQL and in Temporal.
 */
const DOMAIN = 'cluster-case.cn';
const BURST_CASES = Number(process.env.CLUSTER_BURST_CASES || 24);
const BURST_CONCURRENCY = 8;

/** The burst's journey (documents not enforced, so every step is a stage change, which the domain refuses twice). */
const STEPS: { action: string; body: object; stage: string }[] = [
  { action: 'submit', body: {}, stage: 'INITIAL_REVIEW' },
  { action: 'initial-review', body: { decision: 'APPROVED' }, stage: 'AWAITING_SMS_VERIFICATION' },
  { action: 'sms-verification', body: {}, stage: 'MIIT_REVIEW' },
  { action: 'miit-decision', body: { decision: 'APPROVED', icpNumber: '浙ICP备2026007777号-1' }, stage: 'RESOLVING' },
  { action: 'resolution', body: {}, stage: 'COMPLETED' },
  { action: 'psb-filing', body: { recordNumber: '33010602077777', filedAt: '2026-12-01' }, stage: 'COMPLETED' },
];
const BURST_EVENTS = ['case.created', 'case.submitted', 'initial-review.approved', 'sms.verified', 'miit.approved', 'resolution.verified', 'psb-filing.recorded'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer {
  status: number;
  body: { id?: string; stage?: string; version?: number; code?: string; items?: { id: string }[] };
}

/**
 * A client that keeps going while instances die. A request that failed in transit (connection
 * reset, 502 from the proxy, 503) may or may not have been applied: the client sends it again
 * with the same Idempotency-Key, and before each new attempt looks at the case to see whether
 * it was applied after all (it waits up to SETTLE_MS for an accepted update still being worked
 * on by a surviving worker). Only when the key stays held by a request whose API died (409
 * IDEMPOTENCY_KEY_REUSED, "still being answered") and the case shows no effect after that wait
 * does it take a new key; `abandonedKeys` counts those.
 */
const SETTLE_MS = 30_000;

class PatientClient {
  retries = 0;
  abandonedKeys = 0;
  /** What the failed attempts answered (0: the connection broke), for the report. */
  failures: Record<string, number> = {};
  constructor(private readonly base: string) {}

  private async send(method: string, path: string, body?: object, headers: Record<string, string> = {}): Promise<Answer> {
    try {
      const res = await fetch(`${this.base}${path}`, {
        method,
        headers: { 'content-type': 'application/json', Authorization: `Bearer ${SUPERVISOR_TOKEN}`, ...headers },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(60_000),
      });
      return { status: res.status, body: (await res.json().catch(() => ({}))) as Answer['body'] };
    } catch {
      return { status: 0, body: {} };
    }
  }

  /** Polls `probe` until it answers something or SETTLE_MS pass. */
  private async settle<T>(probe: () => Promise<T | undefined>): Promise<T | undefined> {
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      const found = await probe();
      if (found !== undefined || Date.now() > deadline) return found;
      await sleep(1000);
    }
  }

  private async get(id: string): Promise<Answer['body'] | undefined> {
    for (;;) {
      const res = await this.send('GET', `/v1/cases/${id}`);
      if (res.status === 200) return res.body;
      if (res.status === 404) return undefined;
      await sleep(500);
    }
  }

  async create(body: ReturnType<typeof caseBody>): Promise<Answer['body']> {
    let key = randomUUID();
    for (let attempt = 0; ; attempt++) {
      const res = await this.send('POST', '/v1/cases', body, { 'idempotency-key': key });
      if (res.status === 201 || res.status === 200) return res.body;
      this.failures[res.status] = (this.failures[res.status] ?? 0) + 1;
      if (attempt > 30) throw new Error(`creation never succeeded: ${res.status} ${JSON.stringify(res.body)}`);
      this.retries++;
      // Applied although the answer was lost? The projection is written before creation answers.
      const found = await this.settle(async () => {
        const list = await this.send('GET', `/v1/cases?q=${encodeURIComponent(body.applicant.name)}`);
        return list.status === 200 ? list.body.items?.[0] : undefined;
      });
      if (found) return (await this.get(found.id))!;
      if (res.status === 409 && res.body.code === 'IDEMPOTENCY_KEY_REUSED') {
        this.abandonedKeys++;
        key = randomUUID();
      }
    }
  }

  async act(id: string, action: string, body: object, versionBefore: number): Promise<Answer['body']> {
    let key = randomUUID();
    for (let attempt = 0; ; attempt++) {
      const res = await this.send('POST', `/v1/cases/${id}/${action}`, body, { 'idempotency-key': key });
      if (res.status === 200) return res.body;
      this.failures[res.status] = (this.failures[res.status] ?? 0) + 1;
      if (attempt > 30) throw new Error(`${action} on ${id} never succeeded: ${res.status} ${JSON.stringify(res.body)}`);
      this.retries++;
      const applied = await this.settle(async () => {
        const now = await this.get(id);
        return now && now.version! > versionBefore ? now : undefined; // applied; only the answer was lost
      });
      if (applied) return applied;
      if (res.status === 409 && res.body.code === 'IDEMPOTENCY_KEY_REUSED') {
        this.abandonedKeys++;
        key = randomUUID();
      }
    }
  }
}

describe('the production topology: Temporal server on PostgreSQL, two APIs, two workers, one port', () => {
  let cluster: Cluster;
  let dns: DnsServer;
  let db: Client;
  let temporal: TemporalClient;
  let connection: Connection;
  const created: string[] = [];
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    const t0 = Date.now();
    dns = await startDnsServer({ [DOMAIN]: { A: ['47.98.10.20'] } });
    cluster = await startCluster({
      env: { ...HARNESS_ENV, ICP_DNS_SERVERS: dns.address, ICP_UPDATE_TIMEOUT: '20s', ICP_ENFORCE_DOCUMENTS: 'false' },
      log: (m: string) => process.env.CLUSTER_LOG && console.log(`[cluster] ${m}`),
    });
    timings.startSeconds = (Date.now() - t0) / 1000;
    db = new Client({ connectionString: cluster.databaseUrl });
    await db.connect();
    connection = await Connection.connect({ address: cluster.temporal.address });
    temporal = new TemporalClient({
      connection,
      namespace: cluster.temporal.namespace,
      dataConverter: codecDataConverter(parseCodecKeys(HARNESS_ENV.ICP_CODEC_KEYS)),
    });
  });

  afterAll(async () => {
    await db?.end();
    await connection?.close();
    await cluster?.stop({ drop: !process.env.CLUSTER_KEEP });
    await dns?.close();
    console.log(`[cluster] timings (s): ${JSON.stringify(timings)}`);
  });

  it('drives a whole case through the proxy, served by both APIs', async () => {
    const agent = withAuthorization(request(cluster.proxy.url), `Bearer ${SUPERVISOR_TOKEN}`);
    const id = await runCaseToCompletion({ http: agent }, DOMAIN);
    created.push(id);
    const { rows } = await db.query('SELECT type FROM case_events WHERE case_id = $1 ORDER BY seq', [id]);
    expect(rows.map((r) => r.type).filter((t: string) => !t.startsWith('document.'))).toEqual(JOURNEY_EVENTS);
    // Round robin: both instances answered part of it.
    expect(cluster.proxy.backends.every((b) => b.served > 0)).toBe(true);
    const workflow = await temporal.workflow.getHandle(`Case:${id}`).describe();
    expect(workflow.status.name).toBe('COMPLETED');
  });

  it('loses and doubles nothing when a worker and an API are killed mid-burst', async () => {
    const t0 = Date.now();
    const client = new PatientClient(cluster.proxy.url);
    const total = BURST_CASES * (STEPS.length + 1);
    let done = 0;
    let killed = false;
    const names = Array.from({ length: BURST_CASES }, (_, i) => `Cluster Burst ${i} ${randomUUID().slice(0, 8)}`);
    const killAt = Math.floor(total / 3);
    const progress = () => {
      done++;
      if (!killed && done >= killAt) {
        killed = true;
        const victims = [cluster.processes.find((p) => p.name === 'worker-1')!, cluster.processes.find((p) => p.name === 'api-1')!];
        for (const v of victims) v.child.kill('SIGKILL');
        timings.killedAfterSeconds = (Date.now() - t0) / 1000;
      }
    };
    const ids: string[] = [];
    let nextCase = 0;
    const lane = async () => {
      while (nextCase < names.length) {
        const body = caseBody({}, names[nextCase++]);
        body.websites[0].domains = [DOMAIN];
        let view = await client.create(body);
        ids.push(view.id!);
        progress();
        for (const step of STEPS) {
          view = await client.act(view.id!, step.action, step.body, view.version!);
          expect(view.stage).toBe(step.stage);
          progress();
        }
      }
    };
    await Promise.all(Array.from({ length: BURST_CONCURRENCY }, lane));
    timings.burstSeconds = (Date.now() - t0) / 1000;
    timings.burstRetries = client.retries;
    timings.abandonedKeys = client.abandonedKeys;
    console.log(`[cluster] failed attempts by status: ${JSON.stringify(client.failures)}`);
    expect(killed).toBe(true);
    expect(cluster.processes.find((p) => p.name === 'api-1')!.child.signalCode).toBe('SIGKILL');
    expect(cluster.processes.find((p) => p.name === 'worker-1')!.child.signalCode).toBe('SIGKILL');
    created.push(...ids);

    // Nothing doubled: one case per applicant, one event per transition, sequences without gaps.
    const { rows: cases } = await db.query('SELECT id, applicant_name, stage, version FROM cases WHERE applicant_name = ANY($1)', [names]);
    expect(cases).toHaveLength(BURST_CASES);
    expect(new Set(cases.map((c) => c.applicant_name)).size).toBe(BURST_CASES);
    expect(cases.every((c) => c.stage === 'COMPLETED')).toBe(true);
    const { rows: events } = await db.query(
      'SELECT case_id, array_agg(type ORDER BY seq) AS types, array_agg(seq ORDER BY seq) AS seqs FROM case_events WHERE case_id = ANY($1) GROUP BY case_id',
      [ids],
    );
    expect(events).toHaveLength(BURST_CASES);
    for (const e of events) {
      expect(e.types).toEqual(BURST_EVENTS);
      expect(e.seqs).toEqual(BURST_EVENTS.map((_, i) => i + 1));
    }

    // Nothing lost between Temporal and the projection: every workflow closed, and its state is the row's.
    for (const c of cases) {
      const handle = temporal.workflow.getHandle(`Case:${c.id}`);
      expect((await handle.describe()).status.name).toBe('COMPLETED');
      const view = await handle.query<{ stage: string; version: number }>('getCase');
      expect({ stage: view.stage, version: view.version }).toEqual({ stage: c.stage, version: c.version });
    }
    const all = await db.query('SELECT count(*)::int AS n FROM cases');
    expect(all.rows[0].n).toBe(created.length);
    // Visibility is written asynchronously: wait until it has caught up, then compare.
    const count = await eventually(
      () => temporal.workflow.count(`WorkflowId STARTS_WITH "Case:" AND ExecutionStatus = "Completed"`),
      (c) => c.count >= created.length,
      60_000,
    );
    expect(count.count).toBe(created.length);

    // And the operators' own check, as they would run it: `npm run verify-projection` over every case.
    const verify = spawnSync(process.execPath, [join(__dirname, '../../scripts/verify-projection.js')], {
      env: { ...process.env, ...HARNESS_ENV, DATABASE_URL: cluster.databaseUrl, TEMPORAL_ADDRESS: cluster.temporal.address, TEMPORAL_NAMESPACE: cluster.temporal.namespace },
      encoding: 'utf8',
    });
    expect(verify.stdout).toContain(`verified ${created.length} cases: 0 drift`);
    expect(verify.status).toBe(0);
  });
});
