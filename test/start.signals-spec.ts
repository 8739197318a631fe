import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { freePort } = require('../scripts/dev-server') as typeof import('../scripts/dev-server');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildIsStale } = require('../scripts/start') as { buildIsStale(): boolean };

/**
 * `npm start` (scripts/start.js) signalled at several moments of its start-up and once ready:
 * every process it started (tsc, the Temporal dev server, worker, API) is gone afterwards.
 * Slow (a dev server and two Node processes per run), so it runs with `npm run test:start`.
 */
const ROOT = resolve(__dirname, '..');

/** pid → start time (field 22 of /proc/pid/stat), so a reused pid is not mistaken for ours. */
function processTable(): Map<number, { ppid: number; start: string; cmd: string }> {
  const table = new Map<number, { ppid: number; start: string; cmd: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(entry), { ppid: Number(fields[1]), start: fields[19], cmd: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) });
    } catch {
      // exited while we looked
    }
  }
  return table;
}

/** Records every descendant of `root` while it runs. */
function watchDescendants(root: number) {
  const seen = new Map<number, { start: string; cmd: string }>();
  const sample = () => {
    const table = processTable();
    const family = new Set([root]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [pid, p] of table) {
        if (family.has(p.ppid) && !family.has(pid)) {
          family.add(pid);
          seen.set(pid, { start: p.start, cmd: p.cmd });
          grew = true;
        }
      }
    }
  };
  const timer = setInterval(sample, 50);
  return {
    seen,
    stop() {
      clearInterval(timer);
    },
    /** Descendants we saw that still run (same pid and start time). */
    survivors() {
      const table = processTable();
      return [...seen].filter(([pid, p]) => table.get(pid)?.start === p.start).map(([pid, p]) => `${pid} ${p.cmd}`);
    },
  };
}

interface Run {
  child: ChildProcess;
  output: () => string;
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

async function startOnUnusualPorts(dataDir: string): Promise<Run> {
  const [port, devPort, uiPort, metricsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    TEMPORAL_DEV_PORT: String(devPort),
    TEMPORAL_UI_PORT: String(uiPort),
    ICP_WORKER_METRICS_PORT: String(metricsPort),
    ICP_TEMPORAL_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
  delete env.TEMPORAL_ADDRESS; // its own dev server, the riskiest child
  const child = spawn(process.execPath, [join(ROOT, 'scripts/start.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    output: () => text,
    exited,
    async waitFor(needle, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (!text.includes(needle)) {
        if (child.exitCode !== null) throw new Error(`start.js exited before "${needle}":\n${text}`);
        if (Date.now() > deadline) throw new Error(`no "${needle}" within ${timeoutMs} ms:\n${text}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

describe('npm start stopped by a signal', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'icp-start-'));
    // Build once here, so the moments below are moments of the start-up and not of the build.
    if (buildIsStale()) {
      const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
      expect(build.status).toBe(0);
    }
  }, 600_000);

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const moments: [string, NodeJS.Signals, (run: Run) => Promise<void>][] = [
    ['at once (configuration, migrations)', 'SIGTERM', async () => undefined],
    ['while the dev server starts', 'SIGTERM', (run) => run.waitFor('[start] database')],
    ['while the worker and the API start', 'SIGINT', (run) => run.waitFor('[start] Temporal dev server on')],
    ['once ready', 'SIGTERM', (run) => run.waitFor('[start] ready')],
  ];

  it.each(moments)('%s (%s) leaves no process behind', async (_moment, signal, reach) => {
    const run = await startOnUnusualPorts(dataDir);
    const watch = watchDescendants(run.child.pid!);
    try {
      await reach(run);
      await new Promise((r) => setTimeout(r, 200)); // let the next child be spawned
      run.child.kill(signal);
      await run.exited;
      await new Promise((r) => setTimeout(r, 200));
      expect(watch.survivors()).toEqual([]);
    } finally {
      watch.stop();
      for (const [pid] of watch.seen) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone, as it should be
        }
      }
      run.child.kill('SIGKILL');
    }
  }, 180_000);
});
