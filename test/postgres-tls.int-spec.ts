import { Client } from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresConnection } from '../libs/config/src';
import { migrate } from '../libs/persistence/src';
import { TestCa } from './support/certs';
import { startDnsServer, type DnsServer } from './support/dns-server';
import { startHarness, type Harness } from './support/harness';
import { JOURNEY_EVENTS, runCaseToCompletion } from './support/journey';
import { startThrowawayPostgres, type ThrowawayPostgres } from './support/throwaway-postgres';

/**
 * PostgreSQL that requires TLS, as managed services do: a cluster of the test's own (initdb,
 * `ssl = on`, only `hostssl` entries) with a certificate for `localhost` signed by a CA the
 * test makes. The migrations and one case run with `sslmode=verify-full`, and each sslmode
 * means what libpq says it means.
 */
describe('PostgreSQL over verified TLS', () => {
  let certDir: string;
  let ca: TestCa;
  let otherCa: TestCa;
  let pg: ThrowawayPostgres;
  let dns: DnsServer;
  let h: Harness | undefined;
  const url = (query: string, host = 'localhost') => `postgres://postgres@${host}:${pg.port}/icp_cases_tls?${query}`;

  beforeAll(async () => {
    certDir = mkdtempSync(join(tmpdir(), 'icp-pg-certs-'));
    ca = TestCa.create(certDir, 'pg');
    otherCa = TestCa.create(certDir, 'other');
    pg = await startThrowawayPostgres({ tls: ca.issue('localhost', ['localhost']) });
    dns = await startDnsServer({ 'tls-verified.cn': { A: ['47.98.10.20'] } });
  });
  afterAll(async () => {
    await h?.close();
    await dns?.close();
    pg?.destroy();
    rmSync(certDir, { recursive: true, force: true });
  });

  async function tlsOf(query: string, host?: string): Promise<boolean> {
    const { url: plain, ssl } = postgresConnection({ DATABASE_URL: url(query, host).replace('icp_cases_tls', 'postgres') });
    const client = new Client({ connectionString: plain, ssl });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      return rows[0].ssl as boolean;
    } finally {
      await client.end();
    }
  }

  it('migrates and runs one case end to end with sslmode=verify-full', async () => {
    const databaseUrl = url(`sslmode=verify-full&sslrootcert=${encodeURIComponent(ca.cert)}`);
    const applied = await migrate(postgresConnection({ DATABASE_URL: databaseUrl }));
    expect(applied.length).toBeGreaterThan(0);

    h = await startHarness({ DATABASE_URL: databaseUrl, ICP_DNS_SERVERS: dns.address });
    expect(h.config.database).toMatchObject({ sslmode: 'verify-full' });
    const id = await runCaseToCompletion(h, 'tls-verified.cn');

    const { url: plain, ssl } = postgresConnection({ DATABASE_URL: databaseUrl });
    const db = new Client({ connectionString: plain, ssl });
    await db.connect();
    try {
      const { rows } = await db.query('SELECT stage FROM cases WHERE id = $1', [id]);
      expect(rows).toEqual([{ stage: 'COMPLETED' }]);
      const events = await db.query('SELECT type FROM case_events WHERE case_id = $1 ORDER BY seq', [id]);
      expect(events.rows.map((r) => r.type).filter((t: string) => !t.startsWith('document.'))).toEqual(JOURNEY_EVENTS);
    } finally {
      await db.end();
    }
  });

  it('takes the CA from DATABASE_SSL_CA as a path or as PEM, and DATABASE_SSL_MODE over the URL', async () => {
    const { readFileSync } = await import('node:fs');
    for (const caValue of [ca.cert, readFileSync(ca.cert, 'utf8')]) {
      const conn = postgresConnection({ DATABASE_URL: url('sslmode=disable'), DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA: caValue });
      const client = new Client({ connectionString: conn.url, ssl: conn.ssl });
      await client.connect();
      await client.end();
    }
  });

  it('refuses plaintext: the server accepts only TLS', async () => {
    await expect(tlsOf('sslmode=disable')).rejects.toThrow(/no encryption|pg_hba\.conf/);
  });

  it('refuses a server whose certificate the CA did not sign, in verify-ca and verify-full', async () => {
    await expect(tlsOf(`sslmode=verify-full&sslrootcert=${encodeURIComponent(otherCa.cert)}`)).rejects.toThrow(/certificate/);
    await expect(tlsOf(`sslmode=verify-ca&sslrootcert=${encodeURIComponent(otherCa.cert)}`)).rejects.toThrow(/certificate/);
  });

  it('checks the host name in verify-full only (libpq semantics, not node-postgres 8.23 defaults)', async () => {
    const withCa = `sslrootcert=${encodeURIComponent(ca.cert)}`;
    // The certificate names localhost, not 127.0.0.1.
    await expect(tlsOf(`sslmode=verify-full&${withCa}`, '127.0.0.1')).rejects.toThrow(/altnames|IP: 127\.0\.0\.1/);
    await expect(tlsOf(`sslmode=verify-ca&${withCa}`, '127.0.0.1')).resolves.toBe(true);
    // `require` encrypts without verifying (node-postgres alone would verify it as verify-full)...
    await expect(tlsOf('sslmode=require', '127.0.0.1')).resolves.toBe(true);
    // ...and with a CA it verifies the chain, as libpq does.
    await expect(tlsOf(`sslmode=require&sslrootcert=${encodeURIComponent(otherCa.cert)}`)).rejects.toThrow(/certificate/);
  });
});
