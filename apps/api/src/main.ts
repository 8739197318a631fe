import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../../../libs/config/src';
import { createApiApp } from './create-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen(config.port, '0.0.0.0');
  Logger.log(`API on http://127.0.0.1:${config.port}/v1, OpenAPI on http://127.0.0.1:${config.port}/docs`, 'Api');
}

main().catch((error: unknown) => {
  Logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error), 'Api');
  process.exit(1);
});
