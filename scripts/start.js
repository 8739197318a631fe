// `npm start`: migrations, Temporal (its own dev server unless TEMPORAL_ADDRESS is set), the
// worker and the API. SIGINT/SIGTERM stops the API and drains the worker, then the dev server.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const { startDevServer } = require('./dev-server');
const { devCodecKeys, devJwtSecret, mintToken } = require('./dev-auth');

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
  const { DEFAULT_DATABASE_URL } = require(path.join(DIST, 'libs/config/src'));
  const { migrate } = require(path.join(DIST, 'libs/persistence/src'));
  env.DATABASE_URL = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const development = env.NODE_ENV !== 'production';
  if (development && !env.AUTH_JWT_SECRET && !env.AUTH_JWKS_URL) {
    env.AUTH_JWT_SECRET = devJwtSecret();
    log('AUTH_JWT_SECRET not set: using the development secret in .data/auth/jwt-secret');
  }
  if (development && !env.ICP_CODEC_KEYS) {
    env.ICP_CODEC_KEYS = devCodecKeys();
    log('ICP_CODEC_KEYS not set: Temporal payloads are encrypted with the development key in .data/auth/codec-keys');
  }
  const applied = await migrate(env.DATABASE_URL);
  log(`database ${new URL(env.DATABASE_URL).pathname.slice(1)} ready (${applied.length ? `applied ${applied.join(', ')}` : 'no pending migrations'})`);

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
  if (env.AUTH_JWT_SECRET && development) {
    const token = await mintToken({ secret: env.AUTH_JWT_SECRET, sub: 'officer.dev', role: 'officer', ttl: '8h' });
    log(`officer token (8 h): export TOKEN=${token}`);
    log('  curl -H "Authorization: Bearer $TOKEN" ...; other roles: npm run token -- --role applicant --sub anna --applicant-id APP-1');
  }
  log('ready; Ctrl-C stops everything');
}

main().catch((error) => {
  console.error(`[start] ${error.stack || error.message}`);
  void stop(1);
});
