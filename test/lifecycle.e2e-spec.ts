import { caseApi, eventually, satisfyChecklist } from './support/api';
import { startDnsServer } from './support/dns-server';
import { caseBody, caseBodyWithoutBranch, hongKongBody } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';
import { recordHistory } from './support/histories';

/**
 * The filing lifecycle over HTTP, on real Postgres and the real Temporal server: each scenario is
 * one a case officer lives through, and each leaves a history for the replay tests.
 */
describe('the filing lifecycle', () => {
  let h: Harness;
  let dns: Awaited<ReturnType<typeof startDnsServer>>;
  let api: ReturnType<typeof caseApi>;

  beforeAll(async () => {
    dns = await startDnsServer({});
    h = await startHarness({ ICP_DNS_SERVERS: dns.address, ICP_SMS_VERIFICATION_WINDOW: '3s' });
    api = caseApi(h);
  });
  afterAll(async () => {
    await h?.close();
    await dns?.close();
  });

  it('takes an enterprise without a branch from the AIC certificate to COMPLETED', async () => {
    const body = caseBodyWithoutBranch();
    body.websites[0].domains = ['fabrikam-happy.cn'];
    const created = await api.create(body).expect(201);
    const id: string = created.body.id;
    expect(created.body.stage).toBe('AWAITING_CERTIFICATE');
    expect(created.body.findings.map((f: { rule: string }) => f.rule)).toContain('ENTITY_CERTIFICATE_MISSING');
    expect(created.body.allowedActions).toEqual([
      'certificate-application',
      'certificate',
      'amend',
      'withdraw',
      'assign',
      'upload-document',
      'review-document',
    ]);

    const applied = await api.act(id, 'certificate-application', { authority: 'Hangzhou AIC', appliedAt: '2026-11-20' }).expect(200);
    expect(applied.body.certificateApplication).toEqual({ authority: 'Hangzhou AIC', appliedAt: '2026-11-20' });
    const progress = await h.temporal.workflow
      .getHandle(`CaseCertificate:${id}`)
      .query<{ step: string }>('getCertificateProgress');
    expect(progress.step).toBe('APPLIED');

    const certified = await api
      .act(id, 'certificate', { number: '330100400099999', province: 'CN-ZJ', validUntil: '2031-12-31' })
      .expect(200);
    expect(certified.body).toMatchObject({ stage: 'PREPARING', applicant: { certificate: { number: '330100400099999' } } });
    const child = await h.temporal.workflow.getHandle(`CaseCertificate:${id}`).describe();
    expect(child.status.name).toBe('COMPLETED');

    // The submission refuses until every checklist slot has an accepted document.
    const refused = await api.act(id, 'submit').expect(422);
    // The administrator is not the principal, so the letter is its own rule; the rest is DOCUMENT_MISSING.
    expect(new Set(refused.body.details.findings.map((f: { rule: string }) => f.rule))).toEqual(
      new Set(['DOCUMENT_MISSING', 'AUTHORISATION_LETTER_REQUIRED']),
    );
    await satisfyChecklist(h, id);
    const { body: paperwork } = await h.http.get(`/v1/cases/${id}/documents`).expect(200);
    expect(paperwork.checklist.length).toBeGreaterThanOrEqual(4);
    expect(paperwork.checklist.every((slot: { satisfied: boolean }) => slot.satisfied)).toBe(true);

    await api.act(id, 'assign', { assignee: 'officer.zhang' }).expect(200);
    const submitted = await api.act(id, 'submit').expect(200);
    expect(submitted.body.stage).toBe('INITIAL_REVIEW');
    expect(submitted.body.deadlines.reviewDue).toEqual(expect.any(String));

    const returned = await api.act(id, 'initial-review', { decision: 'RETURNED', reasons: ['Website name must describe the content'] }).expect(200);
    expect(returned.body).toMatchObject({ stage: 'RETURNED', returnReasons: ['Website name must describe the content'] });

    const amended = await api
      .amend(id, { websites: [{ ...body.websites[0], name: '法布里坎产品目录' }] }, { 'If-Match': String(returned.body.version) })
      .expect(200);
    expect(amended.body).toMatchObject({ stage: 'RETURNED', version: returned.body.version + 1 });

    const resubmitted = await api.act(id, 'submit').expect(200);
    expect(resubmitted.body.stage).toBe('INITIAL_REVIEW');
    const approved = await api.act(id, 'initial-review', { decision: 'APPROVED' }).expect(200);
    expect(approved.body.stage).toBe('AWAITING_SMS_VERIFICATION');
    expect(approved.body.deadlines.smsVerificationDue).toEqual(expect.any(String));
    const verified = await api.act(id, 'sms-verification').expect(200);
    expect(verified.body.stage).toBe('MIIT_REVIEW');

    const decided = await api.act(id, 'miit-decision', { decision: 'APPROVED', icpNumber: '浙ICP备2026001234号-1' }).expect(200);
    expect(decided.body).toMatchObject({ stage: 'RESOLVING', icpNumber: '浙ICP备2026001234号-1' });
    // The PSB filing counts from going live, not from approval.
    expect(decided.body.deadlines.psbFilingDue).toBeNull();

    // DNS still points elsewhere: the check is real, and refuses.
    dns.set({ 'fabrikam-happy.cn': { A: ['203.0.113.9'] } });
    const unresolved = await api.act(id, 'resolution').expect(422);
    expect(unresolved.body).toMatchObject({ code: 'RULE_VIOLATIONS' });
    expect(unresolved.body.details.findings).toEqual([
      expect.objectContaining({ rule: 'DNS_NOT_RESOLVED', severity: 'BLOCKING' }),
    ]);
    expect((await api.get(id).expect(200)).body.stage).toBe('RESOLVING');

    dns.set({ 'fabrikam-happy.cn': { A: ['47.98.10.20'] } });
    const completed = await api.act(id, 'resolution').expect(200);
    expect(completed.body.stage).toBe('COMPLETED');
    expect(completed.body.findings.map((f: { rule: string }) => f.rule)).not.toContain('DNS_NOT_RESOLVED');
    expect(completed.body.deadlines.psbFilingDue).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const events = (await api.events(id).expect(200)).body.items as { seq: number; type: string; fromStage: string; toStage: string; actor: string }[];
    const documentEvents = events.filter((e) => e.type.startsWith('document.'));
    expect(documentEvents.map((e) => e.type)).toEqual(
      paperwork.checklist.flatMap(() => ['document.uploaded', 'document.reviewed']),
    );
    expect(events.filter((e) => !e.type.startsWith('document.')).map((e) => e.type)).toEqual([
      'case.created',
      'certificate.applied',
      'certificate.recorded',
      'case.assigned',
      'case.submitted',
      'initial-review.returned',
      'case.amended',
      'case.resubmitted',
      'initial-review.approved',
      'sms.verified',
      'miit.approved',
      'resolution.failed',
      'resolution.verified',
    ]);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.type !== 'document.uploaded').every((e) => e.actor === 'officer.zhang')).toBe(true);
    expect(documentEvents.filter((e) => e.type === 'document.uploaded').every((e) => e.actor === 'officer.zhang')).toBe(true);
    expect(events[events.length - 1]).toMatchObject({ fromStage: 'RESOLVING', toStage: 'COMPLETED' });

    // Obligations: the PSB filing closes the workflow.
    const psb = await api.act(id, 'psb-filing', { recordNumber: '33010602012345', filedAt: '2026-12-01' }).expect(200);
    expect(psb.body.psbFiling).toEqual({ recordNumber: '33010602012345', filedAt: '2026-12-01' });
    await h.temporal.workflow.getHandle(`Case:${id}`).result();
    // The lifecycle is over: the case offers nothing, and refuses what it does not offer.
    expect(psb.body.allowedActions).toEqual([]);
    expect((await api.get(id).expect(200)).body.allowedActions).toEqual([]);
    expect((await api.act(id, 'assign', { assignee: 'officer.zhang' }).expect(409)).body).toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      details: { stage: 'COMPLETED', allowed: [] },
    });
    await recordHistory(h, id, 'happy-path-returned-and-resubmitted');
  });

  it('walks a Sichuan case from creation to approval with 蜀ICP备… and counts the PSB filing from going live', async () => {
    const body = caseBody();
    const sichuan = {
      ...body,
      submissionProvince: 'CN-SC',
      applicant: { ...body.applicant, certificate: { ...body.applicant.certificate!, province: 'CN-SC' } },
      websites: [{ ...body.websites[0], name: '康拓索成都产品目录', domains: ['contoso-sichuan.cn'] }],
      hosting: {
        ...body.hosting,
        instances: [
          { ...body.hosting.instances[0], regionId: 'cn-chengdu', usedForFiling: true },
          // A pay-as-you-go database beside it is context, not the filing instance.
          { ...body.hosting.instances[0], instanceId: 'i-2vcdb', regionId: 'cn-chengdu', billing: 'PAY_AS_YOU_GO', expiresAt: null, usedForFiling: false },
        ],
      },
    };
    const created = await api.create(sichuan).expect(201);
    const id: string = created.body.id;
    expect(created.body).toMatchObject({ stage: 'PREPARING', submissionProvince: 'CN-SC', liveAt: null });
    expect(created.body.hosting.instances[1]).toMatchObject({ billing: 'PAY_AS_YOU_GO', expiresAt: null, usedForFiling: false });
    expect(created.body.findings.filter((f: { severity: string; rule: string }) => f.severity === 'BLOCKING' && !f.rule.startsWith('DOCUMENT') && f.rule !== 'AUTHORISATION_LETTER_REQUIRED')).toEqual([]);

    await satisfyChecklist(h, id);
    expect((await api.act(id, 'submit').expect(200)).body.stage).toBe('INITIAL_REVIEW');
    await api.act(id, 'initial-review', { decision: 'APPROVED' }).expect(200);
    await api.act(id, 'sms-verification').expect(200);

    // A number of another province, or an old-style suffix, is still refused.
    for (const icpNumber of ['浙ICP备2026007879号-1', '蜀ICP备2026007879号-01']) {
      const refused = await api.act(id, 'miit-decision', { decision: 'APPROVED', icpNumber }).expect(422);
      expect(refused.body.details.findings.map((f: { rule: string }) => f.rule)).toEqual(['ICP_NUMBER_INVALID']);
    }
    const approved = await api.act(id, 'miit-decision', { decision: 'APPROVED', icpNumber: '蜀ICP备2026007879号-1' }).expect(200);
    expect(approved.body).toMatchObject({ stage: 'RESOLVING', icpNumber: '蜀ICP备2026007879号-1', deadlines: { psbFilingDue: null } });

    dns.set({ 'contoso-sichuan.cn': { A: ['47.98.10.20'] } });
    const live = await api.act(id, 'resolution').expect(200);
    expect(live.body.stage).toBe('COMPLETED');
    expect(live.body.liveAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const due = new Date(Date.parse(`${live.body.liveAt}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
    expect(live.body.deadlines.psbFilingDue).toBe(due);
    // After approval the rules answer as warnings: nothing blocks a filing that is already done.
    expect(live.body.findings.filter((f: { severity: string }) => f.severity === 'BLOCKING')).toEqual([]);
  });

  it('returns the case when the SMS check is not completed in time', async () => {
    const { body: opened } = await api.create(caseBody()).expect(201);
    await satisfyChecklist(h, opened.id);
    await api.act(opened.id, 'submit').expect(200);
    const approved = await api.act(opened.id, 'initial-review', { decision: 'APPROVED' }).expect(200);
    expect(approved.body.stage).toBe('AWAITING_SMS_VERIFICATION');

    const expired = await eventually(
      async () => (await api.get(opened.id).expect(200)).body,
      (c) => c.stage === 'RETURNED',
    );
    expect(expired.findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: 'SMS_VERIFICATION_EXPIRED', path: 'deadlines.smsVerificationDue' })]),
    );
    const events = (await api.events(opened.id).expect(200)).body.items;
    expect(events[events.length - 1]).toMatchObject({ type: 'sms.expired', actor: 'system', fromStage: 'AWAITING_SMS_VERIFICATION', toStage: 'RETURNED' });

    // The officer can still hit the old action: the stage has moved on.
    const late = await api.act(opened.id, 'sms-verification').expect(409);
    expect(late.body).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED', details: { stage: 'RETURNED' } });

    const again = await api.act(opened.id, 'submit').expect(200);
    expect(again.body.findings.map((f: { rule: string }) => f.rule)).not.toContain('SMS_VERIFICATION_EXPIRED');
    await recordHistory(h, opened.id, 'sms-expiry');
  });

  it('opens a case hosted outside the mainland as NOT_REQUIRED, and amends it in and out', async () => {
    const { body: opened } = await api.create(hongKongBody()).expect(201);
    expect(opened.stage).toBe('NOT_REQUIRED');
    expect(opened.findings).toEqual([expect.objectContaining({ rule: 'HOSTING_OUTSIDE_MAINLAND', severity: 'INFO' })]);

    const mainland = caseBody().hosting;
    const moved = await api.amend(opened.id, { hosting: mainland }).expect(200);
    expect(moved.body.stage).toBe('PREPARING');
    const back = await api.amend(opened.id, { hosting: hongKongBody().hosting, version: moved.body.version }).expect(200);
    expect(back.body.stage).toBe('NOT_REQUIRED');
    await recordHistory(h, opened.id, 'not-required');
  });

  it('withdraws a case, after which no action applies', async () => {
    const { body: opened } = await api.create(caseBodyWithoutBranch()).expect(201);
    const withdrawn = await api.act(opened.id, 'withdraw', { reason: 'The site moved to Singapore' }).expect(200);
    expect(withdrawn.body).toMatchObject({ stage: 'WITHDRAWN', withdrawal: { reason: 'The site moved to Singapore' }, allowedActions: [] });
    await h.temporal.workflow.getHandle(`Case:${opened.id}`).result();
    const child = await h.temporal.workflow.getHandle(`CaseCertificate:${opened.id}`).describe();
    expect(child.status.name).toBe('COMPLETED');

    const after = await api.act(opened.id, 'submit').expect(409);
    expect(after.body).toEqual({
      code: 'TRANSITION_NOT_ALLOWED',
      message: expect.any(String),
      details: { stage: 'WITHDRAWN', allowed: [] },
    });
    await recordHistory(h, opened.id, 'withdrawn');
  });
});
