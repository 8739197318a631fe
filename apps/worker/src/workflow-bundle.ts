import type { BundleOptions } from '@temporalio/worker';

type WebpackConfig = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];

/**
 * The workflow bundle's webpack set-up, shared by the worker, the test set-up and the replay
 * tests. The domain library maps domains with `tr46` (UTS #46), which requires the userland
 * `punycode/` package (pure JavaScript); Temporal's bundler refuses any request starting with
 * `punycode/` because `punycode` is also the name of a deprecated Node built-in. The request is
 * declared ignored (so the check passes) and then aliased to the package's file (instead of the
 * empty module an ignored request gets), keeping the userland implementation in the bundle.
 */
export function workflowWebpackConfigHook(config: WebpackConfig): WebpackConfig {
  const alias = { ...(config.resolve?.alias as Record<string, string | false> | undefined), 'punycode/': require.resolve('punycode/punycode.js') };
  return { ...config, resolve: { ...config.resolve, alias } };
}

/**
 * Modules loaded once into the worker's reusable V8 context and shared by every workflow in it,
 * instead of instantiated again in each cached workflow (the SDK gives each workflow its own module
 * cache). Only pure, data-heavy modules with no per-workflow state and nothing done at load time:
 * `tr46` (the UTS #46 mapping table, ≈1 MiB of heap per instance) and `tldts` (the public-suffix
 * trie, ≈0.6 MiB), which the domain rules use; and the OpenTelemetry semantic conventions (constants,
 * ≈0.5 MiB) the tracing interceptors import. The SDK deep-freezes what it shares, so a module that
 * wrote to its exports would fail loudly here, not drift. Measured in docs/performance.md (memory).
 */
const WORKFLOW_PRELOAD_MODULES = ['tr46', 'tldts', '@opentelemetry/semantic-conventions'];

export const workflowBundlerOptions = {
  ignoreModules: ['punycode/'],
  preloadModules: WORKFLOW_PRELOAD_MODULES,
  webpackConfigHook: workflowWebpackConfigHook,
};
