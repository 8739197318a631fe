import { tracingSinks } from '../apps/worker/src/tracing.interceptors';
import { Worker } from '@temporalio/worker';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import { codecDataConverter, parseCodecKeys } from '../libs/codec/src';
import { caseBody } from './support/fixtures';
import { DEFAULT_OFFICER, startHarness, type Harness } from './support/harness';
import { mintToken, TEST_CODEC_KEYS } from './support/tokens';

const UI_ORIGIN = 'http://127.0.0.1:18233';
const cli = process.env.TEMPORAL_CLI || resolve(__dirname, '../.tools/bin/temporal');

/**
 * Personal data in Temporal: every payload is encrypted by the codec (API client and worker), so
 * `temporal workflow show` shows ciphertext; the codec endpoint lets an authorised operator (and
 * the Temporal UI, from its origin only) read it; and encrypted histories replay through the codec.
 */
describe('payload encryption and the codec endpoint', () => {
  let h: Harness;
  const passport = `E${randomInt(10_000_000, 99_999_999)}`;
  let caseId: string;

  beforeAll(async () => {
    h = await startHarness({ ICP_CODEC_CORS_ORIGIN: UI_ORIGIN });
    const body = caseBody();
    body.applicant.principal.idNumber = passport;
    const created = await h.http.post('/v1/cases').send(body).expect(201);
    caseId = created.body.id;
    expect(created.body.applicant.principal.idNumber).toBe(passport);
    await h.http.post(`/v1/cases/${caseId}/withdraw`).send({ reason: 'filed twice' }).expect(200);
  });
  afterAll(async () => {
    await h?.close();
  });

  // Asynchronous: with --codec-endpoint the CLI calls this very process back.
  const show = async (...extra: string[]): Promise<string> =>
    (
      await promisify(execFile)(
        cli,
        ['workflow', 'show', '--address', h.config.temporal.address, '--namespace', h.config.temporal.namespace, '-w', `Case:${caseId}`, '-o', 'json', ...extra],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      )
    ).stdout;

  it('keeps the passport number out of `temporal workflow show -o json`: the history holds ciphertext', async () => {
    const history = await show();
    const data = [...history.matchAll(/"data": "([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1], 'base64').toString('utf8')).join('\n');
    expect(history).not.toContain(passport);
    expect(data).not.toContain(passport);
    expect(data).not.toContain('Contoso'); // nothing of the filing is readable
    expect(history).toContain(Buffer.from('binary/encrypted').toString('base64'));
  });

  it('shows it to an officer through the codec endpoint (temporal --codec-endpoint --codec-auth)', async () => {
    const token = mintToken({ sub: DEFAULT_OFFICER, role: 'officer' });
    const decoded = await show('--codec-endpoint', `${h.baseUrl}/codec`, '--codec-auth', `Bearer ${token}`);
    // `-o json` prints payload data base64-encoded: decode every data field and look there.
    const plain = [...decoded.matchAll(/"data": "([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1], 'base64').toString('utf8')).join('\n');
    expect(plain).toContain(passport);
    expect(plain).not.toContain(passport.replace(/./, 'X')); // sanity: the search is for this number
  });

  it('replays the encrypted history through the codec', async () => {
    const history = JSON.parse(await show());
    const dataConverter = codecDataConverter(parseCodecKeys(TEST_CODEC_KEYS));
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: process.env.ICP_WORKFLOW_BUNDLE! }, dataConverter, sinks: tracingSinks(undefined) },
      history,
      'encrypted',
    );
  });

  it('answers the codec endpoints only to staff with a valid token', async () => {
    const [encrypted] = JSON.parse(await show()).events[0].workflowExecutionStartedEventAttributes.input.payloads;
    await h.anonymous.post('/codec/decode').send({ payloads: [encrypted] }).expect(401);
    await h.withToken('not.a.token').post('/codec/decode').send({ payloads: [encrypted] }).expect(401);
    expect((await h.as({ role: 'applicant', applicantId: 'A-1' }).post('/codec/decode').send({ payloads: [encrypted] }).expect(403)).body.code).toBe('FORBIDDEN');
    await h.as({ role: 'admin' }).post('/codec/decode').send({ payloads: [encrypted] }).expect(403);
    const { body } = await h.http.post('/codec/decode').send({ payloads: [encrypted] }).expect(200);
    expect(Buffer.from(body.payloads[0].data, 'base64').toString('utf8')).toContain(passport);
    const again = await h.as({ role: 'supervisor' }).post('/codec/encode').send({ payloads: body.payloads }).expect(200);
    expect(Buffer.from(again.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    expect((await h.http.post('/codec/decode').send({ payloads: [{ data: '%%%' }] }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await h.http.post('/codec/decode').send({ payloads: 'x' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await h.http.post('/codec/decode').send({}).expect(200)).body).toEqual({ payloads: [] });
  });

  it('lets only the configured Temporal UI origin call the codec cross-origin', async () => {
    const preflight = await h.anonymous
      .options('/codec/decode')
      .set({ Origin: UI_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,x-namespace' })
      .expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    expect(preflight.headers['access-control-allow-credentials']).toBe('true');
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/i);
    const foreign = await h.anonymous.options('/codec/decode').set({ Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    // The API itself has no CORS unless ICP_CORS_ORIGINS is set.
    const api = await h.http.get('/v1/cases').set('Origin', UI_ORIGIN).expect(200);
    expect(api.headers['access-control-allow-origin']).toBeUndefined();
  });
});
