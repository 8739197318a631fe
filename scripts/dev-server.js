// Runs `temporal server start-dev` (SQLite-backed, with the Web UI unless headless) and waits
// until it answers. Used by `npm start` and by the test run.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { ensureTemporalCli, ROOT } = require('./temporal-cli');

const SEARCH_ATTRIBUTES = require(path.join(ROOT, 'config', 'search-attributes.json'));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(address, child, timeoutMs) {
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const { Connection } = require('@temporalio/client');
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`temporal dev server exited (${child.signalCode || child.exitCode}) before it answered`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`temporal dev server did not answer on ${address} within ${timeoutMs} ms: ${lastError && lastError.message}`);
}

/**
 * Starts a dev server. `dbFile` keeps state across runs (omit it for an in-memory server);
 * `port: 0` picks a free port. `onSpawn(child)` sees the process as soon as it exists, so a caller
 * stopping during start-up can stop it too. Answers `{address, uiUrl, stop()}`.
 */
async function startDevServer({ port = 7233, uiPort, dbFile, headless = false, logFile, onSpawn } = {}) {
  const bin = await ensureTemporalCli();
  const grpcPort = port || (await freePort());
  const ui = headless ? null : uiPort || grpcPort + 1000;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(grpcPort), '--log-level', 'warn'];
  args.push(...(headless ? ['--headless'] : ['--ui-port', String(ui)]));
  if (dbFile) {
    fs.mkdirSync(path.dirname(dbFile), { recursive: true });
    args.push('--db-filename', dbFile);
  }
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
  if (logFile) fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
  const child = spawn(bin, args, { stdio: ['ignore', out, out] });
  if (typeof out === 'number') fs.closeSync(out);
  if (onSpawn) onSpawn(child);
  const address = `127.0.0.1:${grpcPort}`;
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  try {
    await waitUntilServing(address, child, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, uiUrl: ui ? `http://127.0.0.1:${ui}` : null, pid: child.pid, child, stop };
}

module.exports = { startDevServer, freePort };
