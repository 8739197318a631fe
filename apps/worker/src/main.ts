import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '../../../libs/config/src';
import { createLogger, NestPinoLogger, startTracing } from '../../../libs/observability/src';
import { installTemporalRuntime, TemporalWorkerService } from './temporal-worker.service';
import { WorkerModule } from './worker.module';
import { checkHeapBound } from './heap-bound';

function fail(message: string): never {
  process.stderr.write(`[worker] cannot start: ${message}\n`);
  process.exit(1);
}

/**
 * The Temporal worker: a Nest application context without HTTP. The Temporal runtime drains the
 * worker on SIGINT/SIGTERM; when run() settles the context closes and the process exits (non-zero
 * if the worker failed).
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const heap = checkHeapBound(config);
  if (heap.verdict === 'refuse') fail(heap.message);
  const logger = createLogger({ level: config.observability.logLevel, service: 'icp-cases-worker' });
  if (heap.verdict === 'unbounded') logger.warn(heap.message);
  else logger.info(heap.message);
  installTemporalRuntime(logger, config.observability.workerMetricsPort);
  const tracing = startTracing({ serviceName: 'icp-cases-worker', otlpEndpoint: config.observability.otlpEndpoint });
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: new NestPinoLogger(logger) });
  const worker = app.get(TemporalWorkerService);
  try {
    const { stopped, polling } = await worker.start();
    await polling;
    // `npm start` (scripts/start.js) waits for this before it prints `ready`.
    process.send?.({ ready: true });
    await stopped;
    logger.info('worker stopped');
  } finally {
    await app.close();
    await tracing?.shutdown(); // the last batched spans
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)),
);
