import { randomUUID } from 'node:crypto';
import { migrate } from '../libs/persistence/src';
import { caseApi, eventually } from './support/api';
import { caseBody } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';
import { startThrowawayPostgres, type ThrowawayPostgres } from './support/throwaway-postgres';

/**
 * A PostgreSQL outage, on a cluster this test starts and stops itself (never the machine's):
 * reads and creations answer 503 with Retry-After, readiness says what is down without the
 * driver's words, and the service recovers when the database is back.
 */
describe('a PostgreSQL outage', () => {
  let pg: ThrowawayPostgres;
  let h: Harness;
  let api: ReturnType<typeof caseApi>;
  beforeAll(async () => {
    pg = await startThrowawayPostgres();
    await migrate(pg.url);
    h = await startHarness({ DATABASE_URL: pg.url });
    api = caseApi(h);
  });
  afterAll(async () => {
    try {
      pg?.start();
    } catch {
      // already running
    }
    await h?.close();
    pg?.destroy();
  });

  it('answers 503 with Retry-After while the database is down, and recovers after', async () => {
    const body = caseBody();
    const { body: c } = await api.create(body).expect(201);
    pg.stop();
    try {
      for (const res of [await api.get(c.id), await h.http.get('/v1/cases'), await api.events(c.id)]) {
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toMatch(/^\d+$/);
        expect(res.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      }
      const key = randomUUID();
      const refused = await api.create(caseBody(), { 'Idempotency-Key': key });
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);

      const ready = await h.http.get('/health/ready').expect(503);
      expect(ready.body.checks.postgres).toEqual({ status: 'down', error: 'PostgreSQL did not answer' });
      const port = new URL(pg.url).port;
      expect(JSON.stringify(ready.body)).not.toMatch(new RegExp(`ECONNREFUSED|${port}|connect`));
    } finally {
      pg.start();
    }
    await eventually(() => api.get(c.id), (res) => res.status === 200);
    await h.http.get('/health/ready').expect(200);
  });
});
