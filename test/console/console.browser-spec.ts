import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { NotificationRepository } from '../../libs/persistence/src';
import { DOCUMENT_NAMES, MESSAGES, STAGE_NAMES, type Lang, type MessageKey } from '../../apps/console/src/messages';
import { website } from '../../libs/domain/src/testing/facts';
import { caseApi, satisfyChecklist } from '../support/api';
import { startDnsServer, type DnsServer } from '../support/dns-server';
import { pdfNamed, PNG } from '../support/files';
import { caseBody } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { mintToken } from '../support/tokens';
import { launchChromium, overflowsHorizontally, seriousAxeViolations, type ConsoleBrowser } from './browser';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureConsoleBuilt } = require('../../scripts/build-console') as { ensureConsoleBuilt(): Promise<boolean> };

const ROOT = resolve(__dirname, '../..');
/** Screenshots for the README (docs/) only when asked (`npm run console:screenshots`); otherwise under .data/. */
const SHOTS = process.env.CONSOLE_SCREENSHOTS === '1' ? join(ROOT, 'docs') : join(ROOT, '.data', 'console-screenshots');
const SLB_IP = '47.98.10.20';

// A whole case worked through a browser: minutes on a loaded 2-core machine, not seconds.
jest.setTimeout(300_000);

const text = (lang: Lang, key: MessageKey, values: Record<string, string | number> = {}) =>
  MESSAGES[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name]));
const stage = (lang: Lang, s: keyof typeof STAGE_NAMES) => STAGE_NAMES[s][lang];

/**
 * The officers' console in a real browser (Debian's Chromium), against the real API, worker,
 * Temporal and PostgreSQL: what an officer and an applicant do, checked through the page only.
 */
