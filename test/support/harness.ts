import type { INestApplication, INestApplicationContext, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { createApiApp, type ApiAppOptions } from '../../apps/api/src/create-app';
import { TemporalClientService } from '../../apps/api/src/temporal/temporal-client.service';
import { TemporalWorkerService } from '../../apps/worker/src/temporal-worker.service';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { loadConfig, type AppConfig } from '../../libs/config/src';
import { createLogger, TemporalPinoLogger } from '../../libs/observability/src';
import { validatingAgent } from './validating-agent';
import { mintToken, TEST_CODEC_KEYS, TEST_JWT_SECRET, type TokenClaims } from './tokens';

type Http = ReturnType<typeof request>;

export interface Harness {
  app: INestApplication;
  /**
   * HTTP calls as the default officer (`officer.zhang`), with its bearer token set; every response
   * is validated against the published OpenAPI document (so are `as`, `withToken`, `anonymous`).
   */
  http: Http;
  /** HTTP calls with this caller's token (`sub` defaults to `<role>.test`; applicants need `applicantId`). */
  as(caller: Partial<TokenClaims> & { role: TokenClaims['role'] }): Http;
  /** HTTP calls carrying exactly this Authorization header (a forged token, …). */
  withToken(token: string): Http;
  /** HTTP calls without any token. */
  anonymous: Http;
  config: AppConfig;
  temporal: Client;
  /** `http://127.0.0.1:<port>`: the API really listens (for raw-socket tests). */
  baseUrl: string;
  /** Starts the worker (again) on the harness's task queue; nothing if it runs. */
  startWorker(): Promise<void>;
  /** Stops the worker, as a worker outage would: the API stays up. */
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The API and the worker as `npm start` runs them, in this process, against the run's real
 * Temporal server and test database, on a task queue of their own.
 */
let runtimeInstalled = false;

/** The officer the default `h.http` calls are made as. */
export const DEFAULT_OFFICER = 'officer.zhang';

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

/** A supertest agent whose every request carries `Authorization: <header>`. */
export function withAuthorization(base: Http, header: string): Http {
  return new Proxy(base, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof prop === 'string' && (METHODS as readonly string[]).includes(prop) && typeof value === 'function') {
        return (url: string) => (value as (url: string) => request.Test).call(target, url).set('Authorization', header);
      }
      return value;
    },
  });
}

/**
 * Settings every harness gets unless the test overrides them: an HS256 secret the tests mint
 * tokens with, payload encryption, and rate limits far above what a test sends.
 */
export const HARNESS_ENV = {
  AUTH_JWT_SECRET: TEST_JWT_SECRET,
  ICP_CODEC_KEYS: TEST_CODEC_KEYS,
  ICP_RATE_LIMIT_PER_USER: '1000000',
  ICP_RATE_LIMIT_PER_IP: '1000000',
};

export async function startHarness(
  env: Record<string, string> = {},
  options: { worker?: boolean; logger?: LoggerService } = {},
  apiOptions?: ApiAppOptions,
): Promise<Harness> {
  if (!runtimeInstalled) {
    // With a log destination (tests that read the logs), the worker's lines go there too, as in production.
    const logger = apiOptions?.logDestination
      ? new TemporalPinoLogger(createLogger({ level: env.LOG_LEVEL ?? 'info', service: 'icp-cases-worker', destination: apiOptions.logDestination }))
      : new DefaultLogger('WARN');
    Runtime.install({ logger });
    runtimeInstalled = true;
  }
  const config = loadConfig({ ...process.env, ...HARNESS_ENV, TEMPORAL_TASK_QUEUE: `icp-test-${randomUUID()}`, ...env });
  const secret = env.AUTH_JWT_SECRET ?? TEST_JWT_SECRET;
  let worker: { context: INestApplicationContext; stopped: Promise<void> } | null = null;
  const startWorker = async (): Promise<void> => {
    if (worker) return;
    const context = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: ['error'] });
    const { stopped } = await context.get(TemporalWorkerService).start();
    worker = { context, stopped };
  };
  const stopWorker = async (): Promise<void> => {
    const running = worker;
    worker = null;
    if (!running) return;
    await running.context.close();
    await running.stopped;
  };
  if (options.worker !== false) await startWorker();
  const app = await createApiApp(
    config,
    apiOptions ?? (options.logger ? { logger: options.logger } : process.env.TEST_LOG ? {} : { logger: false }),
  );
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const officerToken = mintToken({ sub: DEFAULT_OFFICER, role: 'officer' }, { secret, expiresInSeconds: 6 * 3600 });
  const { http: anonymous } = await validatingAgent(app.getHttpServer(), `Bearer ${officerToken}`);
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    http: withAuthorization(anonymous, `Bearer ${officerToken}`),
    anonymous,
    withToken: (token: string) => withAuthorization(anonymous, `Bearer ${token}`),
    as(caller) {
      const claims = { sub: caller.sub ?? `${caller.role}.test`, role: caller.role, ...(caller.applicantId ? { applicantId: caller.applicantId } : {}) };
      const token = mintToken(claims, { secret });
      return withAuthorization(anonymous, `Bearer ${token}`);
    },
    config,
    temporal: app.get(TemporalClientService).client,
    startWorker,
    stopWorker,
    async close() {
      await app.close();
      await stopWorker();
    },
  };
}
