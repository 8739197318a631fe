import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createApiApp } from '../../apps/api/src/create-app';
import { TemporalClientService } from '../../apps/api/src/temporal/temporal-client.service';
import { TemporalWorkerService } from '../../apps/worker/src/temporal-worker.service';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { loadConfig, type AppConfig } from '../../libs/config/src';

/** A worker of the harness's task queue, as `npm run start:worker` runs it, that can be stopped. */
export interface HarnessWorker {
  stop(): Promise<void>;
}

/** Starts a worker (a Nest application context of WorkerModule) polling `config`'s task queue. */
export async function startWorker(config: AppConfig): Promise<HarnessWorker> {
  const context: INestApplicationContext = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: ['error'] });
  const { stopped } = await context.get(TemporalWorkerService).start();
  return {
    async stop() {
      await context.close();
      await stopped;
    },
  };
}

export interface Harness {
  app: INestApplication;
  http: ReturnType<typeof request>;
  config: AppConfig;
  temporal: Client;
  /** `http://127.0.0.1:<port>`: the API really listens (for raw-socket tests). */
  baseUrl: string;
  /** The harness's own worker (null when started with `worker: false`). */
  worker: HarnessWorker | null;
  close(): Promise<void>;
}

/**
 * The API and the worker as `npm start` runs them, in this process, against the run's real
 * Temporal server and test database, on a task queue of their own.
 */
let runtimeInstalled = false;

export async function startHarness(env: Record<string, string> = {}, options: { worker?: boolean } = {}): Promise<Harness> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const config = loadConfig({ ...process.env, TEMPORAL_TASK_QUEUE: `icp-test-${randomUUID()}`, ...env });
  const worker = options.worker === false ? null : await startWorker(config);
  const app = await createApiApp(config, process.env.TEST_LOG ? {} : { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    http: request(app.getHttpServer()),
    config,
    temporal: app.get(TemporalClientService).client,
    worker,
    async close() {
      await app.close();
      await worker?.stop();
    },
  };
}
