import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../../../libs/config/src';
import { createApiApp } from './create-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  // 127.0.0.1 in development, unless HOST says otherwise (0.0.0.0 in production).
  await app.listen(config.port, config.security.host);
  const shown = config.security.host === '0.0.0.0' ? '127.0.0.1' : config.security.host;
  Logger.log(`API on http://${shown}:${config.port}/v1 (bound to ${config.security.host}), OpenAPI on http://${shown}:${config.port}/docs`, 'Api');
}

main().catch((error: unknown) => {
  Logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error), 'Api');
  process.exit(1);
});
