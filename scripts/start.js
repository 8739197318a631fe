// `npm start`: build (only when a source changed), migrations, Temporal (its own dev server unless
// TEMPORAL_ADDRESS is set), the worker and the API. Every child process is tracked from the moment
// it is spawned, so SIGINT/SIGTERM at any moment leaves nothing running: the API stops and the
// worker drains first, then the dev server. A start-up failure ends with one line naming its cause.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { devCodecKeys, devJwtSecret, mintToken } = require('./dev-auth');
const { consoleIsStale } = require('./build-console');
const { newestMtime } = require('./newest-mtime');
const { nodeArgs } = require('./node-args');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const BUILD_INFO = path.join(DIST, '.tsbuildinfo');
const CONSOLE_SOURCE = path.join(ROOT, 'apps', 'console');
const log = (message) => console.log(`[start] ${message}`);
// A closed terminal or pipe must not crash us before the children are stopped.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

/** A failure whose message already says what is wrong and what to do: printed alone, no stack. */
class StartError extends Error {}

/** Every process we spawned and have not yet seen exit, in start order. */
const tracked = [];
let stopping = false;
let devServerChild = null;

function track(child, name) {
  child.name = name;
  tracked.push(child);
  child.once('exit', () => tracked.splice(tracked.indexOf(child), 1));
  return child;
}

const alive = (c) => c.exitCode === null && c.signalCode === null;

function terminate(child, graceMs) {
  return new Promise((resolve) => {
    if (!alive(child)) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Stops the API and drains the worker, then everything else we started; nothing is left running. */
async function stop(code) {
  if (stopping) return;
  stopping = true;
  if (tracked.length) log('stopping');
  const apps = tracked.filter((c) => c.name === 'api' || c.name === 'worker');
  await Promise.all(apps.map((c) => terminate(c, 30_000)));
  await Promise.all(tracked.filter((c) => c !== devServerChild).map((c) => terminate(c, 10_000)));
  if (devServerChild) await terminate(devServerChild, 10_000);
  process.exit(code);
}

/**
 * tsc --incremental still parses every file (about 30-50 s on this 2-core machine even with
 * nothing to do), so the build runs only when a source, tsconfig or the lock file is newer than
 * the last build's info file.
 */
function buildIsStale() {
  if (!fs.existsSync(BUILD_INFO)) return true;
  const built = fs.statSync(BUILD_INFO).mtimeMs;
  // The console (apps/console) is bundled by Vite, not tsc: scripts/build-console.js watches it.
  const inputs = ['apps', 'libs', 'workflows'].map((d) => newestMtime(path.join(ROOT, d), (file) => file === CONSOLE_SOURCE));
  for (const f of ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json']) inputs.push(fs.statSync(path.join(ROOT, f)).mtimeMs);
  return Math.max(...inputs) > built;
}

function run(name, command, args) {
  return new Promise((resolve, reject) => {
    const child = track(spawn(command, args, { cwd: ROOT, stdio: 'inherit' }), name);
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new StartError(`${name} failed (${signal || `exit ${code}`})`))));
  });
}

/** Fails with one line when something already listens on a port we are about to use. */
function ensurePortFree(port, variable) {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error) =>
      reject(
        new StartError(
          error.code === 'EADDRINUSE'
            ? `port ${port} (${variable}) is already in use; stop what listens there or set ${variable} to a free port`
            : `port ${port} (${variable}) cannot be used: ${error.message}`,
        ),
      ),
    );
    server.listen(port, '0.0.0.0', () => server.close(resolve));
  });
}

/** One line for a database that does not answer, naming DATABASE_URL without its password. */
function databaseError(database, error) {
  const reason = error.code === 'ECONNREFUSED' ? 'connection refused' : error.message.split('\n')[0];
  return new StartError(`PostgreSQL at DATABASE_URL=${database.describe} cannot be reached: ${reason}`);
}

/** Resolves once the child says over IPC that it is ready (the worker: polling; the API: listening). */
function readySignal(child) {
  return new Promise((resolve, reject) => {
    child.on('message', (message) => message && message.ready && resolve());
    child.once('exit', (code, signal) => reject(new StartError(`${child.name} exited during start-up (${signal || `exit ${code}`}); its last lines above say why`)));
  });
}

