import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { parseDuration, type RuleConfig } from '../../domain/src';
import { DEFAULT_DATABASE_URL, postgresConnection, temporalConnectionConfig, type PostgresConnection, type TemporalConnectionConfig } from './connections';
import { loadRuleConfig } from './rule-config.schema';
import { loadAlibabaCloudConfig, type AlibabaCloudConfig } from '../../cloud/src/cloud-config';
import { loadSecurityConfig, type SecurityConfig } from './security-config';

export { DEFAULT_DATABASE_URL };
/** config/rules.json of the checkout or image, found upwards from here (sources and dist/ alike). */
function defaultRulesFile(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'config', 'rules.json');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('config/rules.json not found; set ICP_RULES_FILE');
}

/**
 * A configuration the service refuses to start with. Its message is one line per bad variable,
 * naming it and what it accepts; the entry points print it alone (no stack) and exit.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

// ---- Value types: each refuses what it cannot use, with the description the error line shows.

/** An absent variable takes its default; a present one, even empty, must be valid. */
const withDefault = <T extends z.ZodType<unknown, string>>(fallback: string, schema: T) => z.string().optional().transform((v) => v ?? fallback).pipe(schema);

const port = z.string().regex(/^\d{1,5}$/).transform(Number).pipe(z.number().int().min(0).max(65535));
const text = z.string().trim().min(1);
const duration = z.string().transform((value, ctx) => {
  try {
    return parseDuration(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not a duration' });
    return z.NEVER;
  }
});
const boolean = z.enum(['true', 'false']).transform((v) => v === 'true');
const positiveNumber = z.string().regex(/^\d+(\.\d+)?$/).transform(Number).pipe(z.number().positive());
const postgresUrl = z.string().refine((v) => URL.canParse(v) && /^postgres(ql)?:$/.test(new URL(v).protocol));
/** `host:port` where host is an IP address (what `dns.Resolver.setServers` takes), IPv6 in brackets. */
const resolverAddress = z.string().refine((entry) => {
  const match = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry) ?? /^([^:]+)(?::(\d{1,5}))?$/.exec(entry);
  if (!match) return isIP(entry) === 6; // a bare IPv6 address
  return isIP(match[1]) !== 0 && (match[2] === undefined || (Number(match[2]) > 0 && Number(match[2]) <= 65535));
});
const resolverList = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(resolverAddress));

// ---- One schema per group of variables; each key is the variable, each value what it accepts.

