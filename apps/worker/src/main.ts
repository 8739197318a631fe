import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TemporalWorkerService } from './temporal-worker.service';
import { WorkerModule } from './worker.module';

/**
 * The Temporal worker: a Nest application context without HTTP. The Temporal runtime drains the
 * worker on SIGINT/SIGTERM; when run() settles the context closes and the process exits (non-zero
 * if the worker failed).
 */
async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(), { bufferLogs: false });
  const worker = app.get(TemporalWorkerService);
  try {
    const { stopped } = await worker.start();
    await stopped;
    Logger.log('Worker stopped', 'Worker');
  } finally {
    await app.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    Logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error), 'Worker');
    process.exit(1);
  },
);