describe('the officers\u2019 console', () => {
  let h: Harness;
  let dns: DnsServer;
  let chrome: ConsoleBrowser;
  const officer = `officer.${randomUUID().slice(0, 6)}`;
  const officerToken = mintToken({ sub: officer, role: 'officer' }, { expiresInSeconds: 3600 });

  beforeAll(async () => {
    // CI runs from a clean clone: the console is built here when dist/console is missing or stale.
    await ensureConsoleBuilt();
    mkdirSync(SHOTS, { recursive: true });
    dns = await startDnsServer({});
    h = await startHarness({ ICP_DNS_SERVERS: dns.address });
    chrome = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await chrome?.close();
    await h?.close();
    await dns?.close();
  });

  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  async function openConsole(locale: Lang, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await chrome.browser.newContext({ locale, viewport, timezoneId: 'Europe/Berlin' });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      // A refused request is logged by the browser itself ("Failed to load resource"); the page
      // shows those answers in words, which the scenarios check. Anything else is a fault.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
    });
    (page as Page & { problems: string[] }).problems = problems;
    // The API paths the page called (without the query): which list the worklist reads.
    const paths: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/v1/')) paths.push(url.pathname);
    });
    (page as Page & { apiPaths: string[] }).apiPaths = paths;
    await page.goto(`${h.baseUrl}/console/`);
    return page;
  }

  async function signIn(page: Page, lang: Lang, token: string): Promise<void> {
    await page.getByLabel(text(lang, 'signIn.token')).fill(token);
    await page.getByRole('button', { name: text(lang, 'signIn.submit') }).click();
  }

  async function expectAccessible(page: Page): Promise<void> {
    expect(await seriousAxeViolations(page)).toEqual([]);
  }

  /** A case in INITIAL_REVIEW (documents accepted, submitted) whose review deadline passed `daysAgo` days ago. */
  async function overdueCaseInInitialReview(name: string, domain: string, daysAgo = 10): Promise<{ id: string; reference: string }> {
    const api = caseApi(h);
    const body = caseBody({}, name);
    body.websites[0].domains = [domain];
    const { body: created } = await api.create(body).expect(201);
    await satisfyChecklist(h, created.id);
    await api.act(created.id, 'submit').expect(200);
    // The review limit is business days from now, so the read model's deadline is moved into the
    // past, as it stands for a case submitted weeks ago; the workflow's next projection replaces it.
    const past = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
    await h.app.get(DataSource).query(
      `UPDATE cases SET review_due = $2::timestamptz, next_deadline_at = $2::timestamptz,
         view = jsonb_set(jsonb_set(view, '{deadlines,reviewDue}', to_jsonb($3::text)), '{deadlines,initialReviewDue}', to_jsonb($3::text))
       WHERE id = $1`,
      [created.id, past, past],
    );
    return { id: created.id, reference: created.reference };
  }

  /** A GET with the path exactly as given: node:http sends it unparsed. */
  function rawGet(path: string): Promise<{ status: number; body: string }> {
    const { hostname, port } = new URL(h.baseUrl);
    return new Promise((done, fail) => {
      const req = request({ host: hostname, port, path, method: 'GET', headers: { Accept: 'application/json' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', fail);
      req.end();
    });
  }

  it('serves the console at /console: bundled assets, its CSP, the page for any path below it, sign-in settings', async () => {
    const index = await fetch(`${h.baseUrl}/console/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = index.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https:/);
    const html = await index.text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)![1];
    const asset = await fetch(`${h.baseUrl}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    // No source maps: none referenced, none served.
    expect(await asset.text()).not.toContain('sourceMappingURL');
    const map = await fetch(`${h.baseUrl}${script}.map`);
    expect(map.status).toBe(404);
    expect(((await map.json()) as { code: string }).code).toBe('ROUTE_NOT_FOUND');
    // A route of the page (a reload on a case) gets the page; a missing asset is a 404 in the contract's shape.
    expect(await (await fetch(`${h.baseUrl}/console/cases/${randomUUID()}`)).text()).toBe(html);
    const missing = await fetch(`${h.baseUrl}/console/assets/nothing-here.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('ROUTE_NOT_FOUND');
    // A way out of dist/console: sent as raw paths (fetch's URL parser would resolve the dots away).
    for (const path of [
      '/console/..%2fpackage.json',
      '/console/%2e%2e/package.json',
      '/console/%2e%2e%2fpackage.json',
      '/console/%252e%252e/package.json',
      '/console/assets/..%2f..%2f..%2fpackage.json',
      '/console/..%5cpackage.json',
    ]) {
      const answer = await rawGet(path);
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
      expect(JSON.parse(answer.body)).toEqual({ code: 'ROUTE_NOT_FOUND', message: expect.any(String), details: null });
      expect(answer.body).not.toContain('"dependencies"');
    }
    const settings = await (await fetch(`${h.baseUrl}/console/config.json`)).json();
    expect(settings).toEqual({ oidc: null, tokenSignIn: true, officersQueue: h.config.reminders.officersQueue });
  });

  it('an officer finds an overdue case in the worklist, reviews its documents, records the initial review and works it to COMPLETED', async () => {
    const name = `Contoso Console ${randomUUID().slice(0, 8)}`;
    const domain = `console-${randomUUID().slice(0, 8)}.cn`;
    const { id, reference } = await overdueCaseInInitialReview(name, domain);

    let lang: Lang = 'zh-CN';
    const page = await openConsole(lang);
    await expectAccessible(page); // the sign-in page
    await signIn(page, lang, officerToken);
    await page.getByRole('heading', { name: text(lang, 'worklist.title') }).waitFor();

    // The worklist: the overdue view, the row in red with the word "overdue", counts per stage.
    await page.getByRole('button', { name: text(lang, 'worklist.view.overdue') }).click();
    await page.getByLabel(text(lang, 'worklist.search')).fill(name);
    await page.getByRole('button', { name: text(lang, 'worklist.apply') }).click();
    const row = page.getByRole('row', { name: new RegExp(reference) });
    await row.waitFor();
    expect(await row.getByText(text(lang, 'deadline.overdue')).count()).toBe(1);
    expect(await row.locator('.deadline.overdue').count()).toBe(1);
    expect(await row.textContent()).toContain(stage(lang, 'INITIAL_REVIEW'));
    expect(await row.textContent()).toContain(name);
    expect(await row.getByRole('button', { name: text(lang, 'worklist.assignToMeLabel', { reference }) }).count()).toBe(1);
    // Business days overdue, from the API's summary (at least one: the deadline passed ten days ago).
    expect(await row.textContent()).toMatch(new RegExp(text(lang, 'deadline.overdueBy', { n: 'X' }).replace('X', '[1-9]\\d*')));
    // Counts per stage for the same filters: the initial review holds this case.
    const counts = page.getByRole('region', { name: text(lang, 'worklist.counts') });
    expect(await counts.getByRole('button', { name: new RegExp(`^${stage(lang, 'INITIAL_REVIEW')} \\d+$`) }).textContent()).toMatch(/[1-9]/);
    await expectAccessible(page);
    await page.screenshot({ path: join(SHOTS, 'console-worklist.png'), fullPage: true });
    // Rows are summaries (GET /v1/cases answers whole case views, with personal data the list does not show).
    const apiPaths = (page as Page & { apiPaths: string[] }).apiPaths;
    expect(apiPaths).toContain('/v1/cases/summaries');
    expect(apiPaths).not.toContain('/v1/cases');

    // The case: the road stands at the initial review, with its (passed) deadline.
    await row.getByRole('link', { name: reference }).click();
    await page.getByRole('heading', { name: new RegExp(reference) }).waitFor();
    expect(await page.locator('[aria-current="step"]').textContent()).toContain(stage(lang, 'INITIAL_REVIEW'));
    expect(await page.locator('[aria-current="step"] .deadline.overdue').count()).toBe(1);

    // Documents: every checklist slot is satisfied; one is opened in the preview and closed again.
    const documents = page.getByRole('region', { name: text(lang, 'case.documents') });
    await documents.getByRole('row').nth(1).waitFor();
    expect(await documents.getByText(text(lang, 'docs.missing'), { exact: false }).count()).toBe(0);
    await documents.getByRole('button', { name: new RegExp(`^${text(lang, 'docs.preview')}`) }).first().click();
    const preview = page.getByRole('dialog');
    await preview.waitFor();
    await preview.getByRole('button', { name: text(lang, 'action.cancel') }).click();
    await preview.waitFor({ state: 'hidden' });

    // Assign to me, then record the initial review: the timeline moves to the SMS check.
    await page.getByRole('button', { name: text(lang, 'worklist.assignToMe') }).click();
    await page.getByText(`${text(lang, 'case.assignee')}: ${officer}`).waitFor();
    await page.getByRole('button', { name: text(lang, 'action.initial-review') }).click();
    const reviewForm = page.getByRole('form', { name: text(lang, 'action.initial-review') });
    await reviewForm.getByLabel(text(lang, 'form.approved')).check();
    await reviewForm.getByRole('button', { name: text(lang, 'action.initial-review') }).click();
    await page.getByText(text(lang, 'action.done', { stage: stage(lang, 'AWAITING_SMS_VERIFICATION') })).waitFor();
    expect(await page.locator('[aria-current="step"]').textContent()).toContain(stage(lang, 'AWAITING_SMS_VERIFICATION'));
    const audit = page.getByRole('region', { name: text(lang, 'case.audit') });
    await audit.getByText('initial-review.approved').waitFor();
    expect(await audit.getByRole('row', { name: /initial-review\.approved/ }).textContent()).toContain(officer);

    // The same page in English (persisted), the rest of the road: SMS, MIIT with an ICP number, DNS, PSB.
    lang = 'en';
    await page.getByLabel(MESSAGES['zh-CN']['nav.language']).selectOption('en');
    await page.getByRole('heading', { name: text(lang, 'case.road') }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: text(lang, 'case.road') }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('region', { name: text(lang, 'case.audit') }).getByText('initial-review.approved').waitFor();
    await page.screenshot({ path: join(SHOTS, 'console-case.png') });

    const act = async (action: MessageKey, fill?: () => Promise<void>, expected?: keyof typeof STAGE_NAMES) => {
      await page.getByRole('button', { name: text(lang, action), exact: true }).first().click();
      const form = page.getByRole('form', { name: text(lang, action) });
      await fill?.();
      await form.getByRole('button', { name: text(lang, action) }).click();
      if (expected) await page.getByText(text(lang, 'action.done', { stage: stage(lang, expected) })).waitFor();
    };
    await act('action.sms-verification', undefined, 'MIIT_REVIEW');
    // A malformed ICP number is refused (422) in words next to the form; the input stays for correction.
    await act('action.miit-decision', async () => {
      await page.getByLabel(text(lang, 'form.icpNumber')).fill('not-an-icp-number');
    });
    const refusal = page.getByRole('form', { name: text(lang, 'action.miit-decision') }).getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/ICP_NUMBER_INVALID|ICP number/);
    await page.getByLabel(text(lang, 'form.icpNumber')).fill('浙ICP备2026009876号-1');
    await page.getByRole('form', { name: text(lang, 'action.miit-decision') }).getByRole('button', { name: text(lang, 'action.miit-decision') }).click();
    await page.getByText(text(lang, 'action.done', { stage: stage(lang, 'RESOLVING') })).waitFor();

    // DNS does not point at the SLB yet: the check answers 422 DNS_NOT_RESOLVED, shown in words.
    await act('action.resolution');
    await page.getByRole('form', { name: text(lang, 'action.resolution') }).getByText('DNS_NOT_RESOLVED').waitFor();
    dns.set({ [domain]: { A: [SLB_IP] } });
    await page.getByRole('form', { name: text(lang, 'action.resolution') }).getByRole('button', { name: text(lang, 'action.resolution') }).click();
    await page.getByText(text(lang, 'action.done', { stage: stage(lang, 'COMPLETED') })).waitFor();
    expect(await page.locator('.road .step.done').count()).toBe(await page.locator('.road .step').count());

    await act('action.psb-filing', async () => {
      await page.getByLabel(text(lang, 'form.recordNumber')).fill('33010602099999');
      await page.getByLabel(text(lang, 'form.filedAt')).fill('2026-12-01');
    });
    await page.getByText(text(lang, 'case.noActions')).waitFor();
    await expectAccessible(page);

    const { body: completed } = await h.http.get(`/v1/cases/${id}`).expect(200);
    expect(completed).toMatchObject({ stage: 'COMPLETED', icpNumber: '浙ICP备2026009876号-1', assignee: officer });
    expect((page as Page & { problems: string[] }).problems).toEqual([]);

    // Another officer's worklist offers no assignment of the closed case (the API would answer 409).
    const colleague = await openConsole(lang);
    await signIn(colleague, lang, mintToken({ sub: `officer.${randomUUID().slice(0, 6)}`, role: 'officer' }, { expiresInSeconds: 3600 }));
    await colleague.getByRole('heading', { name: text(lang, 'worklist.title') }).waitFor();
    await colleague.goto(`${h.baseUrl}/console/?view=all&q=${encodeURIComponent(name)}`);
    const closed = colleague.getByRole('row', { name: new RegExp(reference) });
    await closed.waitFor();
    expect(await closed.textContent()).toContain(stage(lang, 'COMPLETED'));
    expect(await closed.getByRole('button', { name: text(lang, 'worklist.assignToMeLabel', { reference }) }).count()).toBe(0);
  });

  it('an officer reviews an applicant\u2019s documents: accepts, rejects one with a reason, uploads a replacement, submits', async () => {
    const applicantId = `APP-${randomUUID().slice(0, 8)}`;
    const anna = caseApi(h, 'anna@contoso', 'applicant', applicantId);
    // Two websites: the second one's authorisation letter (a per-website slot) is left for the officer.
    const body = caseBody();
    body.websites.push(website('康拓索博客', `blog-${randomUUID().slice(0, 8)}.cn`));
    const { body: created } = await anna.create(body).expect(201);
    const { body: docs } = await h.http.get(`/v1/cases/${created.id}/documents`).expect(200);
    const isSecondLetter = (slot: { type: string; websiteIndex: number | null }) => slot.type === 'AUTHORISATION_LETTER' && slot.websiteIndex === 1;
    expect((docs.checklist as { type: string; websiteIndex: number | null }[]).filter(isSecondLetter)).toHaveLength(1);
    for (const slot of (docs.checklist as { type: string; websiteIndex: number | null }[]).filter((s) => !isSecondLetter(s))) {
      const upload = h.as({ sub: 'anna@contoso', role: 'applicant', applicantId }).post(`/v1/cases/${created.id}/documents`).field('type', slot.type);
      if (slot.websiteIndex !== null) void upload.field('websiteIndex', String(slot.websiteIndex));
      await upload.attach('file', pdfNamed(`${slot.type}-${slot.websiteIndex}`), `${slot.type.toLowerCase()}.pdf`).expect(201);
    }

    const lang: Lang = 'en';
    const page = await openConsole(lang);
    await signIn(page, lang, officerToken);
    await page.goto(`${h.baseUrl}/console/cases/${created.id}`);
    const documents = page.getByRole('region', { name: text(lang, 'case.documents') });
    // The missing letter, from its own checklist row: the form takes that row's type and website.
    const letterSlot = `${DOCUMENT_NAMES.AUTHORISATION_LETTER[lang]} · ${body.websites[1].name}`;
    await documents.getByRole('button', { name: text(lang, 'docs.chooseFileFor', { name: letterSlot }) }).click();
    expect(await documents.getByLabel(text(lang, 'docs.type'), { exact: true }).inputValue()).toBe('AUTHORISATION_LETTER');
    expect(await documents.getByLabel(text(lang, 'docs.website'), { exact: true }).inputValue()).toBe('1');
    await documents.getByLabel(text(lang, 'docs.uploadFile'), { exact: true }).setInputFiles({ name: 'letter-blog.pdf', mimeType: 'application/pdf', buffer: pdfNamed('letter-blog') });
    await documents.getByRole('button', { name: text(lang, 'docs.uploadSubmit') }).click();
    await page.getByText(text(lang, 'docs.uploadedOk', { name: 'letter-blog.pdf' })).waitFor();
    const { body: withLetter } = await h.http.get(`/v1/cases/${created.id}/documents`).expect(200);
    expect((withLetter.items as { type: string; websiteIndex: number | null; filename: string }[]).filter(isSecondLetter).map((d) => d.filename)).toEqual(['letter-blog.pdf']);
    const accept = documents.getByRole('button', { name: new RegExp(`^${text(lang, 'docs.accept')}:`) });
    await accept.first().waitFor();
    const slots = await accept.count();
    expect(slots).toBeGreaterThan(1);
    // Reject the first with a reason, accept the others.
    const first = (await accept.first().getAttribute('aria-label'))!.replace(`${text(lang, 'docs.accept')}: `, '');
    await documents.getByRole('button', { name: `${text(lang, 'docs.reject')}: ${first}` }).click();
    await documents.getByLabel(text(lang, 'docs.rejectReason', { name: first })).fill('The scan is unreadable');
    await documents.getByRole('button', { name: text(lang, 'docs.confirmReject') }).click();
    await page.getByText(text(lang, 'docs.reviewed', { name: first, status: text(lang, 'docs.status.REJECTED') })).waitFor();
    for (let left = slots - 1; left > 0; left--) {
      await accept.first().click();
      await accept.nth(left - 1).waitFor({ state: 'detached' }); // one button fewer
    }
    expect(await documents.getByText('The scan is unreadable').count()).toBe(1);

    // Submitting now is refused by the rules (the rejected document), in words next to the form.
    await page.getByRole('button', { name: text(lang, 'action.submit'), exact: true }).click();
    const submitForm = page.getByRole('form', { name: text(lang, 'action.submit') });
    await submitForm.getByRole('button', { name: text(lang, 'action.submit') }).click();
    await submitForm.getByText('DOCUMENT_MISSING').waitFor();

    // A replacement (an image) through the upload form, previewed, accepted: then the submission goes through.
    const { body: rejected } = await h.http.get(`/v1/cases/${created.id}/documents`).expect(200);
    const slot = (rejected.items as { type: string; websiteIndex: number | null; status: string; current: boolean }[]).find((d) => d.current && d.status === 'REJECTED')!;
    await documents.getByLabel(text(lang, 'docs.type'), { exact: true }).selectOption(slot.type);
    if (slot.websiteIndex !== null) await documents.getByLabel(text(lang, 'docs.website'), { exact: true }).selectOption(String(slot.websiteIndex));
    await documents.getByLabel(text(lang, 'docs.uploadFile'), { exact: true }).setInputFiles({ name: 'replacement.png', mimeType: 'image/png', buffer: PNG });
    await documents.getByRole('button', { name: text(lang, 'docs.uploadSubmit') }).click();
    await page.getByText(text(lang, 'docs.uploadedOk', { name: 'replacement.png' })).waitFor();
    await documents.getByRole('button', { name: `${text(lang, 'docs.preview')}: ${first}` }).click();
    await page.getByRole('dialog').getByRole('img', { name: 'replacement.png' }).waitFor();
    await page.keyboard.press('Escape');
    await documents.getByRole('button', { name: `${text(lang, 'docs.accept')}: ${first}` }).click();
    await accept.first().waitFor({ state: 'detached' });
    await expectAccessible(page);
    await submitForm.getByRole('button', { name: text(lang, 'action.submit') }).click();
    await page.getByText(text(lang, 'action.done', { stage: stage(lang, 'INITIAL_REVIEW') })).waitFor();
    expect(await page.locator('[aria-current="step"]').textContent()).toContain(stage(lang, 'INITIAL_REVIEW'));
  });

  it('an applicant sees only its own cases and is offered no decision', async () => {
    const applicantId = `APP-${randomUUID().slice(0, 8)}`;
    const anna = caseApi(h, 'anna@fabrikam', 'applicant', applicantId);
    const own = (await anna.create(caseBody()).expect(201)).body;
    const other = (await caseApi(h).create(caseBody()).expect(201)).body;
    const token = mintToken({ sub: 'anna@fabrikam', role: 'applicant', applicantId }, { expiresInSeconds: 3600 });

    const lang: Lang = 'zh-CN';
    const page = await openConsole(lang);
    await signIn(page, lang, token);
    await page.getByRole('heading', { name: text(lang, 'worklist.myFilings') }).waitFor();
    const rows = page.locator('table.worklist tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(own.reference);
    // No staff views, no assignment, no inbox.
    expect(await page.getByRole('button', { name: text(lang, 'worklist.view.unassigned') }).count()).toBe(0);
    expect(await page.getByRole('button', { name: text(lang, 'worklist.assignToMe') }).count()).toBe(0);
    expect(await page.getByRole('link', { name: text(lang, 'nav.inbox') }).count()).toBe(0);
    await expectAccessible(page);

    await page.getByRole('link', { name: own.reference }).click();
    await page.getByRole('heading', { name: new RegExp(own.reference) }).waitFor();
    await page.getByRole('region', { name: text(lang, 'case.documents') }).getByRole('table').waitFor();
    const offered = await page.getByRole('region', { name: text(lang, 'case.actions') }).getByRole('button').allTextContents();
    expect(offered).toEqual([text(lang, 'action.withdraw')]);
    for (const decision of ['action.submit', 'action.initial-review', 'action.miit-decision', 'action.sms-verification', 'action.resolution'] as const) {
      expect(await page.getByRole('button', { name: text(lang, decision) }).count()).toBe(0);
    }
    expect(await page.getByRole('button', { name: new RegExp(`^${text(lang, 'docs.accept')}`) }).count()).toBe(0);
    expect(await page.getByRole('button', { name: text(lang, 'hosting.refresh') }).count()).toBe(0);
    // The upload form is there (an applicant completes its documents), and its own personal data.
    await page.getByRole('button', { name: text(lang, 'docs.uploadSubmit') }).waitFor();
    const { body: asOwner } = await anna.get(own.id).expect(200);
    expect(asOwner.applicant.principal.idNumber).not.toContain('*');
    const facts = await page.getByRole('region', { name: text(lang, 'case.facts') }).textContent();
    expect(facts).toContain(asOwner.applicant.principal.idNumber);
    await expectAccessible(page);

    // Another's case is not there for it.
    await page.goto(`${h.baseUrl}/console/cases/${other.id}`);
    await page.getByText(text(lang, 'case.notFound')).waitFor();
  });

  it('a supervisor\u2019s inbox holds its own notifications, the queue\u2019s only when asked; others\u2019 stay unread', async () => {
    const supervisor = `supervisor.${randomUUID().slice(0, 6)}`;
    const colleague = `officer.${randomUUID().slice(0, 6)}`;
    const queue = h.config.reminders.officersQueue;
    const { body: created } = await caseApi(h).create(caseBody()).expect(201);
    const tag = randomUUID().slice(0, 6);
    const draft = (recipient: string, title: string) => ({
      recipient,
      caseId: created.id as string,
      caseReference: created.reference as string,
      rule: 'INITIAL_REVIEW_DUE' as const,
      kind: 'UPCOMING' as const,
      deadline: new Date(Date.now() + 5 * 86_400_000).toISOString(),
      title,
      message: `For ${recipient}`,
    });
    // As the reminder sweep writes them: one to the supervisor, one to a colleague, one to the queue.
    await h.app
      .get(NotificationRepository)
      .insertNew([draft(supervisor, `Own ${tag}`), draft(colleague, `Colleague ${tag}`), draft(queue, `Queue ${tag}`)], `console-spec-${tag}`, new Date());

    const lang: Lang = 'en';
    const page = await openConsole(lang);
    await signIn(page, lang, mintToken({ sub: supervisor, role: 'supervisor' }, { expiresInSeconds: 3600 }));
    await page.getByRole('link', { name: text(lang, 'nav.inbox') }).click();
    const own = page.getByRole('region', { name: supervisor });
    await own.getByText(`Own ${tag}`).waitFor();
    expect(await page.getByText(`Colleague ${tag}`).count()).toBe(0);
    expect(await page.getByText(`Queue ${tag}`).count()).toBe(0);
    await page.getByLabel(text(lang, 'inbox.queue')).check();
    await page.getByRole('region', { name: queue }).getByText(`Queue ${tag}`).waitFor();
    expect(await page.getByText(`Colleague ${tag}`).count()).toBe(0);
    const markOwn = own.getByRole('button', { name: text(lang, 'inbox.markReadLabel', { title: `Own ${tag}` }) });
    await markOwn.click();
    await markOwn.waitFor({ state: 'detached' });
    await expectAccessible(page);

    const asSupervisor = h.as({ sub: supervisor, role: 'supervisor' });
    const readAt = async (recipient: string) =>
      ((await asSupervisor.get('/v1/notifications').query({ recipient, caseId: created.id }).expect(200)).body.items as { readAt: string | null }[]).map((n) => n.readAt);
    expect(await readAt(supervisor)).toEqual([expect.any(String)]);
    expect(await readAt(colleague)).toEqual([null]);
    expect(await readAt(queue)).toEqual([null]);

    // The case page shows a supervisor everyone's reminders about the case, but marks read only its own and the queue's.
    await page.goto(`${h.baseUrl}/console/cases/${created.id}`);
    const notes = page.getByRole('region', { name: text(lang, 'case.notifications') });
    await notes.getByText(`Colleague ${tag}`).waitFor();
    expect(await notes.getByRole('button', { name: text(lang, 'inbox.markReadLabel', { title: `Colleague ${tag}` }) }).count()).toBe(0);
    expect(await notes.getByRole('button', { name: text(lang, 'inbox.markReadLabel', { title: `Queue ${tag}` }) }).count()).toBe(1);
    expect((page as Page & { problems: string[] }).problems).toEqual([]);
  });

  it('a version conflict while amending reloads the case, says so and keeps the officer\u2019s input', async () => {
    const { body: created } = await caseApi(h).create(caseBody()).expect(201);
    const lang: Lang = 'zh-CN';
    const page = await openConsole(lang);
    await signIn(page, lang, officerToken);
    await page.goto(`${h.baseUrl}/console/cases/${created.id}`);
    await page.getByRole('button', { name: text(lang, 'action.amend') }).click();
    const typed = `康拓索官网 ${randomUUID().slice(0, 4)}`;
    await page.getByLabel(text(lang, 'form.websiteName', { n: 1 })).fill(typed);

    // Meanwhile a colleague amends the same case.
    const { body: theirs } = await caseApi(h, 'officer.li').amend(created.id, { submissionProvince: 'CN-ZJ' }, { 'If-Match': `"${created.version}"` }).expect(200);
    expect(theirs.version).toBeGreaterThan(created.version);

    await page.getByRole('button', { name: text(lang, 'action.save') }).click();
    const alert = page.locator('#amend-error');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(text(lang, 'error.VERSION_CONFLICT', { version: theirs.version }));
    expect(await page.getByLabel(text(lang, 'form.websiteName', { n: 1 })).inputValue()).toBe(typed);
    await page.getByText(text(lang, 'case.version', { n: theirs.version }), { exact: false }).first().waitFor();
    await expectAccessible(page);

    await page.getByRole('button', { name: text(lang, 'action.save') }).click();
    await page.getByText(text(lang, 'action.saved', { n: theirs.version + 1 })).waitFor();
    const { body: after } = await h.http.get(`/v1/cases/${created.id}`).expect(200);
    expect(after.websites[0].name).toBe(typed);

    // No cloud account is configured here: the refresh from it is refused (422), said in words; nothing changes.
    const cloud = page.getByRole('region', { name: text(lang, 'hosting.title') });
    await cloud.getByRole('button', { name: text(lang, 'hosting.refresh') }).click();
    await cloud.getByRole('alert').getByText(text(lang, 'hosting.unverified')).waitFor();
    await expectAccessible(page);
    expect((await h.http.get(`/v1/cases/${created.id}`).expect(200)).body.version).toBe(after.version);
  });

  it('says so when its settings do not load, offers no sign-in, and starts once they do', async () => {
    const lang: Lang = 'en';
    const context = await chrome.browser.newContext({ locale: lang });
    contexts.push(context);
    const page = await context.newPage();
    // config.json answers 503 (a proxy in front of the API): nothing to decide the sign-in with.
    await page.route('**/console/config.json', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{}' }));
    await page.goto(`${h.baseUrl}/console/`);
    await page.getByRole('alert').getByText(text(lang, 'app.settingsFailed', { message: 'config.json: 503' })).waitFor();
    expect(await page.getByLabel(text(lang, 'signIn.token')).count()).toBe(0);
    await expectAccessible(page);
    await page.unroute('**/console/config.json');
    await page.getByRole('button', { name: text(lang, 'app.retry') }).click();
    await page.getByLabel(text(lang, 'signIn.token')).waitFor();
  });

  it('keeps its layout at tablet width and can be used from the keyboard', async () => {
    const lang: Lang = 'en';
    const page = await openConsole(lang, { width: 768, height: 1024 });
    await page.getByLabel(text(lang, 'signIn.token')).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.tagName')).toBe('SELECT'); // the language, first
    await page.getByLabel(text(lang, 'signIn.token')).focus();
    await page.keyboard.insertText(officerToken);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: text(lang, 'worklist.title') }).waitFor();
    await page.getByRole('button', { name: text(lang, 'worklist.view.all') }).click();
    await page.locator('table.worklist tbody tr').first().waitFor();
    expect(await overflowsHorizontally(page)).toBe(false);
    const first = page.locator('table.worklist tbody tr th a').first();
    await first.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: text(lang, 'case.road') }).waitFor();
    expect(await overflowsHorizontally(page)).toBe(false);
  });
});
