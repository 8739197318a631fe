import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { Client } from 'pg';
import { caseApi, satisfyChecklist } from './support/api';
import { EXE, JPEG, PDF, PNG, pdfNamed, pdfOfSize } from './support/files';
import { caseBody } from './support/fixtures';
import { mintToken } from './support/tokens';
import { DEFAULT_OFFICER, startHarness, type Harness } from './support/harness';

/** Case documents over HTTP with real multipart bodies, on real Postgres and Temporal. */
describe('case documents', () => {
  let h: Harness;
  let api: ReturnType<typeof caseApi>;
  let db: Client;
  beforeAll(async () => {
    h = await startHarness({ ICP_MAX_UPLOAD_MB: '1' });
    api = caseApi(h);
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await h?.close();
  });

  const upload = (caseId: string, type: string, file: Buffer, filename: string, websiteIndex?: number, contentType?: string) => {
    const req = h.http.post(`/v1/cases/${caseId}/documents`).field('type', type);
    if (websiteIndex !== undefined) void req.field('websiteIndex', String(websiteIndex));
    return req.attach('file', file, contentType ? { filename, contentType } : filename);
  };
  const review = (caseId: string, docId: string, body: object) =>
    h.http.post(`/v1/cases/${caseId}/documents/${docId}/review`).send(body);
  const documents = async (caseId: string) => (await h.http.get(`/v1/cases/${caseId}/documents`).expect(200)).body;
  const slots = (checklist: { type: string; websiteIndex: number | null }[]) => checklist.map((c) => `${c.type}@${c.websiteIndex}`).sort();

  it('derives the checklist from the facts, and follows amendments', async () => {
    const body = caseBody({ submissionProvince: 'CN-BJ' });
    body.applicant.certificate!.province = 'CN-BJ';
    body.websites.push({ ...body.websites[0], name: '康拓索新闻中心', domains: ['news.contoso.cn'], contentCategory: 'NEWS' });
    const { body: c } = await api.create(body).expect(201);
    expect(slots((await documents(c.id)).checklist)).toEqual(
      [
        'AUTHENTICITY_VERIFICATION_FORM@null',
        'AUTHORISATION_LETTER@0',
        'AUTHORISATION_LETTER@1',
        'DOMAIN_CERTIFICATE@0',
        'DOMAIN_CERTIFICATE@1',
        'ENTITY_CERTIFICATE@null',
        'PRE_APPROVAL@1',
        'PRINCIPAL_ID@null',
        'WEBSITE_ADMIN_ID@0',
        'WEBSITE_ADMIN_ID@1',
      ].sort(),
    );
    // The principal administers both sites: the same ID type and number (the flag alone decides nothing).
    const { fullName, idType, idNumber } = body.applicant.principal;
    const principalRuns = body.websites.map((w) => ({ ...w, administrator: { ...w.administrator, fullName, idType, idNumber, isPrincipal: true } }));
    await api.amend(c.id, { websites: principalRuns }).expect(200);
    expect(slots((await documents(c.id)).checklist)).not.toContain('AUTHORISATION_LETTER@0');
  });

  it('stores an upload with its SHA-256, size and the content type sniffed from its bytes', async () => {
    const { body: c } = await api.create(caseBody()).expect(201);
    const res = await upload(c.id, 'PRINCIPAL_ID', PDF, 'passport.png', undefined, 'image/png').expect(201);
    expect(res.body).toMatchObject({
      type: 'PRINCIPAL_ID',
      websiteIndex: null,
      status: 'PENDING',
      version: 1,
      sha256: createHash('sha256').update(PDF).digest('hex'),
      size: PDF.length,
      contentType: 'application/pdf',
    });
    expect((await upload(c.id, 'WEBSITE_ADMIN_ID', PNG, 'id.png', 0).expect(201)).body.contentType).toBe('image/png');
    expect((await upload(c.id, 'ENTITY_CERTIFICATE', JPEG, 'cert.jpg').expect(201)).body.contentType).toBe('image/jpeg');
    const events = (await api.events(c.id).expect(200)).body.items;
    expect(events.filter((e: { type: string }) => e.type === 'document.uploaded')).toHaveLength(3);
  });

  it('answers 413 past the size limit and 415 for what is not a PDF, JPEG or PNG, storing nothing', async () => {
    const { body: c } = await api.create(caseBody()).expect(201);
    const big = await upload(c.id, 'PRINCIPAL_ID', pdfOfSize(1024 * 1024 + 1), 'big.pdf').expect(413);
    expect(big.body).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The file is larger than the upload limit of 1 MiB',
      details: { limitBytes: 1024 * 1024 },
    });
    const exe = await upload(c.id, 'PRINCIPAL_ID', EXE, 'passport.pdf', undefined, 'application/pdf').expect(415);
    expect(exe.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    await upload(c.id, 'PRINCIPAL_ID', Buffer.from('just some text'), 'note.txt').expect(415);
    expect((await documents(c.id)).items).toEqual([]);
    expect((await upload(c.id, 'PRINCIPAL_ID', pdfOfSize(1024 * 1024), 'exactly-1MiB.pdf').expect(201)).body.size).toBe(1024 * 1024);
  });

  it('refuses bad slots and fields with 400', async () => {
    const { body: c } = await api.create(caseBody()).expect(201);
    expect((await upload(c.id, 'WEBSITE_ADMIN_ID', PDF, 'a.pdf').expect(400)).body.details[0].field).toBe('websiteIndex');
    expect((await upload(c.id, 'WEBSITE_ADMIN_ID', PDF, 'a.pdf', 3).expect(400)).body.details[0].field).toBe('websiteIndex');
    expect((await upload(c.id, 'PRINCIPAL_ID', PDF, 'a.pdf', 0).expect(400)).body.details[0].field).toBe('websiteIndex');
    expect((await upload(c.id, 'SELFIE', PDF, 'a.pdf').expect(400)).body.details[0].field).toBe('type');
    const noFile = await h.http.post(`/v1/cases/${c.id}/documents`).field('type', 'PRINCIPAL_ID').expect(400);
    expect(noFile.body.details[0].field).toBe('file');
    const json = await h.http.post(`/v1/cases/${c.id}/documents`).send({ type: 'PRINCIPAL_ID' }).expect(415);
    expect(json.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', details: { accepted: ['multipart/form-data'] } });
  });

  it('answers the existing document for the same bytes in the same slot, and versions a new upload', async () => {
    const { body: c } = await api.create(caseBody()).expect(201);
    const first = await upload(c.id, 'PRINCIPAL_ID', pdfNamed('v1'), 'passport.pdf').expect(201);
    const again = await upload(c.id, 'PRINCIPAL_ID', pdfNamed('v1'), 'passport-again.pdf').expect(200);
    expect(again.body.id).toBe(first.body.id);
    const otherSlot = await upload(c.id, 'ENTITY_CERTIFICATE', pdfNamed('v1'), 'passport.pdf').expect(201);
    expect(otherSlot.body.id).not.toBe(first.body.id);

    const second = await upload(c.id, 'PRINCIPAL_ID', pdfNamed('v2'), 'passport-renewed.pdf').expect(201);
    expect(second.body).toMatchObject({ version: 2, current: true, status: 'PENDING' });
    const { items } = await documents(c.id);
    expect(items.find((d: { id: string }) => d.id === first.body.id)).toMatchObject({ current: false, supersededBy: second.body.id });
    // The old version stays readable, but only the current one can be reviewed.
    const old = await h.http.get(`/v1/cases/${c.id}/documents/${first.body.id}/content`).buffer(true).expect(200);
    expect(Buffer.from(old.body).equals(pdfNamed('v1'))).toBe(true);
    const stale = await review(c.id, first.body.id, { decision: 'ACCEPTED' }).expect(409);
    expect(stale.body).toMatchObject({ code: 'DOCUMENT_SUPERSEDED', details: { supersededBy: second.body.id } });
  });

  it('streams the content back with its type and a safe Content-Disposition', async () => {
    const { body: c } = await api.create(caseBody()).expect(201);
    const bytes = pdfOfSize(900 * 1024);
    const { body: d } = await upload(c.id, 'ENTITY_CERTIFICATE', bytes, '登记证"; x=1.pdf').expect(201);
    const res = await h.http.get(`/v1/cases/${c.id}/documents/${d.id}/content`).buffer(true).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="____; x=1.pdf"; filename*=UTF-8''%E7%99%BB%E8%AE%B0%E8%AF%81%22%3B%20x%3D1.pdf`,
    );
    expect(Buffer.from(res.body).equals(bytes)).toBe(true);
    await h.http.get(`/v1/cases/${c.id}/documents/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/content`).expect(404);
  });

  it('records reviews, and a rejection needs a reason', async () => {
    const { body: c } = await api.create(caseBody()).expect(201);
    const { body: d } = await upload(c.id, 'PRINCIPAL_ID', pdfNamed('review'), 'p.pdf').expect(201);
    expect((await review(c.id, d.id, { decision: 'REJECTED' }).expect(400)).body.details[0].field).toBe('reason');
    expect((await review(c.id, d.id, { decision: 'REJECTED', reason: 'bad\u0000scan' }).expect(400)).body.details[0].field).toBe('body.reason');
    const rejected = await review(c.id, d.id, { decision: 'REJECTED', reason: 'Scan is unreadable' }).expect(200);
    expect(rejected.body).toMatchObject({ status: 'REJECTED', review: { by: 'officer.zhang', reason: 'Scan is unreadable' } });
    await review(c.id, d.id, { decision: 'ACCEPTED' }).expect(200);
    const events = (await api.events(c.id)).body.items.filter((e: { type: string }) => e.type === 'document.reviewed');
    expect(events.map((e: { data: { decision: string } }) => e.data.decision)).toEqual(['REJECTED', 'ACCEPTED']);
    expect((await api.get(c.id)).body.documents).toEqual([{ id: d.id, type: 'PRINCIPAL_ID', websiteIndex: null, status: 'ACCEPTED' }]);
  });

  it('blocks the submission with one DOCUMENT_MISSING per unmet slot until every slot is accepted', async () => {
    const { body: c } = await api.create(caseBody()).expect(201);
    const refused = await api.act(c.id, 'submit').expect(422);
    const missing = refused.body.details.findings.map((f: { rule: string }) => f.rule).sort();
    expect(missing).toEqual(['AUTHORISATION_LETTER_REQUIRED', 'DOCUMENT_MISSING', 'DOCUMENT_MISSING', 'DOCUMENT_MISSING', 'DOCUMENT_MISSING']);
    await satisfyChecklist(h, c.id);
    expect((await documents(c.id)).checklist.every((s: { satisfied: boolean }) => s.satisfied)).toBe(true);
    await api.act(c.id, 'submit').expect(200);
    // Once submitted, the paperwork is frozen until the case is returned.
    const late = await upload(c.id, 'PRINCIPAL_ID', pdfNamed('late'), 'late.pdf').expect(409);
    expect(late.body).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED', details: { stage: 'INITIAL_REVIEW' } });
  });

  it('leaves nothing behind when an upload is cut off midway', async () => {
    const { body: c } = await api.create(caseBody()).expect(201);
    const { port } = new URL(h.baseUrl);
    const boundary = 'icpBoundary42';
    const started = new Date();
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\nPRINCIPAL_ID\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    );
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /v1/cases/${c.id}/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
            `Authorization: Bearer ${mintToken({ sub: DEFAULT_OFFICER, role: 'officer' })}\r\n` +
            `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${head.length + 600_000}\r\n\r\n`,
        );
        socket.write(head);
        socket.write(pdfOfSize(300_000), () => setTimeout(() => socket.destroy(), 100));
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    await new Promise((r) => setTimeout(r, 300));
    expect((await documents(c.id)).items).toEqual([]);
    const { rows } = await db.query('SELECT count(*)::int AS n FROM documents WHERE case_id = $1', [c.id]);
    expect(rows[0].n).toBe(0);
    // No content of that size was stored meanwhile (other test files upload small files, and some
    // leave unreferenced contents on purpose, so the check is scoped to this upload's window and size).
    const orphans = await db.query(
      `SELECT count(*)::int AS n FROM document_contents dc LEFT JOIN documents d ON d.id = dc.document_id
        WHERE d.id IS NULL AND dc.stored_at >= $1 AND octet_length(dc.content) >= 300000`,
      [started],
    );
    expect(orphans.rows[0].n).toBe(0);
    // The service is fine afterwards.
    await upload(c.id, 'PRINCIPAL_ID', PDF, 'whole.pdf').expect(201);
  });

  it('404 DOCUMENT_NOT_FOUND for an unknown document', async () => {
    const { body: c } = await api.create(caseBody()).expect(201);
    const res = await review(c.id, '11111111-1111-4111-8111-111111111111', { decision: 'ACCEPTED' }).expect(404);
    expect(res.body.code).toBe('DOCUMENT_NOT_FOUND');
  });
});
