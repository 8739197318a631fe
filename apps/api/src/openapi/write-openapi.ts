import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../../../../libs/config/src';
import { AppModule } from '../app.module';
import { buildOpenApiDocument } from './openapi-document';

/**
 * `npm run openapi [file]`: writes the published document (default `openapi.json`) without a
 * database or a Temporal server: Nest's preview mode builds the module graph but instantiates no
 * provider, so nothing connects.
 */
export async function writeOpenApi(file = 'openapi.json'): Promise<string> {
  const app = await NestFactory.create(AppModule.forRoot(loadConfig({})), { preview: true, logger: false, abortOnError: false });
  const target = resolve(file);
  writeFileSync(target, `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
  await app.close();
  return target;
}

if (require.main === module) {
  writeOpenApi(process.argv[2]).then(
    (file) => process.stdout.write(`openapi: wrote ${file}\n`),
    (error: unknown) => {
      process.stderr.write(`openapi: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