const ACCEPTS: Record<string, string> = {
  PORT: 'a port number 0-65535 (default 3000)',
  NODE_ENV: 'development, test or production (unset: development)',
  ICP_MAX_UPLOAD_MB: 'a positive number of MiB, e.g. 10 (default 10)',
  ICP_UPDATE_TIMEOUT: 'a duration such as 30s, 1500ms, 2m (default 30s)',
  ICP_REQUEST_TIMEOUT: 'a duration such as 60s, 2m (default 60s)',
  ICP_IDEMPOTENCY_TTL: 'a duration such as 24h, 7d (default 24h)',
  ICP_IDEMPOTENCY_LEASE: 'a duration such as 45s, 2m (default ICP_UPDATE_TIMEOUT + 15s)',
  DATABASE_URL: `a postgres:// URL (default ${DEFAULT_DATABASE_URL})`,
  TEMPORAL_ADDRESS: 'host:port of a Temporal frontend (unset: npm start runs a dev server)',
  TEMPORAL_NAMESPACE: 'a namespace name (default default)',
  TEMPORAL_TASK_QUEUE: 'a task queue name (default icp-cases)',
  TEMPORAL_DEV_PORT: 'a port number 0-65535 (default 7233)',
  TEMPORAL_UI_PORT: 'a port number 0-65535 (default TEMPORAL_DEV_PORT + 1000)',
  ICP_TEMPORAL_DATA_DIR: 'a directory for the dev server\'s SQLite file and log (default .data/temporal)',
  ICP_DNS_SERVERS: 'a comma-separated list of IP[:port] resolvers, IPv6 as [addr]:port (empty: the system\'s)',
  ICP_SMS_VERIFICATION_WINDOW: 'a duration such as 24h, 90m, 30s (default 24h)',
  ICP_ENFORCE_DOCUMENTS: 'true or false (default true)',
  ICP_RULES_FILE: 'the path of a rules JSON file (default config/rules.json)',
  ICP_REMINDER_LEAD_DAYS: 'a whole number of business days a reminder goes out ahead of its deadline (default 1)',
  ICP_OFFICERS_QUEUE: 'the recipient of reminders for unassigned cases (default officers)',
  ICP_REMINDER_SCHEDULE: 'on or off: the daily reminder sweep Schedule (default on)',
  ICP_REMINDER_SCHEDULE_ID: 'the Temporal Schedule id of the sweep (default reminder-sweep:<task queue>)',
  ICP_REMINDER_CRON: 'a cron expression for the sweep (default 0 9 * * *)',
  ICP_REMINDER_TIMEZONE: 'an IANA time zone for the cron expression (default Asia/Shanghai)',
  ICP_REMINDER_CATCHUP_WINDOW: 'a duration such as 1d, 12h: how far back a missed sweep is caught up (default 1d)',
  ICP_WEBHOOK_ALLOW_HOSTS: 'comma-separated host names, IPs or CIDRs webhooks may target although loopback or private (default none)',
  ICP_WEBHOOK_TIMEOUT: 'a duration such as 10s: one delivery attempt (default 10s)',
  ICP_WEBHOOK_RETRY_INITIAL: 'a duration such as 10s: the first retry interval (default 10s)',
  ICP_WEBHOOK_RETRY_MAX_INTERVAL: 'a duration such as 1h: the longest retry interval (default 1h)',
  ICP_WEBHOOK_MAX_ATTEMPTS: 'a whole number of delivery attempts, at least 1 (default 25)',
  ICP_HISTORY_EVENT_BUDGET: 'a whole number of history events, at least 100, after which a case continues as new (unset: when Temporal suggests it)',
  LOG_LEVEL: 'one of fatal, error, warn, info, debug, trace, silent (default info)',
  ICP_WORKER_METRICS_PORT: 'a port number 0-65535 for the worker\'s Prometheus endpoint (default 9464; 0: off)',
  // Access control and payload encryption (security-config.ts reads these; secrets also as NAME_FILE).
  AUTH_JWT_SECRET: 'an HS256 secret of at least 32 bytes (or AUTH_JWKS_URL; one of the two is required in production)',
  AUTH_JWKS_URL: "the identity provider's JWKS URL (RS256/ES256), with AUTH_ISSUER and AUTH_AUDIENCE",
  AUTH_ISSUER: 'the iss claim tokens must carry (with AUTH_JWKS_URL)',
  AUTH_AUDIENCE: 'the aud claim tokens must carry (with AUTH_JWKS_URL)',
  AUTH_PUBLIC_DOCS: 'true or false: /docs and /docs-json without a token (default true)',
  HOST: 'the address the API binds (default 127.0.0.1; 0.0.0.0 in production)',
  ICP_CORS_ORIGINS: 'comma-separated origins allowed to call the API from a browser (default none: CORS off)',
  ICP_RATE_LIMIT_PER_USER: 'a whole number of requests per user per window (default 600)',
  ICP_RATE_LIMIT_PER_IP: 'a whole number of requests per IP per window, for calls without a valid token (default 60)',
  ICP_RATE_LIMIT_WINDOW: 'a duration such as 1m: the rate-limit window (default 1m)',
  ICP_CODEC_KEYS: 'payload encryption keys kid:base64(32 bytes),… the first encrypts (required in production)',
  ICP_CODEC_CORS_ORIGIN: "the Temporal UI's origin allowed to call /codec (default none)",
  OTEL_EXPORTER_OTLP_ENDPOINT: 'an http:// or https:// URL of an OTLP/HTTP collector, traces go to <URL>/v1/traces (unset: tracing off)',
  OTEL_SERVICE_NAME: 'a service name for the spans (default icp-cases-api / icp-cases-worker)',
  // The Alibaba Cloud account (libs/cloud/src/cloud-config.ts reads these; each also as NAME_FILE).
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'an AccessKey id, with ALIBABA_CLOUD_ACCESS_KEY_SECRET (unset: no account, the typed-in facts stand)',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'the AccessKey secret, with ALIBABA_CLOUD_ACCESS_KEY_ID',
  ALIBABA_CLOUD_SECURITY_TOKEN: 'an STS security token (temporary credentials)',
  ALIBABA_CLOUD_ROLE_ARN: 'a RAM role ARN to assume with the AccessKey',
  ALIBABA_CLOUD_REGION_ID: 'a region id for the CDN and DNS calls (default cn-hangzhou)',
  ICP_ALIBABA_CLOUD_REGIONS: 'a comma-separated list of region ids to look for instances in (empty: every region of the account)',
  ICP_ALIBABA_CLOUD_ENDPOINT: 'http(s)://host[:port], one endpoint for every product (tests)',
  ICP_API_MAX_IN_FLIGHT: 'a whole number ≥ 1: changes in flight per API process, past it 503 + Retry-After (default 32)',
  ICP_WORKER_MAX_CACHED_WORKFLOWS: 'a whole number ≥ 1: case workflows the worker keeps in memory (default 50)',
  ICP_WORKER_HEAP_MB: 'a whole number ≥ 64: MiB of V8 heap for each of the worker\'s threads, at least 64 + 2 × ICP_WORKER_MAX_CACHED_WORKFLOWS (default 192)',
  ICP_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: 'a whole number ≥ 1 (default 40)',
  ICP_WORKER_MAX_CONCURRENT_ACTIVITIES: 'a whole number ≥ 1 (default 100)',
  // The officers' console at /console (apps/console).
  CONSOLE_OIDC_AUTHORITY: "an https:// (http:// outside production) URL of the identity provider's OpenID Connect issuer, with CONSOLE_OIDC_CLIENT_ID (unset: no OIDC sign-in)",
  CONSOLE_OIDC_CLIENT_ID: 'the console\'s public client id at the identity provider (authorization code + PKCE)',
  CONSOLE_OIDC_SCOPE: 'the scopes the console asks for (default openid profile)',
  CONSOLE_TOKEN_SIGN_IN: 'true or false: the console offers signing in with a pasted bearer token (default true, false with NODE_ENV=production)',
};

