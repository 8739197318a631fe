import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { testState } from './test-state';

export default async function globalTeardown(): Promise<void> {
  await testState.stopTemporal?.();
  if (testState.databaseUrl) {
    const url = new URL(testState.databaseUrl);
    const name = url.pathname.slice(1);
    if (!name.includes('test')) throw new Error(`refusing to drop ${name}: not a test database`);
    url.pathname = '/postgres';
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
  if (testState.bundlePath) rmSync(testState.bundlePath, { force: true });
}
