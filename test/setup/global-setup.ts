import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_DATABASE_URL } from '../../libs/config/src';
import { migrate } from '../../libs/persistence/src';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../apps/worker/src/temporal-worker.service';
import { testState } from './test-state';
import { workflowBundlerOptions } from '../../apps/worker/src/workflow-bundle';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startDevServer } = require('../../scripts/dev-server') as typeof import('../../scripts/dev-server');

/**
 * Once per run: a real Temporal dev server (unless TEMPORAL_ADDRESS names one), a fresh database
 * whose name contains "test" with the real migrations applied, and one workflow bundle.
 */
export default async function globalSetup(): Promise<void> {
  const root = resolve(__dirname, '../..');
  const dataDir = join(root, '.data', 'test');
  mkdirSync(dataDir, { recursive: true });

  if (!process.env.TEMPORAL_ADDRESS) {
    const server = await startDevServer({ port: 0, headless: true, logFile: join(dataDir, 'temporal.log') });
    process.env.TEMPORAL_ADDRESS = server.address;
    testState.stopTemporal = server.stop;
  }

  const base = new URL(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
  base.pathname = `/icp_cases_test_${process.pid}_${Date.now().toString(36)}`;
  process.env.DATABASE_URL = base.toString();
  testState.databaseUrl = base.toString();
  await migrate(base.toString());

  const bundle = await bundleWorkflowCode({
    ...workflowBundlerOptions,
    workflowsPath: require.resolve('../../workflows/src'),
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  const bundlePath = join(dataDir, `workflow-bundle-${process.pid}.js`);
  writeFileSync(bundlePath, bundle.code);
  process.env.ICP_WORKFLOW_BUNDLE = bundlePath;
  testState.bundlePath = bundlePath;
}
