import { NestFactory } from '@nestjs/core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { createApiApp } from '../../apps/api/src/create-app';
import { TemporalWorkerService } from '../../apps/worker/src/temporal-worker.service';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { loadConfig, postgresConnection } from '../../libs/config/src';
import { migrate } from '../../libs/persistence/src';
import { TestCa, type Pair } from '../support/certs';
import { startDnsServer, type DnsServer } from '../support/dns-server';
import { startHarness, type Harness } from '../support/harness';
import { JOURNEY_EVENTS, runCaseToCompletion } from '../support/journey';
import { startTemporalServer, type TemporalServer } from './support';

/**
 * Temporal as organisations secure it: the real server (v1.29.1 on PostgreSQL) whose frontend
 * requires client certificates from a CA the test makes. The API and the worker connect with
 * TEMPORAL_TLS_* and run a case end to end; a plaintext connection and a certificate from
 * another CA are refused at start-up with an error that says where and how it tried.
 */
describe('Temporal over mutual TLS', () => {
  let certDir: string;
  let ca: TestCa;
  let client: Pair;
  let wrongClient: Pair;
  let server: TemporalServer;
  let dns: DnsServer;
  let h: Harness | undefined;
  let databaseUrl: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    certDir = mkdtempSync(join(tmpdir(), 'icp-temporal-certs-'));
    ca = TestCa.create(certDir, 'temporal');
    const serverPair = ca.issue('temporal-frontend', ['localhost', '127.0.0.1']);
    const systemWorker = ca.issue('temporal-system-worker');
    client = ca.issue('icp-cases');
    wrongClient = TestCa.create(certDir, 'rogue').issue('icp-cases');
    server = await startTemporalServer({
      tls: {
        certFile: serverPair.cert,
        keyFile: serverPair.key,
        caFile: ca.cert,
        clientCaFile: ca.cert,
        workerCertFile: systemWorker.cert,
        workerKeyFile: systemWorker.key,
        serverName: 'localhost',
      },
      clientTls: { caFile: ca.cert, certFile: client.cert, keyFile: client.key, serverName: 'localhost' },
    });
    const base = new URL(postgresConnection(process.env).url);
    base.pathname = `/icp_cases_test_mtls_${process.pid}_${Date.now().toString(36)}`;
    databaseUrl = base.toString();
    await migrate(databaseUrl);
    dns = await startDnsServer({ 'mtls-case.cn': { A: ['47.98.10.20'] } });
    env = {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_NAMESPACE: server.namespace,
      TEMPORAL_TLS_CA: ca.cert,
      TEMPORAL_TLS_CERT: client.cert,
      TEMPORAL_TLS_KEY: client.key,
      TEMPORAL_TLS_SERVER_NAME: 'localhost',
      ICP_DNS_SERVERS: dns.address,
    };
  });

  afterAll(async () => {
    await h?.close();
    await dns?.close();
    await server?.stop();
    await server?.drop();
    if (databaseUrl) {
      const admin = new URL(databaseUrl);
      const name = admin.pathname.slice(1);
      admin.pathname = '/postgres';
      const db = new Client({ connectionString: admin.toString() });
      await db.connect();
      await db.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await db.end();
    }
    rmSync(certDir, { recursive: true, force: true });
  });

  /** Starts the worker as apps/worker does, with these variables; answers the start-up error. */
  async function workerStartError(overrides: Record<string, string | undefined>): Promise<Error> {
    const config = loadConfig({ ...process.env, ...env, ...overrides });
    const context = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
    try {
      const { stopped } = await context.get(TemporalWorkerService).start();
      context.get(TemporalWorkerService).onApplicationShutdown().catch(() => undefined);
      await stopped;
      throw new Error('the worker started');
    } catch (error) {
      if (process.env.SHOW_ERRORS) console.log((error as Error).message);
      return error as Error;
    } finally {
      await context.close();
    }
  }

  it('runs one case end to end with the API and the worker on mutual TLS', async () => {
    h = await startHarness({ ...env, TEMPORAL_TLS_CA: readFileSync(ca.cert, 'utf8') }); // the CA as PEM content, the pair as paths
    expect(h.config.temporal.describe).toMatch(/mutual TLS/);
    await request(h.baseUrl).get('/health/ready').expect(200);
    const id = await runCaseToCompletion(h, 'mtls-case.cn');
    const events = (await h.http.get(`/v1/cases/${id}/events`).expect(200)).body.items as { type: string }[];
    expect(events.map((e) => e.type).filter((t) => !t.startsWith('document.'))).toEqual(JOURNEY_EVENTS);
    expect((await h.temporal.workflow.getHandle(`Case:${id}`).describe()).status.name).toBe('COMPLETED');
  });

  it('refuses a plaintext connection with a clear start-up error', async () => {
    const error = await workerStartError({ TEMPORAL_TLS_CA: undefined, TEMPORAL_TLS_CERT: undefined, TEMPORAL_TLS_KEY: undefined, TEMPORAL_TLS_SERVER_NAME: undefined });
    expect(error.message).toMatch(new RegExp(`^Cannot connect to Temporal at ${server.address} \\(namespace default; plaintext\\).*set TEMPORAL_TLS_CA`, 's'));
  });

  it('refuses a client certificate from another CA with a clear start-up error', async () => {
    const error = await workerStartError({ TEMPORAL_TLS_CERT: wrongClient.cert, TEMPORAL_TLS_KEY: wrongClient.key });
    expect(error.message).toMatch(new RegExp(`^Cannot connect to Temporal at ${server.address} \\(namespace default; mutual TLS, CA TEMPORAL_TLS_CA=.*client certificate TEMPORAL_TLS_CERT=.*rogue`, 's'));
  });

  it('refuses TLS without a client certificate, and the API says why it is not ready', async () => {
    const error = await workerStartError({ TEMPORAL_TLS_CERT: undefined, TEMPORAL_TLS_KEY: undefined });
    expect(error.message).toMatch(/^Cannot connect to Temporal at .*\(namespace default; TLS, CA .*set TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY/s);

    const api = await createApiApp(loadConfig({ ...process.env, ...env, TEMPORAL_TLS_CERT: undefined, TEMPORAL_TLS_KEY: undefined }), { logger: false });
    await api.init();
    try {
      const { body } = await request(api.getHttpServer()).get('/health/ready').expect(503);
      expect(body.checks.temporal.status).toBe('down');
    } finally {
      await api.close();
    }
  });
});
