import { readFileSync } from 'node:fs';

/**
 * How the service reaches Temporal and PostgreSQL securely, and where its secrets come from.
 * Plain functions over an environment object (no schema library): app-config.ts, the scripts and
 * the tests all call them, and a zod schema can wrap them (`z.string().transform(...)`).
 */

type Env = Record<string, string | undefined>;

/** A configuration error that names the variable at fault. */
export class ConnectionConfigError extends Error {
  override name = 'ConnectionConfigError';
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function readFile(path: string, variable: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConnectionConfigError(`${variable}: cannot read ${path}: ${(error as Error).message}`);
  }
}

/**
 * A secret from `NAME`, or from the file named by `NAME_FILE` (the Docker/Kubernetes secrets
 * convention; one trailing newline is dropped). Both set is an error, so an operator never
 * wonders which one won. Answers undefined when neither is set.
 */
export function readSecret(env: Env, name: string): string | undefined {
  const direct = nonEmpty(env[name]);
  const file = nonEmpty(env[`${name}_FILE`]);
  if (direct !== undefined && file !== undefined) {
    throw new ConnectionConfigError(`${name} and ${name}_FILE are both set; set one`);
  }
  if (file !== undefined) return readFile(file, `${name}_FILE`).toString('utf8').replace(/\r?\n$/, '');
  return direct;
}

/** True when the text is PEM content rather than a path to it. */
function isPem(value: string): boolean {
  return value.trimStart().startsWith('-----BEGIN');
}

/**
 * A certificate or key given either as PEM content or as a path, under any of `names` (the first
 * set wins; `*_DATA` names are always content, the others content when they start with
 * `-----BEGIN`, a path otherwise). Answers the PEM bytes and where they came from.
 */
function readPem(env: Env, names: string[]): { pem: Buffer; source: string; path?: string } | undefined {
  for (const name of names) {
    const value = nonEmpty(env[name]);
    if (value === undefined) continue;
    if (name.endsWith('_DATA') || isPem(value)) return { pem: Buffer.from(value.replace(/\\n/g, '\n')), source: name };
    return { pem: readFile(value, name), source: `${name}=${value}`, path: value };
  }
  return undefined;
}

function flag(env: Env, name: string): boolean | undefined {
  const value = nonEmpty(env[name])?.toLowerCase();
  if (value === undefined) return undefined;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new ConnectionConfigError(`${name} must be true or false, not '${env[name]}'`);
}

// ---------------------------------------------------------------------------------------------
// Temporal

/** Structurally the SDK's TLSConfig (shared by @temporalio/client Connection and NativeConnection). */
export interface TemporalTls {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

export interface TemporalConnectionConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  /** undefined: plaintext. `{}`: TLS against the system's CAs (Temporal Cloud). */
  tls?: TemporalTls;
  apiKey?: string;
  /** Where the API key was read from when it is a file (watched for rotation). */
  apiKeyFile?: string;
  /** One line for logs and errors: how the connection is secured (never the secrets). */
  describe: string;
}

/**
 * Temporal's connection from the environment, with the names the Temporal CLI reads
 * (`temporal env` / envconfig) so one set of variables serves the service and the CLI:
 *
 * - `TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`, `TEMPORAL_TASK_QUEUE`
 * - `TEMPORAL_TLS` (`true`: TLS even without any file, against the system's CAs; `false`: never)
 * - `TEMPORAL_TLS_CA` (path or PEM) | `TEMPORAL_TLS_CA_DATA` | `TEMPORAL_TLS_SERVER_CA_CERT_PATH` | `…_DATA`
 * - `TEMPORAL_TLS_CERT` | `TEMPORAL_TLS_CERT_DATA` | `TEMPORAL_TLS_CLIENT_CERT_PATH` | `…_DATA`
 * - `TEMPORAL_TLS_KEY` | `TEMPORAL_TLS_KEY_DATA` | `TEMPORAL_TLS_CLIENT_KEY_PATH` | `…_DATA` (also `TEMPORAL_TLS_KEY_FILE`)
 * - `TEMPORAL_TLS_SERVER_NAME` (SNI and the name checked in the server's certificate)
 * - `TEMPORAL_API_KEY` or `TEMPORAL_API_KEY_FILE` (Temporal Cloud; implies TLS)
 *
 * Any CA, certificate, key or server name turns TLS on. A certificate without its key (or the
 * reverse) is an error, as is `TEMPORAL_TLS_DISABLE_HOST_VERIFICATION=true` (the Node SDK cannot
 * skip the check; set `TEMPORAL_TLS_SERVER_NAME` to the name in the certificate instead).
 */
