import { caseApi } from '../test/support/api';
import { caseBody } from '../test/support/fixtures';
import { startHarness, type Harness } from '../test/support/harness';

/**
 * Round trip of a transition over HTTP (API → Temporal update → validator → handler → projection
 * activity → answer), on the real dev server and Postgres. `npm run bench`.
 */
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

function report(name: string, samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  console.log(
    `${name.padEnd(34)} n=${samples.length} p50=${quantile(sorted, 0.5).toFixed(1)}ms p95=${quantile(sorted, 0.95).toFixed(1)}ms ` +
      `p99=${quantile(sorted, 0.99).toFixed(1)}ms mean=${mean.toFixed(1)}ms`,
  );
}

describe('transition round trip', () => {
  let h: Harness;
  beforeAll(async () => {
    // Documents are measured in upload.bench.ts; here the lifecycle's own transitions.
    h = await startHarness({ ICP_ENFORCE_DOCUMENTS: 'false' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('measures create, transitions, rejected transitions and reads', async () => {
    const api = caseApi(h);
    const time = async (fn: () => Promise<unknown>) => {
      const t = process.hrtime.bigint();
      await fn();
      return Number(process.hrtime.bigint() - t) / 1e6;
    };
    // Warm-up: bundle caches, connections, JIT.
    for (let i = 0; i < 5; i++) await api.create(caseBody()).expect(201);

    const create: number[] = [];
    const transitions: number[] = [];
    const rejected: number[] = [];
    const reads: number[] = [];
    for (let i = 0; i < 60; i++) {
      let id = '';
      create.push(await time(async () => (id = (await api.create(caseBody()).expect(201)).body.id)));
      transitions.push(await time(() => api.act(id, 'assign', { assignee: 'officer.li' }).expect(200)));
      transitions.push(await time(() => api.act(id, 'submit').expect(200)));
      transitions.push(await time(() => api.act(id, 'initial-review', { decision: 'APPROVED' }).expect(200)));
      transitions.push(await time(() => api.act(id, 'sms-verification').expect(200)));
      rejected.push(await time(() => api.act(id, 'submit').expect(409)));
      reads.push(await time(() => api.get(id).expect(200)));
    }
    report('POST /v1/cases (update-with-start)', create);
    report('transition (200)', transitions);
    report('rejected transition (409)', rejected);
    report('GET /v1/cases/{id}', reads);

    // Concurrency: 20 officers acting on 20 different cases at once.
    const ids = await Promise.all(Array.from({ length: 20 }, async () => (await api.create(caseBody()).expect(201)).body.id as string));
    const started = process.hrtime.bigint();
    const concurrent = await Promise.all(ids.map((id) => time(() => api.act(id, 'assign', { assignee: 'officer.wu' }).expect(200))));
    const wall = Number(process.hrtime.bigint() - started) / 1e6;
    report('transition, 20 concurrent', concurrent);
    console.log(`20 concurrent transitions took ${wall.toFixed(0)}ms wall: ${((20 / wall) * 1000).toFixed(0)} transitions/s`);
  }, 300_000);
});
