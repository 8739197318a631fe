import 'reflect-metadata';
import { ConfigError, loadConfig } from '../../../libs/config/src';
import { createApiApp } from './create-app';

/** One line on stderr naming the cause (a bad variable, a port in use), then exit. */
function fail(message: string): never {
  process.stderr.write(`[api] cannot start: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const app = await createApiApp(config);
  try {
    await app.listen(config.port, '0.0.0.0');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') fail(`port ${config.port} (PORT) is already in use; stop what listens there or set PORT to a free port`);
    if (code === 'EACCES') fail(`port ${config.port} (PORT) needs privileges; set PORT to a port above 1023`);
    throw error;
  }
  // `npm start` (scripts/start.js) waits for this before it prints `ready`.
  process.send?.({ ready: true });
}

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
