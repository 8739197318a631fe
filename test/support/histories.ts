import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Harness } from './harness';

export const HISTORIES_DIR = join(__dirname, '..', 'histories');

/**
 * With RECORD_HISTORIES=1, saves the case workflow's history under test/histories/ for the
 * replay tests. Re-record only for a deliberate, patched() change of workflow behaviour.
 *
 * The export goes through the Temporal CLI (`temporal workflow show -o json`), the format the
 * Web UI downloads too: the SDK's own historyToJSON trips over the two protobufjs copies that
 * @temporalio/common and @temporalio/proto each install.
 */
export async function recordHistory(h: Harness, caseId: string, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const cli = process.env.TEMPORAL_CLI || resolve(__dirname, '../../.tools/bin/temporal');
  const json = execFileSync(
    cli,
    ['workflow', 'show', '--address', h.config.temporal.address, '--namespace', h.config.temporal.namespace, '-w', `Case:${caseId}`, '-o', 'json'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(join(HISTORIES_DIR, `${name}.json`), JSON.stringify(JSON.parse(json), null, 1) + '\n');
}
