// The production topology on one machine: the real Temporal server on PostgreSQL
// (scripts/temporal-server.js), two API and two worker processes of the built service (dist/),
// and one port in front of the APIs (scripts/cluster-proxy.js). `npm run stack:cluster` runs
// it until Ctrl-C; test/cluster/*.cluster-spec.ts start it with `startCluster()`.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePort } = require('./dev-server');
const { startTemporalServer } = require('./temporal-server');
const { startProxy } = require('./cluster-proxy');
const { nodeArgs } = require('./node-args');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');

async function waitReady(url, child, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${child.name} exited during start-up (${child.signalCode || child.exitCode}); see ${child.logFile}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs} ms`);
}

/**
 * Resolves when the worker says over IPC that it polls its task queue (apps/worker/src/main.ts
 * sends `{ ready: true }`); rejects when it exits first, naming its log.
 */
function waitPolling(child, timeoutMs = 180_000) {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`${child.name} exited during start-up (${child.signalCode || child.exitCode}); see ${child.logFile}`));
    const timer = setTimeout(() => done(new Error(`${child.name} did not poll its task queue within ${timeoutMs} ms; see ${child.logFile}`)), timeoutMs);
    const onMessage = (message) => message && message.ready && done();
    const onExit = (code, signal) => done(new Error(`${child.name} exited during start-up (${signal || code}); see ${child.logFile}`));
    function done(error) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

function stopChild(child, graceMs = 30_000) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts the stack. Options: `apis`, `workers` (2 each), `env` (extra variables for the service
 * processes), `dir` (logs and config; a temp dir unless given), `databaseUrl` (the service's
 * database; a fresh `icp_cases_cluster_*` unless given), `temporalPrefix`, `port` (the proxy's),
 * `temporalPort`, `log`. Answers handles to every part and `stop()`.
 */
async function startCluster(options = {}) {
  const log = options.log || (() => {});
  const dir = options.dir || fs.mkdtempSync(path.join(os.tmpdir(), 'icp-cluster-'));
  fs.mkdirSync(dir, { recursive: true });
  const { postgresConnection } = require(path.join(DIST, 'libs/config/src'));
  const { migrate } = require(path.join(DIST, 'libs/persistence/src'));
  const stamp = `${process.pid}_${Date.now().toString(36)}`;
  const databaseUrl = options.databaseUrl || (() => {
    const u = new URL(postgresConnection(process.env).url);
    u.pathname = `/icp_cases_cluster_${stamp}`;
    return u.toString();
  })();
  const started = Date.now();

  const temporal = await startTemporalServer({
    dir: path.join(dir, 'temporal'),
    prefix: options.temporalPrefix || `temporal_cluster_${stamp}`,
    port: options.temporalPort,
    logLevel: options.temporalLogLevel,
  });
  log(`Temporal server ${temporal.address} (pid ${temporal.pid}, databases ${temporal.databases.temporal}, ${temporal.databases.visibility}) in ${Math.round((Date.now() - started) / 1000)} s`);
  const processes = [];
  let proxy;
  const cluster = {
    dir,
    temporal,
    databaseUrl,
    processes,
    get proxy() {
      return proxy;
    },
    /** Stops the proxy, the APIs, drains the workers, then the server; `drop` also removes the databases. */
    async stop({ drop = false } = {}) {
      await proxy?.close();
      await Promise.all(processes.filter((p) => p.role === 'api').map((p) => stopChild(p.child)));
      await Promise.all(processes.filter((p) => p.role === 'worker').map((p) => stopChild(p.child)));
      await temporal.stop();
      if (drop) {
        await temporal.drop();
        const { Client } = require('pg');
        const admin = new URL(databaseUrl);
        const name = admin.pathname.slice(1);
        admin.pathname = '/postgres';
        const client = new Client({ connectionString: admin.toString() });
        await client.connect();
        try {
          await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await client.end();
        }
      }
    },
  };
  try {
    const applied = await migrate(databaseUrl);
    log(`database ${new URL(databaseUrl).pathname.slice(1)} migrated (${applied.length} migrations)`);

    let bundle = options.env?.ICP_WORKFLOW_BUNDLE || process.env.ICP_WORKFLOW_BUNDLE;
    if (!bundle) {
      // One bundle for every worker instead of each bundling the workflow code at start.
      // Bundled as the worker bundles it: the same bundler options and workflow interceptor modules.
      const { bundleWorkflowCode } = require('@temporalio/worker');
      const { workflowBundlerOptions } = require(path.join(DIST, 'apps/worker/src/workflow-bundle'));
      const { WORKFLOW_INTERCEPTOR_MODULES } = require(path.join(DIST, 'apps/worker/src/temporal-worker.service'));
      const { code } = await bundleWorkflowCode({
        ...workflowBundlerOptions,
        workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
        workflowsPath: path.join(DIST, 'workflows/src'),
        logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
      });
      bundle = path.join(dir, 'workflow-bundle.js');
      fs.writeFileSync(bundle, code);
    }
    const env = {
      ...process.env,
      ...options.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      ICP_WORKFLOW_BUNDLE: bundle,
    };
    const spawnService = (role, index, extraEnv) => {
      const name = `${role}-${index + 1}`;
      const logFile = path.join(dir, `${name}.log`);
      const out = fs.openSync(logFile, 'a');
      const child = spawn(process.execPath, [...nodeArgs(role), path.join(DIST, `apps/${role}/src/main.js`)], {
        env: { ...env, ...extraEnv },
        // IPC: a worker says when it polls (as under `npm start`).
        stdio: ['ignore', out, out, 'ipc'],
      });
      fs.closeSync(out);
      child.name = name;
      child.logFile = logFile;
      const entry = { name, role, child, logFile, ...(extraEnv.PORT ? { url: `http://127.0.0.1:${extraEnv.PORT}` } : {}) };
      processes.push(entry);
      return entry;
    };
    // Each worker its own port for its Prometheus endpoint: on one machine they would all take
    // the default 9464, and the Temporal runtime of every worker but the first would refuse to
    // start ("Address already in use"). Unless the caller chose (0 turns the endpoint off).
    const metricsPort = async () => (options.env?.ICP_WORKER_METRICS_PORT !== undefined ? options.env.ICP_WORKER_METRICS_PORT : String(await freePort()));
    const workers = [];
    for (let i = 0; i < (options.workers ?? 2); i++) {
      const port = await metricsPort();
      workers.push(spawnService('worker', i, { ICP_WORKER_METRICS_PORT: port }));
      workers[i].metricsUrl = port !== '0' ? `http://127.0.0.1:${port}/metrics` : undefined;
    }
    const apis = [];
    for (let i = 0; i < (options.apis ?? 2); i++) apis.push(spawnService('api', i, { PORT: String(await freePort()) }));
    await Promise.all([...apis.map((a) => waitReady(`${a.url}/health/ready`, a.child)), ...workers.map((w) => waitPolling(w.child))]);
    proxy = await startProxy({ port: options.port || 0, backends: apis.map((a) => a.url), log: (m) => log(`proxy: ${m}`) });
    await proxy.waitHealthy(apis.length);
    log(`stack ready in ${Math.round((Date.now() - started) / 1000)} s`);
    return cluster;
  } catch (error) {
    await cluster.stop({ drop: !options.databaseUrl }).catch(() => undefined);
    throw error;
  }
}

