import type { LoggerService } from '@nestjs/common';
import type { Logger as TemporalLogger, LogLevel as TemporalLogLevel, LogMetadata } from '@temporalio/common';
import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Keys whose values are personal data (DOMAIN.md: principal, administrators, contacts) and never
 * appear in a log line, at any depth. pino's own `redact` takes fixed paths only, and personal
 * data can sit at any depth of a logged object (an error's details, a workflow's log attributes),
 * so the keys are matched here by name.
 */
const PERSONAL_KEYS = /^(fullName|idNumber|idType|mobile|phone|email|passportNumber|principal|administrator|legalRepresentative|contact|name)$/i;
/** Values that look like personal data whatever their key: PRC resident ID numbers and mobile numbers. */
const PERSONAL_VALUES = [/(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g, /(?<![\d+])(\+?86)?1[3-9]\d{9}(?!\d)/g];
export const REDACTED = '[redacted]';

export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return PERSONAL_VALUES.reduce((text, pattern) => text.replace(pattern, REDACTED), value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) return { type: value.name, message: scrub(value.message, depth + 1), stack: scrub(value.stack, depth + 1) };
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, PERSONAL_KEYS.test(k) ? REDACTED : scrub(v, depth + 1)]));
}

export interface LoggerOptions {
  level: string;
  service: string;
  /** Where lines go; stdout by default (tests capture them). */
  destination?: DestinationStream;
}

/** The one structured JSON logger of a process: no colours, no pretty-printing, personal data scrubbed. */
export function createLogger({ level, service, destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => scrub(object) as Record<string, unknown>,
      },
      hooks: {
        // The message too: an error text may quote a value.
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? (scrub(a) as string) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination ?? pino.destination({ fd: 1, sync: true }),
  );
}

/** Nest's own start-up chatter (module wiring, the route dump): debug only, so the default output stays quiet. */
const NEST_CHATTER = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/** Nest's LoggerService onto pino: `context` becomes a field, chatter is demoted to debug. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  private write(level: 'info' | 'warn' | 'error' | 'debug' | 'trace', message: unknown, rest: unknown[]) {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const effective = level === 'info' && context && NEST_CHATTER.has(context) ? 'debug' : level;
    const stack = level === 'error' && typeof rest[0] === 'string' && rest.length > 1 ? rest[0] : undefined;
    if (message instanceof Error) this.logger[effective]({ context, err: message }, message.message);
    else if (typeof message === 'object') this.logger[effective]({ context, ...(message as object) });
    else this.logger[effective]({ context, ...(stack ? { stack } : {}) }, String(message));
  }
  log(message: unknown, ...rest: unknown[]) {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('trace', message, rest);
  }
}

const TEMPORAL_LEVEL: Record<TemporalLogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The Temporal SDK's logger (Runtime.install({ logger })) onto pino. Workflow and activity lines
 * keep their level and gain `caseId` (from the workflow id `Case:{id}` / `CaseCertificate:{id}`);
 * the SDK's own worker and bundler lines are demoted to debug unless they warn.
 */
export class TemporalPinoLogger implements TemporalLogger {
  constructor(private readonly logger: Logger) {}

  log(level: TemporalLogLevel, message: string, meta: LogMetadata = {}): void {
    const component = meta.sdkComponent as string | undefined;
    const workflowId = meta.workflowId as string | undefined;
    const caseId = workflowId ? /^[A-Za-z]+:(.+)$/.exec(workflowId)?.[1] : undefined;
    let pinoLevel = TEMPORAL_LEVEL[level];
    if (component !== 'workflow' && component !== 'activity' && (pinoLevel === 'info' || pinoLevel === 'debug')) pinoLevel = 'debug';
    this.logger[pinoLevel]({ ...meta, ...(caseId ? { caseId } : {}) }, message);
  }
  trace(message: string, meta?: LogMetadata) {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata) {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata) {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata) {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata) {
    this.log('ERROR', message, meta);
  }
}
