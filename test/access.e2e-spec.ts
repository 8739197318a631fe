import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';

type KeyPair = { publicKey: KeyLike; privateKey: KeyLike };
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadSecurityConfig } from '../libs/config/src';
import { PDF } from './support/files';
import { caseBody } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';
import { TEST_JWT_SECRET } from './support/tokens';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const PASSPORT = 'C01X00T47';
const MASKED_PASSPORT = 'C01X****47';

/** Applicant ids of this run only: other test files share the database. */
const RUN = Date.now().toString(36);
const CONTOSO = `APP-CONTOSO-${RUN}`;
const FABRIKAM = `APP-FABRIKAM-${RUN}`;

/** Applicant isolation, masking, the actor from the token, assignment rights, hardening, rate limits. */
describe('access control', () => {
  let h: Harness;
  const anna = () => h.as({ sub: 'anna@contoso', role: 'applicant', applicantId: CONTOSO });
  const eve = () => h.as({ sub: 'eve@fabrikam', role: 'applicant', applicantId: FABRIKAM });
  let annas: string;
  let eves: string;
  let evesDocument: string;

  beforeAll(async () => {
    h = await startHarness();
    annas = (await anna().post('/v1/cases').set('X-Actor', 'someone.else').send(caseBody()).expect(201)).body.id;
    eves = (await eve().post('/v1/cases').send(caseBody()).expect(201)).body.id;
    evesDocument = (
      await eve().post(`/v1/cases/${eves}/documents`).field('type', 'ENTITY_CERTIFICATE').attach('file', PDF, 'cert.pdf').expect(201)
    ).body.id;
  });
  afterAll(() => h?.close());

  describe('an applicant', () => {
    it('sees its own case in full, owned by its applicantId', async () => {
      const { body } = await anna().get(`/v1/cases/${annas}`).expect(200);
      expect(body.applicantId).toBe(CONTOSO);
      expect(body.applicant.principal.idNumber).toBe(PASSPORT);
      expect(body.applicant.principal.mobile).toBe('+8613800000000');
    });

    it("never sees another applicant's case: read, events, documents, download, amend, upload, withdraw are 404", async () => {
      const notFound = (res: { status: number; body: { code: string } }) => {
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('CASE_NOT_FOUND');
      };
      notFound(await anna().get(`/v1/cases/${eves}`));
      notFound(await anna().get(`/v1/cases/${eves}/events`));
      notFound(await anna().get(`/v1/cases/${eves}/documents`));
      notFound(await anna().get(`/v1/cases/${eves}/documents/${evesDocument}/content`));
      notFound(await anna().patch(`/v1/cases/${eves}`).send({ filingType: 'ICP_LICENCE' }));
      notFound(await anna().post(`/v1/cases/${eves}/documents`).field('type', 'ENTITY_CERTIFICATE').attach('file', PDF, 'x.pdf'));
      notFound(await anna().post(`/v1/cases/${eves}/withdraw`).send({ reason: 'mine now' }));
      // The same answer as for a case that does not exist: ids cannot be probed.
      notFound(await anna().get('/v1/cases/00000000-0000-4000-8000-000000000000'));
      // And Eve's case is untouched.
      const { body } = await eve().get(`/v1/cases/${eves}`).expect(200);
      expect(body.version).toBe(2);
      expect(body.stage).toBe('PREPARING');
    });

    it('lists, summarises and counts only its own cases, masked, whatever the filter', async () => {
      const { body } = await anna().get('/v1/cases').query({ limit: 200 }).expect(200);
      expect(body.items.map((c: { id: string }) => c.id)).toEqual([annas]);
      expect(body.items[0].applicant.principal.idNumber).toBe(MASKED_PASSPORT);
      // Its summaries and counts too; a summary carries no personal data at all.
      const summaries = await anna().get('/v1/cases/summaries').query({ limit: 200 }).expect(200);
      expect(summaries.body.items.map((c: { id: string }) => c.id)).toEqual([annas]);
      expect(Object.keys(summaries.body.items[0].applicant).sort()).toEqual(['countryOfRegistration', 'name']);
      expect(JSON.stringify(summaries.body.items)).not.toContain(PASSPORT);
      expect((await anna().get('/v1/cases/counts').expect(200)).body).toEqual({ total: 1, byStage: { [body.items[0].stage]: 1 } });
      const searched = await anna().get('/v1/cases').query({ q: 'contoso' }).expect(200);
      expect(searched.body.items.every((c: { applicantId: string }) => c.applicantId === CONTOSO)).toBe(true);
    });

    it('reads its own documents and downloads them', async () => {
      await eve().get(`/v1/cases/${eves}/documents`).expect(200);
      const file = await eve().get(`/v1/cases/${eves}/documents/${evesDocument}/content`).expect(200);
      expect(Buffer.from(file.body).subarray(0, 4).toString()).toBe('%PDF');
    });

    it('cannot review documents, decide, or assign (403 FORBIDDEN), even on its own case', async () => {
      expect((await eve().post(`/v1/cases/${eves}/documents/${evesDocument}/review`).send({ decision: 'ACCEPTED' }).expect(403)).body.code).toBe('FORBIDDEN');
      await eve().post(`/v1/cases/${eves}/initial-review`).send({ decision: 'APPROVED' }).expect(403);
      await eve().post(`/v1/cases/${eves}/miit-decision`).send({ decision: 'APPROVED', icpNumber: '浙ICP备2026000001号' }).expect(403);
      await eve().post(`/v1/cases/${eves}/assign`).send({ assignee: 'eve@fabrikam' }).expect(403);
      await eve().post('/v1/cases').send({ ...caseBody(), assignee: 'officer.zhang' }).expect(403);
    });

    it('learns nothing of other cases from precheck', async () => {
      const { body } = await anna().post('/v1/precheck').send(caseBody()).expect(200);
      expect(JSON.stringify(body)).not.toMatch(/ICP-\d{4}-\d{6}/);
      expect(Object.keys(body).sort()).toEqual(['checklist', 'filingRequired', 'findings']);
    });
  });

  describe('staff', () => {
    it('see every case in full; lists are masked', async () => {
      const one = await h.http.get(`/v1/cases/${eves}`).expect(200);
      expect(one.body.applicant.principal.idNumber).toBe(PASSPORT);
      expect(one.body.websites[0].administrator.idNumber).toBe('330106199001011234');
      const { body } = await h.http.get('/v1/cases').query({ limit: 200 }).expect(200);
      const ids = body.items.map((c: { id: string }) => c.id);
      expect(ids).toEqual(expect.arrayContaining([annas, eves]));
      // Other suites open cases in the same database meanwhile: every item is masked, and these two as expected.
      for (const c of body.items) {
        expect(c.applicant.principal.idNumber).toContain('****');
        expect(c.applicant.principal.mobile).toContain('****');
        expect(c.websites[0].administrator.idNumber).toContain('****');
        if (c.id !== annas && c.id !== eves) continue;
        expect(c.applicant.principal.idNumber).toBe(MASKED_PASSPORT);
        expect(c.applicant.principal.mobile).toBe('+861****00');
        expect(c.websites[0].administrator.idNumber).toBe('3301****34');
      }
      const summaries = JSON.stringify((await h.http.get('/v1/cases/summaries').query({ limit: 200 }).expect(200)).body.items);
      for (const personal of [PASSPORT, '330106199001011234', 'principal', 'administrator', 'idNumber', 'mobile']) expect(summaries).not.toContain(personal);
    });

    it('admin makes no case decisions and reads no cases', async () => {
      const admin = () => h.as({ role: 'admin' });
      await admin().get(`/v1/cases/${eves}`).expect(403);
      await admin().get('/v1/cases').expect(403);
      await admin().post(`/v1/cases/${eves}/withdraw`).send({ reason: 'x' }).expect(403);
    });

    it('an officer assigns cases to itself only; a supervisor assigns anyone', async () => {
      const refused = await h.http.post(`/v1/cases/${annas}/assign`).send({ assignee: 'officer.li' }).expect(403);
      expect(refused.body.code).toBe('FORBIDDEN');
      await h.http.post(`/v1/cases/${annas}/assign`).send({ assignee: 'officer.zhang' }).expect(200);
      const { body } = await h.as({ sub: 'supervisor.wang', role: 'supervisor' }).post(`/v1/cases/${annas}/assign`).send({ assignee: 'officer.li' }).expect(200);
      expect(body.assignee).toBe('officer.li');
    });
  });

  it('records the token subject as the actor on every event and document; X-Actor means nothing', async () => {
    const { body } = await h.http.get(`/v1/cases/${annas}/events`).expect(200);
    expect(body.items[0]).toMatchObject({ type: 'case.created', actor: 'anna@contoso' });
    expect(body.items.map((e: { actor: string }) => e.actor)).not.toContain('someone.else');
    const docs = await h.http.get(`/v1/cases/${eves}/documents`).expect(200);
    expect(docs.body.items[0].uploadedBy).toBe('eve@fabrikam');
  });

  it("keeps each caller's Idempotency-Keys its own", async () => {
    const body = caseBody();
    const first = await anna().post('/v1/cases').set('Idempotency-Key', 'k-1').send(body).expect(201);
    const second = await eve().post('/v1/cases').set('Idempotency-Key', 'k-1').send(body);
    expect(second.body.id).not.toBe(first.body.id);
  });

  it('takes tokens minted by `npm run token`', async () => {
    const token = execFileSync(process.execPath, ['scripts/token.js', '--role', 'applicant', '--sub', 'anna@contoso', '--applicant-id', CONTOSO], {
      cwd: join(__dirname, '..'),
      env: { ...process.env, AUTH_JWT_SECRET: TEST_JWT_SECRET },
      encoding: 'utf8',
    }).trim();
    const { body } = await h.withToken(token).get('/v1/cases').expect(200);
    expect(body.items.map((c: { id: string }) => c.id)).toContain(annas);
  });

  it('sends security headers and no X-Powered-By', async () => {
    const res = await h.http.get('/v1/cases').expect(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['content-security-policy']).toBeDefined();
  });
});