module.exports = { startCluster, stopChild };

if (require.main === module) {
  const say = (m) => console.log(`[cluster] ${m}`);
  let cluster;
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    say('stopping: proxy and APIs, then the workers (drained), then the Temporal server');
    await cluster?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  const dir = path.join(ROOT, '.data', 'cluster');
  fs.rmSync(dir, { recursive: true, force: true });
  startCluster({
    dir,
    port: Number(process.env.PORT || 3000),
    temporalPort: Number(process.env.TEMPORAL_SERVER_PORT || 7233),
    temporalPrefix: process.env.TEMPORAL_SERVER_DB_PREFIX || 'temporal_icp',
    databaseUrl: require(path.join(DIST, 'libs/config/src')).postgresConnection(process.env).url,
    temporalLogLevel: 'info',
    log: say,
  }).then(
    (c) => {
      cluster = c;
      say(`API (proxy)  ${c.proxy.url}/v1/cases   round robin over ${c.processes.filter((p) => p.role === 'api').map((p) => p.url).join(', ')}`);
      say(`OpenAPI      ${c.proxy.url}/docs`);
      say(`Temporal     ${c.temporal.address} (namespace ${c.temporal.namespace}; HTTP ${c.temporal.httpAddress}); its log ${c.temporal.logFile}`);
      for (const p of c.processes) say(`${p.name.padEnd(12)} pid ${p.child.pid}, log ${p.logFile}${p.metricsUrl ? `, metrics ${p.metricsUrl}` : ''}`);
      say('ready; Ctrl-C stops everything');
      for (const p of c.processes) {
        p.child.on('exit', (code, signal) => {
          if (!stopping) say(`${p.name} exited (${signal || code}); the others go on (the proxy skips a dead API)`);
        });
      }
    },
    (error) => {
      console.error(`[cluster] ${error.stack || error.message}`);
      process.exit(1);
    },
  );
}
