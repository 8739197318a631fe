import { caseBody } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';

describe('cases over HTTP (real Postgres, real Temporal)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('creates a case, reads it back and shows its creation event', async () => {
    const created = await h.http.post('/v1/cases').send(caseBody()).expect(201);
    expect(created.body).toMatchObject({ stage: 'PREPARING', version: 1, submissionProvince: 'CN-ZJ' });
    expect(created.body.reference).toMatch(/^ICP-\d{4}-\d{6}$/);

    const read = await h.http.get(`/v1/cases/${created.body.id}`).expect(200);
    expect(read.body).toEqual(created.body);

    const events = await h.http.get(`/v1/cases/${created.body.id}/events`).expect(200);
    expect(events.body.items).toEqual([
      expect.objectContaining({ seq: 1, type: 'case.created', actor: 'officer.zhang', fromStage: null, toStage: 'PREPARING' }),
    ]);
    const description = await h.temporal.workflow.getHandle(`Case:${created.body.id}`).describe();
    expect(description.status.name).toBe('RUNNING');
  });
});
