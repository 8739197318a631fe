import { randomUUID } from 'node:crypto';
import type { Test } from 'supertest';
import { caseBody } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';
import { mintToken, unsignedToken } from './support/tokens';

/**
 * The authorisation matrix: every route × every caller, as data. A route the service serves
 * without an entry here fails the first test, so a new endpoint cannot ship unclassified.
 *
 * Calls are made so that nothing changes (bodies the validation pipe refuses, actions the stage
 * refuses): a caller the guards let through gets a 2xx or a 4xx from behind them (400, 404
 * DOCUMENT_NOT_FOUND, 409, 422), never 401/403 or a CASE_NOT_FOUND for its own case.
 */
type Caller = 'applicant' | 'otherApplicant' | 'officer' | 'supervisor' | 'admin';
type Expect = 'allow' | 403 | 404;
const CALLERS: Caller[] = ['applicant', 'otherApplicant', 'officer', 'supervisor', 'admin'];

/** Applicant (own case) / another applicant / officer / supervisor / admin. */
const row = (applicant: Expect, otherApplicant: Expect, officer: Expect, supervisor: Expect, admin: Expect) => ({
  applicant,
  otherApplicant,
  officer,
  supervisor,
  admin,
});
const PUBLIC = 'public' as const;
/** The API documentation (Swagger UI, served by express): public unless AUTH_PUBLIC_DOCS=false. */
const DOCS = 'docs' as const;
/** Public, and outside the OpenAPI document: Prometheus' scrape of /metrics. */
const SCRAPE = 'scrape' as const;
/** Public, and outside the OpenAPI document: the officers' console (a web page; its data comes from /v1 with the user's token). */
const PAGE = 'page' as const;
const caseRead = row('allow', 404, 'allow', 'allow', 403);
const staffOnly = row(403, 403, 'allow', 'allow', 403);
const list = row('allow', 'allow', 'allow', 'allow', 403);
const adminOnly = row(403, 403, 403, 403, 'allow');
const staffAndAdmin = row(403, 403, 'allow', 'allow', 'allow');

interface Entry {
  access: ReturnType<typeof row> | typeof PUBLIC | typeof DOCS | typeof SCRAPE | typeof PAGE;
  /** A request that changes nothing for a caller allowed through. */
  body?: object;
  multipart?: boolean;
}

export const MATRIX: Record<string, Entry> = {
  'POST /v1/precheck': { access: list, body: { filingType: 1 } },
  'POST /v1/cases': { access: list, body: { filingType: 1 } },
  'GET /v1/cases': { access: list },
  'GET /v1/cases/counts': { access: list },
  'GET /v1/cases/:id': { access: caseRead },
  'PATCH /v1/cases/:id': { access: caseRead, body: { filingType: 'BOGUS' } },
  'GET /v1/cases/:id/events': { access: caseRead },
  'POST /v1/cases/:id/certificate-application': { access: staffOnly, body: {} },
  'POST /v1/cases/:id/certificate': { access: staffOnly, body: {} },
  'POST /v1/cases/:id/submit': { access: staffOnly },
  'POST /v1/cases/:id/initial-review': { access: staffOnly, body: {} },
  'POST /v1/cases/:id/sms-verification': { access: staffOnly },
  'POST /v1/cases/:id/miit-decision': { access: staffOnly, body: {} },
  'POST /v1/cases/:id/resolution': { access: staffOnly },
  'POST /v1/cases/:id/withdraw': { access: caseRead, body: {} },
  'POST /v1/cases/:id/assign': { access: staffOnly, body: {} },
  'POST /v1/cases/:id/psb-filing': { access: staffOnly, body: {} },
  'POST /v1/cases/:id/documents': { access: caseRead, multipart: true },
  'GET /v1/cases/:id/documents': { access: caseRead },
  'GET /v1/cases/:id/documents/:docId/content': { access: caseRead },
  'POST /v1/cases/:id/documents/:docId/review': { access: staffOnly, body: {} },
  'POST /v1/cases/:id/hosting/refresh': { access: staffOnly },
  'POST /codec/encode': { access: staffOnly, body: { payloads: 'x' } },
  'POST /codec/decode': { access: staffOnly, body: { payloads: 'x' } },
  'GET /v1/notifications': { access: staffOnly },
  'POST /v1/notifications/:id/read': { access: staffOnly },
  'POST /v1/webhooks': { access: adminOnly, body: {} },
  'GET /v1/webhooks': { access: adminOnly },
  'DELETE /v1/webhooks/:id': { access: adminOnly },
  'GET /v1/webhooks/:id/deliveries': { access: adminOnly },
  'GET /v1/schedules/reminders': { access: staffAndAdmin },
  'GET /metrics': { access: SCRAPE },
  'GET /health/live': { access: PUBLIC },
  'GET /health/ready': { access: PUBLIC },
  'GET /docs': { access: DOCS },
  'GET /docs/': { access: DOCS },
  'GET /docs/index.html': { access: DOCS },
  'GET /docs/swagger-ui-init.js': { access: DOCS },
  'GET /docs/docs/swagger-ui-init.js': { access: DOCS },
  'GET /docs/LICENSE': { access: DOCS },
  'GET /docs-json': { access: DOCS },
  'GET /docs-yaml': { access: DOCS },
  'GET /console/config.json': { access: PAGE },
  'GET /console': { access: PAGE },
  'GET /console/*path': { access: PAGE },
};
const isOpen = (access: Entry['access']): access is typeof PUBLIC | typeof DOCS | typeof SCRAPE | typeof PAGE =>
  access === PUBLIC || access === DOCS || access === SCRAPE || access === PAGE;

