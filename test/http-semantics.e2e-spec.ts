import { caseApi } from './support/api';
import { pdfNamed } from './support/files';
import { caseBody } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';
import { OpenApiValidator } from './support/openapi-validator';

/** ETags, the error shape of every layer, and validation messages that name the real reason. */
describe('HTTP semantics', () => {
  let h: Harness;
  let api: ReturnType<typeof caseApi>;
  beforeAll(async () => {
    h = await startHarness();
    api = caseApi(h);
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('ETag is the case version', () => {
    it('is the same on every answer for a version, answers If-None-Match with 304 and is what If-Match takes', async () => {
      const created = await api.create(caseBody()).expect(201);
      const id: string = created.body.id;
      expect(created.headers.etag).toBe(`"${created.body.version}"`);
      const read = await api.get(id).expect(200);
      expect(read.headers.etag).toBe(created.headers.etag);

      const notModified = await h.http.get(`/v1/cases/${id}`).set('If-None-Match', created.headers.etag).expect(304);
      expect(notModified.headers.etag).toBe(created.headers.etag);
      expect(notModified.text).toBe('');
      await h.http.get(`/v1/cases/${id}`).set('If-None-Match', `W/${created.headers.etag}, "999"`).expect(304);
      await h.http.get(`/v1/cases/${id}`).set('If-None-Match', '"999"').expect(200);

      const assigned = await api.act(id, 'assign', { assignee: 'officer.zhang' }).expect(200);
      expect(assigned.headers.etag).toBe(`"${assigned.body.version}"`);
      expect(assigned.headers.etag).not.toBe(created.headers.etag);
      expect((await api.get(id).expect(200)).headers.etag).toBe(assigned.headers.etag);
      // The old tag no longer matches: the case is sent again.
      await h.http.get(`/v1/cases/${id}`).set('If-None-Match', created.headers.etag).expect(200);

      // If-Match takes the ETag as it was given; a stale one is a conflict.
      const stale = await api.amend(id, { submissionProvince: 'CN-ZJ', filingType: 'ICP_LICENCE' }, { 'If-Match': created.headers.etag }).expect(409);
      expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', details: { expected: created.body.version, actual: assigned.body.version } });
      const amended = await api.amend(id, { filingType: 'ICP_LICENCE' }, { 'If-Match': assigned.headers.etag }).expect(200);
      expect(amended.headers.etag).toBe(`"${assigned.body.version + 1}"`);
    });

    it('is on a replayed idempotent answer too, the same as on the first', async () => {
      const body = caseBody();
      const first = await api.create(body, { 'Idempotency-Key': `etag-${Date.now()}` }).expect(201);
      const again = await api.create(body, { 'Idempotency-Key': first.request.getHeader('Idempotency-Key') as string }).expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers.etag).toBe(first.headers.etag);
    });
  });

  describe('errors of the framework in the contract shape', () => {
    it('an unknown route is 404 ROUTE_NOT_FOUND', async () => {
      const res = await h.http.delete('/v1/cases').expect(404);
      expect(res.body).toEqual({ code: 'ROUTE_NOT_FOUND', message: 'No route DELETE /v1/cases', details: null });
      expect((await h.http.get('/v2/nothing').expect(404)).body.code).toBe('ROUTE_NOT_FOUND');
    });

    it('broken JSON is 400 VALIDATION_FAILED with the same details list as any bad field', async () => {
      const res = await h.http.post('/v1/cases').set('Content-Type', 'application/json').send('{"filingType": ').expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual([{ field: 'body', message: expect.stringMatching(/JSON/) }]);
    });

    it('a JSON body past the limit is 413 with the limit', async () => {
      const res = await h.http
        .post('/v1/precheck')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }))
        .expect(413);
      expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limitBytes: 1024 * 1024 } });
    });

    it('multipart faults are 400 VALIDATION_FAILED with a details list', async () => {
      const { body: c } = await api.create(caseBody()).expect(201);
      const unexpected = await h.http
        .post(`/v1/cases/${c.id}/documents`)
        .field('type', 'PRINCIPAL_ID')
        .attach('other', pdfNamed('x'), 'x.pdf')
        .expect(400);
      expect(unexpected.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'body', message: expect.stringMatching(/other/) }] });
      const truncated = await h.http
        .post(`/v1/cases/${c.id}/documents`)
        .set('Content-Type', 'multipart/form-data; boundary=XYZ')
        .send('--XYZ\r\nContent-Disposition: form-data; name="type"\r\n\r\nPRINCIPAL_ID\r\n--XYZ\r\nContent-Disposition: form-da')
        .expect(400);
      expect(truncated.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'body' }] });
    });
  });

  describe('validation names the real reason', () => {
    it('a rejection without a reason', async () => {
      const { body: c } = await api.create(caseBody()).expect(201);
      const { body: d } = await h.http
        .post(`/v1/cases/${c.id}/documents`)
        .field('type', 'PRINCIPAL_ID')
        .attach('file', pdfNamed('semantics'), 'p.pdf')
        .expect(201);
      const res = await h.http.post(`/v1/cases/${c.id}/documents/${d.id}/review`).send({ decision: 'REJECTED' }).expect(400);
      expect(res.body.details).toEqual([{ field: 'reason', message: 'a rejection needs a reason' }]);
    });

    it('an approval without an ICP number', async () => {
      const { body: c } = await api.create(caseBody()).expect(201);
      const res = await api.act(c.id, 'miit-decision', { decision: 'APPROVED' }).expect(400);
      expect(res.body.details).toEqual([{ field: 'icpNumber', message: 'icpNumber is required when the decision is APPROVED' }]);
    });

    it('a number where a string belongs', async () => {
      const { body: c } = await api.create(caseBody()).expect(201);
      const res = await api.act(c.id, 'withdraw', { reason: 42 }).expect(400);
      expect(res.body.details).toEqual([{ field: 'reason', message: 'reason must be a string' }]);
      const nested = await h.http.post('/v1/precheck').send(caseBody({ submissionProvince: 7 })).expect(400);
      expect(nested.body.details).toEqual([{ field: 'submissionProvince', message: expect.stringMatching(/ISO 3166-2:CN/) }]);
    });

    it('a missing websites list, and a missing nested field', async () => {
      const { websites: _websites, ...withoutWebsites } = caseBody();
      const res = await h.http.post('/v1/cases').send(withoutWebsites).expect(400);
      expect(res.body.details).toEqual([{ field: 'websites', message: 'websites is required' }]);
      const body = caseBody();
      const { email: _email, ...principal } = body.applicant.principal;
      const nested = await h.http.post('/v1/precheck').send({ ...body, applicant: { ...body.applicant, principal } }).expect(400);
      expect(nested.body.details).toEqual([{ field: 'applicant.principal.email', message: 'applicant.principal.email is required' }]);
    });

    it('an empty or overlong value still reports its bound', async () => {
      const { body: c } = await api.create(caseBody()).expect(201);
      const empty = await api.act(c.id, 'withdraw', { reason: '' }).expect(400);
      expect(empty.body.details).toEqual([{ field: 'reason', message: 'reason should not be empty' }]);
      const long = await api.act(c.id, 'withdraw', { reason: 'x'.repeat(1001) }).expect(400);
      expect(long.body.details).toEqual([{ field: 'reason', message: expect.stringMatching(/shorter than or equal to 1000/) }]);
    });
  });

  describe('the response validator itself', () => {
    let validator: OpenApiValidator;
    beforeAll(async () => {
      validator = new OpenApiValidator((await h.http.get('/docs-json').expect(200)).body);
    });
    const live = { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { status: 'ok' }, text: '{"status":"ok"}' };

    it('passes a documented answer', () => {
      expect(validator.check('GET', '/health/live', live)).toEqual([]);
    });

    it('fails an undocumented status, field, header or operation', () => {
      expect(validator.check('GET', '/health/live', { ...live, status: 202 })).toEqual([expect.stringMatching(/status 202 is not documented/)]);
      expect(validator.check('GET', '/health/live', { ...live, body: { status: 'ok', extra: 1 } })).toEqual([
        expect.stringMatching(/must NOT have additional properties/),
      ]);
      expect(validator.check('GET', '/health/live', { ...live, headers: { ...live.headers, 'x-secret': '1' } })).toEqual([
        expect.stringMatching(/header x-secret is not documented/),
      ]);
      expect(validator.check('PUT', '/health/live', live)).toEqual([expect.stringMatching(/no operation/)]);
      const error = { status: 404, headers: live.headers, body: { code: 'CASE_NOT_FOUND', message: 'x', details: null }, text: 'x' };
      expect(validator.check('GET', '/v1/cases/00000000-0000-4000-8000-000000000000', error)).not.toEqual([]);
    });
  });
});
