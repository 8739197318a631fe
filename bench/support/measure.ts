import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  perSecond: number;
  errors: number;
}

const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
const round = (x: number) => Math.round(x * 10) / 10;

export function stats(samples: number[], wallMs: number, errors = 0): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: samples.length,
    p50: round(quantile(sorted, 0.5)),
    p95: round(quantile(sorted, 0.95)),
    p99: round(quantile(sorted, 0.99)),
    perSecond: round((samples.length / wallMs) * 1000),
    errors,
  };
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

/** Closed loop: `concurrency` callers, each calling `op(worker, i)` back to back for `ms`. */
export async function closedLoop(concurrency: number, ms: number, op: (worker: number, i: number) => Promise<void>): Promise<Stats> {
  const samples: number[] = [];
  let errors = 0;
  const start = now();
  const end = start + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = 0; now() < end; i++) {
        const t = now();
        try {
          await op(w, i);
          samples.push(now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  return stats(samples, now() - start, errors);
}

/**
 * Open loop: sends at a fixed rate whatever the answers do; latency counts from the scheduled
 * send time, so a server that falls behind shows its queue (no coordinated omission).
 */
export async function openLoop(rate: number, ms: number, op: (i: number) => Promise<void>): Promise<Stats> {
  const samples: number[] = [];
  let errors = 0;
  const start = now();
  const total = Math.floor((rate * ms) / 1000);
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const scheduled = start + (i * 1000) / rate;
    const wait = scheduled - now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      op(i).then(
        () => void samples.push(now() - scheduled),
        () => void errors++,
      ),
    );
  }
  await Promise.all(pending);
  return stats(samples, ms, errors);
}

/** Resident set size of a process, in MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  if (!existsSync(`/proc/${pid}/status`)) return NaN; // the process is gone (the table says so)
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return line ? Math.round(Number(line[1]) / 1024) : NaN;
}

/** The most the process has held (VmHWM): what a container's memory limit has to allow. */
export function peakRssMiB(pid: number): number {
  if (!existsSync(`/proc/${pid}/status`)) return NaN;
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
  return line ? Math.round(Number(line[1]) / 1024) : NaN;
}

/** The pid of the Temporal dev server listening on `port` (found by its command line). */
export function temporalPid(port: string): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(join('/proc', entry, 'cmdline'), 'utf8').split('\0');
      if (cmd.some((c) => /temporal/.test(c)) && cmd.includes('server') && cmd.includes(port)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Runs a built entry point (dist/) as its own process, as `npm start` does. */
export function runNode(script: string, env: Record<string, string>, nodeArgs: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeArgs, script], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => process.env.BENCH_LOG && process.stderr.write(d));
  return child;
}

export async function waitFor(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}
