import type { INestApplication, INestApplicationContext } from '@nestjs/common';
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

export interface Harness {
  app: INestApplication;
  /** supertest on the API; every response is validated against the published OpenAPI document. */
  http: ReturnType<typeof request>;
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

export async function startHarness(
  env: Record<string, string> = {},
  options: { worker?: boolean } = {},
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
  const config = loadConfig({ ...process.env, TEMPORAL_TASK_QUEUE: `icp-test-${randomUUID()}`, ...env });
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
  const app = await createApiApp(config, apiOptions ?? (process.env.TEST_LOG ? {} : { logger: false }));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const { http } = await validatingAgent(app.getHttpServer());
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    http,
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
