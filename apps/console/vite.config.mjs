// The officers' console: React + TypeScript, bundled by Vite into dist/console, which the API
// serves at /console (apps/api/src/console). Every asset is bundled: no CDN, no inline script.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/console/',
  // Vite's own TSX transform (Oxc) with React's automatic runtime; the React plugin only adds
  // fast refresh for the dev server, which this build does not need.
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // No source maps in the served build: they would publish the console's source as written.
    // (The API refuses *.map below /console too, should a build ever write them.)
    sourcemap: false,
    target: 'es2022',
    // A CSP without 'unsafe-inline': no inlined module preload polyfill, no data: scripts.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  logLevel: 'warn',
});
