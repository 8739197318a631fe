// The real Temporal server (v1.29.1, the version inside the dev server) on PostgreSQL, as
// organisations run it: built from Go modules once per machine into a cache (like the CLI),
// its schemas set up with its own SQL tool in databases of its own, configured from
// config/temporal-server/, started on free ports, with the namespace and the search attributes
// of config/search-attributes.json registered. Used by `npm run stack:cluster`, the cluster and
// TLS test suites (require it), and on the command line:
//
//   node scripts/temporal-server.js build                 build (or find) the binaries
//   node scripts/temporal-server.js start [--port 7233]    set up and run until Ctrl-C
//   node scripts/temporal-server.js drop <prefix>          drop the two databases of a run
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');

const ROOT = path.resolve(__dirname, '..');
const VERSION = 'v1.29.1';
const MODULE = 'go.temporal.io/server';
const SEARCH_ATTRIBUTES = require(path.join(ROOT, 'config', 'search-attributes.json'));
const log = (message) => console.log(`[temporal-server] ${message}`);

function cacheDir() {
  const root = process.env.ICP_TOOLS_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'icp-cases');
  return path.join(root, 'temporal-server', VERSION);
}

function goBinary() {
  if (process.env.GO) return process.env.GO;
  const found = spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).stdout.trim();
  return found || '/usr/local/go/bin/go';
}

function go(args, extraEnv = {}) {
  return spawnSync(goBinary(), args, { encoding: 'utf8', env: { ...process.env, ...extraEnv } });
}

function binaries() {
  const dir = cacheDir();
  return { server: path.join(dir, 'temporal-server'), sqlTool: path.join(dir, 'temporal-sql-tool') };
}

function works(bin) {
  return fs.existsSync(bin) && spawnSync(bin, ['--help'], { encoding: 'utf8' }).status === 0;
}

/** The module's source in the Go module cache (for the schema files); downloads it if needed. */
function moduleDir() {
  const modcache = go(['env', 'GOMODCACHE']).stdout.trim();
  const dir = path.join(modcache, `${MODULE}@${VERSION}`);
  if (!fs.existsSync(dir)) {
    const res = go(['mod', 'download', `${MODULE}@${VERSION}`]);
    if (res.status !== 0) throw new Error(`go mod download ${MODULE}@${VERSION} failed:\n${res.stderr}`);
  }
  return dir;
}

/**
 * A free port below 32768: the server stores membership ports in a `smallint` column, so the
 * kernel's ephemeral ports (what `listen(0)` gives) make it fail at start.
 */
