import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Server } from 'node:http';
import { AppModule } from './app.module';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { createValidationPipe } from './common/validation';
import { AppConfig } from '../../../libs/config/src';
import { applyHttpHardening, documentAccess, protectDocs } from './auth/http-hardening';
import { TokenVerifier } from './auth/token-verifier';

/** Builds the HTTP API as `npm start` runs it; the end-to-end tests boot the very same. */
export async function createApiApp(config?: AppConfig, options: { logger?: false | LoggerService } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: options.logger,
    bodyParser: false,
  });
  const appConfig = app.get(AppConfig);
  applyHttpHardening(app, appConfig);
  app.useBodyParser('json', { limit: '1mb', type: ['application/json', 'application/*+json'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();
  limitRequestTime(app.getHttpServer() as Server, appConfig.requestTimeoutMs);
  protectDocs(app, appConfig, app.get(TokenVerifier));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('icp-cases')
      .setDescription('Case management for ICP filings of foreign enterprises. Errors: {code, message, details}.')
      .setVersion('1')
      .build(),
  );
  documentAccess(document);
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
