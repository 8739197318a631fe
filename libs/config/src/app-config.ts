import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseDuration, type RuleConfig } from '../../domain/src';
import { loadRuleConfig } from './rule-config.schema';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/icp_cases';
/** config/rules.json of the checkout or image, found upwards from here (sources and dist/ alike). */
function defaultRulesFile(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'config', 'rules.json');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('config/rules.json not found; set ICP_RULES_FILE');
}

/** Everything the service reads from its environment, read once at boot. Injected by class. */
export class AppConfig {
  port: number;
  databaseUrl: string;
  temporal: { address: string; namespace: string; taskQueue: string };
  /** `host:port` resolvers for the resolution check; empty means the system's. */
  dnsServers: string[];
  smsWindowMs: number;
  /** How long the API waits for the case workflow to answer a transition before 503. */
  updateTimeoutMs: number;
  /** Enforce the document rules (DOCUMENT_MISSING, …) for new cases. */
  enforceDocuments: boolean;
  /** Largest document upload, in bytes. */
  maxUploadBytes: number;
  /** How long an Idempotency-Key is remembered; older keys are purged (and may be used afresh). */
  idempotencyTtlMs: number;
  /**
   * How long a request holds its Idempotency-Key before a retry may take it over (the holder
   * crashed or answered 503): the retry re-sends the same workflow start / update id.
   */
  idempotencyLeaseMs: number;
  /** How long a client may take to send a whole request (headers and body); slower ones get 408. */
  requestTimeoutMs: number;
  rules: RuleConfig;
  /** Workflow calls (changes under /v1/cases) in flight per API process; past it 503 + Retry-After. */
  maxInFlight: number;
  /** The worker's sizing: sticky cache of open workflows (its memory) and task concurrency. */
  worker: { maxCachedWorkflows: number; maxConcurrentWorkflowTaskExecutions: number; maxConcurrentActivityTaskExecutions: number };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, not '${raw}'`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const config = new AppConfig();
  config.port = Number(env.PORT ?? 3000);
  config.databaseUrl = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  config.temporal = {
    address: env.TEMPORAL_ADDRESS || '127.0.0.1:7233',
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE || 'icp-cases',
  };
  config.dnsServers = (env.ICP_DNS_SERVERS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  config.smsWindowMs = parseDuration(env.ICP_SMS_VERIFICATION_WINDOW || '24h');
  config.updateTimeoutMs = parseDuration(env.ICP_UPDATE_TIMEOUT || '30s');
  config.enforceDocuments = env.ICP_ENFORCE_DOCUMENTS !== 'false';
  config.maxUploadBytes = Math.round(Number(env.ICP_MAX_UPLOAD_MB ?? 10) * 1024 * 1024);
  if (!(config.maxUploadBytes > 0)) throw new Error(`ICP_MAX_UPLOAD_MB must be a positive number, not '${env.ICP_MAX_UPLOAD_MB}'`);
  config.idempotencyTtlMs = parseDuration(env.ICP_IDEMPOTENCY_TTL || '24h');
  config.idempotencyLeaseMs = env.ICP_IDEMPOTENCY_LEASE ? parseDuration(env.ICP_IDEMPOTENCY_LEASE) : config.updateTimeoutMs + 15_000;
  config.requestTimeoutMs = parseDuration(env.ICP_REQUEST_TIMEOUT || '60s');
  config.maxInFlight = positiveInteger(env, 'ICP_API_MAX_IN_FLIGHT', 64);
  // A cached case workflow costs about 0.4 MiB of worker memory (docs/performance.md): 500 keep 5 000 open
  // cases stay under 512 MiB RSS, the rest are replayed from history when they next move.
  config.worker = {
    maxCachedWorkflows: positiveInteger(env, 'ICP_WORKER_MAX_CACHED_WORKFLOWS', 500),
    maxConcurrentWorkflowTaskExecutions: positiveInteger(env, 'ICP_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', 40),
    maxConcurrentActivityTaskExecutions: positiveInteger(env, 'ICP_WORKER_MAX_CONCURRENT_ACTIVITIES', 100),
  };
  config.rules = loadRuleConfig(env.ICP_RULES_FILE || defaultRulesFile());
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) {
    throw new Error(`PORT must be a port number, not '${env.PORT}'`);
  }
  return config;
}

export { loadRuleConfig, parseRuleConfig } from './rule-config.schema';