/** Every route Nest registered on the HTTP server, as `METHOD /path`. */
export function servedRoutes(h: Harness): string[] {
  const instance = h.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
  return instance.router.stack
    .filter((layer) => layer.route)
    .flatMap((layer) => Object.keys(layer.route!.methods).filter((m) => m !== '_all').map((m) => `${m.toUpperCase()} ${layer.route!.path}`));
}

describe('authorisation matrix', () => {
  let h: Harness;
  let ownCase: string;
  const tokens: Record<Caller, string> = {
    applicant: mintToken({ sub: 'anna@contoso', role: 'applicant', applicantId: 'APP-CONTOSO' }),
    otherApplicant: mintToken({ sub: 'eve@fabrikam', role: 'applicant', applicantId: 'APP-FABRIKAM' }),
    officer: mintToken({ sub: 'officer.zhang', role: 'officer' }),
    supervisor: mintToken({ sub: 'supervisor.wang', role: 'supervisor' }),
    admin: mintToken({ sub: 'admin.root', role: 'admin' }),
  };

  beforeAll(async () => {
    h = await startHarness();
    ownCase = (await h.withToken(tokens.applicant).post('/v1/cases').send(caseBody()).expect(201)).body.id;
  });
  afterAll(() => h?.close());

  const call = (route: string, authorization: string | null): Test => {
    const [method, path] = route.split(' ');
    const url = path.replace(':id', ownCase).replace(':docId', randomUUID());
    const entry = MATRIX[route];
    const base = authorization === null ? h.anonymous : h.withToken(authorization);
    const req = (base as unknown as Record<string, (url: string) => Test>)[method.toLowerCase()](url);
    if (entry.multipart) return req.field('type', 'NOT_A_TYPE');
    return entry.body ? req.send(entry.body) : req;
  };

  it('has an entry for every route the service serves, and serves every entry', () => {
    const served = servedRoutes(h).sort();
    expect(served.filter((r) => !MATRIX[r])).toEqual([]);
    expect(Object.keys(MATRIX).filter((r) => !served.includes(r))).toEqual([]);
  });

  const cells = Object.entries(MATRIX).flatMap(([route, entry]) =>
    CALLERS.map((caller) => [route, caller, isOpen(entry.access) ? 'allow' : entry.access[caller]] as const),
  );

  it.each(cells)('%s as %s: %s', async (route, caller, expected) => {
    const res = await call(route, tokens[caller]);
    if (expected === 'allow') {
      expect([401, 403]).not.toContain(res.status);
      expect(res.body?.code).not.toBe('CASE_NOT_FOUND');
      expect(res.status).toBeLessThan(500);
    } else {
      expect(res.status).toBe(expected);
      expect(res.body).toEqual({ code: expected === 403 ? 'FORBIDDEN' : 'CASE_NOT_FOUND', message: expect.any(String), details: expect.anything() });
    }
  });

  const now = Math.floor(Date.now() / 1000);
  const badTokens: [string, string | null][] = [
    ['no token', null],
    ['an expired token', mintToken({ sub: 'officer.zhang', role: 'officer' }, { expiresInSeconds: -3600 })],
    ['a token signed with another secret', mintToken({ sub: 'officer.zhang', role: 'officer' }, { secret: 'another-secret-another-secret-another' })],
    ['an alg:none token', unsignedToken({ sub: 'officer.zhang', role: 'officer' })],
    ['an HS384 token', mintToken({ sub: 'officer.zhang', role: 'officer' }, { header: { alg: 'HS384', typ: 'JWT' } })],
    ['a token without exp', mintToken({ sub: 'officer.zhang', role: 'officer' }, { expiresInSeconds: null })],
    ['a token with an unknown role', mintToken({ sub: 'root', role: 'root' })],
    ['an applicant token without applicantId', mintToken({ sub: 'anna', role: 'applicant' })],
    ['a truncated token', tokens.officer.slice(0, -10)],
    ['a token whose payload was changed', (() => {
      const [head, , sig] = tokens.applicant.split('.');
      const forged = Buffer.from(JSON.stringify({ sub: 'x', role: 'supervisor', exp: now + 3600 })).toString('base64url');
      return `${head}.${forged}.${sig}`;
    })()],
    ['a non-bearer scheme', 'Basic b2ZmaWNlcjpwdw=='],
  ];

  const protectedRoutes = Object.entries(MATRIX).filter(([, e]) => !isOpen(e.access)).map(([r]) => r);
  const badCells = badTokens.flatMap(([name, token]) => protectedRoutes.map((route) => [route, name, token] as const));

  it.each(badCells)('%s with %s: 401 UNAUTHENTICATED', async (route, name, token) => {
    const authorization = token === null ? null : name === 'a non-bearer scheme' ? token : token;
    const req = authorization === null ? call(route, null) : name === 'a non-bearer scheme' ? call(route, null).set('Authorization', token!) : call(route, authorization);
    const res = await req;
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: 'UNAUTHENTICATED', message: expect.any(String), details: null });
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('answers the health probes and (by default) the docs without a token', async () => {
    await h.anonymous.get('/health/live').expect(200);
    expect([200, 503]).toContain((await h.anonymous.get('/health/ready')).status);
    await h.anonymous.get('/docs-json').expect(200);
    // Prometheus scrapes without a token.
    expect((await h.anonymous.get('/metrics').expect(200)).text).toContain('http_request_duration_seconds');
  });

  it('puts the docs behind a token with AUTH_PUBLIC_DOCS=false', async () => {
    const closed = await startHarness({ AUTH_PUBLIC_DOCS: 'false' });
    try {
      for (const route of Object.keys(MATRIX).filter((r) => MATRIX[r].access === DOCS)) {
        const path = route.split(' ')[1];
        expect((await closed.anonymous.get(path).expect(401)).body.code).toBe('UNAUTHENTICATED');
        expect((await closed.withToken(badTokens[1][1]!).get(path).expect(401)).body.code).toBe('UNAUTHENTICATED');
      }
      await closed.as({ role: 'admin' }).get('/docs-json').expect(200);
      await closed.anonymous.get('/health/live').expect(200);
    } finally {
      await closed.close();
    }
  });

  it('documents the bearer scheme and each operation\'s roles in OpenAPI', async () => {
    const { body: doc } = await h.anonymous.get('/docs-json').expect(200);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    const ops = Object.entries(doc.paths as Record<string, Record<string, { description?: string; security?: unknown[] }>>).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, op })),
    );
    expect(ops.length).toBe(Object.values(MATRIX).filter((e) => e.access !== DOCS && e.access !== SCRAPE && e.access !== PAGE).length);
    for (const { route, op } of ops) {
      const access = MATRIX[route].access;
      if (access === DOCS || access === SCRAPE || access === PAGE) throw new Error(`${route} should not be an operation`);
      if (access === PUBLIC) {
        expect(op.description).toContain('Access: public');
      } else {
        const roles = (['applicant', 'officer', 'supervisor', 'admin'] as const).filter((r) => access[r] !== 403);
        expect(op.description).toContain(`Roles: ${roles.join(', ')}.`);
        expect(op.security).toEqual([{ bearer: [] }]);
      }
    }
  });
});