export const httpSchema = z.object({
  NODE_ENV: z.string().optional().pipe(z.enum(['development', 'test', 'production']).optional()),
  PORT: withDefault('3000', port),
  ICP_MAX_UPLOAD_MB: withDefault('10', positiveNumber),
  ICP_UPDATE_TIMEOUT: withDefault('30s', duration),
  ICP_REQUEST_TIMEOUT: withDefault('60s', duration),
});

export const idempotencySchema = z.object({
  ICP_IDEMPOTENCY_TTL: withDefault('24h', duration),
  ICP_IDEMPOTENCY_LEASE: z.string().optional().pipe(duration.optional()),
});

export const databaseSchema = z.object({
  DATABASE_URL: withDefault(DEFAULT_DATABASE_URL, postgresUrl),
});

export const temporalSchema = z.object({
  TEMPORAL_ADDRESS: z.string().optional().pipe(text.optional()),
  TEMPORAL_NAMESPACE: withDefault('default', text),
  TEMPORAL_TASK_QUEUE: withDefault('icp-cases', text),
  TEMPORAL_DEV_PORT: withDefault('7233', port),
  TEMPORAL_UI_PORT: z.string().optional().pipe(port.optional()),
  ICP_TEMPORAL_DATA_DIR: z.string().optional().pipe(text.optional()),
});

export const casesSchema = z.object({
  ICP_DNS_SERVERS: withDefault('', resolverList),
  ICP_SMS_VERIFICATION_WINDOW: withDefault('24h', duration),
  ICP_ENFORCE_DOCUMENTS: withDefault('true', boolean),
  ICP_RULES_FILE: z.string().optional().pipe(text.optional()),
  ICP_HISTORY_EVENT_BUDGET: z.string().optional().pipe(z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(100)).optional()),
});

export const observabilitySchema = z.object({
  LOG_LEVEL: withDefault('info', z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  ICP_WORKER_METRICS_PORT: withDefault('9464', port),
});

const httpUrl = z.string().refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol));

export const tracingSchema = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().optional().pipe(httpUrl.optional()),
  OTEL_SERVICE_NAME: z.string().optional().pipe(text.optional()),
});

