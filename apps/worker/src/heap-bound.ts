import { getHeapStatistics } from 'node:v8';
import { workerHeapNeededMb, type AppConfig } from '../../../libs/config/src';

/**
 * What the worker's heap bound says about its cache, checked at start. The bound is a Node flag
 * (`--max-old-space-size`, which V8 applies to the main thread and to the SDK's workflow thread
 * alike; the SDK offers no resource limits for its threads), so it is set where the process is
 * launched (scripts/node-args.js, start:worker, docker-compose), not here.
 * - `refuse`: the heap cannot hold the cache (the worker would stall in garbage collection);
 * - `unbounded`: the process was launched without the bound, so its RSS follows V8's own sizing;
 * - `ok`.
 */
export function checkHeapBound(
  config: Pick<AppConfig, 'workerHeapMb' | 'worker'>,
  heapLimitMb = getHeapStatistics().heap_size_limit / 2 ** 20,
): { verdict: 'ok' | 'refuse' | 'unbounded'; message: string } {
  const cache = config.worker.maxCachedWorkflows;
  const needed = workerHeapNeededMb(cache);
  // heap_size_limit adds the young generation (≈ 50 MiB) to --max-old-space-size.
  const oldSpaceMb = Math.round(heapLimitMb);
  if (oldSpaceMb < needed) {
    return {
      verdict: 'refuse',
      message: `the V8 heap limit (${oldSpaceMb} MiB) cannot hold ${cache} cached workflows (${needed} MiB needed): launch with --max-old-space-size=${needed} or more, or lower ICP_WORKER_MAX_CACHED_WORKFLOWS`,
    };
  }
  if (oldSpaceMb > 2 * config.workerHeapMb + 64) {
    return {
      verdict: 'unbounded',
      message: `the V8 heap limit is ${oldSpaceMb} MiB, not ICP_WORKER_HEAP_MB=${config.workerHeapMb}: launched without --max-old-space-size=${config.workerHeapMb} (npm run start:worker, npm start and docker-compose pass it), so memory is bounded by V8's own sizing only`,
    };
  }
  return { verdict: 'ok', message: `V8 heap limit ${oldSpaceMb} MiB for ${cache} cached workflows` };
}
