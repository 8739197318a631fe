'use strict';
/**
 * How the service processes are launched (npm start, the cluster, the bench; docker-compose.yml and
 * package.json's start:worker say the same). The worker gets a V8 heap bound, ICP_WORKER_HEAP_MB
 * (default 192): without one V8 sizes its heaps from the machine's memory and collects lazily, and
 * the worker's RSS follows. The flag bounds the main thread and the SDK's workflow thread (where the
 * cached workflows live) alike; the worker checks it at start (apps/worker/src/heap-bound.ts).
 * docs/performance.md#memory has the measurements.
 */
const DEFAULT_WORKER_HEAP_MB = 192;

/** Node's arguments before the script for one role: `api` or `worker`. */
function nodeArgs(role, env = process.env) {
  if (role !== 'worker') return ['--enable-source-maps'];
  // Only digits reach the command line; anything else is left to the worker's configuration check.
  const heap = /^\d+$/.test(env.ICP_WORKER_HEAP_MB ?? '') ? env.ICP_WORKER_HEAP_MB : String(DEFAULT_WORKER_HEAP_MB);
  return ['--enable-source-maps', `--max-old-space-size=${heap}`];
}

module.exports = { nodeArgs };
