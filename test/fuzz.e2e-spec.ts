import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { caseBody } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';
import { mintToken, unsignedToken } from './support/tokens';

/**
 * Hostile input at every endpoint (fast-check): generated and hand-picked bodies, query strings,
 * path parameters, headers and tokens. Every answer must be a 4xx in the contract's error shape,
 * never a 5xx, and nothing may change: the rows and the case's workflow history are counted
 * before and after. Bounded: a fixed number of runs per property and a time limit.
 */
const ROUTES: [string, string][] = [
  ['POST', '/v1/precheck'],
  ['POST', '/v1/cases'],
  ['GET', '/v1/cases'],
  ['GET', '/v1/cases/:id'],
  ['PATCH', '/v1/cases/:id'],
  ['GET', '/v1/cases/:id/events'],
  ['POST', '/v1/cases/:id/certificate-application'],
  ['POST', '/v1/cases/:id/certificate'],
  ['POST', '/v1/cases/:id/submit'],
  ['POST', '/v1/cases/:id/initial-review'],
  ['POST', '/v1/cases/:id/sms-verification'],
  ['POST', '/v1/cases/:id/miit-decision'],
  ['POST', '/v1/cases/:id/resolution'],
  ['POST', '/v1/cases/:id/withdraw'],
  ['POST', '/v1/cases/:id/assign'],
  ['POST', '/v1/cases/:id/psb-filing'],
  ['POST', '/v1/cases/:id/documents'],
  ['GET', '/v1/cases/:id/documents'],
  ['GET', '/v1/cases/:id/documents/:docId/content'],
  ['POST', '/v1/cases/:id/documents/:docId/review'],
  ['POST', '/codec/encode'],
  ['POST', '/codec/decode'],
];

const HOSTILE_STRINGS = [
  "' OR 1=1 --",
  "'; DROP TABLE cases; --",
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '%00',
  '\u0000',
  '\ud800',
  '\u202e\u0000\uffff',
  '𝕴𝖈𝖕 😀 ﷽',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '{{7*7}}',
  'a'.repeat(70_000),
  '__proto__',
  'constructor',
  '-1',
  '1e309',
  'NaN',
  'null',
  '[]',
];

const RAW_BODIES = [
  '{"__proto__":{"isAdmin":true,"role":"admin"},"constructor":{"prototype":{"polluted":1}}}',
  '{"applicant":{"__proto__":{"principal":{"idNumber":"x"}}}}',
  '{"a":' + '['.repeat(5000) + ']'.repeat(5000) + '}',
  '{"truncated": ',
  '\u0000\u0001\u0002',
  'null',
  '[]',
  '"just a string"',
  '1e309',
  '{"reason": "\\ud800"}',
  '{"assignee": {"$ne": null}}',
  '{"decision":"APPROVED","icpNumber":"浙ICP备\'; DROP TABLE cases;--号"}',
];

