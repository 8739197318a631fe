import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionConfigError, postgresConnection, readSecret, temporalConnectionConfig } from './connections';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('connection settings', () => {
  let dir: string;
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'icp-conn-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('readSecret', () => {
    it('reads NAME, or NAME_FILE without its trailing newline, and refuses both', () => {
      expect(readSecret({ AUTH_JWT_SECRET: 's3cret' }, 'AUTH_JWT_SECRET')).toBe('s3cret');
      expect(readSecret({ AUTH_JWT_SECRET_FILE: file('jwt', 'from-file\n') }, 'AUTH_JWT_SECRET')).toBe('from-file');
      expect(readSecret({}, 'AUTH_JWT_SECRET')).toBeUndefined();
      expect(() => readSecret({ X: 'a', X_FILE: file('x', 'b') }, 'X')).toThrow('X and X_FILE are both set');
      expect(() => readSecret({ X_FILE: join(dir, 'missing') }, 'X')).toThrow(/X_FILE: cannot read/);
    });
  });

  describe('Temporal', () => {
    it('is plaintext with nothing set', () => {
      const c = temporalConnectionConfig({});
      expect(c).toMatchObject({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'icp-cases', tls: undefined });
      expect(c.describe).toContain('plaintext');
    });

    it('reads mutual TLS from paths, PEM content, and the CLI envconfig names alike', () => {
      const paths = temporalConnectionConfig({
        TEMPORAL_TLS_CA: file('ca.pem', PEM),
        TEMPORAL_TLS_CERT: file('c.pem', PEM),
        TEMPORAL_TLS_KEY: file('k.pem', 'KEY'),
        TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
      });
      expect(paths.tls).toEqual({
        serverNameOverride: 'temporal.internal',
        serverRootCACertificate: Buffer.from(PEM),
        clientCertPair: { crt: Buffer.from(PEM), key: Buffer.from('KEY') },
      });
      expect(paths.describe).toMatch(/mutual TLS.*temporal\.internal/);
      const content = temporalConnectionConfig({ TEMPORAL_TLS_CA: PEM, TEMPORAL_TLS_CERT_DATA: PEM, TEMPORAL_TLS_KEY_DATA: 'KEY' });
      expect(content.tls?.clientCertPair?.key).toEqual(Buffer.from('KEY'));
      const envconfig = temporalConnectionConfig({
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: file('ca2.pem', PEM),
        TEMPORAL_TLS_CLIENT_CERT_PATH: file('c2.pem', PEM),
        TEMPORAL_TLS_CLIENT_KEY_PATH: file('k2.pem', 'KEY2'),
      });
      expect(envconfig.tls?.clientCertPair?.key).toEqual(Buffer.from('KEY2'));
    });

    it('turns TLS on (system CAs) for an API key, read from TEMPORAL_API_KEY_FILE too', () => {
      const c = temporalConnectionConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY_FILE: file('key', 'abc\n') });
      expect(c).toMatchObject({ apiKey: 'abc', tls: {} });
      expect(c.describe).toContain('system CAs');
    });

    it('refuses half a client pair, a contradiction, and host verification switched off', () => {
      expect(() => temporalConnectionConfig({ TEMPORAL_TLS_CERT: PEM })).toThrow(ConnectionConfigError);
      expect(() => temporalConnectionConfig({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_CA: PEM })).toThrow(/TEMPORAL_TLS=false/);
      expect(() => temporalConnectionConfig({ TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: 'true' })).toThrow(/not supported/);
      expect(() => temporalConnectionConfig({ TEMPORAL_TLS: 'maybe' })).toThrow(/true or false/);
    });
  });

  describe('PostgreSQL', () => {
    it('is plaintext by default and takes the TLS parameters out of the URL', () => {
      expect(postgresConnection({})).toMatchObject({ sslmode: 'disable', ssl: false, url: 'postgres://postgres@127.0.0.1:5432/icp_cases' });
      const c = postgresConnection({ DATABASE_URL: `postgres://u:p@db:5432/x?sslmode=verify-full&sslrootcert=${file('root.crt', PEM)}&application_name=a` });
      expect(c.url).toBe('postgres://u:p@db:5432/x?application_name=a');
      expect(c.ssl).toEqual({ rejectUnauthorized: true, ca: Buffer.from(PEM) });
      expect(c.describe).toContain('u:***@db');
    });

    it('gives each sslmode its libpq meaning', () => {
      const require = postgresConnection({ DATABASE_URL: 'postgres://db/x?sslmode=require' });
      expect(require.ssl).toMatchObject({ rejectUnauthorized: false });
      const requireWithCa = postgresConnection({ DATABASE_URL: 'postgres://db/x?sslmode=require', DATABASE_SSL_CA: PEM });
      expect(requireWithCa).toMatchObject({ sslmode: 'verify-ca', ssl: { rejectUnauthorized: true, ca: Buffer.from(PEM) } });
      const verifyCa = postgresConnection({ DATABASE_URL: 'postgres://db/x', DATABASE_SSL_MODE: 'verify-ca', DATABASE_SSL_CA: PEM });
      expect(verifyCa.ssl && verifyCa.ssl.checkServerIdentity).toEqual(expect.any(Function));
      const full = postgresConnection({ DATABASE_URL: 'postgres://db/x?sslmode=verify-full&sslrootcert=system' });
      expect(full.ssl).toEqual({ rejectUnauthorized: true });
      expect(() => postgresConnection({ DATABASE_URL: 'postgres://db/x?sslmode=prefer' })).toThrow(/not supported/);
      expect(() => postgresConnection({ DATABASE_URL: 'postgres://db/x?sslmode=strict' })).toThrow(/one of/);
    });

    it('reads the URL and the password from files', () => {
      const c = postgresConnection({ DATABASE_URL_FILE: file('url', 'postgres://app@db/x\n'), DATABASE_PASSWORD_FILE: file('pw', 'p@ss/word\n') });
      expect(new URL(c.url).password).toBe(encodeURIComponent('p@ss/word'));
      expect(c.describe).not.toContain('p@ss');
    });
  });
});
