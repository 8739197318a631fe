import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '../../../libs/config/src';
import { AppModule } from './app.module';
import { ApiExceptionFilter, JSON_BODY_LIMIT_BYTES } from './common/api-exception.filter';
import { createValidationPipe } from './common/validation';
import { buildOpenApiDocument } from './openapi/openapi-document';

/** Builds the HTTP API as `npm start` runs it; the end-to-end tests boot the very same. */
export async function createApiApp(config?: AppConfig, options: { logger?: false } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: options.logger,
    bodyParser: false,
  });
  app.disable('x-powered-by');
  // ETag is the case version, set where a case is answered (CaseETagInterceptor), not a hash of any body.
  app.set('etag', false);
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT_BYTES, type: ['application/json', 'application/*+json'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  return app;
}
