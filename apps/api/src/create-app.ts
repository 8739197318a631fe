import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { Server } from 'node:http';
import type { DestinationStream } from 'pino';
import { AppConfig, loadConfig } from '../../../libs/config/src';
import { activeTracing, createLogger, NestPinoLogger } from '../../../libs/observability/src';
import { AppModule } from './app.module';
import { ApiExceptionFilter, JSON_BODY_LIMIT_BYTES } from './common/api-exception.filter';
import { createValidationPipe } from './common/validation';
import { accessLog } from './observability/access-log';
import { HttpMetrics } from './observability/http-metrics';
import { httpServerSpans } from './observability/http-tracing';

export interface ApiAppOptions {
  /** `false`: no log lines at all (tests that do not look at them); a LoggerService: Nest's lines go there. */
  logger?: false | LoggerService;
  /** Where the JSON log lines go (stdout by default; tests capture them). */
  logDestination?: DestinationStream;
}
import { buildOpenApiDocument } from './openapi/openapi-document';
import { applyHttpHardening, protectDocs } from './auth/http-hardening';
import { TokenVerifier } from './auth/token-verifier';

/** Builds the HTTP API as `npm start` runs it; the end-to-end tests boot the very same. */
export async function createApiApp(config: AppConfig = loadConfig(), options: ApiAppOptions = {}): Promise<INestApplication> {
  const logger = createLogger({
    level: options.logger === false ? 'silent' : config.observability.logLevel,
    service: 'icp-cases-api',
    destination: options.logDestination,
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: options.logger === false ? false : (options.logger ?? new NestPinoLogger(logger)),
    bodyParser: false,
  });
  const appConfig = app.get(AppConfig);
  // With tracing on, the server span wraps everything the request does (the Temporal calls included).
  const tracing = activeTracing();
  if (tracing) app.use(httpServerSpans(tracing.tracer));
  // First, so every request (refused ones included) gets its request id and its access-log line.
  app.use(accessLog(logger, app.get(HttpMetrics)));
  // helmet, no X-Powered-By, CORS only where configured.
  applyHttpHardening(app, appConfig);
  // ETag is the case version, set where a case is answered (CaseETagInterceptor), not a hash of any body.
  app.set('etag', false);
  // Every answer, downloads and their errors included, is only ever what its Content-Type says.
  app.use((_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT_BYTES, type: ['application/json', 'application/*+json'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();
  limitRequestTime(app.getHttpServer() as Server, appConfig.requestTimeoutMs);
  protectDocs(app, appConfig, app.get(TokenVerifier));
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
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