export function temporalConnectionConfig(env: Env = process.env): TemporalConnectionConfig {
  const address = nonEmpty(env.TEMPORAL_ADDRESS) ?? '127.0.0.1:7233';
  const namespace = nonEmpty(env.TEMPORAL_NAMESPACE) ?? 'default';
  const taskQueue = nonEmpty(env.TEMPORAL_TASK_QUEUE) ?? 'icp-cases';
  const ca = readPem(env, ['TEMPORAL_TLS_CA', 'TEMPORAL_TLS_CA_DATA', 'TEMPORAL_TLS_CA_FILE', 'TEMPORAL_TLS_SERVER_CA_CERT_PATH', 'TEMPORAL_TLS_SERVER_CA_CERT_DATA']);
  const cert = readPem(env, ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_CERT_DATA', 'TEMPORAL_TLS_CERT_FILE', 'TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CLIENT_CERT_DATA']);
  const key = readPem(env, ['TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_KEY_DATA', 'TEMPORAL_TLS_KEY_FILE', 'TEMPORAL_TLS_CLIENT_KEY_PATH', 'TEMPORAL_TLS_CLIENT_KEY_DATA']);
  const serverName = nonEmpty(env.TEMPORAL_TLS_SERVER_NAME);
  const apiKey = readSecret(env, 'TEMPORAL_API_KEY');
  const tlsFlag = flag(env, 'TEMPORAL_TLS');
  if (flag(env, 'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION')) {
    throw new ConnectionConfigError(
      'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION is not supported by the Node SDK; set TEMPORAL_TLS_SERVER_NAME to the name in the server certificate',
    );
  }
  if (Boolean(cert) !== Boolean(key)) {
    throw new ConnectionConfigError(`TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (only ${cert ? cert.source : key!.source} is set)`);
  }
  const wantsTls = tlsFlag ?? Boolean(ca || cert || serverName || apiKey);
  if (tlsFlag === false && (ca || cert)) {
    throw new ConnectionConfigError('TEMPORAL_TLS=false but a TLS CA or client certificate is set');
  }
  const tls: TemporalTls | undefined = wantsTls
    ? {
        ...(serverName ? { serverNameOverride: serverName } : {}),
        ...(ca ? { serverRootCACertificate: ca.pem } : {}),
        ...(cert && key ? { clientCertPair: { crt: cert.pem, key: key.pem } } : {}),
      }
    : undefined;
  const parts = [
    !tls ? 'plaintext' : cert ? 'mutual TLS' : 'TLS',
    ca ? `CA ${ca.source}` : tls ? 'system CAs' : '',
    cert ? `client certificate ${cert.source}` : '',
    serverName ? `server name ${serverName}` : '',
    apiKey ? 'API key' : '',
  ].filter(Boolean);
  return {
    address,
    namespace,
    taskQueue,
    tls,
    apiKey,
    apiKeyFile: nonEmpty(env.TEMPORAL_API_KEY_FILE),
    describe: `${address} (namespace ${namespace}; ${parts.join(', ')})`,
  };
}

/** Wraps a failed first connection so the operator sees where and how it tried to connect. */
export function temporalConnectError(config: TemporalConnectionConfig, cause: unknown): Error {
  const message = cause instanceof Error ? cause.message : String(cause);
  const hint = !config.tls
    ? ' If the server requires TLS, set TEMPORAL_TLS_CA (and TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY for mutual TLS).'
    : config.tls.clientCertPair
      ? ' Check that the server trusts the CA that signed TEMPORAL_TLS_CERT, and that TEMPORAL_TLS_CA signed the server certificate.'
      : ' If the server requires client certificates (mutual TLS), set TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY.';
  return new Error(`Cannot connect to Temporal at ${config.describe}: ${message}.${hint}`, { cause });
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/icp_cases';

export type SslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: SslMode[] = ['disable', 'require', 'verify-ca', 'verify-full'];
/** Query parameters that configure TLS; taken out of the URL because node-postgres would apply its own reading of them. */
const SSL_PARAMS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'ssl', 'uselibpqcompat', 'sslnegotiation'];

/** The TLS options node-postgres (and TypeORM's postgres driver) take as `ssl`. */
export interface PostgresTls {
  rejectUnauthorized: boolean;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  checkServerIdentity?: () => undefined;
}

export interface PostgresConnection {
  /** The URL without TLS parameters (and with the password from DATABASE_PASSWORD[_FILE]). */
  url: string;
  sslmode: SslMode;
  /** What node-postgres takes as `ssl` (false: plaintext). */
  ssl: false | PostgresTls;
  /** One line for logs (no password). */
  describe: string;
}

/**
 * PostgreSQL's connection from the environment, with libpq's meaning of `sslmode` (node-postgres
 * 8.23 reads `sslmode=require`/`verify-ca` in a connection string as verify-full unless
 * `uselibpqcompat=true`, so the URL's TLS parameters are read here and handed to it as explicit
 * `ssl` options instead, the same for every component):
 *
 * - `DATABASE_URL` or `DATABASE_URL_FILE`; `DATABASE_PASSWORD` or `DATABASE_PASSWORD_FILE` replaces its password
 * - `sslmode` in the URL or `DATABASE_SSL_MODE` (the variable wins): `disable` (default), `require`
 *   (encrypted, server not verified; with a CA it is `verify-ca`, as in libpq), `verify-ca` (chain
 *   checked, host name not), `verify-full` (chain and host name). `allow`/`prefer` are refused:
 *   node-postgres cannot fall back to plaintext, and a silent downgrade is not what they would mean here.
 * - the CA: `sslrootcert` in the URL (a path; `system` for the system's CAs) or `DATABASE_SSL_CA`
 *   (path or PEM); without one, verify-* use the system's CAs
 * - a client certificate: `sslcert`/`sslkey` in the URL or `DATABASE_SSL_CERT`/`DATABASE_SSL_KEY` (path or PEM)
 */
export function postgresConnection(env: Env = process.env): PostgresConnection {
  const raw = readSecret(env, 'DATABASE_URL') ?? DEFAULT_DATABASE_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConnectionConfigError('DATABASE_URL is not a URL (postgres://user:password@host:port/database?sslmode=…)');
  }
  const params = Object.fromEntries(SSL_PARAMS.map((p) => [p, url.searchParams.get(p) ?? undefined]));
  for (const p of SSL_PARAMS) url.searchParams.delete(p);
  const password = readSecret(env, 'DATABASE_PASSWORD');
  if (password !== undefined) url.password = encodeURIComponent(password);

  let mode = (nonEmpty(env.DATABASE_SSL_MODE) ?? params.sslmode ?? (params.ssl === 'true' || params.ssl === '1' ? 'require' : 'disable')).toLowerCase();
  if (mode === 'allow' || mode === 'prefer') {
    throw new ConnectionConfigError(
      `sslmode=${mode} is not supported (node-postgres cannot fall back between TLS and plaintext); use disable, require, verify-ca or verify-full`,
    );
  }
  if (!SSL_MODES.includes(mode as SslMode)) {
    throw new ConnectionConfigError(`sslmode must be one of ${SSL_MODES.join(', ')}, not '${mode}'`);
  }
  const pemFrom = (variable: string, param: string | undefined, paramName: string) => {
    const fromEnv = readPem(env, [variable]);
    if (fromEnv) return fromEnv;
    return param ? { pem: readFile(param, `DATABASE_URL ${paramName}`), source: `${paramName}=${param}` } : undefined;
  };
  const systemCa = params.sslrootcert === 'system' && !nonEmpty(env.DATABASE_SSL_CA);
  const ca = systemCa ? undefined : pemFrom('DATABASE_SSL_CA', params.sslrootcert, 'sslrootcert');
  const cert = pemFrom('DATABASE_SSL_CERT', params.sslcert, 'sslcert');
  const key = pemFrom('DATABASE_SSL_KEY', params.sslkey, 'sslkey');
  if (Boolean(cert) !== Boolean(key)) throw new ConnectionConfigError('DATABASE_SSL_CERT and DATABASE_SSL_KEY (sslcert/sslkey) go together');
  if (mode === 'require' && ca) mode = 'verify-ca'; // libpq: a root certificate makes `require` verify the chain

  let ssl: false | PostgresTls = false;
  if (mode !== 'disable') {
    ssl = {
      rejectUnauthorized: mode !== 'require',
      ...(ca ? { ca: ca.pem } : {}),
      ...(cert && key ? { cert: cert.pem, key: key.pem } : {}),
      // verify-ca checks the chain only; verify-full also the host name (Node's default check).
      ...(mode === 'verify-ca' || mode === 'require' ? { checkServerIdentity: () => undefined } : {}),
    };
  }
  const shown = new URL(url.toString());
  if (shown.password) shown.password = '***';
  const caText = ca ? `, CA ${ca.source}` : mode.startsWith('verify') ? ', system CAs' : '';
  return {
    url: url.toString(),
    sslmode: mode as SslMode,
    ssl,
    describe: `${shown.toString()} (sslmode ${mode}${caText}${cert ? `, client certificate ${cert.source}` : ''})`,
  };
}
