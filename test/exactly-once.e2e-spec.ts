import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { Client } from 'pg';
import { requestHash } from '../apps/api/src/common/idempotency.interceptor';
import { dataSourceOptions, IdempotencyRepository } from '../libs/persistence/src';
import { DataSource } from 'typeorm';
import { caseApi, eventually } from './support/api';
import { PDF } from './support/files';
import { caseBody } from './support/fixtures';
import { DEFAULT_OFFICER, startHarness, type Harness } from './support/harness';

/**
 * Issue 8: what a 503 means ("not applied, or applied exactly once when you retry with the same
 * Idempotency-Key"), and that the documents table follows the workflow, with the worker really
 * stopped and started again, on the run's real Temporal server and database.
 */
describe('exactly once, whatever fails', () => {
  let h: Harness;
  let api: ReturnType<typeof caseApi>;
  let db: Client;
  beforeAll(async () => {
    // Documents not enforced: a submission needs no uploads here. A short lease for the stuck key.
    h = await startHarness({ ICP_UPDATE_TIMEOUT: '2s', ICP_ENFORCE_DOCUMENTS: 'false', ICP_IDEMPOTENCY_LEASE: '2s' });
    api = caseApi(h);
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await h?.close();
  });
  afterEach(async () => {
    await h.startWorker();
  });

  const eventTypes = async (caseId: string): Promise<string[]> =>
    ((await api.events(caseId).expect(200)).body.items as { type: string }[]).map((e) => e.type);
  const count = (types: string[], type: string) => types.filter((t) => t === type).length;
  /** Retries with the same key, as a client would, until the answer is not a 503. */
  const retryUntilAnswered = <R extends { status: number }>(send: () => Promise<R>) =>
    eventually(send, (res) => res.status !== 503, 60_000);
  /**
   * Set-up steps, sent as a careful client would: with a key, retried while 503 (a worker just
   * started again may take longer than the short ICP_UPDATE_TIMEOUT to pick up its first tasks).
   */
  const newCase = async (body: object = caseBody()) => {
    const key = randomUUID();
    const res = await retryUntilAnswered(() => api.create(body, { 'Idempotency-Key': key }));
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };
  const newDocument = async (caseId: string, file: Buffer) => {
    const key = randomUUID();
    const res = await retryUntilAnswered(() => upload(caseId, file, key));
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };
  const upload = (caseId: string, file: Buffer, key?: string) => {
    const req = h.http.post(`/v1/cases/${caseId}/documents`).set('X-Actor', 'applicant');
    if (key) void req.set('Idempotency-Key', key);
    return req.field('type', 'ENTITY_CERTIFICATE').attach('file', file, 'certificate.pdf');
  };

  it('a creation answered 503 while the worker is down becomes exactly one case when retried with the same key', async () => {
    await h.stopWorker();
    const body = caseBody();
    const key = randomUUID();
    const first = await api.create(body, { 'Idempotency-Key': key }).expect(503);
    expect(first.headers['retry-after']).toBeDefined();
    expect(first.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringContaining('not known to be applied') });
    // The retry is not refused as "still being answered": it re-sends the same start, and waits again.
    await api.create(body, { 'Idempotency-Key': key }).expect(503);

    await h.startWorker();
    const created = await retryUntilAnswered(() => api.create(body, { 'Idempotency-Key': key }));
    expect(created.status).toBe(201);
    const { rows } = await db.query('SELECT id, reference FROM cases WHERE applicant_name = $1', [body.applicant.name]);
    expect(rows).toEqual([{ id: created.body.id, reference: created.body.reference }]);
    expect(await eventTypes(created.body.id)).toEqual(['case.created']);
    // And again: the stored answer.
    const replay = await api.create(body, { 'Idempotency-Key': key }).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(created.body.id);
  });

  it('a transition answered 503 is applied once, and its retry answers the outcome instead of 409', async () => {
    const c = await newCase();
    await h.stopWorker();
    const key = randomUUID();
    const first = await api.act(c.id, 'submit', {}, { 'Idempotency-Key': key }).expect(503);
    expect(first.body.message).toContain('retry with the same Idempotency-Key');

    await h.startWorker();
    const answered = await retryUntilAnswered(() => api.act(c.id, 'submit', {}, { 'Idempotency-Key': key }));
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ id: c.id, stage: 'INITIAL_REVIEW' });
    expect(count(await eventTypes(c.id), 'case.submitted')).toBe(1);
    // Without the key a second submission is a new request, and the workflow refuses it.
    const again = randomUUID();
    expect((await retryUntilAnswered(() => api.act(c.id, 'submit', {}, { 'Idempotency-Key': again }))).status).toBe(409);
  });

  it('a document review answered 503 reaches the rows exactly as the workflow applied it', async () => {
    const c = await newCase();
    const doc = await newDocument(c.id, Buffer.concat([PDF, Buffer.from(`% ${randomUUID()}\n`)]));
    await h.stopWorker();
    const key = randomUUID();
    const review = () =>
      h.http
        .post(`/v1/cases/${c.id}/documents/${doc.id}/review`)
        .set({ 'X-Actor': 'officer.zhang', 'Idempotency-Key': key })
        .send({ decision: 'REJECTED', reason: 'blurred scan' });
    await review().expect(503);
    // Not applied yet: neither the workflow's view nor the row shows it.
    const row = async () => (await db.query('SELECT status, review_reason, reviewed_by FROM documents WHERE id = $1', [doc.id])).rows[0];
    expect(await row()).toEqual({ status: 'PENDING', review_reason: null, reviewed_by: null });

    await h.startWorker();
    // Nobody retries: the workflow applies the admitted update, and its projection writes the row.
    await eventually(row, (r) => r.status === 'REJECTED', 60_000);
    expect(await row()).toEqual({ status: 'REJECTED', review_reason: 'blurred scan', reviewed_by: 'officer.zhang' });
    const { body: view } = await api.get(c.id).expect(200);
    expect(view.documents).toEqual([expect.objectContaining({ id: doc.id, status: 'REJECTED' })]);
    // The retry learns the outcome, and nothing is applied twice.
    const retried = await review().expect(200);
    expect(retried.body).toMatchObject({ id: doc.id, status: 'REJECTED', review: { by: 'officer.zhang', reason: 'blurred scan' } });
    expect(count(await eventTypes(c.id), 'document.reviewed')).toBe(1);
  });

  it('an upload answered 503 leaves no event without its row and content; its retry answers the same document', async () => {
    const c = await newCase();
    const bytes = Buffer.concat([PDF, Buffer.from(`% ${randomUUID()}\n`)]);
    const key = randomUUID();
    await h.stopWorker();
    await upload(c.id, bytes, key).expect(503);

    await h.startWorker();
    const events = async () => (await api.events(c.id).expect(200)).body.items as { type: string; data: { documentId?: string } }[];
    const uploaded = (await eventually(events, (items) => items.some((e) => e.type === 'document.uploaded'), 60_000)).find(
      (e) => e.type === 'document.uploaded',
    )!;
    const documentId = uploaded.data.documentId!;
    // Every document the workflow counts has its row and its content.
    const { body: list } = await h.http.get(`/v1/cases/${c.id}/documents`).expect(200);
    expect(list.items).toEqual([expect.objectContaining({ id: documentId, status: 'PENDING', size: bytes.length })]);
    const content = await h.http
      .get(`/v1/cases/${c.id}/documents/${documentId}/content`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(Buffer.compare(content.body as Buffer, bytes)).toBe(0);

    const retried = await upload(c.id, bytes, key).expect(201);
    expect(retried.body.id).toBe(documentId);
    expect(count(await eventTypes(c.id), 'document.uploaded')).toBe(1);
  });

  it('an upload honours Idempotency-Key: same bytes, same answer; other bytes, 409', async () => {
    const c = await newCase();
    const key = randomUUID();
    const bytes = Buffer.concat([PDF, Buffer.from(`% ${randomUUID()}\n`)]);
    const first = await retryUntilAnswered(() => upload(c.id, bytes, key));
    expect(first.status).toBe(201);
    const again = await upload(c.id, bytes, key).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await upload(c.id, Buffer.concat([PDF, Buffer.from('% other bytes\n')]), key).expect(409);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    const { body: list } = await h.http.get(`/v1/cases/${c.id}/documents`).expect(200);
    expect(list.items).toHaveLength(1);
  });

  it('takes over a key whose holder died once its lease ran out, re-sending the same operation', async () => {
    // What an API killed mid-request leaves behind: the key reserved, unanswered, leased (2 s here).
    const ds = new DataSource(dataSourceOptions(process.env.DATABASE_URL!));
    await ds.initialize();
    try {
      const body = caseBody();
      const key = randomUUID();
      const held = await new IdempotencyRepository(ds).reserve(`${DEFAULT_OFFICER} POST /v1/cases`, key, requestHash({ body }), 2000, 86_400_000);
      expect(held.state).toBe('reserved');
      const created = await retryUntilAnswered(() => api.create(body, { 'Idempotency-Key': key }));
      expect(created.status).toBe(201);
      // The case the dead request would have opened: its id is the key's operation.
      expect(created.body.id).toBe((held as { operationId: string }).operationId);
    } finally {
      await ds.destroy();
    }
  });

  it('treats an upper-case case id as the same case, for reads and for actions', async () => {
    const c = await newCase();
    const upper = (c.id as string).toUpperCase();
    await api.get(upper).expect(200);
    const key = randomUUID();
    const { body: assigned } = await retryUntilAnswered(() => api.act(upper, 'assign', { assignee: 'officer.zhang' }, { 'Idempotency-Key': key }));
    expect(assigned).toMatchObject({ id: c.id, assignee: 'officer.zhang' });
    const doc = await newDocument(upper, Buffer.concat([PDF, Buffer.from(`% ${randomUUID()}\n`)]));
    await h.http.get(`/v1/cases/${upper}/documents/${(doc.id as string).toUpperCase()}/content`).expect(200);
  });

  it('answers 400 for a well-formed cursor naming an instant that does not exist', async () => {
    for (const instant of ['2026-02-30T00:00:00Z', '2026-04-31T10:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T23:60:00Z']) {
      const cursor = Buffer.from(JSON.stringify([instant, randomUUID()])).toString('base64url');
      const res = await h.http.get('/v1/cases').query({ cursor }).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });

  it('answers a download whose content cannot be read with a 5xx in the error shape, not 400 text', async () => {
    const c = await newCase();
    const doc = await newDocument(c.id, Buffer.concat([PDF, Buffer.from(`% ${randomUUID()}\n`)]));
    await db.query('DELETE FROM document_contents WHERE document_id = $1', [doc.id]);
    const res = await h.http.get(`/v1/cases/${c.id}/documents/${doc.id}/content`).expect(500);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ code: 'INTERNAL_ERROR', message: expect.any(String), details: null });
  });

  it('describes a pay-as-you-go instance without an expiry, and answers the finding', async () => {
    const body = caseBody();
    const instance = { ...body.hosting.instances[0], product: 'ECS', billing: 'PAY_AS_YOU_GO', subscriptionMonths: 0 } as Record<string, unknown>;
    delete instance.expiresAt;
    const res = await h.http.post('/v1/precheck').send({ ...body, hosting: { ...body.hosting, instances: [instance] } }).expect(200);
    expect(res.body.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'INSTANCE_PAY_AS_YOU_GO' })]));
    // A subscription still needs its expiry.
    const subscription = { ...instance, billing: 'SUBSCRIPTION', subscriptionMonths: 12 };
    await h.http.post('/v1/precheck').send({ ...body, hosting: { ...body.hosting, instances: [subscription] } }).expect(400);
  });
});

describe('a client that stops sending', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ICP_REQUEST_TIMEOUT: '1s' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is answered 408 and its connection closed, instead of being held open', async () => {
    const { port } = new URL(h.baseUrl);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          'POST /v1/cases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"submissionProvince":',
        );
      });
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
