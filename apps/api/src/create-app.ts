import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Server } from 'node:http';
import type { DestinationStream } from 'pino';
import { AppConfig, loadConfig } from '../../../libs/config/src';
import { createLogger, NestPinoLogger } from '../../../libs/observability/src';
import { AppModule } from './app.module';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { createValidationPipe } from './common/validation';
import { accessLog } from './observability/access-log';
import { HttpMetrics } from './observability/http-metrics';

export interface ApiAppOptions {
  /** `false`: no log lines at all (tests that do not look at them). */
  logger?: false;
  /** Where the JSON log lines go (stdout by default; tests capture them). */
  logDestination?: DestinationStream;
}

/** Builds the HTTP API as `npm start` runs it; the end-to-end tests boot the very same. */
export async function createApiApp(config: AppConfig = loadConfig(), options: ApiAppOptions = {}): Promise<INestApplication> {
  const logger = createLogger({
    level: options.logger === false ? 'silent' : config.observability.logLevel,
    service: 'icp-cases-api',
    destination: options.logDestination,
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: options.logger === false ? false : new NestPinoLogger(logger),
    bodyParser: false,
  });
  // First, so every request (refused ones included) gets its request id and its access-log line.
  app.use(accessLog(logger, app.get(HttpMetrics)));
  app.useBodyParser('json', { limit: '1mb', type: ['application/json', 'application/*+json'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();
  limitRequestTime(app.getHttpServer() as Server, app.get(AppConfig).requestTimeoutMs);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('icp-cases')
      .setDescription('Case management for ICP filings of foreign enterprises. Errors: {code, message, details}.')
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

/**
 * A client that stops sending (headers or body) is answered 408 and its connection closed after
 * ICP_REQUEST_TIMEOUT, by Node's own request timeout; the time a handler then takes is not
 * counted. Node checks at `connectionsCheckingInterval` (read when the server starts listening),
 * 30 s by default: shortened so the timeout holds to within a quarter of itself.
 */
function limitRequestTime(server: Server, timeoutMs: number): void {
  server.requestTimeout = timeoutMs;
  server.headersTimeout = Math.min(timeoutMs, 60_000);
  const checked = server as Server & { connectionsCheckingInterval: number };
  checked.connectionsCheckingInterval = Math.max(100, Math.min(30_000, Math.floor(timeoutMs / 4)));
}
