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

export const workflowBundlerOptions = { ignoreModules: ['punycode/'], webpackConfigHook: workflowWebpackConfigHook };
