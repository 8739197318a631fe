/** What global setup leaves for global teardown (same process; kept on globalThis, not module state). */
export interface TestState {
  stopTemporal?: () => Promise<void>;
  databaseUrl?: string;
  bundlePath?: string;
}

const holder = globalThis as { __icpTestState?: TestState };
export const testState: TestState = (holder.__icpTestState ??= {});