async function freeLowPort() {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const free = await new Promise((resolve) => {
      const server = net.createServer();
      server.unref();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** `mkdir` as a lock so two processes (jest workers, a stack and a test) never build at once. */
async function withLock(dir, fn) {
  const lock = path.join(dir, '.lock');
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (age > 30 * 60_000) fs.rmSync(lock, { recursive: true, force: true }); // a build that died
      else await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function build(dest) {
  const staging = fs.mkdtempSync(path.join(cacheDir(), '.build-'));
  const started = Date.now();
  log(`building ${MODULE} ${VERSION} (server and SQL tool) from Go modules into ${cacheDir()} (about 5 minutes a binary on 2 cores, once per machine)`);
  return new Promise((resolve, reject) => {
    const child = spawn(goBinary(), ['install', `${MODULE}/cmd/server@${VERSION}`, `${MODULE}/cmd/tools/sql@${VERSION}`], {
      env: { ...process.env, CGO_ENABLED: '0', GOBIN: staging, GOFLAGS: '-mod=mod' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const beat = setInterval(() => log(`still building (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
    child.on('error', (error) => {
      clearInterval(beat);
      reject(new Error(`cannot run go: ${error.message}`));
    });
    child.on('exit', (code) => {
      clearInterval(beat);
      try {
        if (code !== 0) throw new Error(`go install of ${MODULE} ${VERSION} failed with exit code ${code}`);
        fs.renameSync(path.join(staging, 'sql'), dest.sqlTool);
        fs.renameSync(path.join(staging, 'server'), dest.server);
        log(`built in ${Math.round((Date.now() - started) / 1000)} s`);
        resolve();
      } catch (error) {
        reject(error);
      } finally {
        fs.rmSync(staging, { recursive: true, force: true });
      }
    });
  });
}

/** Answers the paths of the server and SQL tool binaries, building them first when not cached. */
async function ensureTemporalServer() {
  const bins = binaries();
  if (works(bins.server) && works(bins.sqlTool)) return bins;
  fs.mkdirSync(cacheDir(), { recursive: true });
  await withLock(cacheDir(), async () => {
    if (works(bins.server) && works(bins.sqlTool)) return;
    await build(bins);
  });
  return bins;
}

/** PostgreSQL the server's own databases live on: TEMPORAL_SERVER_DATABASE_URL, else the local server. */
function postgresTarget(url = process.env.TEMPORAL_SERVER_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres') {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 5432), user: decodeURIComponent(u.username || 'postgres'), password: decodeURIComponent(u.password) };
}

function sqlTool(bin, pg, db, args) {
  const res = spawnSync(bin, ['--plugin', 'postgres12', '--ep', pg.host, '-p', String(pg.port), '-u', pg.user, '--pw', pg.password, '--db', db, ...args], {
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`temporal-sql-tool ${args[0]} on ${db} failed:\n${res.stdout}\n${res.stderr}`);
}

/**
 * Creates the two databases (`<prefix>` and `<prefix>_visibility`) and applies the server's
 * schemas: `setup-schema -v 0.0` then `update-schema -d …/versioned`, as the server's docs say.
 * Databases that already hold the schema are brought up to date (update-schema is idempotent).
 */
async function setupSchemas({ prefix, pg = postgresTarget() }) {
  const { sqlTool: bin } = await ensureTemporalServer();
  const schemaRoot = path.join(moduleDir(), 'schema', 'postgresql', 'v12');
  const databases = { temporal: prefix, visibility: `${prefix}_visibility` };
  for (const [kind, db] of Object.entries(databases)) {
    const dir = path.join(schemaRoot, kind);
    const fresh = !databaseHasSchema(bin, pg, db);
    if (fresh) {
      sqlTool(bin, pg, db, ['create-database']);
      sqlTool(bin, pg, db, ['setup-schema', '-v', '0.0']);
    }
    sqlTool(bin, pg, db, ['update-schema', '-d', path.join(dir, 'versioned')]);
  }
  return databases;
}

function databaseHasSchema(bin, pg, db) {
  const psql = spawnSync('psql', ['-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', db, '-tAc', "SELECT to_regclass('schema_version') IS NOT NULL"], {
    encoding: 'utf8',
    env: { ...process.env, PGPASSWORD: pg.password },
  });
  return psql.status === 0 && psql.stdout.trim() === 't';
}

/** Drops the databases of a run (tests use a unique prefix per run). */
async function dropDatabases({ prefix, pg = postgresTarget() }) {
  for (const db of [prefix, `${prefix}_visibility`]) {
    const res = spawnSync('psql', ['-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', 'postgres', '-c', `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`], {
      encoding: 'utf8',
      env: { ...process.env, PGPASSWORD: pg.password },
    });
    if (res.status !== 0) throw new Error(`dropping ${db} failed: ${res.stderr}`);
  }
}

function yamlList(files) {
  return files.map((f) => `\n          - "${f}"`).join('');
}

/**
 * The `global.tls` block: the frontend serves TLS with `certFile`/`keyFile`; with `clientCaFile`
 * it requires client certificates signed by that CA (mutual TLS). The server's own system worker
 * connects to its frontend like any client, so it gets the `systemWorker` certificate.
 */
function tlsBlock(tls) {
  if (!tls) return '';
  const mutual = Boolean(tls.clientCaFile);
  const lines = [
    '  tls:',
    '    frontend:',
    '      server:',
    `        certFile: "${tls.certFile}"`,
    `        keyFile: "${tls.keyFile}"`,
    `        requireClientAuth: ${mutual}`,
  ];
  if (mutual) lines.push(`        clientCaFiles:${yamlList([tls.clientCaFile])}`);
  lines.push('      client:', `        serverName: "${tls.serverName || 'localhost'}"`, `        rootCaFiles:${yamlList([tls.caFile])}`);
  lines.push('    systemWorker:');
  if (mutual) lines.push(`      certFile: "${tls.workerCertFile}"`, `      keyFile: "${tls.workerKeyFile}"`);
  lines.push('      client:', `        serverName: "${tls.serverName || 'localhost'}"`, `        rootCaFiles:${yamlList([tls.caFile])}`);
  return lines.join('\n');
}

async function writeConfig(dir, values) {
  const configDir = path.join(dir, 'config');
  fs.mkdirSync(configDir, { recursive: true });
  const template = fs.readFileSync(path.join(ROOT, 'config', 'temporal-server', 'development.yaml'), 'utf8');
  const text = template.replace(/\{\{([A-Z_]+)\}\}/g, (_, name) => {
    if (!(name in values)) throw new Error(`config/temporal-server/development.yaml: no value for {{${name}}}`);
    return String(values[name]);
  });
  fs.writeFileSync(path.join(configDir, 'development.yaml'), text);
  fs.copyFileSync(path.join(ROOT, 'config', 'temporal-server', 'dynamicconfig.yaml'), path.join(configDir, 'dynamicconfig.yaml'));
}

/** Options for @temporalio/client's Connection to this server (TLS/mTLS when it serves TLS). */
function connectionOptions(address, clientTls) {
  if (!clientTls) return { address };
  const read = (f) => (f ? fs.readFileSync(f) : undefined);
  return {
    address,
    tls: {
      serverNameOverride: clientTls.serverName,
      serverRootCACertificate: read(clientTls.caFile),
      clientCertPair: clientTls.certFile ? { crt: read(clientTls.certFile), key: read(clientTls.keyFile) } : undefined,
    },
  };
}

async function waitUntilServing(options, child, output, timeoutMs) {
  const { Connection } = require('@temporalio/client');
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`temporal server exited with code ${child.exitCode}:\n${output().slice(-4000)}`);
    try {
      const connection = await Connection.connect({ ...options, connectTimeout: 2000 });
      try {
        await connection.withDeadline(Date.now() + 3000, () => connection.healthService.check({ service: 'temporal.api.workflowservice.v1.WorkflowService' }));
        await connection.withDeadline(Date.now() + 3000, () => connection.workflowService.getSystemInfo({}));
        return connection;
      } catch (error) {
        await connection.close();
        throw error;
      }
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`temporal server did not answer on ${options.address} within ${timeoutMs} ms: ${lastError && lastError.message}`);
}

/** Registers the namespace (if missing) and the search attributes (if missing), then waits until both are visible. */
async function registerNamespace(connection, namespace) {
  const { status } = require('@grpc/grpc-js');
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch (error) {
    if (error.code !== status.NOT_FOUND) throw error;
    await connection.workflowService
      .registerNamespace({ namespace, workflowExecutionRetentionPeriod: { seconds: 3 * 24 * 3600 } })
      .catch((e) => {
        if (e.code !== status.ALREADY_EXISTS) throw e;
      });
  }
  const { temporal } = require('@temporalio/proto');
  const types = temporal.api.enums.v1.IndexedValueType;
  const wanted = Object.fromEntries(Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => [name, types[`INDEXED_VALUE_TYPE_${type.toUpperCase()}`]]));
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      const missing = Object.keys(wanted).filter((name) => !(name in customAttributes));
      if (missing.length === 0) break;
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((name) => [name, wanted[name]])),
      });
    } catch (error) {
      // The namespace is not in every service's cache yet right after registration.
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/**
 * Starts the server. `dir` holds its config and log (a temp dir unless given); `prefix` names
 * its databases (unique per run unless given); `port` its frontend (free unless given); `tls`
 * ({certFile, keyFile, caFile, clientCaFile, workerCertFile, workerKeyFile, serverName}) makes
 * its frontend serve TLS, mutual when `clientCaFile` is set; `clientTls` ({caFile, certFile,
 * keyFile, serverName}) is how this function itself connects then. Answers `{address,
 * httpAddress, prefix, dir, pid, stop(), drop()}`.
 */
async function startTemporalServer(options = {}) {
  const { server } = await ensureTemporalServer();
  const pg = options.pg || postgresTarget();
  const prefix = options.prefix || `temporal_run_${process.pid}_${Date.now().toString(36)}`;
  const dir = options.dir || fs.mkdtempSync(path.join(os.tmpdir(), 'icp-temporal-server-'));
  const namespace = options.namespace || 'default';
  const databases = await setupSchemas({ prefix, pg });
  const ports = {};
  for (const name of ['FRONTEND', 'FRONTEND_HTTP', 'FRONTEND_MEMBERSHIP', 'HISTORY', 'HISTORY_MEMBERSHIP', 'MATCHING', 'MATCHING_MEMBERSHIP', 'WORKER', 'WORKER_MEMBERSHIP']) {
    ports[`${name}_PORT`] = name === 'FRONTEND' && options.port ? options.port : await freeLowPort();
  }
  await writeConfig(dir, {
    ...ports,
    LOG_LEVEL: options.logLevel || 'warn',
    HISTORY_SHARDS: options.historyShards || 4,
    DB_TEMPORAL: databases.temporal,
    DB_VISIBILITY: databases.visibility,
    PG_ADDRESS: `${pg.host}:${pg.port}`,
    PG_USER: pg.user,
    PG_PASSWORD: pg.password,
    TLS: tlsBlock(options.tls),
  });
  const logFile = options.logFile || path.join(dir, 'server.log');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(server, ['--root', dir, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'], {
    stdio: ['ignore', out, out],
    cwd: dir, // the dynamic config path in the config is relative
  });
  fs.closeSync(out);
  const address = `127.0.0.1:${ports.FRONTEND_PORT}`;
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  const output = () => fs.readFileSync(logFile, 'utf8');
  try {
    const connection = await waitUntilServing(connectionOptions(address, options.clientTls), child, output, options.startTimeoutMs || 120_000);
    try {
      await registerNamespace(connection, namespace);
    } finally {
      await connection.close();
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    address,
    httpAddress: `127.0.0.1:${ports.FRONTEND_HTTP_PORT}`,
    namespace,
    prefix,
    databases,
    dir,
    logFile,
    pid: child.pid,
    child,
    stop,
    drop: () => dropDatabases({ prefix, pg }),
  };
}

module.exports = { ensureTemporalServer, setupSchemas, startTemporalServer, dropDatabases, connectionOptions, VERSION };

if (require.main === module) {
  const [command = 'start', ...rest] = process.argv.slice(2);
  const arg = (name) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const run = async () => {
    if (command === 'build') {
      const bins = await ensureTemporalServer();
      log(`server ${bins.server}`);
      log(`sql tool ${bins.sqlTool}`);
    } else if (command === 'drop') {
      if (!rest[0]) throw new Error('usage: temporal-server.js drop <prefix>');
      await dropDatabases({ prefix: rest[0] });
    } else if (command === 'start') {
      const dir = path.join(ROOT, '.data', 'temporal-server');
      const server = await startTemporalServer({
        dir,
        prefix: arg('prefix') || 'temporal',
        port: Number(arg('port') || process.env.TEMPORAL_SERVER_PORT || 7233),
        logLevel: 'info',
      });
      log(`serving on ${server.address} (namespace ${server.namespace}; databases ${server.databases.temporal}, ${server.databases.visibility}); log ${server.logFile}; Ctrl-C stops it`);
      const stop = () => server.stop().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    } else {
      throw new Error(`unknown command ${command} (build | start | drop)`);
    }
  };
  run().catch((error) => {
    console.error(`[temporal-server] ${error.stack || error.message}`);
    process.exit(1);
  });
}
