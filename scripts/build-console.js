// `npm run build:console`: bundles the officers' console (apps/console, React + Vite) into
// dist/console, which the API serves at /console. `--if-stale` builds only when a source of the
// console (apps/console, libs/domain) or the lock file is newer than the last build: `npm start`
// and the browser tests use it.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { newestMtime } = require('./newest-mtime');

const ROOT = path.resolve(__dirname, '..');
const SOURCE = path.join(ROOT, 'apps', 'console');
const OUT = path.join(ROOT, 'dist', 'console');
const MARKER = path.join(OUT, 'index.html');

function consoleIsStale() {
  if (!fs.existsSync(MARKER)) return true;
  const built = fs.statSync(MARKER).mtimeMs;
  // The console bundles a few pure modules of libs/domain (stages, document types): they count too.
  const inputs = [newestMtime(SOURCE), newestMtime(path.join(ROOT, 'libs', 'domain', 'src')), fs.statSync(path.join(ROOT, 'package-lock.json')).mtimeMs];
  return Math.max(...inputs) > built;
}

/** Runs `vite build`; resolves when dist/console is written, rejects with vite's output otherwise. */
function buildConsole() {
  return new Promise((resolve, reject) => {
    const vite = path.join(path.dirname(require.resolve('vite/package.json', { paths: [ROOT] })), 'bin', 'vite.js');
    const child = spawn(process.execPath, [vite, 'build', '--config', path.join(SOURCE, 'vite.config.mjs')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Jest runs with NODE_ENV=test, which Vite would pass on (React's development build).
      env: { ...process.env, NODE_ENV: 'production' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`vite build of the console failed (${code}):\n${output}`))));
  });
}

/** Builds when stale; answers whether it built. */
async function ensureConsoleBuilt() {
  if (!consoleIsStale()) return false;
  await buildConsole();
  return true;
}

module.exports = { consoleIsStale, buildConsole, ensureConsoleBuilt, CONSOLE_OUT: OUT };

if (require.main === module) {
  const ifStale = process.argv.includes('--if-stale');
  const started = Date.now();
  (ifStale ? ensureConsoleBuilt() : buildConsole().then(() => true)).then(
    (built) => console.log(built ? `[console] built into dist/console in ${((Date.now() - started) / 1000).toFixed(1)} s` : '[console] dist/console is up to date'),
    (error) => {
      console.error(`[console] ${error.message}`);
      process.exit(1);
    },
  );
}
