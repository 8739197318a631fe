// `npm start`: migrations, Temporal (its own dev server unless TEMPORAL_ADDRESS is set), the
// worker and the API. SIGINT/SIGTERM stops the API and drains the worker, then the dev server.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const { startDevServer } = require('./dev-server');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const log = (message) => console.log(`[start] ${message}`);

async function waitForReady(url, children, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (children.some((c) => c.exitCode !== null)) throw new Error('a process exited during start-up');
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs} ms`);
}

let devServer = null;
let children = [];
let stopping = false;

/** Stops the API and drains the worker (SIGTERM), then the dev server; no process is left behind. */
async function stop(code) {
  if (stopping) return;
  stopping = true;
  log('stopping: API and worker first, then Temporal');
  await Promise.all(
    children.map(
      (c) =>
        new Promise((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          const kill = setTimeout(() => c.kill('SIGKILL'), 30_000);
          c.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          c.kill('SIGTERM');
        }),
    ),
  );
  if (devServer) await devServer.stop();
  process.exit(code);
}

async function main() {
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  const env = { ...process.env };
  const { postgresConnection } = require(path.join(DIST, 'libs/config/src'));
  const { migrate } = require(path.join(DIST, 'libs/persistence/src'));
  const database = postgresConnection(env);
  const applied = await migrate(database);
  log(`database ${database.describe} ready (${applied.length ? `applied ${applied.join(', ')}` : 'no pending migrations'})`);

  if (!env.TEMPORAL_ADDRESS) {
    const port = Number(env.TEMPORAL_DEV_PORT || 7233);
    devServer = await startDevServer({
      port,
      uiPort: Number(env.TEMPORAL_UI_PORT || port + 1000),
      dbFile: path.join(ROOT, '.data', 'temporal', 'temporal.db'),
      logFile: path.join(ROOT, '.data', 'temporal', 'server.log'),
    });
    env.TEMPORAL_ADDRESS = devServer.address;
    log(`Temporal dev server on ${devServer.address} (pid ${devServer.pid}), data in .data/temporal`);
  } else {
    log(`using Temporal at ${env.TEMPORAL_ADDRESS}`);
  }

  children = ['worker', 'api'].map((name) => {
    const child = spawn(process.execPath, ['--enable-source-maps', path.join(DIST, `apps/${name}/src/main.js`)], {
      env,
      stdio: 'inherit',
    });
    child.name = name;
    return child;
  });

  for (const c of children) {
    c.on('exit', (code, signal) => {
      if (!stopping) {
        log(`${c.name} exited (${signal || code}); stopping the rest`);
        void stop(code || 1);
      }
    });
  }

  const port = env.PORT || 3000;
  await waitForReady(`http://127.0.0.1:${port}/health/ready`, children);
  log(`API          http://127.0.0.1:${port}/v1/cases`);
  log(`OpenAPI      http://127.0.0.1:${port}/docs`);
  log(`Temporal UI  ${devServer ? devServer.uiUrl : '(the UI of the server at ' + env.TEMPORAL_ADDRESS + ')'}`);
  log('ready; Ctrl-C stops everything');
}

main().catch((error) => {
  console.error(`[start] ${error.stack || error.message}`);
  void stop(1);
});
