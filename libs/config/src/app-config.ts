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
  reminders: ReminderConfig;
  webhooks: WebhookConfig;
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
  config.rules = loadRuleConfig(env.ICP_RULES_FILE || defaultRulesFile());
  const lead = Number(env.ICP_REMINDER_LEAD_DAYS ?? 1);
  if (!Number.isInteger(lead) || lead < 0) throw new Error(`ICP_REMINDER_LEAD_DAYS must be a whole number of business days, not '${env.ICP_REMINDER_LEAD_DAYS}'`);
  config.reminders = {
    leadBusinessDays: lead,
    officersQueue: env.ICP_OFFICERS_QUEUE?.trim() || 'officers',
    schedule:
      env.ICP_REMINDER_SCHEDULE === 'off'
        ? null
        : {
            // One schedule per task queue, so two deployments (or test runs) on one server do not share it.
            id: env.ICP_REMINDER_SCHEDULE_ID || `reminder-sweep:${config.temporal.taskQueue}`,
            cron: env.ICP_REMINDER_CRON || '0 9 * * *',
            timezone: env.ICP_REMINDER_TIMEZONE || 'Asia/Shanghai',
            catchupWindowMs: parseDuration(env.ICP_REMINDER_CATCHUP_WINDOW || '1d'),
          },
  };
  config.webhooks = {
    allowHosts: (env.ICP_WEBHOOK_ALLOW_HOSTS ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean),
    requireHttps: !['development', 'test'].includes(env.NODE_ENV ?? ''),
    timeoutMs: parseDuration(env.ICP_WEBHOOK_TIMEOUT || '10s'),
    retry: {
      initialIntervalMs: parseDuration(env.ICP_WEBHOOK_RETRY_INITIAL || '10s'),
      maximumIntervalMs: parseDuration(env.ICP_WEBHOOK_RETRY_MAX_INTERVAL || '1h'),
      maximumAttempts: Number(env.ICP_WEBHOOK_MAX_ATTEMPTS ?? 25),
    },
  };
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) {
    throw new Error(`PORT must be a port number, not '${env.PORT}'`);
  }
  return config;
}

export { loadRuleConfig, parseRuleConfig } from './rule-config.schema';