async function main() {
  process.on('SIGINT', () => void stop(130));
  process.on('SIGTERM', () => void stop(143));

  if (buildIsStale()) {
    log('building (sources changed since the last build)');
    await run('build', process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
  }
  if (stopping) return;
  if (consoleIsStale()) {
    log('building the console (apps/console changed since its last build)');
    await run('console build', process.execPath, [path.join(__dirname, 'build-console.js')]);
  }
  if (stopping) return;

  // Development: a generated secret and codec key (kept in .data/auth/) unless configured.
  const development = process.env.NODE_ENV !== 'production';
  if (development && !process.env.AUTH_JWT_SECRET && !process.env.AUTH_JWT_SECRET_FILE && !process.env.AUTH_JWKS_URL) {
    process.env.AUTH_JWT_SECRET = devJwtSecret();
    log('AUTH_JWT_SECRET not set: using the development secret in .data/auth/jwt-secret');
  }
  if (development && !process.env.ICP_CODEC_KEYS && !process.env.ICP_CODEC_KEYS_FILE) {
    process.env.ICP_CODEC_KEYS = devCodecKeys();
    log('ICP_CODEC_KEYS not set: Temporal payloads are encrypted with the development key in .data/auth/codec-keys');
  }
  const { loadConfig, ConfigError } = require(path.join(DIST, 'libs/config/src'));
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    throw error instanceof ConfigError ? new StartError(error.message) : error;
  }
  // Children read the same variables (TLS settings and *_FILE secrets included).
  const env = { ...process.env };
  await ensurePortFree(config.port, 'PORT');
  await ensurePortFree(config.observability.workerMetricsPort, 'ICP_WORKER_METRICS_PORT');
  if (!process.env.TEMPORAL_ADDRESS) {
    await ensurePortFree(config.devServer.port, 'TEMPORAL_DEV_PORT');
    await ensurePortFree(config.devServer.uiPort, 'TEMPORAL_UI_PORT');
  }

  const { migrate } = require(path.join(DIST, 'libs/persistence/src'));
  let applied;
  try {
    applied = await migrate(config.database);
  } catch (error) {
    throw databaseError(config.database, error);
  }
  log(`database ${new URL(config.databaseUrl).pathname.slice(1)} ready (${applied.length ? `applied ${applied.join(', ')}` : 'no pending migrations'})`);
  if (stopping) return;

  let devServer = null;
  const dataDir = config.devServer.dataDir ?? path.join(ROOT, '.data', 'temporal');
  if (!process.env.TEMPORAL_ADDRESS) {
    const { startDevServer } = require('./dev-server');
    devServer = await startDevServer({
      port: config.devServer.port,
      uiPort: config.devServer.uiPort,
      dbFile: path.join(dataDir, 'temporal.db'),
      logFile: path.join(dataDir, 'server.log'),
      onSpawn: (child) => (devServerChild = track(child, 'temporal')),
    });
    env.TEMPORAL_ADDRESS = devServer.address;
    log(`Temporal dev server on ${devServer.address} (pid ${devServer.pid}), data in ${dataDir.startsWith(ROOT + path.sep) ? path.relative(ROOT, dataDir) : dataDir}`);
  } else {
    log(`using Temporal at ${env.TEMPORAL_ADDRESS}`);
  }
  if (stopping) return;
  await checkSearchAttributes(env.TEMPORAL_ADDRESS, devServer ? {} : config.temporal, config.temporal.namespace, Boolean(devServer));
  if (stopping) return;

  const children = ['worker', 'api'].map((name) =>
    track(
      spawn(process.execPath, [...nodeArgs(name), path.join(DIST, `apps/${name}/src/main.js`)], {
        env,
        stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      }),
      name,
    ),
  );
  for (const c of children) {
    c.on('exit', (code, signal) => {
      if (!stopping) {
        log(`${c.name} exited (${signal || code}); stopping the rest`);
        void stop(code || 1);
      }
    });
  }
  await Promise.all(children.map(readySignal));

  const port = config.port;
  log(`API          http://127.0.0.1:${port}/v1/cases`);
  log(`Console      http://127.0.0.1:${port}/console/ (sign in with the officer token below)`);
  log(`OpenAPI      http://127.0.0.1:${port}/docs`);
  log(`Metrics      http://127.0.0.1:${port}/metrics (worker's Temporal SDK metrics: ${config.observability.workerMetricsPort ? `http://127.0.0.1:${config.observability.workerMetricsPort}/metrics` : 'off'})`);
  log(`Temporal UI  ${devServer ? devServer.uiUrl : '(the UI of the server at ' + env.TEMPORAL_ADDRESS + ')'}`);
  if (env.AUTH_JWT_SECRET && development) {
    const token = await mintToken({ secret: env.AUTH_JWT_SECRET, sub: 'officer.dev', role: 'officer', ttl: '8h' });
    log(`officer token (8 h): export TOKEN=${token}`);
    log('  curl -H "Authorization: Bearer $TOKEN" ...; other roles: npm run token -- --role applicant --sub anna --applicant-id APP-1');
  }
  if (development && process.env.AUTH_JWT_SECRET) {
    const token = await mintToken({ secret: process.env.AUTH_JWT_SECRET, sub: 'officer.dev', role: 'officer', ttl: '8h' });
    log(`officer token (8 h): export TOKEN=${token}`);
    log('  curl -H "Authorization: Bearer $TOKEN" ...; other roles: npm run token -- --role applicant --sub anna --applicant-id APP-1');
  }
  log('ready; Ctrl-C stops everything');
}

/**
 * The search attributes the case workflow sets: registered here when we run the dev server,
 * otherwise their absence stops the start with the command that registers them.
 */
async function checkSearchAttributes(address, secure, namespace, mayRegister) {
  const { Connection } = require('@temporalio/client');
  const ops = require(path.join(DIST, 'libs/temporal-ops/src'));
  let connection;
  try {
    // The same TLS / API key as the API and worker (TEMPORAL_TLS_*, TEMPORAL_API_KEY).
    connection = await Connection.connect({ address, tls: secure.tls, apiKey: secure.apiKey, connectTimeout: 5000 });
  } catch (error) {
    throw new StartError(`Temporal at TEMPORAL_ADDRESS=${address} cannot be reached: ${error.message.split('\n')[0]}`);
  }
  try {
    if (mayRegister) {
      const added = await ops.registerSearchAttributes(connection, address, namespace);
      if (added.length) log(`registered search attributes ${added.join(', ')}`);
      return;
    }
    const check = await ops.checkSearchAttributes(connection, address, namespace);
    if (check.missing.length) throw new StartError(ops.missingSearchAttributesMessage(check, namespace));
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  main().catch((error) => {
    if (stopping) return;
    console.error(`[start] cannot start: ${error instanceof StartError ? error.message : error.stack || error.message}`);
    void stop(1);
  });
}

module.exports = { buildIsStale };