describe('hostile input never hurts', () => {
  let h: Harness;
  let db: Client;
  let caseId: string;
  let sent = 0;
  let serverErrors = 0;
  const statuses = new Map<number, number>();

  // Callers of their own, so the counts below see only what this test could have changed
  // (other test files write to the same database at the same time).
  const run = randomUUID().slice(0, 8);
  const officerSub = `officer.fuzz.${run}`;
  const strangerSub = `mallory.${run}`;
  const officer = mintToken({ sub: officerSub, role: 'officer' });
  const stranger = mintToken({ sub: strangerSub, role: 'applicant', applicantId: `APP-MALLORY-${run}` });
  const forgedTokens = [
    unsignedToken({ sub: 'officer.zhang', role: 'officer' }),
    officer.slice(0, -5),
    officer.split('.').slice(0, 2).join('.') + '.',
    mintToken({ sub: 'officer.zhang', role: 'officer' }, { secret: 'guessed-secret-guessed-secret-guessed!!' }),
    mintToken({ sub: 'officer.zhang', role: 'officer' }, { expiresInSeconds: -60 }),
    mintToken({ sub: "' OR 1=1 --", role: 'officer\u0000' }),
    mintToken({ sub: 'x'.repeat(5000), role: 'supervisor' }),
    mintToken({ sub: 'officer.zhang', role: 'officer' }, { header: { alg: 'RS256', typ: 'JWT' } }),
    mintToken({ sub: 'officer.zhang', role: 'officer' }, { header: { alg: 'HS256', typ: 'JWT', kid: '../../../../dev/null', jku: 'http://127.0.0.1:1/' } }),
    'e30.e30.',
    '...',
    'Bearer',
  ];

  const counts = async () => {
    const [row] = (
      await db.query(
        `SELECT (SELECT count(*) FROM case_events WHERE actor = ANY($2)) AS "eventsByFuzzCallers",
                (SELECT count(*) FROM documents WHERE uploaded_by = ANY($2) OR reviewed_by = ANY($2)) AS "documentsByFuzzCallers",
                (SELECT count(*) FROM cases WHERE applicant_id = $3) AS "casesOwnedByStranger",
                (SELECT count(*) FROM case_events WHERE case_id = $1) AS "eventsOfTheCase",
                (SELECT count(*) FROM documents WHERE case_id = $1) AS "documentsOfTheCase",
                (SELECT version FROM cases WHERE id = $1) AS version`,
        [caseId, [officerSub, strangerSub], `APP-MALLORY-${run}`],
      )
    ).rows;
    const history = await h.temporal.workflow.getHandle(`Case:${caseId}`).fetchHistory();
    return { ...row, historyEvents: history.events?.length };
  };

  beforeAll(async () => {
    h = await startHarness();
    db = new Client({ connectionString: h.config.databaseUrl });
    await db.connect();
    caseId = (await h.http.post('/v1/cases').send(caseBody()).expect(201)).body.id;
    // The officer's token reaches every handler: one legitimate change first, so the counts are not all zero.
    await h.withToken(officer).post(`/v1/cases/${caseId}/assign`).send({ assignee: officerSub }).expect(200);
  });
  afterAll(async () => {
    await db?.end();
    await h?.close();
    // The number the issue asks for: how many hostile requests, how many 5xx.
    console.log(`fuzz: ${sent} requests, ${serverErrors} answered 5xx; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  });

  const hostile = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 50 }), fc.string({ unit: 'binary', maxLength: 50 }));
  const value = fc.oneof(hostile, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(hostile, { maxLength: 5 }));
  const body = fc.oneof(
    fc.object({ key: fc.oneof(hostile, fc.constantFrom('__proto__', 'constructor', 'prototype', 'decision', 'reason', 'assignee', 'payloads', 'applicant', 'websites')), values: [value], maxDepth: 3 }),
    fc.anything({ maxDepth: 3 }),
    fc.constantFrom(...RAW_BODIES),
  );
  // Percent-encoded bytes (encodeURIComponent refuses lone surrogates, which is part of the point).
  const pct = (s: string) => Array.from(Buffer.from(s).subarray(0, 600), (b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  const pathParam = fc.oneof(fc.uuid(), hostile.map(pct), hostile.map((s) => s.replace(/[^A-Za-z0-9._~-]/g, '').slice(0, 500) || 'x'));
  const token = fc.oneof(fc.constant(null), fc.constant(officer), fc.constant(stranger), fc.constantFrom(...forgedTokens), hostile);
  const request = fc.record({
    route: fc.constantFrom(...ROUTES),
    id: fc.oneof(fc.constant('CASE'), pathParam),
    docId: pathParam,
    token,
    query: fc.dictionary(hostile.map((s) => s.slice(0, 100)), hostile.map((s) => s.slice(0, 1000)), { maxKeys: 4 }),
    body,
    contentType: fc.constantFrom('application/json', 'application/merge-patch+json', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16'),
    extraHeaders: fc.dictionary(fc.constantFrom('If-Match', 'X-Request-Id', 'X-Actor', 'X-Forwarded-For', 'Accept', 'Origin'), hostile.map((s) => s.replace(/[^\x20-\x7e]/g, '').slice(0, 500)), { maxKeys: 3 }),
  });

  it('answers every generated request with a 4xx in the error shape, and changes nothing', async () => {
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const [method, template] = r.route;
        // The real case only with a caller that may not change it (the officer's token changes cases by design).
        const id = r.id === 'CASE' ? (r.token === officer ? pct(HOSTILE_STRINGS[0]) : caseId) : r.id;
        const url = template.replace(':id', id).replace(':docId', r.docId);
        let req = (h.anonymous as unknown as Record<string, (u: string) => import('supertest').Test>)[method.toLowerCase()](url).query(r.query);
        const authorization = r.token === null ? null : /[^\x20-\x7e]/.test(r.token) ? null : `Bearer ${r.token}`;
        if (authorization) req = req.set('Authorization', authorization);
        for (const [k, v] of Object.entries(r.extraHeaders)) req = req.set(k, v);
        if (method !== 'GET') {
          const payload = typeof r.body === 'string' ? r.body : JSON.stringify(r.body) ?? 'undefined';
          req = req.set('Content-Type', r.contentType).send(payload);
        }
        const res = await req;
        sent += 1;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) serverErrors += 1;
        expect(res.status).toBeLessThan(500);
        if (res.status < 400) {
          // Only reads (a list, a precheck, the codec) may answer 2xx; the counts below prove nothing changed.
          expect(method === 'GET' || template === '/v1/precheck' || template.startsWith('/codec/')).toBe(true);
        } else if (res.status !== 431) {
          // (431: Node's HTTP parser refuses headers past its limit before the application sees them.)
          expect(Object.keys(res.body).sort()).toEqual(['code', 'details', 'message']);
        }
      }),
      { numRuns: 1000, interruptAfterTimeLimit: 120_000, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 100000) },
    );
    expect(await counts()).toEqual(before);
  }, 200_000);

  it('survives prototype-pollution bodies on every route without polluting anything', async () => {
    const before = await counts();
    for (const [method, template] of ROUTES) {
      for (const raw of RAW_BODIES.slice(0, 3)) {
        const url = template.replace(':id', caseId).replace(':docId', '00000000-0000-4000-8000-000000000000');
        const base = h.withToken(stranger) as unknown as Record<string, (u: string) => import('supertest').Test>;
        const res = await base[method.toLowerCase()](url).set('Content-Type', 'application/json').send(raw);
        sent += 1;
        if (res.status >= 500) serverErrors += 1;
        expect(res.status).toBeLessThan(500);
        if (method !== 'GET') expect(res.status).toBeGreaterThanOrEqual(400);
      }
    }
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await counts()).toEqual(before);
  });
});
