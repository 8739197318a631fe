import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codecDataConverter, parseCodecKeys } from '../libs/codec/src';
import { HISTORIES_DIR } from './support/histories';
import { workflowBundlerOptions } from '../apps/worker/src/workflow-bundle';
import { TEST_CODEC_KEYS } from './support/tokens';
import { tracingSinks } from '../apps/worker/src/tracing.interceptors';

/**
 * Replays committed histories of representative runs against the current workflow code: a
 * change that is not replay-safe (without patched()) fails here, before it reaches a running case.
 * Histories are recorded by the lifecycle end-to-end tests with RECORD_HISTORIES=1.
 */
describe('workflow replay', () => {
  const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json')).sort();
  const load = (file: string): unknown => JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8'));

  beforeAll(() => Runtime.install({ logger: new DefaultLogger('WARN') }));

  it('has the representative histories committed', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'happy-path-returned-and-resubmitted.json',
        'sms-expiry.json',
        'not-required.json',
        'withdrawn.json',
        'continued-as-new.json',
        'cancelled-in-temporal.json',
      ]),
    );
  });

  it('covers a run that continued an earlier one (continue-as-new)', () => {
    const history = load('continued-as-new.json') as { events: { workflowExecutionStartedEventAttributes?: { continuedExecutionRunId?: string } }[] };
    expect(history.events[0].workflowExecutionStartedEventAttributes?.continuedExecutionRunId).toEqual(expect.any(String));
  });
  // Through the payload codec the worker runs with: these histories predate encryption, and the
  // codec passes unencrypted payloads through (test/codec.e2e-spec.ts replays an encrypted one).
  const dataConverter = codecDataConverter(parseCodecKeys(TEST_CODEC_KEYS));

  it.each(files)('replays %s deterministically', async (file) => {
    // The bundle's tracing interceptors hand spans to a sink; the worker registers it, tracing on or off.
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: process.env.ICP_WORKFLOW_BUNDLE! }, dataConverter, sinks: tracingSinks(undefined) },
      load(file),
      file,
    );
  });

  it('fails the build when workflow code drifts without patched()', async () => {
    const drifted = await bundleWorkflowCode({
      ...workflowBundlerOptions,
      workflowsPath: require.resolve('./support/drift'),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
    });
    await expect(
      Worker.runReplayHistory({ workflowBundle: drifted }, load('happy-path-returned-and-resubmitted.json'), 'drift'),
    ).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