const wholeNumber = (min: number) => z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min));
export const remindersSchema = z.object({
  ICP_REMINDER_LEAD_DAYS: withDefault('1', wholeNumber(0)),
  ICP_OFFICERS_QUEUE: withDefault('officers', text),
  ICP_REMINDER_SCHEDULE: withDefault('on', z.enum(['on', 'off'])),
  ICP_REMINDER_SCHEDULE_ID: z.string().optional().pipe(text.optional()),
  ICP_REMINDER_CRON: withDefault('0 9 * * *', text),
  ICP_REMINDER_TIMEZONE: withDefault('Asia/Shanghai', text),
  ICP_REMINDER_CATCHUP_WINDOW: withDefault('1d', duration),
  ICP_WEBHOOK_ALLOW_HOSTS: withDefault('', z.string().transform((v) => v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))),
  ICP_WEBHOOK_TIMEOUT: withDefault('10s', duration),
  ICP_WEBHOOK_RETRY_INITIAL: withDefault('10s', duration),
  ICP_WEBHOOK_RETRY_MAX_INTERVAL: withDefault('1h', duration),
  ICP_WEBHOOK_MAX_ATTEMPTS: withDefault('25', wholeNumber(1)),
});

/**
 * Capacity. The worker's memory is its workflow cache, held in the V8 heap of its workflow thread:
 * without a bound on the heap V8 collects lazily (it may grow to a quarter of the machine's memory),
 * so a cache bound alone does not bound RSS. Both are configured: the launchers (npm start,
 * start:worker, the cluster, docker-compose; scripts/node-args.js) start the worker with
 * `--max-old-space-size=ICP_WORKER_HEAP_MB`, which bounds its main and its workflow thread alike, and
 * the worker checks the bound it got (apps/worker/src/heap-bound.ts). 50 cached workflows in 192 MiB
 * keep a worker under 500 MiB RSS at 1 000 or 5 000 open cases (docs/performance.md, memory); the
 * cases not cached are replayed from history when they next move. A cached workflow holds up to
 * about 2 MiB, so the heap must be at least 64 + 2 × the cache (less stalls the worker in GC).
 */
const WORKFLOW_HEAP_BASE_MB = 64;
const WORKFLOW_HEAP_PER_CACHED_MB = 2;
/** The heap (MiB) a worker needs for this many cached workflows: refused below it, at boot and at start. */
export function workerHeapNeededMb(maxCachedWorkflows: number): number {
  return WORKFLOW_HEAP_BASE_MB + WORKFLOW_HEAP_PER_CACHED_MB * maxCachedWorkflows;
}
export const capacitySchema = z.object({
  ICP_API_MAX_IN_FLIGHT: withDefault('32', wholeNumber(1)),
  ICP_WORKER_MAX_CACHED_WORKFLOWS: withDefault('50', wholeNumber(1)),
  ICP_WORKER_HEAP_MB: withDefault('192', wholeNumber(WORKFLOW_HEAP_BASE_MB)),
  ICP_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: withDefault('40', wholeNumber(1)),
  ICP_WORKER_MAX_CONCURRENT_ACTIVITIES: withDefault('100', wholeNumber(1)),
});

export const consoleSchema = z
  .object({
    CONSOLE_OIDC_AUTHORITY: z.string().optional().pipe(httpUrl.optional()),
    CONSOLE_OIDC_CLIENT_ID: z.string().optional().pipe(text.optional()),
    CONSOLE_OIDC_SCOPE: withDefault('openid profile', text),
    CONSOLE_TOKEN_SIGN_IN: z.string().optional().pipe(boolean.optional()),
  })
  .superRefine((v, ctx) => {
    // One without the other cannot sign anyone in: name the missing one.
    if (v.CONSOLE_OIDC_AUTHORITY && !v.CONSOLE_OIDC_CLIENT_ID) ctx.addIssue({ code: 'custom', path: ['CONSOLE_OIDC_CLIENT_ID'], message: 'required with CONSOLE_OIDC_AUTHORITY' });
    if (v.CONSOLE_OIDC_CLIENT_ID && !v.CONSOLE_OIDC_AUTHORITY) ctx.addIssue({ code: 'custom', path: ['CONSOLE_OIDC_AUTHORITY'], message: 'required with CONSOLE_OIDC_CLIENT_ID' });
  });

