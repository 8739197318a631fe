import 'reflect-metadata';
import { ConfigError, loadConfig } from '../../../libs/config/src';
import { startTracing } from '../../../libs/observability/src';
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
  // Before the app: its HTTP spans and Temporal client interceptors exist only with tracing on.
  startTracing({ serviceName: 'icp-cases-api', otlpEndpoint: config.observability.otlpEndpoint });
  const app = await createApiApp(config);
  try {
    // 127.0.0.1 in development, unless HOST says otherwise (0.0.0.0 in production).
    await app.listen(config.port, config.security.host);
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