describe('rate limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ICP_RATE_LIMIT_PER_IP: '3', ICP_RATE_LIMIT_PER_USER: '5', ICP_RATE_LIMIT_WINDOW: '1h' });
  });
  afterAll(() => h?.close());

  it('limits calls without a valid token per IP, and each user on its own: 429 RATE_LIMITED with Retry-After', async () => {
    for (let i = 0; i < 3; i++) await h.anonymous.get('/v1/cases').expect(401);
    const limited = await h.anonymous.get('/v1/cases').expect(429);
    expect(limited.body).toEqual({ code: 'RATE_LIMITED', message: expect.any(String), details: expect.any(Object) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await h.withToken('forged.token.here').get('/v1/cases').expect(429);

    const zhang = h.as({ sub: 'officer.zhang', role: 'officer' });
    for (let i = 0; i < 5; i++) await zhang.get('/v1/cases').expect(200);
    expect((await zhang.get('/v1/cases').expect(429)).body.code).toBe('RATE_LIMITED');
    await h.as({ sub: 'officer.li', role: 'officer' }).get('/v1/cases').expect(200);
    // Health probes are not counted.
    await h.anonymous.get('/health/live').expect(200);
  });
});

describe('identity provider tokens (JWKS)', () => {
  let h: Harness;
  let server: Server;
  const ISSUER = 'https://idp.example/realms/icp';
  const AUDIENCE = 'icp-cases';
  let rsa: KeyPair;
  let ec: KeyPair;
  let stranger: KeyPair;
  let served = 0;

  beforeAll(async () => {
    rsa = (await generateKeyPair('RS256'));
    ec = (await generateKeyPair('ES256'));
    stranger = (await generateKeyPair('RS256'));
    const keys: JWK[] = [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ];
    server = createServer((req, res) => {
      served += 1;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    h = await startHarness({ AUTH_JWT_SECRET: '', AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE });
  });
  afterAll(async () => {
    await h?.close();
    await new Promise((r) => server?.close(r));
  });

  const sign = (key: KeyLike, alg: string, kid: string, claims: Record<string, unknown> = {}, opts: { iss?: string; aud?: string; exp?: string } = {}) =>
    new SignJWT({ role: 'officer', ...claims })
      .setProtectedHeader({ alg, kid })
      .setSubject('officer.idp')
      .setIssuer(opts.iss ?? ISSUER)
      .setAudience(opts.aud ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? '10m')
      .sign(key);

  it('accepts RS256 and ES256 tokens signed by the provider’s keys, fetched from its JWKS', async () => {
    await h.withToken(await sign(rsa.privateKey, 'RS256', 'rsa-1')).get('/v1/cases').expect(200);
    await h.withToken(await sign(ec.privateKey, 'ES256', 'ec-1')).get('/v1/cases').expect(200);
    expect(served).toBeGreaterThan(0);
  });

  it('refuses a wrong issuer or audience, an expired token, an unknown key, and HS256 without a secret', async () => {
    const refused = async (token: string) => expect((await h.withToken(token).get('/v1/cases').expect(401)).body.code).toBe('UNAUTHENTICATED');
    await refused(await sign(rsa.privateKey, 'RS256', 'rsa-1', {}, { iss: 'https://evil.example' }));
    await refused(await sign(rsa.privateKey, 'RS256', 'rsa-1', {}, { aud: 'another-app' }));
    await refused(await sign(rsa.privateKey, 'RS256', 'rsa-1', {}, { exp: '-1h' }));
    await refused(await sign(stranger.privateKey, 'RS256', 'rsa-1'));
    await refused(await sign(stranger.privateKey, 'RS256', 'unknown-kid'));
    await refused(await new SignJWT({ role: 'officer' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('10m').sign(new TextEncoder().encode('x'.repeat(32))));
  });
});

describe('configuration', () => {
  it('refuses to start in production without a way to verify tokens, or without codec keys', () => {
    expect(() => loadSecurityConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_JWKS_URL.*AUTH_JWT_SECRET/);
    expect(() => loadSecurityConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32) })).toThrow(/ICP_CODEC_KEYS/);
    expect(() => loadSecurityConfig({ AUTH_JWKS_URL: 'https://idp.example/jwks' })).toThrow(/AUTH_ISSUER/);
    expect(() => loadSecurityConfig({ AUTH_JWT_SECRET: 'short' })).toThrow(/32 bytes/);
  });

  it('binds 127.0.0.1 in development unless HOST says otherwise', () => {
    expect(loadSecurityConfig({}).host).toBe('127.0.0.1');
    expect(loadSecurityConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadSecurityConfig({}).corsOrigins).toEqual([]);
  });
});