const SCHEMAS = [httpSchema, databaseSchema, temporalSchema, casesSchema, observabilitySchema, idempotencySchema, remindersSchema, tracingSchema, capacitySchema, consoleSchema] as const;

/** Every variable the service reads, with what it accepts (the README's table, checked at boot). */
export const CONFIG_VARIABLES: Readonly<Record<string, string>> = ACCEPTS;

type Parsed<S> = S extends z.ZodType<infer O> ? O : never;

/** Checks every group; one line per bad variable: `PORT='' is not valid: expected a port number …`. */
export function parseEnvironment(env: NodeJS.ProcessEnv) {
  const problems: string[] = [];
  const results = SCHEMAS.map((schema) => {
    const result = schema.safeParse(env);
    if (!result.success) {
      const names = new Set(result.error.issues.map((issue) => String(issue.path[0])));
      for (const name of names) problems.push(`${name}=${JSON.stringify(env[name] ?? '')} is not valid: expected ${ACCEPTS[name] ?? 'a valid value'}`);
    }
    return result.data;
  });
  if (problems.length > 0) throw new ConfigError(`Configuration refused: ${problems.join('; ')}`);
  const [http, database, temporal, cases, observability, idempotency, reminders, tracing, capacity, consoleSettings] = results as [
    Parsed<typeof httpSchema>,
    Parsed<typeof databaseSchema>,
    Parsed<typeof temporalSchema>,
    Parsed<typeof casesSchema>,
    Parsed<typeof observabilitySchema>,
    Parsed<typeof idempotencySchema>,
    Parsed<typeof remindersSchema>,
    Parsed<typeof tracingSchema>,
    Parsed<typeof capacitySchema>,
    Parsed<typeof consoleSchema>,
  ];
  return { http, database, temporal, cases, observability, idempotency, reminders, tracing, capacity, console: consoleSettings };
}

/** Everything the service reads from its environment, read once at boot. Injected by class. */
export class AppConfig {
  port: number;
  /** The URL without TLS parameters; `database` has the rest (see connections.ts). */
  databaseUrl: string;
  database: PostgresConnection;
  temporal: TemporalConnectionConfig;
  /** Ports of the dev server `npm start` runs when TEMPORAL_ADDRESS is unset. */
  devServer: { port: number; uiPort: number; dataDir?: string };
  /** `host:port` resolvers for the resolution check; empty means the system's. */
  dnsServers: string[];
  smsWindowMs: number;
  /** How long the API waits for the case workflow to answer a transition before 503. */
  updateTimeoutMs: number;
  /** Enforce the document rules (DOCUMENT_MISSING, …) for new cases. */
  enforceDocuments: boolean;
  /** Largest document upload, in bytes. */
  maxUploadBytes: number;
  /** A case workflow continues as new past this many history events (unset: when the server suggests). */
  historyEventBudget: number | undefined;
  /** How long an Idempotency-Key is remembered; older keys are purged (and may be used afresh). */
  idempotencyTtlMs: number;
  /**
   * How long a request holds its Idempotency-Key before a retry may take it over (the holder
   * crashed or answered 503): the retry re-sends the same workflow start / update id.
   */
  idempotencyLeaseMs: number;
  /** How long a client may take to send a whole request (headers and body); slower ones get 408. */
  requestTimeoutMs: number;
  observability: {
    logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
    /** Port of the worker's Temporal SDK Prometheus endpoint; 0 leaves it off. */
    workerMetricsPort: number;
    /** OTLP/HTTP collector for traces; unset leaves tracing off. */
    otlpEndpoint?: string;
    serviceName?: string;
  };
  rules: RuleConfig;
  /** The Alibaba Cloud account the hosting facts are checked against; null: none, the typed-in facts stand. */
  alibabaCloud: AlibabaCloudConfig | null;
  reminders: ReminderConfig;
  webhooks: WebhookConfig;
  /** Authentication, rate limits, CORS, bind address, payload codec keys. */
  security: SecurityConfig;
  /** Workflow calls (changes under /v1/cases) in flight per API process; past it 503 + Retry-After. */
  maxInFlight: number;
  /** MiB of V8 heap (old space) each worker thread is started with: the launchers' --max-old-space-size. */
  workerHeapMb: number;
  /** The worker's sizing: sticky cache of open workflows (its memory) and task concurrency. */
  worker: { maxCachedWorkflows: number; maxConcurrentWorkflowTaskExecutions: number; maxConcurrentActivityTaskExecutions: number };
  /** The officers' console (/console): how it signs people in. */
  console: ConsoleConfig;
}

