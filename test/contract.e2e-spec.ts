import { randomUUID } from 'node:crypto';
import { caseApi } from './support/api';
import { caseBody, hongKongBody, uniqueName } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';

/** Every 4xx a case officer can hit, in the contract's error shape, and the read side of the API. */
describe('the HTTP contract', () => {
  let h: Harness;
  let api: ReturnType<typeof caseApi>;
  /** Assigning a case to someone else is a supervisor's right. */
  const supervisor = () => caseApi(h, 'supervisor.wang', 'supervisor');
  beforeAll(async () => {
    // Documents have their own suite (documents.e2e-spec.ts); here submissions check the other rules.
    h = await startHarness({ ICP_ENFORCE_DOCUMENTS: 'false' });
    api = caseApi(h);
  });
  afterAll(async () => {
    await h?.close();
  });

  const rules = (res: { body: { details: { findings: { rule: string }[] } } }) => res.body.details.findings.map((f) => f.rule);

  describe('400 VALIDATION_FAILED', () => {
    it('lists each bad field of a body', async () => {
      const body = caseBody();
      const bad = {
        ...body,
        filingType: 'ICP_PERMIT',
        applicant: { ...body.applicant, principal: { ...body.applicant.principal, email: 'nope', idValidUntil: '2031-02-30' } },
      };
      const res = await api.create(bad).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(
        ['applicant.principal.email', 'applicant.principal.idValidUntil', 'filingType'].sort(),
      );
    });

    it('refuses unknown fields, malformed JSON and unknown provinces', async () => {
      expect((await api.create({ ...caseBody(), assignee: '' }).expect(400)).body.details[0].field).toBe('assignee');
      expect((await api.create({ ...caseBody(), colour: 'red' }).expect(400)).body.details).toEqual([
        expect.objectContaining({ field: 'colour' }),
      ]);
      const malformed = await h.http.post('/v1/cases').set('Content-Type', 'application/json').send('{"filingType": ').expect(400);
      expect(malformed.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      const unknown = await api.create(caseBody({ submissionProvince: 'CN-XX' })).expect(400);
      expect(unknown.body.details).toEqual([{ field: 'submissionProvince', message: 'CN-XX is not a province of the mainland' }]);
      expect((await api.create(caseBody({ websites: [] })).expect(400)).body.details[0].field).toBe('websites');
    });

    it('refuses a malformed case id, If-Match, limit or cursor', async () => {
      expect((await api.get('not-a-uuid').expect(400)).body.code).toBe('VALIDATION_FAILED');
      expect((await h.http.get('/v1/cases?limit=500').expect(400)).body.code).toBe('VALIDATION_FAILED');
      expect((await h.http.get('/v1/cases?cursor=garbage').expect(400)).body.details[0].field).toBe('cursor');
      expect((await h.http.get('/v1/cases?stage=DONE').expect(400)).body.details[0].field).toBe('stage');
      const { body: c } = await api.create(caseBody()).expect(201);
      expect((await api.amend(c.id, { filingType: 'ICP_FILING' }, { 'If-Match': 'yesterday' }).expect(400)).body.code).toBe(
        'VALIDATION_FAILED',
      );
      expect((await api.act(c.id, 'miit-decision', { decision: 'APPROVED' }).expect(400)).body.details[0].field).toBe('icpNumber');
    });
  });

  describe('input nothing downstream could take', () => {
    const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

    it('refuses NUL characters and unpaired surrogates anywhere (PostgreSQL cannot store them), before the workflow sees them', async () => {
      const body = caseBody();
      const nul = await api.create({ ...body, applicant: { ...body.applicant, name: 'Contoso\u0000GmbH' } }).expect(400);
      expect(nul.body).toEqual({
        code: 'VALIDATION_FAILED',
        message: 'The request is not valid',
        details: [{ field: 'body.applicant.name', message: 'body.applicant.name must not contain NUL characters or unpaired surrogates' }],
      });
      // Unpaired surrogates arrive as JSON escapes; a paired one (an emoji) is fine.
      const raw = JSON.stringify({ ...body, assignee: 'X' }).replace('"X"', '"\\ud800"');
      await h.http.post('/v1/cases').set('Content-Type', 'application/json').send(raw).expect(400);
      const { body: c } = await supervisor().create({ ...caseBody(), assignee: 'officer 😀' }).expect(201);
      expect((await api.act(c.id, 'withdraw', { reason: 'dup\u0000licate' }).expect(400)).body.details[0].field).toBe('body.reason');
      expect((await h.http.get('/v1/cases').query({ q: 'a\u0000b' }).expect(400)).body.details[0].field).toBe('query.q');
      // The case took none of it and still answers.
      await supervisor().act(c.id, 'assign', { assignee: 'officer.li' }).expect(200);
      expect((await api.events(c.id)).body.items.map((e: { type: string }) => e.type)).toEqual(['case.created', 'case.assigned']);
    });

    it('refuses arrays where objects belong, nulls in an amendment, and absurd nesting with 400', async () => {
      const body = caseBody();
      for (const bad of [
        { ...body, applicant: [] },
        { ...body, hosting: [] },
        { ...body, websites: [[]] },
        { ...body, applicant: { ...body.applicant, principal: [] } },
        { ...body, applicant: { ...body.applicant, certificate: [] } },
        { ...body, hosting: { ...body.hosting, slb: [] } },
      ]) {
        expect((await h.http.post('/v1/precheck').send(bad).expect(400)).body.code).toBe('VALIDATION_FAILED');
        expect((await api.create(bad).expect(400)).body.code).toBe('VALIDATION_FAILED');
      }
      const { body: c } = await api.create(caseBody()).expect(201);
      for (const field of ['filingType', 'applicant', 'websites', 'hosting', 'version']) {
        const res = await api.amend(c.id, { [field]: null }).expect(400);
        expect(res.body.details[0].field).toBe(field);
      }
      let deep: unknown = 'x';
      for (let i = 0; i < 3000; i++) deep = [deep];
      const nested = await api.create({ ...caseBody(), deep }, { 'Idempotency-Key': randomUUID() }).expect(400);
      expect(nested.body.details[0].message).toBe('body is nested deeper than 32 levels');
      expect((await api.get(c.id)).body.version).toBe(1);
    });

    it('refuses a cursor it did not make, even a well-formed one PostgreSQL would reject', async () => {
      for (const bad of [
        ['1', randomUUID()],
        ['2026-01-01T00:00:00Z', '-'.repeat(36)],
        ['+275760-09-13T00:00:00.000Z', randomUUID()],
        ['-000001-01-01T00:00:00Z', randomUUID()],
        ['2026-02-30T00:00:00Z', randomUUID()],
        ['2026-01-01T24:00:00Z', randomUUID()],
      ]) {
        // Cases and notifications read the same cursors.
        for (const path of ['/v1/cases', '/v1/notifications']) {
          expect((await h.http.get(path).query({ cursor: cursor(bad) }).expect(400)).body.details[0].field).toBe('cursor');
        }
      }
      await h.http.get('/v1/cases').query({ cursor: cursor(['2026-01-01T00:00:00.000Z', randomUUID()]) }).expect(200);
    });

    it('answers 415 for a body that is not JSON', async () => {
      const text = await h.http.post('/v1/cases').set('Content-Type', 'text/plain').send(JSON.stringify(caseBody())).expect(415);
      expect(text.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', details: { accepted: ['application/json'] } });
      await h.http.post('/v1/precheck').set('Content-Type', 'application/xml').send('<case/>').expect(415);
      // Any +json media type is JSON too.
      const { body: c } = await api.create(caseBody()).expect(201);
      await h.as({ role: 'supervisor' }).post(`/v1/cases/${c.id}/assign`).set('Content-Type', 'application/merge-patch+json').send('{"assignee":"a"}').expect(200);
    });
  });

  it('404 CASE_NOT_FOUND for reads and actions on an unknown case', async () => {
    const id = randomUUID();
    expect((await api.get(id).expect(404)).body).toEqual({ code: 'CASE_NOT_FOUND', message: `No case ${id}`, details: { id } });
    expect((await api.events(id).expect(404)).body.code).toBe('CASE_NOT_FOUND');
    expect((await api.act(id, 'submit').expect(404)).body.code).toBe('CASE_NOT_FOUND');
    expect((await api.amend(id, { filingType: 'ICP_FILING' }).expect(404)).body.code).toBe('CASE_NOT_FOUND');
  });

  it('409 TRANSITION_NOT_ALLOWED names the stage and what is allowed', async () => {
    const { body: c } = await api.create(caseBody()).expect(201);
    for (const [action, body] of [
      ['sms-verification', {}],
      ['initial-review', { decision: 'APPROVED' }],
      ['miit-decision', { decision: 'REJECTED' }],
      ['resolution', {}],
      ['certificate', { number: '1', province: 'CN-ZJ', validUntil: '2030-01-01' }],
      ['psb-filing', { recordNumber: '1', filedAt: '2026-12-01' }],
    ] as const) {
      const res = await api.act(c.id, action, body).expect(409);
      expect(res.body).toEqual({
        code: 'TRANSITION_NOT_ALLOWED',
        message: expect.stringContaining(action),
        details: { stage: 'PREPARING', allowed: ['amend', 'submit', 'withdraw', 'assign', 'upload-document', 'review-document'] },
      });
    }
    await api.act(c.id, 'submit').expect(200);
    expect((await api.amend(c.id, { filingType: 'ICP_FILING' }).expect(409)).body.details.stage).toBe('INITIAL_REVIEW');
    expect((await api.act(c.id, 'submit').expect(409)).body.code).toBe('TRANSITION_NOT_ALLOWED');
  });

  it('422 RULE_VIOLATIONS on a submission with blocking findings, and nothing changes', async () => {
    const body = caseBody({ submissionProvince: 'CN-SH' });
    body.hosting.instances[0].billing = 'PAY_AS_YOU_GO';
    const { body: c } = await api.create(body).expect(201);
    const res = await api.act(c.id, 'submit').expect(422);
    expect(res.body.code).toBe('RULE_VIOLATIONS');
    expect(rules(res).sort()).toEqual(['INSTANCE_PAY_AS_YOU_GO', 'PROVINCE_MISMATCH']);
    expect(res.body.details.findings[0]).toEqual({ rule: expect.any(String), severity: 'BLOCKING', message: expect.any(String), path: expect.any(String) });
    const after = await api.get(c.id).expect(200);
    expect(after.body).toMatchObject({ stage: 'PREPARING', version: 1 });
    expect((await api.events(c.id)).body.items).toHaveLength(1);
  });

  it('422 ORDER_ALREADY_OPEN while the same entity has a filing order in review', async () => {
    const name = uniqueName();
    const { body: first } = await api.create(caseBody({}, name)).expect(201);
    const { body: second } = await api.create(caseBody({}, name)).expect(201);
    await api.act(first.id, 'submit').expect(200);
    const res = await api.act(second.id, 'submit').expect(422);
    expect(rules(res)).toEqual(['ORDER_ALREADY_OPEN']);
    expect(res.body.details.findings[0].message).toContain(first.reference);
  });

  it('422 ICP_NUMBER_INVALID on an approval with a malformed or foreign ICP number', async () => {
    const { body: c } = await api.create(caseBody()).expect(201);
    await api.act(c.id, 'submit').expect(200);
    await api.act(c.id, 'initial-review', { decision: 'APPROVED' }).expect(200);
    await api.act(c.id, 'sms-verification').expect(200);
    for (const icpNumber of ['京ICP备12345678号-1', 'ICP 12345678', '浙ICP备12号']) {
      const res = await api.act(c.id, 'miit-decision', { decision: 'APPROVED', icpNumber }).expect(422);
      expect(rules(res)).toEqual(['ICP_NUMBER_INVALID']);
    }
    expect((await api.get(c.id)).body.stage).toBe('MIIT_REVIEW');
    const rejected = await api.act(c.id, 'miit-decision', { decision: 'REJECTED', reasons: ['Administrator unreachable'] }).expect(200);
    expect(rejected.body).toMatchObject({ stage: 'RETURNED', returnReasons: ['Administrator unreachable'] });
    // A filing's province can never change once submitted.
    const moved = await api.amend(c.id, { submissionProvince: 'CN-SH' }).expect(422);
    expect(rules(moved)).toEqual(['PROVINCE_MISMATCH']);
  });

  it('409 VERSION_CONFLICT on an amendment made against an old version', async () => {
    const { body: c } = await api.create(caseBody()).expect(201);
    await supervisor().act(c.id, 'assign', { assignee: 'officer.li' }).expect(200);
    const stale = await api.amend(c.id, { filingType: 'ICP_LICENCE' }, { 'If-Match': '"1"' }).expect(409);
    expect(stale.body).toEqual({ code: 'VERSION_CONFLICT', message: expect.any(String), details: { expected: 1, actual: 2 } });
    expect((await api.amend(c.id, { filingType: 'ICP_LICENCE', version: 1 }).expect(409)).body.code).toBe('VERSION_CONFLICT');
    const fresh = await api.amend(c.id, { filingType: 'ICP_LICENCE' }, { 'If-Match': '2' }).expect(200);
    expect(fresh.body.findings.map((f: { rule: string }) => f.rule)).toContain('LICENCE_NOT_ALLOWED_FOR_OFFICE');
  });

  describe('Idempotency-Key', () => {
    it('answers a repeated creation with the first case, and refuses the key with another body', async () => {
      const key = randomUUID();
      const body = caseBody();
      const first = await api.create(body, { 'Idempotency-Key': key }).expect(201);
      const again = await api.create(body, { 'Idempotency-Key': key }).expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      const other = await api.create(caseBody(), { 'Idempotency-Key': key }).expect(409);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('replays actions, errors included, without applying them twice', async () => {
      const { body: c } = await api.create(caseBody()).expect(201);
      const key = randomUUID();
      const first = await api.act(c.id, 'submit', {}, { 'Idempotency-Key': key }).expect(200);
      const again = await api.act(c.id, 'submit', {}, { 'Idempotency-Key': key }).expect(200);
      expect(again.body.version).toBe(first.body.version);
      const refused = randomUUID();
      await api.act(c.id, 'sms-verification', {}, { 'Idempotency-Key': refused }).expect(409);
      expect((await api.act(c.id, 'sms-verification', {}, { 'Idempotency-Key': refused }).expect(409)).body.code).toBe(
        'TRANSITION_NOT_ALLOWED',
      );
      expect((await api.events(c.id)).body.items).toHaveLength(2);
    });
  });

  it('POST /v1/precheck answers without creating anything', async () => {
    const body = caseBody({ submissionProvince: 'CN-SH' });
    const res = await h.http.post('/v1/precheck').send(body).expect(200);
    expect(res.body.filingRequired).toBe(true);
    expect(res.body.findings.map((f: { rule: string }) => f.rule)).toContain('PROVINCE_MISMATCH');
    // Document enforcement is off in this suite: the document rules answer as WARNINGs, never silence.
    const documentRules = res.body.findings.filter((f: { rule: string }) => ['DOCUMENT_MISSING', 'AUTHORISATION_LETTER_REQUIRED'].includes(f.rule));
    expect(documentRules.length).toBeGreaterThan(0);
    expect(documentRules.every((f: { severity: string }) => f.severity === 'WARNING')).toBe(true);
    expect(res.body.checklist).toEqual(
      expect.arrayContaining([
        { type: 'ENTITY_CERTIFICATE', websiteIndex: null, satisfied: false },
        { type: 'AUTHORISATION_LETTER', websiteIndex: 0, satisfied: false },
      ]),
    );
    const abroad = await h.http.post('/v1/precheck').send(hongKongBody()).expect(200);
    expect(abroad.body).toMatchObject({ filingRequired: false, findings: [expect.objectContaining({ rule: 'HOSTING_OUTSIDE_MAINLAND' })] });
    // Other suites create cases in the same database: look for this applicant only.
    const named = await h.http.get('/v1/cases').query({ q: body.applicant.name }).expect(200);
    expect(named.body.items).toEqual([]);
  });

  it('takes the optional fields of 2026-11-30: usedForFiling, pay-as-you-go expiresAt null, birthDate; refuses a subscription without expiry', async () => {
    const body = caseBody();
    const ecs = body.hosting.instances[0];
    const instances = [
      { ...ecs, usedForFiling: true },
      { ...ecs, instanceId: 'i-db', billing: 'PAY_AS_YOU_GO', expiresAt: null, usedForFiling: false },
    ];
    const principal = { ...body.applicant.principal, birthDate: '2010-01-01' };
    const res = await h.http
      .post('/v1/precheck')
      .send({ ...body, applicant: { ...body.applicant, principal }, hosting: { ...body.hosting, instances } })
      .expect(200);
    const blocking = res.body.findings.filter((f: { severity: string }) => f.severity === 'BLOCKING');
    expect(blocking).toEqual([expect.objectContaining({ rule: 'PERSON_UNDERAGE', path: 'applicant.principal.birthDate' })]);
    const noExpiry = { ...body, hosting: { ...body.hosting, instances: [{ ...ecs, expiresAt: null }] } };
    const refused = await h.http.post('/v1/precheck').send(noExpiry).expect(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
  });

  it('GET /v1/cases filters and pages with a cursor', async () => {
    const name = uniqueName('Northwind Traders');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await api.create(caseBody({}, name)).expect(201)).body.id);
    await supervisor().act(ids[0], 'assign', { assignee: `officer-${name}` }).expect(200);

    const byName = await h.http.get('/v1/cases').query({ q: name.toUpperCase(), limit: 2 }).expect(200);
    expect(byName.body.items).toHaveLength(2);
    const seen = byName.body.items.map((c: { id: string }) => c.id);
    let cursor = byName.body.nextCursor;
    while (cursor) {
      const page = await h.http.get('/v1/cases').query({ q: name, limit: 2, cursor }).expect(200);
      seen.push(...page.body.items.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual([...ids].reverse());

    const assigned = await h.http.get('/v1/cases').query({ assignee: `officer-${name}` }).expect(200);
    expect(assigned.body.items.map((c: { id: string }) => c.id)).toEqual([ids[0]]);
    const byStage = await h.http.get('/v1/cases').query({ q: name, stage: 'PREPARING', province: 'CN-ZJ' }).expect(200);
    expect(byStage.body.items).toHaveLength(5);
    expect((await h.http.get('/v1/cases').query({ q: name, stage: 'COMPLETED' })).body.items).toEqual([]);
    expect((await h.http.get('/v1/cases').query({ q: name, overdue: 'true' })).body.items).toEqual([]);

    // A row is a summary of the case, not its whole view.
    const { body: one } = await h.http.get(`/v1/cases/${ids[0]}`).expect(200);
    expect(assigned.body.items[0]).toEqual({
      id: one.id,
      reference: one.reference,
      stage: 'PREPARING',
      version: one.version,
      filingType: one.filingType,
      submissionProvince: 'CN-ZJ',
      applicant: { name, countryOfRegistration: one.applicant.countryOfRegistration },
      applicantId: null,
      domains: one.websites.flatMap((w: { domains: string[] }) => w.domains),
      assignee: `officer-${name}`,
      icpNumber: null,
      nextDeadline: null,
      blockingFindings: one.findings.filter((f: { severity: string }) => f.severity === 'BLOCKING').length,
      createdAt: one.createdAt,
      updatedAt: one.updatedAt,
    });

    // The worklist's counts take the same filters; unassigned is the complement of an assignee.
    expect((await h.http.get('/v1/cases/counts').query({ q: name }).expect(200)).body).toEqual({ total: 5, byStage: { PREPARING: 5 } });
    expect((await h.http.get('/v1/cases/counts').query({ q: name, unassigned: 'true' })).body).toEqual({ total: 4, byStage: { PREPARING: 4 } });
    const unassigned = await h.http.get('/v1/cases').query({ q: name, unassigned: 'true' }).expect(200);
    expect(unassigned.body.items.map((c: { id: string }) => c.id)).toEqual(ids.slice(1).reverse());
    const both = await h.http.get('/v1/cases').query({ assignee: `officer-${name}`, unassigned: 'true' }).expect(400);
    expect(both.body.details[0].field).toBe('unassigned');
    expect((await h.http.get('/v1/cases/counts').query({ limit: 5 }).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('serves health and the OpenAPI document', async () => {
    await h.http.get('/health/live').expect(200, { status: 'ok' });
    const ready = await h.http.get('/health/ready').expect(200);
    expect(ready.body.checks).toEqual({ postgres: { status: 'up' }, temporal: { status: 'up' }, searchAttributes: { status: 'up' } });
    const doc = await h.http.get('/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/cases', '/v1/cases/{id}', '/v1/precheck', '/v1/cases/{id}/submit']));
    expect(doc.body.components.schemas.CreateCaseDto.required).toEqual(expect.arrayContaining(['filingType', 'applicant', 'websites', 'hosting']));
  });
});
