'use strict';
/**
 * How the service processes are launched (npm start, the cluster, the bench; docker-compose.yml and
 * package.json's start:worker say the same). The worker's main thread gets a V8 heap bound: without
 * one V8 sizes it from the machine's memory and collects lazily, and the worker's RSS follows.
 * Its workflow thread, where the cached workflows live, is bounded by ICP_WORKER_WORKFLOW_HEAP_MB
 * (apps/worker/src/temporal-worker.service.ts); docs/performance.md#memory has the measurements.
 */
const WORKER_MAIN_HEAP_MB = 192;

/** Node's arguments before the script for one role: `api` or `worker`. */
function nodeArgs(role) {
  return role === 'worker' ? ['--enable-source-maps', `--max-old-space-size=${WORKER_MAIN_HEAP_MB}`] : ['--enable-source-maps'];
}

module.exports = { nodeArgs, WORKER_MAIN_HEAP_MB };