export interface ConsoleConfig {
  /** OpenID Connect sign-in (authorization code + PKCE in the browser); null: not configured. */
  oidc: { authority: string; clientId: string; scope: string } | null;
  /** The console offers signing in with a pasted bearer token (development; `npm start` prints one). */
  tokenSignIn: boolean;
}

export interface ReminderConfig {
  /** Business days ahead of a review or PSB deadline that its reminder goes out (ICP_REMINDER_LEAD_DAYS). */
  leadBusinessDays: number;
  /** Where reminders of unassigned cases go (ICP_OFFICERS_QUEUE). */
  officersQueue: string;
  /** The Temporal Schedule running the sweep; `null` when ICP_REMINDER_SCHEDULE=off. */
  schedule: { id: string; cron: string; timezone: string; catchupWindowMs: number } | null;
}

export interface WebhookConfig {
  /** Hosts, IPs and CIDRs that may be targeted although loopback, link-local or private (ICP_WEBHOOK_ALLOW_HOSTS). */
  allowHosts: string[];
  /** Outside development and tests, webhook URLs must be https. */
  requireHttps: boolean;
  /** One attempt's time limit (ICP_WEBHOOK_TIMEOUT). */
  timeoutMs: number;
  /** Temporal's retries of a delivery: first interval, longest interval, attempts (ICP_WEBHOOK_RETRY_*). */
  retry: { initialIntervalMs: number; maximumIntervalMs: number; maximumAttempts: number };
}

/** A connection setting connections.ts refuses stops the start like any other bad variable: one line. */
function connectionSetting<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new ConfigError(`Configuration refused: ${error instanceof Error ? error.message : String(error)}`);
  }
}


