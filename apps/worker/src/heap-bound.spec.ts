import { checkHeapBound } from './heap-bound';

describe("the worker's heap bound, checked at start", () => {
  const config = (maxCachedWorkflows: number, workerHeapMb = 192) => ({
    workerHeapMb,
    worker: { maxCachedWorkflows, maxConcurrentWorkflowTaskExecutions: 40, maxConcurrentActivityTaskExecutions: 100 },
  });

  it('accepts a heap that holds the cache (the launchers give 192 MiB: V8 reports about 240 with the young generation)', () => {
    expect(checkHeapBound(config(50), 240)).toMatchObject({ verdict: 'ok', message: expect.stringContaining('50 cached workflows') });
  });

  it('refuses a heap too small for the cache, naming the flag that would do', () => {
    expect(checkHeapBound(config(100), 240)).toEqual({
      verdict: 'refuse',
      message: expect.stringContaining('cannot hold 100 cached workflows (264 MiB needed): launch with --max-old-space-size=264'),
    });
  });

  it('warns when the process was launched without the bound (V8 sized the heap from the machine)', () => {
    expect(checkHeapBound(config(50), 4144)).toEqual({
      verdict: 'unbounded',
      message: expect.stringContaining('launched without --max-old-space-size=192'),
    });
  });

  it('reads the real limit of this process by default', () => {
    expect(['ok', 'unbounded']).toContain(checkHeapBound(config(2)).verdict);
  });
});
