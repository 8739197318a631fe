import { caseApi } from './support/api';
import { caseBody } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';

/**
 * Admission control (ICP_API_MAX_IN_FLIGHT): past the bound of workflow calls in flight, a change
 * is refused at once with 503 and Retry-After, and the refused change is never applied.
 */
describe('admission control', () => {
  const LIMIT = 2;
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ICP_API_MAX_IN_FLIGHT: String(LIMIT), ICP_ENFORCE_DOCUMENTS: 'false', ICP_UPDATE_TIMEOUT: '60s' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses changes beyond the bound with 503 + Retry-After, and does not apply them', async () => {
    const api = caseApi(h);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await api.create(caseBody()).expect(201)).body.id as string);

    // Without a worker no admitted change can finish: exactly LIMIT are admitted, the rest refused.
    await h.stopWorker();
    const pending = ids.map((id, i) => api.act(id, 'assign', { assignee: `officer.${i}` }).then((res) => ({ id, i, res })));
    const settled: { id: string; i: number; res: { status: number; headers: Record<string, string>; body: { code?: string } } }[] = [];
    const refusedFirst = await new Promise<typeof settled>((resolve) => {
      for (const p of pending)
        void p.then((r) => {
          settled.push(r);
          if (settled.length === ids.length - LIMIT) resolve([...settled]);
        });
    });
    expect(refusedFirst.map((r) => r.res.status)).toEqual(Array(ids.length - LIMIT).fill(503));
    for (const { res } of refusedFirst) {
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { maxInFlight: LIMIT } });
    }

    // The worker comes back: the admitted ones are applied and answered 200.
    await h.startWorker();
    const all = await Promise.all(pending);
    const admitted = all.filter((r) => !refusedFirst.some((x) => x.id === r.id));
    expect(admitted.map((r) => r.res.status)).toEqual(Array(LIMIT).fill(200));

    for (const { id, i, res } of all) {
      const { body } = await api.get(id).expect(200);
      const { body: events } = await api.events(id).expect(200);
      const assigned = (events.items as { type: string; data: unknown }[]).filter((e) => JSON.stringify(e.data ?? '').includes(`officer.${i}`));
      if (res.status === 200) {
        expect(body.assignee).toBe(`officer.${i}`);
        expect(assigned).toHaveLength(1);
      } else {
        expect(body.assignee).not.toBe(`officer.${i}`);
        expect(assigned).toHaveLength(0);
      }
    }
    // Once the calls in flight are answered, changes are admitted again.
    await api.act(refusedFirst[0].id, 'assign', { assignee: 'officer.after' }).expect(200);
  }, 120_000);
});