/** Reads and checks the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const { http, temporal, cases, observability, idempotency, reminders, tracing, capacity, console: consoleSettings } = parseEnvironment(env);
  const config = new AppConfig();
  config.port = http.PORT;
  config.maxUploadBytes = Math.round(http.ICP_MAX_UPLOAD_MB * 1024 * 1024);
  config.updateTimeoutMs = http.ICP_UPDATE_TIMEOUT;
  config.requestTimeoutMs = http.ICP_REQUEST_TIMEOUT;
  config.idempotencyTtlMs = idempotency.ICP_IDEMPOTENCY_TTL;
  config.idempotencyLeaseMs = idempotency.ICP_IDEMPOTENCY_LEASE ?? config.updateTimeoutMs + 15_000;
  // TLS, secrets from files (`NAME_FILE`) and the CLI's variable names: see connections.ts.
  config.database = connectionSetting(() => postgresConnection(env));
  config.databaseUrl = config.database.url;
  config.devServer = {
    port: temporal.TEMPORAL_DEV_PORT,
    uiPort: temporal.TEMPORAL_UI_PORT ?? temporal.TEMPORAL_DEV_PORT + 1000,
    dataDir: temporal.ICP_TEMPORAL_DATA_DIR,
  };
  config.temporal = connectionSetting(() =>
    temporalConnectionConfig({ ...env, TEMPORAL_ADDRESS: temporal.TEMPORAL_ADDRESS ?? `127.0.0.1:${temporal.TEMPORAL_DEV_PORT}` }),
  );
  config.dnsServers = cases.ICP_DNS_SERVERS;
  config.smsWindowMs = cases.ICP_SMS_VERIFICATION_WINDOW;
  config.enforceDocuments = cases.ICP_ENFORCE_DOCUMENTS;
  config.historyEventBudget = cases.ICP_HISTORY_EVENT_BUDGET;
  config.observability = {
    logLevel: observability.LOG_LEVEL,
    workerMetricsPort: observability.ICP_WORKER_METRICS_PORT,
    otlpEndpoint: tracing.OTEL_EXPORTER_OTLP_ENDPOINT,
    serviceName: tracing.OTEL_SERVICE_NAME,
  };
  try {
    config.alibabaCloud = loadAlibabaCloudConfig(env);
  } catch (error) {
    throw new ConfigError(`Configuration refused: ${(error as Error).message}`);
  }
  config.rules = loadRuleConfig(cases.ICP_RULES_FILE ?? defaultRulesFile());
  config.reminders = {
    leadBusinessDays: reminders.ICP_REMINDER_LEAD_DAYS,
    officersQueue: reminders.ICP_OFFICERS_QUEUE,
    schedule:
      reminders.ICP_REMINDER_SCHEDULE === 'off'
        ? null
        : {
            // One schedule per task queue, so two deployments (or test runs) on one server do not share it.
            id: reminders.ICP_REMINDER_SCHEDULE_ID ?? `reminder-sweep:${config.temporal.taskQueue}`,
            cron: reminders.ICP_REMINDER_CRON,
            timezone: reminders.ICP_REMINDER_TIMEZONE,
            catchupWindowMs: reminders.ICP_REMINDER_CATCHUP_WINDOW,
          },
  };
  config.webhooks = {
    allowHosts: reminders.ICP_WEBHOOK_ALLOW_HOSTS,
    requireHttps: !['development', 'test'].includes(env.NODE_ENV ?? ''),
    timeoutMs: reminders.ICP_WEBHOOK_TIMEOUT,
    retry: {
      initialIntervalMs: reminders.ICP_WEBHOOK_RETRY_INITIAL,
      maximumIntervalMs: reminders.ICP_WEBHOOK_RETRY_MAX_INTERVAL,
      maximumAttempts: reminders.ICP_WEBHOOK_MAX_ATTEMPTS,
    },
  };
  config.security = connectionSetting(() => loadSecurityConfig(env));
  config.maxInFlight = capacity.ICP_API_MAX_IN_FLIGHT;
  const heapNeeded = workerHeapNeededMb(capacity.ICP_WORKER_MAX_CACHED_WORKFLOWS);
  if (capacity.ICP_WORKER_HEAP_MB < heapNeeded) {
    throw new ConfigError(
      `Configuration refused: ICP_WORKER_HEAP_MB=${capacity.ICP_WORKER_HEAP_MB} is too small for ` +
        `ICP_WORKER_MAX_CACHED_WORKFLOWS=${capacity.ICP_WORKER_MAX_CACHED_WORKFLOWS}: it needs at least ${heapNeeded} ` +
        `(${WORKFLOW_HEAP_BASE_MB} + ${WORKFLOW_HEAP_PER_CACHED_MB} per cached workflow); raise the heap or lower the cache`,
    );
  }
  config.workerHeapMb = capacity.ICP_WORKER_HEAP_MB;
  config.worker = {
    maxCachedWorkflows: capacity.ICP_WORKER_MAX_CACHED_WORKFLOWS,
    maxConcurrentWorkflowTaskExecutions: capacity.ICP_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxConcurrentActivityTaskExecutions: capacity.ICP_WORKER_MAX_CONCURRENT_ACTIVITIES,
  };
  const authority = consoleSettings.CONSOLE_OIDC_AUTHORITY;
  if (authority && env.NODE_ENV === 'production' && new URL(authority).protocol !== 'https:') {
    throw new ConfigError(`Configuration refused: CONSOLE_OIDC_AUTHORITY=${JSON.stringify(authority)} is not valid: expected an https:// URL in production`);
  }
  config.console = {
    oidc:
      authority && consoleSettings.CONSOLE_OIDC_CLIENT_ID
        ? { authority: authority.replace(/\/$/, ''), clientId: consoleSettings.CONSOLE_OIDC_CLIENT_ID, scope: consoleSettings.CONSOLE_OIDC_SCOPE }
        : null,
    tokenSignIn: consoleSettings.CONSOLE_TOKEN_SIGN_IN ?? env.NODE_ENV !== 'production',
  };
  return config;
}

export { loadRuleConfig, parseRuleConfig } from './rule-config.schema';
