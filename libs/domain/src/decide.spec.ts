import { resolve } from 'node:path';
import { loadRuleConfig } from '../../config/src/app-config';
import { parseDuration } from './dates';
import {
  decide,
  isDomainError,
  openCase,
  stageFromFacts,
  type CaseCommand,
  type CaseState,
  type DecideContext,
  type Decision,
  type DnsCheck,
} from './decide';
import { DomainError, RuleViolationsError, TransitionNotAllowedError, ValidationFailedError, VersionConflictError } from './errors';
import type { RuleConfig } from './rule-config';
import { validFacts } from './testing/facts';
import { checklist } from './checklist';
import { DOCUMENT_RULES } from './rules';
import { ACTION_STAGES, allowedActions, STAGE_EXITS, STAGES, type Stage } from './stages';
import type { Administrator, CaseFacts, Certificate, DocumentType, Finding, IsoInstant, RuleId, Website } from './types';

const CONFIG: RuleConfig = loadRuleConfig(resolve(__dirname, '../../../config/rules.json'));
const SMS_WINDOW_MS = parseDuration('24h');
/** A Saturday, 12:00 in China. */
const T0 = '2026-11-28T04:00:00.000Z';
const VALID_ICP = '浙ICP备12345678号-1';
/** The administrator is the principal: the same ID type and number (the flag alone decides nothing). */
const AS_PRINCIPAL: Partial<Administrator> = { isPrincipal: true, fullName: 'Anna Berg', idType: 'PASSPORT', idNumber: 'C01X00T47' };
const CERTIFICATE: Certificate = { number: '330100400012345', province: 'CN-ZJ', validUntil: '2031-06-30' };

function baseFacts(): CaseFacts {
  return validFacts((f) => {
    f.hosting.slb = { publicIp: '47.98.10.20' };
  });
}

function withoutCertificate(f: CaseFacts = baseFacts()): CaseFacts {
  return { ...f, applicant: { ...f.applicant, mainlandPresence: 'NONE', certificate: null } };
}

function hostedIn(regionId: string, f: CaseFacts = baseFacts()): CaseFacts {
  return { ...f, hosting: { ...f.hosting, instances: f.hosting.instances.map((i) => ({ ...i, regionId })) } };
}

/** The base facts with the (only) website and its administrator changed. */
function withSite(changes: Partial<Website>, admin: Partial<Administrator> = {}, f: CaseFacts = baseFacts()): CaseFacts {
  const [site] = f.websites;
  return { ...f, websites: [{ ...site, ...changes, administrator: { ...site.administrator, ...admin } }] };
}

const ctxAt = (now: IsoInstant, smsWindowMs = SMS_WINDOW_MS): DecideContext => ({ now, config: CONFIG, smsWindowMs });

/** Freezes a state deeply, so a decide() that mutated its input would throw. */
function frozen<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) frozen(v);
    Object.freeze(value);
  }
  return value;
}

function open(facts: CaseFacts = baseFacts(), enforceDocuments = false): CaseState {
  return frozen(openCase({ caseId: 'case-1', reference: 'ICP-2026-000042', facts, enforceDocuments }, ctxAt(T0)).state);
}

/** Applies commands one by one (each at its own instant), checking the version and the stage table on every step. */
function run(state: CaseState, ...steps: [IsoInstant, CaseCommand][]): CaseState {
  let current = state;
  for (const [now, command] of steps) {
    const decision = decide(current, command, ctxAt(now));
    expect(decision.state.version).toBe(current.version + 1);
    current = frozen(decision.state);
  }
  return current;
}

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

/**
 * The findings an officer must act on here: the document rules of a case that does not enforce
 * documents are WARNINGs (DOMAIN.md: never silenced), which the tables below leave out; the
 * 'document enforcement off' tests look at them.
 */
const shown = (findings: Finding[]): Finding[] =>
  findings.filter((f) => !(DOCUMENT_RULES.includes(f.rule) && f.severity === 'WARNING'));
const rules = (findings: Finding[]): RuleId[] => shown(findings).map((f) => f.rule);
const findingsOf = (error: unknown): Finding[] => ((error as RuleViolationsError).details as { findings: Finding[] }).findings;

const RESOLVED: DnsCheck = {
  domain: 'contoso.cn',
  expected: { type: 'A', value: '47.98.10.20' },
  found: ['47.98.10.20'],
  resolved: true,
  error: null,
};
const UNRESOLVED: DnsCheck = { ...RESOLVED, found: [], resolved: false, error: 'NXDOMAIN' };

const SUBMIT: CaseCommand = { type: 'submit', openOrders: [] };
const APPROVE_INITIAL: CaseCommand = { type: 'initial-review', decision: 'APPROVED' };
const SMS_VERIFIED: CaseCommand = { type: 'sms-verification' };
const APPROVE_MIIT: CaseCommand = { type: 'miit-decision', decision: 'APPROVED', icpNumber: VALID_ICP };

/** A real case in each stage, reached through decide from the base facts. */
function reach(stage: Stage): CaseState {
  const preparing = open();
  const initialReview = () => run(preparing, ['2026-11-30T03:00:00.000Z', SUBMIT]);
  const sms = () => run(initialReview(), ['2026-12-01T06:00:00.000Z', APPROVE_INITIAL]);
  const miit = () => run(sms(), ['2026-12-01T08:00:00.000Z', SMS_VERIFIED]);
  const resolving = () => run(miit(), ['2026-12-10T02:00:00.000Z', APPROVE_MIIT]);
  switch (stage) {
    case 'AWAITING_CERTIFICATE':
      return open(withoutCertificate());
    case 'PREPARING':
      return preparing;
    case 'INITIAL_REVIEW':
      return initialReview();
    case 'AWAITING_SMS_VERIFICATION':
      return sms();
    case 'MIIT_REVIEW':
      return miit();
    case 'RETURNED':
      return run(initialReview(), ['2026-12-01T06:00:00.000Z', { type: 'initial-review', decision: 'RETURNED', reasons: ['网站名称与内容不符'] }]);
    case 'RESOLVING':
      return resolving();
    case 'COMPLETED':
      return run(resolving(), ['2026-12-11T02:00:00.000Z', { type: 'resolution', checks: [RESOLVED] }]);
    case 'NOT_REQUIRED':
      return open(hostedIn('cn-hongkong'));
    case 'WITHDRAWN':
      return run(preparing, ['2026-11-30T03:00:00.000Z', { type: 'withdraw', reason: 'test' }]);
  }
}

describe('openCase', () => {
  const table: [string, CaseFacts, boolean, Stage, RuleId[]][] = [
    ['mainland hosting with a certificate', baseFacts(), false, 'PREPARING', []],
    ['presence NONE without the AIC certificate', withoutCertificate(), false, 'AWAITING_CERTIFICATE', ['ENTITY_CERTIFICATE_MISSING']],
    [
      'presence NONE once the AIC certificate is recorded',
      { ...withoutCertificate(), applicant: { ...withoutCertificate().applicant, certificate: CERTIFICATE } },
      false,
      'PREPARING',
      [],
    ],
    ['hosting in Hong Kong', hostedIn('cn-hongkong'), false, 'NOT_REQUIRED', ['HOSTING_OUTSIDE_MAINLAND']],
    ['hosting in Hong Kong, presence NONE', hostedIn('cn-hongkong', withoutCertificate()), false, 'NOT_REQUIRED', ['HOSTING_OUTSIDE_MAINLAND']],
    [
      'hosting in Hong Kong behind a MAINLAND CDN',
      { ...hostedIn('cn-hongkong'), hosting: { ...hostedIn('cn-hongkong').hosting, cdn: { accelerationRegion: 'MAINLAND', cname: 'contoso.cn.w.cdngslb.com' } } },
      false,
      'PREPARING',
      ['INSTANCE_REGION_NOT_MAINLAND', 'CDN_REQUIRES_FILING'],
    ],
    ['hosting in the local region cn-nanjing', hostedIn('cn-nanjing'), false, 'PREPARING', []],
    ['not enforcing documents, NEWS content by a non-principal administrator', withSite({ contentCategory: 'NEWS' }), false, 'PREPARING', []],
    [
      'enforcing documents',
      baseFacts(),
      true,
      'PREPARING',
      ['AUTHORISATION_LETTER_REQUIRED', 'DOCUMENT_MISSING', 'DOCUMENT_MISSING', 'DOCUMENT_MISSING', 'DOCUMENT_MISSING'],
    ],
    [
      'enforcing documents, NEWS content administered by the principal',
      withSite({ contentCategory: 'NEWS' }, AS_PRINCIPAL),
      true,
      'PREPARING',
      ['PRE_APPROVAL_REQUIRED', 'DOCUMENT_MISSING', 'DOCUMENT_MISSING', 'DOCUMENT_MISSING', 'DOCUMENT_MISSING'],
    ],
    [
      'enforcing documents, presence NONE without the AIC certificate',
      withoutCertificate(),
      true,
      'AWAITING_CERTIFICATE',
      ['ENTITY_CERTIFICATE_MISSING', 'AUTHORISATION_LETTER_REQUIRED', 'DOCUMENT_MISSING', 'DOCUMENT_MISSING', 'DOCUMENT_MISSING', 'DOCUMENT_MISSING'],
    ],
    ['enforcing documents, hosted in Hong Kong (nothing else applies)', hostedIn('cn-hongkong'), true, 'NOT_REQUIRED', ['HOSTING_OUTSIDE_MAINLAND']],
  ];

  it.each(table)('%s → %s', (_, facts, enforceDocuments, stage, findings) => {
    const { state, event } = openCase(
      { caseId: 'case-1', reference: 'ICP-2026-000042', facts, enforceDocuments, assignee: 'officer-1' },
      ctxAt(T0),
    );
    expect(stageFromFacts(facts, CONFIG)).toBe(stage);
    expect(state).toMatchObject({
      caseId: 'case-1',
      reference: 'ICP-2026-000042',
      stage,
      version: 1,
      facts,
      icpNumber: null,
      assignee: 'officer-1',
      notices: [],
      documents: [],
      enforceDocuments,
      deadlines: { smsVerificationDue: null, reviewDue: null, psbFilingDue: null },
      firstSubmittedAt: null,
      createdAt: T0,
      updatedAt: T0,
    });
    expect(rules(state.findings)).toEqual(findings);
    expect(event).toEqual({ type: 'case.created', fromStage: null, toStage: stage, data: { stage } });
  });
});

describe('decide: the happy path', () => {
  const steps: [string, IsoInstant, CaseCommand, Stage, string, Partial<CaseState['deadlines']>][] = [
    [
      'certificate recorded',
      '2026-11-30T02:00:00.000Z',
      { type: 'certificate', certificate: CERTIFICATE },
      'PREPARING',
      'certificate.recorded',
      { smsVerificationDue: null, reviewDue: null, psbFilingDue: null },
    ],
    [
      'submitted (Monday): initial review due in 2 business days',
      '2026-11-30T03:00:00.000Z',
      SUBMIT,
      'INITIAL_REVIEW',
      'case.submitted',
      { smsVerificationDue: null, reviewDue: '2026-12-02T15:59:59.000Z', psbFilingDue: null },
    ],
    [
      'initial review approved: SMS due in 24 hours',
      '2026-12-01T06:00:00.000Z',
      APPROVE_INITIAL,
      'AWAITING_SMS_VERIFICATION',
      'initial-review.approved',
      { smsVerificationDue: '2026-12-02T06:00:00.000Z', reviewDue: null, psbFilingDue: null },
    ],
    [
      "SMS verified: MIIT review due in the province's 20 business days",
      '2026-12-01T08:00:00.000Z',
      SMS_VERIFIED,
      'MIIT_REVIEW',
      'sms.verified',
      { smsVerificationDue: null, reviewDue: '2026-12-29T15:59:59.000Z', psbFilingDue: null },
    ],
    [
      'MIIT approved: the PSB filing waits for the site to go live',
      '2026-12-10T02:00:00.000Z',
      APPROVE_MIIT,
      'RESOLVING',
      'miit.approved',
      { smsVerificationDue: null, reviewDue: null, psbFilingDue: null },
    ],
    [
      'DNS resolves: completed and live, the PSB filing due 30 days after going live',
      '2026-12-11T02:00:00.000Z',
      { type: 'resolution', checks: [RESOLVED] },
      'COMPLETED',
      'resolution.verified',
      { smsVerificationDue: null, reviewDue: null, psbFilingDue: '2027-01-10' },
    ],
  ];

  it('runs from AWAITING_CERTIFICATE to COMPLETED, one version per command, within the stage table', () => {
    let state = open(withoutCertificate());
    expect(state.stage).toBe('AWAITING_CERTIFICATE');
    for (const [what, now, command, stage, eventType, deadlines] of steps) {
      const decision: Decision = decide(state, command, ctxAt(now));
      const context = `${what}: ${JSON.stringify({ stage: decision.state.stage, event: decision.event.type })}`;
      expect(context).toBe(`${what}: ${JSON.stringify({ stage, event: eventType })}`);
      expect(decision.state.version).toBe(state.version + 1);
      expect(decision.state.updatedAt).toBe(now);
      expect(decision.state.createdAt).toBe(T0);
      expect(decision.state.deadlines).toMatchObject(deadlines);
      expect(decision.event.fromStage).toBe(state.stage);
      expect(decision.event.toStage).toBe(stage);
      expect([...STAGE_EXITS[state.stage], state.stage]).toContain(stage);
      expect(shown(decision.state.findings)).toEqual([]);
      expect(decision.violations).toBeUndefined();
      state = frozen(decision.state);
    }
    expect(state).toMatchObject({
      stage: 'COMPLETED',
      version: 7,
      icpNumber: VALID_ICP,
      firstSubmittedAt: '2026-11-30T03:00:00.000Z',
      facts: { applicant: { certificate: CERTIFICATE } },
    });
  });

  it('records the events with their data', () => {
    const state = reach('RESOLVING');
    const approved = decide(reach('MIIT_REVIEW'), APPROVE_MIIT, ctxAt('2026-12-10T02:00:00.000Z'));
    expect(approved.event).toEqual({ type: 'miit.approved', fromStage: 'MIIT_REVIEW', toStage: 'RESOLVING', data: { icpNumber: VALID_ICP } });
    const completed = decide(state, { type: 'resolution', checks: [RESOLVED] }, ctxAt('2026-12-11T02:00:00.000Z'));
    expect(completed.event.data).toEqual({
      checks: [{ domain: 'contoso.cn', expected: { type: 'A', value: '47.98.10.20' }, found: ['47.98.10.20'], resolved: true }],
      liveAt: '2026-12-11',
    });
    expect(completed.state.liveAt).toBe('2026-12-11');
  });

  it.each([
    ['the day before the site goes live: approval sets no PSB deadline', '2026-12-10T02:00:00.000Z', null],
    ['going live on 2026-12-11 (China date): due 2027-01-10', '2026-12-11T02:00:00.000Z', '2027-01-10'],
    ['going live late on 2026-12-11 UTC, already 2026-12-12 in China: due 2027-01-11', '2026-12-11T17:00:00.000Z', '2027-01-11'],
  ])('PSB filing due counts from going live: %s', (_, at, due) => {
    const resolving = reach('RESOLVING');
    const state = due === null ? resolving : decide(resolving, { type: 'resolution', checks: [RESOLVED] }, ctxAt(at)).state;
    expect(state.deadlines.psbFilingDue).toBe(due);
  });

  it('a workflow begun before the revision (legacyLifecycle) keeps the PSB filing due from approval', () => {
    const legacy = { ...ctxAt('2026-12-10T02:00:00.000Z'), legacyLifecycle: true };
    const approved = decide(reach('MIIT_REVIEW'), APPROVE_MIIT, legacy);
    expect(approved.state.deadlines.psbFilingDue).toBe('2027-01-09');
    const completed = decide(approved.state, { type: 'resolution', checks: [RESOLVED] }, { ...legacy, now: '2026-12-11T02:00:00.000Z' });
    expect(completed.state.deadlines.psbFilingDue).toBe('2027-01-09');
    expect(completed.state.liveAt).toBeNull();
  });

  it.each([
    ['24h', '2026-12-02T06:00:00.000Z'],
    ['90m', '2026-12-01T07:30:00.000Z'],
    ['30s', '2026-12-01T06:00:30.000Z'],
  ])('the SMS window comes from the context (%s)', (window, due) => {
    const decision = decide(reach('INITIAL_REVIEW'), APPROVE_INITIAL, ctxAt('2026-12-01T06:00:00.000Z', parseDuration(window)));
    expect(decision.state.deadlines.smsVerificationDue).toBe(due);
  });

  it('the initial review deadline skips holidays (submitted the day before National Day)', () => {
    const decision = decide(open(), SUBMIT, ctxAt('2026-09-30T02:00:00.000Z'));
    expect(decision.state.deadlines.reviewDue).toBe('2026-10-09T15:59:59.000Z');
  });
});

describe('decide: submission', () => {
  it('with a blocking finding throws RULE_VIOLATIONS listing only the blocking findings', () => {
    const preparing = run(open(), [
      T0,
      {
        type: 'amend',
        changes: {
          submissionProvince: 'CN-SH',
          hosting: { ...baseFacts().hosting, cdn: { accelerationRegion: 'MAINLAND', cname: 'contoso.cn.w.cdngslb.com' } },
        },
      },
    ]);
    expect(rules(preparing.findings)).toEqual(['PROVINCE_MISMATCH', 'CDN_REQUIRES_FILING']);
    const error = errorOf(() => decide(preparing, SUBMIT, ctxAt(T0)));
    expect(error).toBeInstanceOf(RuleViolationsError);
    expect(error).toMatchObject({
      code: 'RULE_VIOLATIONS',
      details: { findings: [expect.objectContaining({ rule: 'PROVINCE_MISMATCH', severity: 'BLOCKING', path: 'submissionProvince' })] },
    });
    expect((error as RuleViolationsError).details).toEqual({ findings: [expect.objectContaining({ rule: 'PROVINCE_MISMATCH' })] });
    expect(preparing.stage).toBe('PREPARING');
  });

  it('re-evaluates the rules at the time of submission', () => {
    const facts = baseFacts();
    facts.websites[0].domainExpiresAt = '2027-03-10';
    const preparing = open(facts);
    expect(shown(preparing.findings)).toEqual([]);
    // Less than 3 calendar months before expiry the domain no longer qualifies.
    const error = errorOf(() => decide(preparing, SUBMIT, ctxAt('2026-12-18T04:00:00.000Z')));
    expect(error).toMatchObject({ code: 'RULE_VIOLATIONS', details: { findings: [expect.objectContaining({ rule: 'DOMAIN_VALIDITY_TOO_SHORT' })] } });
  });

  it('warnings do not block', () => {
    const facts = baseFacts();
    facts.hosting.cdn = { accelerationRegion: 'MAINLAND', cname: 'contoso.cn.w.cdngslb.com' };
    const submitted = decide(open(facts), SUBMIT, ctxAt(T0)).state;
    expect(submitted.stage).toBe('INITIAL_REVIEW');
    expect(rules(submitted.findings)).toEqual(['CDN_REQUIRES_FILING']);
  });

  it('with an open order of the same entity throws ORDER_ALREADY_OPEN', () => {
    const error = errorOf(() => decide(open(), { type: 'submit', openOrders: ['ICP-2026-000007'] }, ctxAt(T0)));
    expect(error).toBeInstanceOf(RuleViolationsError);
    expect(error).toMatchObject({
      code: 'RULE_VIOLATIONS',
      details: {
        findings: [
          { rule: 'ORDER_ALREADY_OPEN', severity: 'BLOCKING', path: 'applicant.name', message: expect.stringContaining('ICP-2026-000007') },
        ],
      },
    });
  });

  it('with enforced documents needs every checklist document accepted', () => {
    const tracked = open(baseFacts(), true);
    const error = errorOf(() => decide(tracked, SUBMIT, ctxAt(T0)));
    expect(rules(findingsOf(error))).toEqual([
      'AUTHORISATION_LETTER_REQUIRED',
      'DOCUMENT_MISSING',
      'DOCUMENT_MISSING',
      'DOCUMENT_MISSING',
      'DOCUMENT_MISSING',
    ]);
    const documents = checklist(tracked.facts, CONFIG, []).map(({ type, websiteIndex }) => ({ type, websiteIndex, status: 'ACCEPTED' as const }));
    expect(decide({ ...tracked, documents }, SUBMIT, ctxAt(T0)).state.stage).toBe('INITIAL_REVIEW');
  });
});

describe('decide: returns and resubmission', () => {
  it.each([
    ['initial review RETURNED', 'INITIAL_REVIEW', { type: 'initial-review', decision: 'RETURNED', reasons: ['网站名称与内容不符'] }, 'initial-review.returned'],
    ['MIIT REJECTED', 'MIIT_REVIEW', { type: 'miit-decision', decision: 'REJECTED', reasons: ['网站名称与内容不符'] }, 'miit.rejected'],
  ] as [string, Stage, CaseCommand, string][])('%s → RETURNED, amend, resubmit', (_, stage, command, eventType) => {
    const firstSubmittedAt = reach('INITIAL_REVIEW').firstSubmittedAt;
    const returned = decide(reach(stage), command, ctxAt('2026-12-15T02:00:00.000Z'));
    expect(returned.state).toMatchObject({
      stage: 'RETURNED',
      returnReasons: ['网站名称与内容不符'],
      deadlines: { smsVerificationDue: null, reviewDue: null, psbFilingDue: null },
    });
    expect(returned.event).toEqual({ type: eventType, fromStage: stage, toStage: 'RETURNED', data: { reasons: ['网站名称与内容不符'] } });

    const websites = [{ ...baseFacts().websites[0], name: '康拓索工业产品目录' }];
    const amended = decide(frozen(returned.state), { type: 'amend', changes: { websites } }, ctxAt('2026-12-16T02:00:00.000Z'));
    expect(amended.state.stage).toBe('RETURNED');
    expect(amended.state.facts.websites).toEqual(websites);
    expect(amended.event).toEqual({ type: 'case.amended', fromStage: 'RETURNED', toStage: 'RETURNED', data: { changed: ['websites'] } });

    const resubmitted = decide(frozen(amended.state), SUBMIT, ctxAt('2026-12-16T03:00:00.000Z'));
    expect(resubmitted.event).toEqual({ type: 'case.resubmitted', fromStage: 'RETURNED', toStage: 'INITIAL_REVIEW', data: {} });
    expect(resubmitted.state).toMatchObject({
      stage: 'INITIAL_REVIEW',
      returnReasons: [],
      firstSubmittedAt,
      deadlines: { smsVerificationDue: null, reviewDue: '2026-12-18T15:59:59.000Z', psbFilingDue: null },
    });
  });

  it('a submission after an earlier one is a resubmission, even from PREPARING (via NOT_REQUIRED)', () => {
    const returned = reach('RETURNED');
    const firstSubmittedAt = returned.firstSubmittedAt;
    expect(firstSubmittedAt).toBe('2026-11-30T03:00:00.000Z');
    const preparing = run(
      returned,
      ['2026-12-02T02:00:00.000Z', { type: 'amend', changes: { hosting: hostedIn('cn-hongkong').hosting } }],
      ['2026-12-02T03:00:00.000Z', { type: 'amend', changes: { hosting: baseFacts().hosting } }],
    );
    expect(preparing.stage).toBe('PREPARING');
    const resubmitted = decide(preparing, SUBMIT, ctxAt('2026-12-02T04:00:00.000Z'));
    expect(resubmitted.event).toEqual({ type: 'case.resubmitted', fromStage: 'PREPARING', toStage: 'INITIAL_REVIEW', data: {} });
    expect(resubmitted.state.firstSubmittedAt).toBe(firstSubmittedAt);
  });

  it('the first submission is case.submitted and sets firstSubmittedAt', () => {
    const first = decide(open(), SUBMIT, ctxAt('2026-11-30T03:00:00.000Z'));
    expect(first.event).toEqual({ type: 'case.submitted', fromStage: 'PREPARING', toStage: 'INITIAL_REVIEW', data: {} });
    expect(first.state.firstSubmittedAt).toBe('2026-11-30T03:00:00.000Z');
  });

  it('a return without reasons records none', () => {
    const returned = decide(reach('INITIAL_REVIEW'), { type: 'initial-review', decision: 'RETURNED' }, ctxAt(T0));
    expect(returned.state.returnReasons).toEqual([]);
  });

  it('an expired SMS check returns the case with SMS_VERIFICATION_EXPIRED, which clears on resubmission', () => {
    const waiting = reach('AWAITING_SMS_VERIFICATION');
    const due = waiting.deadlines.smsVerificationDue;
    expect(due).toBe('2026-12-02T06:00:00.000Z');

    const expired = decide(waiting, { type: 'sms-expired' }, ctxAt(due!));
    expect(expired.state.stage).toBe('RETURNED');
    expect(expired.event).toEqual({ type: 'sms.expired', fromStage: 'AWAITING_SMS_VERIFICATION', toStage: 'RETURNED', data: { due } });
    expect(shown(expired.state.findings)).toEqual([
      {
        rule: 'SMS_VERIFICATION_EXPIRED',
        severity: 'WARNING',
        message: expect.stringContaining(due!),
        path: 'deadlines.smsVerificationDue',
      },
    ]);
    expect(expired.state.returnReasons).toEqual([shown(expired.state.findings)[0].message]);
    expect(expired.state.deadlines).toMatchObject({ smsVerificationDue: null, reviewDue: null, psbFilingDue: null });

    const amended = run(expired.state, ['2026-12-03T02:00:00.000Z', { type: 'assign', assignee: 'officer-2' }]);
    expect(rules(amended.findings)).toEqual(['SMS_VERIFICATION_EXPIRED']);

    const resubmitted = decide(amended, SUBMIT, ctxAt('2026-12-03T03:00:00.000Z'));
    expect(resubmitted.event.type).toBe('case.resubmitted');
    expect(shown(resubmitted.state.findings)).toEqual([]);
    expect(resubmitted.state.notices).toEqual([]);
  });
});

describe('decide: MIIT decision', () => {
  it.each([
    ['an ICP number of another province', '京ICP备12345678号-1', 'Beijing'],
    ['a malformed ICP number', '浙ICP12345678号', 'is not an ICP number'],
    ['a blank ICP number', '   ', 'needs the ICP number'],
    ['no ICP number', undefined, 'needs the ICP number'],
  ])('APPROVED with %s throws ICP_NUMBER_INVALID', (_, icpNumber, reason) => {
    const error = errorOf(() =>
      decide(reach('MIIT_REVIEW'), { type: 'miit-decision', decision: 'APPROVED', icpNumber }, ctxAt('2026-12-10T02:00:00.000Z')),
    );
    expect(error).toBeInstanceOf(RuleViolationsError);
    expect(error).toMatchObject({
      code: 'RULE_VIOLATIONS',
      details: {
        findings: [{ rule: 'ICP_NUMBER_INVALID', severity: 'BLOCKING', path: 'icpNumber', message: expect.stringContaining(reason) }],
      },
    });
  });

  it('APPROVED stores the trimmed ICP number', () => {
    const decision = decide(reach('MIIT_REVIEW'), { ...APPROVE_MIIT, icpNumber: ` ${VALID_ICP} ` }, ctxAt('2026-12-10T02:00:00.000Z'));
    expect(decision.state.icpNumber).toBe(VALID_ICP);
  });

  it('APPROVED silences CDN_REQUIRES_FILING', () => {
    const facts = baseFacts();
    facts.hosting.cdn = { accelerationRegion: 'GLOBAL', cname: 'contoso.cn.w.cdngslb.com' };
    const miit = run(
      open(facts),
      ['2026-11-30T03:00:00.000Z', SUBMIT],
      ['2026-12-01T06:00:00.000Z', APPROVE_INITIAL],
      ['2026-12-01T08:00:00.000Z', SMS_VERIFIED],
    );
    expect(rules(miit.findings)).toEqual(['CDN_REQUIRES_FILING']);
    expect(shown(decide(miit, APPROVE_MIIT, ctxAt('2026-12-10T02:00:00.000Z')).state.findings)).toEqual([]);
  });
});

describe('decide: resolution', () => {
  it('an unresolved domain returns violations and stays RESOLVING; a later verified check completes', () => {
    const resolving = reach('RESOLVING');
    const failed = decide(resolving, { type: 'resolution', checks: [UNRESOLVED] }, ctxAt('2026-12-11T02:00:00.000Z'));
    const dns = { rule: 'DNS_NOT_RESOLVED', severity: 'BLOCKING', path: 'websites.domains', message: expect.stringContaining('NXDOMAIN') };
    expect(failed.violations).toEqual([dns]);
    expect(failed.state.stage).toBe('RESOLVING');
    expect(failed.state.version).toBe(resolving.version + 1);
    expect(shown(failed.state.findings)).toEqual([dns]);
    expect(failed.event).toMatchObject({ type: 'resolution.failed', fromStage: 'RESOLVING', toStage: 'RESOLVING' });

    const failedAgain = decide(
      frozen(failed.state),
      { type: 'resolution', checks: [{ ...UNRESOLVED, found: ['1.2.3.4'], error: null }] },
      ctxAt('2026-12-11T03:00:00.000Z'),
    );
    expect(shown(failedAgain.state.findings)).toEqual([{ ...dns, message: expect.stringContaining('found 1.2.3.4') }]);

    const completed = decide(frozen(failedAgain.state), { type: 'resolution', checks: [RESOLVED] }, ctxAt('2026-12-12T02:00:00.000Z'));
    expect(completed.violations).toBeUndefined();
    expect(completed.state.stage).toBe('COMPLETED');
    expect(shown(completed.state.findings)).toEqual([]);
    expect(completed.state.notices).toEqual([]);
  });
});

describe('decide: amendments', () => {
  it('with a stale expectedVersion throws VERSION_CONFLICT', () => {
    const state = run(open(), [T0, { type: 'assign', assignee: 'officer-1' }]);
    const error = errorOf(() => decide(state, { type: 'amend', changes: { filingType: 'ICP_FILING' }, expectedVersion: 1 }, ctxAt(T0)));
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({ code: 'VERSION_CONFLICT', details: { expected: 1, actual: 2 } });
    expect(decide(state, { type: 'amend', changes: { filingType: 'ICP_FILING' }, expectedVersion: 2 }, ctxAt(T0)).state.version).toBe(3);
  });

  it.each([
    ['no fields', {}],
    ['only undefined fields', { websites: undefined }],
  ])('with %s throws VALIDATION_FAILED', (_, changes) => {
    const error = errorOf(() => decide(open(), { type: 'amend', changes }, ctxAt(T0)));
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it.each([
    ['PREPARING', baseFacts(), 'PREPARING'],
    ['AWAITING_CERTIFICATE', withoutCertificate(), 'AWAITING_CERTIFICATE'],
  ] as [string, CaseFacts, Stage][])('from %s, hosting moved to Hong Kong → NOT_REQUIRED, and back → %s', (from, facts, back) => {
    const state = open(facts);
    expect(state.stage).toBe(from);
    const away = decide(state, { type: 'amend', changes: { hosting: hostedIn('cn-hongkong').hosting } }, ctxAt(T0));
    expect(away.state.stage).toBe('NOT_REQUIRED');
    expect(away.event).toMatchObject({ type: 'case.amended', fromStage: from, toStage: 'NOT_REQUIRED', data: { changed: ['hosting'] } });
    expect(rules(away.state.findings)).toEqual(['HOSTING_OUTSIDE_MAINLAND']);
    const home = decide(frozen(away.state), { type: 'amend', changes: { hosting: baseFacts().hosting } }, ctxAt(T0));
    expect(home.state.stage).toBe(back);
    expect(rules(home.state.findings)).not.toContain('HOSTING_OUTSIDE_MAINLAND');
  });

  it('presence NONE without certificate moves PREPARING back to AWAITING_CERTIFICATE', () => {
    const decision = decide(open(), { type: 'amend', changes: { applicant: withoutCertificate().applicant } }, ctxAt(T0));
    expect(decision.state.stage).toBe('AWAITING_CERTIFICATE');
  });

  it('in RETURNED stays RETURNED unless the hosting leaves the mainland', () => {
    const returned = reach('RETURNED');
    expect(decide(returned, { type: 'amend', changes: { filingType: 'ICP_FILING' } }, ctxAt(T0)).state.stage).toBe('RETURNED');
    expect(decide(returned, { type: 'amend', changes: { hosting: hostedIn('cn-hongkong').hosting } }, ctxAt(T0)).state.stage).toBe(
      'NOT_REQUIRED',
    );
  });

  it('the submission province may change before the first submission', () => {
    const decision = decide(open(), { type: 'amend', changes: { submissionProvince: 'CN-SH' } }, ctxAt(T0));
    expect(decision.state.facts.submissionProvince).toBe('CN-SH');
    expect(rules(decision.state.findings)).toEqual(['PROVINCE_MISMATCH']);
  });

  it('the submission province can never change after a submission (RETURNED)', () => {
    const returned = reach('RETURNED');
    const error = errorOf(() => decide(returned, { type: 'amend', changes: { submissionProvince: 'CN-SH' } }, ctxAt(T0)));
    expect(error).toBeInstanceOf(RuleViolationsError);
    expect(error).toMatchObject({
      code: 'RULE_VIOLATIONS',
      details: { findings: [expect.objectContaining({ rule: 'PROVINCE_MISMATCH', severity: 'BLOCKING', path: 'submissionProvince' })] },
    });
    // Restating the same province is not a change.
    expect(decide(returned, { type: 'amend', changes: { submissionProvince: 'CN-ZJ' } }, ctxAt(T0)).state.stage).toBe('RETURNED');
  });
});

describe('decide: other commands', () => {
  it.each(['AWAITING_CERTIFICATE', 'PREPARING', 'INITIAL_REVIEW', 'AWAITING_SMS_VERIFICATION', 'MIIT_REVIEW', 'RETURNED', 'NOT_REQUIRED'] as Stage[])(
    'withdraw from %s',
    (stage) => {
      const decision = decide(reach(stage), { type: 'withdraw', reason: 'Project cancelled' }, ctxAt('2026-12-20T02:00:00.000Z'));
      expect(decision.state).toMatchObject({
        stage: 'WITHDRAWN',
        withdrawal: { reason: 'Project cancelled' },
        deadlines: { smsVerificationDue: null, reviewDue: null, psbFilingDue: null },
      });
      expect(decision.event).toEqual({ type: 'case.withdrawn', fromStage: stage, toStage: 'WITHDRAWN', data: { reason: 'Project cancelled' } });
    },
  );

  it('certificate-application is recorded without leaving AWAITING_CERTIFICATE', () => {
    const decision = decide(
      reach('AWAITING_CERTIFICATE'),
      { type: 'certificate-application', authority: '杭州市市场监督管理局', appliedAt: '2026-11-28' },
      ctxAt(T0),
    );
    expect(decision.state.stage).toBe('AWAITING_CERTIFICATE');
    expect(decision.state.certificateApplication).toEqual({ authority: '杭州市市场监督管理局', appliedAt: '2026-11-28' });
    expect(decision.event).toEqual({
      type: 'certificate.applied',
      fromStage: 'AWAITING_CERTIFICATE',
      toStage: 'AWAITING_CERTIFICATE',
      data: { authority: '杭州市市场监督管理局', appliedAt: '2026-11-28' },
    });
  });

  it('assign records the assignee', () => {
    const decision = decide(reach('COMPLETED'), { type: 'assign', assignee: 'officer-2' }, ctxAt(T0));
    expect(decision.state.assignee).toBe('officer-2');
    expect(decision.event).toMatchObject({ type: 'case.assigned', data: { from: null, to: 'officer-2' } });
  });

  it('a REVIEW_OVERDUE reminder is a notice until the review ends', () => {
    const overdue = decide(reach('MIIT_REVIEW'), { type: 'reminder', rule: 'REVIEW_OVERDUE' }, ctxAt('2026-12-30T02:00:00.000Z'));
    expect(shown(overdue.state.findings)).toEqual([
      expect.objectContaining({ rule: 'REVIEW_OVERDUE', severity: 'WARNING', message: expect.stringContaining('MIIT') }),
    ]);
    const again = decide(frozen(overdue.state), { type: 'reminder', rule: 'REVIEW_OVERDUE' }, ctxAt('2026-12-31T02:00:00.000Z'));
    expect(rules(again.state.findings)).toEqual(['REVIEW_OVERDUE']);
    const approved = decide(frozen(again.state), APPROVE_MIIT, ctxAt('2027-01-04T02:00:00.000Z'));
    expect(shown(approved.state.findings)).toEqual([]);
  });

  it('a PSB_FILING_DUE reminder clears when the PSB filing is recorded', () => {
    const due = decide(reach('COMPLETED'), { type: 'reminder', rule: 'PSB_FILING_DUE' }, ctxAt('2027-01-10T02:00:00.000Z'));
    expect(rules(due.state.findings)).toEqual(['PSB_FILING_DUE']);
    const filed = decide(
      frozen(due.state),
      { type: 'psb-filing', recordNumber: '浙公网安备33010602011234号', filedAt: '2027-01-11' },
      ctxAt('2027-01-11T02:00:00.000Z'),
    );
    expect(shown(filed.state.findings)).toEqual([]);
    expect(filed.state).toMatchObject({
      stage: 'COMPLETED',
      psbFiling: { recordNumber: '浙公网安备33010602011234号', filedAt: '2027-01-11' },
      deadlines: { psbFilingDue: null },
    });
  });
});

describe('decide: documents', () => {
  type Upload = Extract<CaseCommand, { type: 'upload-document' }>['document'];
  type Slot = [DocumentType, number | null];
  const AT = '2026-11-30T02:00:00.000Z';
  const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const ID_SCAN: Upload = { id: 'doc-1', type: 'PRINCIPAL_ID', websiteIndex: null, sha256: SHA };

  const upload = (id: string, type: DocumentType, websiteIndex: number | null = null): CaseCommand => ({
    type: 'upload-document',
    document: { id, type, websiteIndex, sha256: SHA },
  });
  const accept = (documentId: string): CaseCommand => ({ type: 'review-document', documentId, decision: 'ACCEPTED', reason: null });
  const reject = (documentId: string, reason: string | null): CaseCommand => ({
    type: 'review-document',
    documentId,
    decision: 'REJECTED',
    reason,
  });
  const rulePaths = (findings: Finding[]): string[] => findings.map(({ rule, path }) => `${rule} @ ${path}`);
  /** The findings a submit is refused with, as `RULE @ path`. */
  function submitBlockers(state: CaseState): string[] {
    const error = errorOf(() => decide(state, SUBMIT, ctxAt(AT)));
    expect(error).toBeInstanceOf(RuleViolationsError);
    return rulePaths(findingsOf(error));
  }
  /** Uploads and accepts one document per slot (ids doc-<type>-<index>). */
  function accepted(state: CaseState, slots: Slot[]): CaseState {
    return slots.reduce((s, [type, index]) => {
      const id = `doc-${type}-${index}`;
      return run(s, [AT, upload(id, type, index)], [AT, accept(id)]);
    }, state);
  }

  describe('upload', () => {
    it.each(['AWAITING_CERTIFICATE', 'PREPARING', 'RETURNED'] as Stage[])(
      'in %s records the document PENDING in its slot, without leaving the stage',
      (stage) => {
        const before = reach(stage);
        expect(before.documents).toEqual([]);
        const decision = decide(before, { type: 'upload-document', document: ID_SCAN }, ctxAt(AT));
        expect(decision.state).toMatchObject({ stage, version: before.version + 1, updatedAt: AT, facts: before.facts });
        expect(decision.state.documents).toEqual([{ id: 'doc-1', type: 'PRINCIPAL_ID', websiteIndex: null, status: 'PENDING' }]);
        expect(decision.event).toEqual({
          type: 'document.uploaded',
          fromStage: stage,
          toStage: stage,
          data: { documentId: 'doc-1', type: 'PRINCIPAL_ID', websiteIndex: null, sha256: SHA },
        });
        expect(decision.violations).toBeUndefined();
      },
    );

    it('a website document goes to the slot of its website, beside the case documents', () => {
      const state = run(open(), [AT, upload('doc-1', 'PRINCIPAL_ID')], [AT, upload('doc-2', 'WEBSITE_ADMIN_ID', 0)]);
      expect(state.documents).toHaveLength(2);
      expect(state.documents).toEqual(
        expect.arrayContaining([
          { id: 'doc-1', type: 'PRINCIPAL_ID', websiteIndex: null, status: 'PENDING' },
          { id: 'doc-2', type: 'WEBSITE_ADMIN_ID', websiteIndex: 0, status: 'PENDING' },
        ]),
      );
    });

    it.each([
      ['ACCEPTED', accept('doc-1')],
      ['REJECTED', reject('doc-1', 'The scan is unreadable')],
    ] as const)('supersedes the current document of the same slot (%s), and only that slot', (_, review) => {
      const reviewed = run(open(), [AT, upload('doc-1', 'PRINCIPAL_ID')], [AT, review], [AT, upload('doc-2', 'WEBSITE_ADMIN_ID', 0)]);
      const replaced = decide(reviewed, upload('doc-3', 'PRINCIPAL_ID'), ctxAt(AT)).state;
      expect(replaced.documents).toHaveLength(2);
      expect(replaced.documents).toEqual(
        expect.arrayContaining([
          { id: 'doc-2', type: 'WEBSITE_ADMIN_ID', websiteIndex: 0, status: 'PENDING' },
          { id: 'doc-3', type: 'PRINCIPAL_ID', websiteIndex: null, status: 'PENDING' },
        ]),
      );
    });

    it('a new version of an accepted document unsatisfies its slot until it is accepted in turn', () => {
      const satisfied = accepted(open(baseFacts(), true), [['PRINCIPAL_ID', null]]);
      expect(rulePaths(satisfied.findings)).not.toContain('DOCUMENT_MISSING @ documents.PRINCIPAL_ID');
      const replaced = run(satisfied, [AT, upload('doc-2', 'PRINCIPAL_ID')]);
      expect(rulePaths(replaced.findings)).toContain('DOCUMENT_MISSING @ documents.PRINCIPAL_ID');
      expect(rulePaths(run(replaced, [AT, accept('doc-2')]).findings)).not.toContain('DOCUMENT_MISSING @ documents.PRINCIPAL_ID');
    });

    it.each([
      ['a website document without websiteIndex', upload('doc-1', 'WEBSITE_ADMIN_ID'), 'give websiteIndex'],
      ['an authorisation letter without websiteIndex', upload('doc-1', 'AUTHORISATION_LETTER'), 'give websiteIndex'],
      ['a website document for a website the case does not have', upload('doc-1', 'WEBSITE_ADMIN_ID', 1), 'websiteIndex 1 names no website (the case has 1)'],
      ['a pre-approval for a website the case does not have', upload('doc-1', 'PRE_APPROVAL', 3), 'websiteIndex 3 names no website'],
      ['a case document tied to a website', upload('doc-1', 'ENTITY_CERTIFICATE', 0), 'leave websiteIndex out'],
      ['the authenticity form tied to a website', upload('doc-1', 'AUTHENTICITY_VERIFICATION_FORM', 0), 'leave websiteIndex out'],
    ])('of %s throws VALIDATION_FAILED', (_, command, message) => {
      const preparing = open();
      const error = errorOf(() => decide(preparing, command, ctxAt(AT)));
      expect(error).toBeInstanceOf(ValidationFailedError);
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'websiteIndex', message: expect.stringContaining(message) }] });
      expect(preparing.documents).toEqual([]);
    });

    it('a second website has its own slots', () => {
      const f = baseFacts();
      const facts = { ...f, websites: [...f.websites, { ...f.websites[0], name: '康拓索技术支持', domains: ['support.contoso.cn'] }] };
      const state = run(open(facts), [AT, upload('doc-1', 'WEBSITE_ADMIN_ID', 1)], [AT, upload('doc-2', 'WEBSITE_ADMIN_ID', 0)]);
      expect(state.documents.map((d) => [d.id, d.websiteIndex]).sort()).toEqual([
        ['doc-1', 1],
        ['doc-2', 0],
      ]);
    });
  });

  describe('review', () => {
    it('ACCEPTED records the decision on the current document, without leaving the stage', () => {
      const uploaded = run(open(), [AT, { type: 'upload-document', document: ID_SCAN }]);
      const decision = decide(uploaded, accept('doc-1'), ctxAt('2026-11-30T03:00:00.000Z'));
      expect(decision.state).toMatchObject({ stage: 'PREPARING', version: uploaded.version + 1, updatedAt: '2026-11-30T03:00:00.000Z' });
      expect(decision.state.documents).toEqual([{ id: 'doc-1', type: 'PRINCIPAL_ID', websiteIndex: null, status: 'ACCEPTED' }]);
      expect(decision.event).toEqual({
        type: 'document.reviewed',
        fromStage: 'PREPARING',
        toStage: 'PREPARING',
        data: { documentId: 'doc-1', type: 'PRINCIPAL_ID', websiteIndex: null, decision: 'ACCEPTED', reason: null },
      });
    });

    it('REJECTED with a reason records the decision and the reason', () => {
      const uploaded = run(reach('RETURNED'), [AT, upload('doc-7', 'AUTHORISATION_LETTER', 0)]);
      const decision = decide(uploaded, reject('doc-7', 'Not signed by the principal'), ctxAt(AT));
      expect(decision.state.stage).toBe('RETURNED');
      expect(decision.state.documents).toEqual([{ id: 'doc-7', type: 'AUTHORISATION_LETTER', websiteIndex: 0, status: 'REJECTED' }]);
      expect(decision.event).toEqual({
        type: 'document.reviewed',
        fromStage: 'RETURNED',
        toStage: 'RETURNED',
        data: { documentId: 'doc-7', type: 'AUTHORISATION_LETTER', websiteIndex: 0, decision: 'REJECTED', reason: 'Not signed by the principal' },
      });
    });

    it.each([
      ['null', null],
      ['empty', ''],
      ['blank', '  \n '],
    ])('REJECTED with a %s reason throws VALIDATION_FAILED', (_, reason) => {
      const uploaded = run(open(), [AT, { type: 'upload-document', document: ID_SCAN }]);
      const error = errorOf(() => decide(uploaded, reject('doc-1', reason), ctxAt(AT)));
      expect(error).toBeInstanceOf(ValidationFailedError);
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'reason', message: expect.stringContaining('reason') }] });
      expect(uploaded.documents).toEqual([{ id: 'doc-1', type: 'PRINCIPAL_ID', websiteIndex: null, status: 'PENDING' }]);
    });

    it.each([
      ['ACCEPTED', accept('doc-1')],
      ['REJECTED', reject('doc-1', 'Expired passport')],
    ] as const)('of a superseded document (%s) throws DOCUMENT_SUPERSEDED; the current one can be reviewed', (_, review) => {
      const superseded = run(open(), [AT, upload('doc-1', 'PRINCIPAL_ID')], [AT, upload('doc-2', 'PRINCIPAL_ID')]);
      const error = errorOf(() => decide(superseded, review, ctxAt(AT)));
      expect(error).toBeInstanceOf(DomainError);
      expect(error).not.toBeInstanceOf(ValidationFailedError);
      expect(isDomainError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'DOCUMENT_SUPERSEDED', details: { documentId: 'doc-1' } });
      expect(decide(superseded, accept('doc-2'), ctxAt(AT)).state.documents).toEqual([
        { id: 'doc-2', type: 'PRINCIPAL_ID', websiteIndex: null, status: 'ACCEPTED' },
      ]);
    });

    it('checks the document before the reason: a superseded document rejected without reason is DOCUMENT_SUPERSEDED', () => {
      const superseded = run(open(), [AT, upload('doc-1', 'PRINCIPAL_ID')], [AT, upload('doc-2', 'PRINCIPAL_ID')]);
      expect(errorOf(() => decide(superseded, reject('doc-1', null), ctxAt(AT)))).toMatchObject({ code: 'DOCUMENT_SUPERSEDED' });
    });

    it.each([
      ['a case without documents', (): CaseState => open()],
      ['a case with other documents', (): CaseState => run(open(), [AT, upload('doc-1', 'PRINCIPAL_ID')])],
    ])('of an unknown document id on %s throws DOCUMENT_SUPERSEDED', (_, state) => {
      const error = errorOf(() => decide(state(), accept('doc-404'), ctxAt(AT)));
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'DOCUMENT_SUPERSEDED', details: { documentId: 'doc-404' } });
    });
  });

  describe('document rules, enforced', () => {
    /** The base case's checklist (administrator not the principal, GENERAL content), with the finding each unmet slot raises. */
    const SLOTS: [Slot, string][] = [
      [['ENTITY_CERTIFICATE', null], 'DOCUMENT_MISSING @ documents.ENTITY_CERTIFICATE'],
      [['PRINCIPAL_ID', null], 'DOCUMENT_MISSING @ documents.PRINCIPAL_ID'],
      [['WEBSITE_ADMIN_ID', 0], 'DOCUMENT_MISSING @ websites[0]'],
      [['AUTHENTICITY_VERIFICATION_FORM', null], 'DOCUMENT_MISSING @ documents.AUTHENTICITY_VERIFICATION_FORM'],
      [['AUTHORISATION_LETTER', 0], 'AUTHORISATION_LETTER_REQUIRED @ websites[0].administrator'],
    ];
    /** Rules evaluate in FACT_CHECKS order: the letter's finding comes before the DOCUMENT_MISSING ones. */
    const ordered = (findings: string[]) => [
      ...findings.filter((f) => f.startsWith('AUTHORISATION_LETTER_REQUIRED')),
      ...findings.filter((f) => f.startsWith('DOCUMENT_MISSING')),
    ];

    it('the slots are the checklist of the base case', () => {
      expect(checklist(baseFacts(), CONFIG, []).map(({ type, websiteIndex }) => [type, websiteIndex])).toEqual(SLOTS.map(([slot]) => slot));
    });

    it('a submit is blocked, one finding per unmet slot, until every slot has an ACCEPTED document', () => {
      let state = open(baseFacts(), true);
      expect(submitBlockers(state)).toEqual(ordered(SLOTS.map(([, f]) => f)));
      SLOTS.forEach(([[type, index]], n) => {
        const id = `doc-${n}`;
        state = run(state, [AT, upload(id, type, index)]);
        // PENDING does not count.
        expect(submitBlockers(state)).toEqual(ordered(SLOTS.slice(n).map(([, f]) => f)));
        state = run(state, [AT, accept(id)]);
        const unmet = ordered(SLOTS.slice(n + 1).map(([, f]) => f));
        expect(rulePaths(state.findings)).toEqual(unmet);
        if (unmet.length > 0) expect(submitBlockers(state)).toEqual(unmet);
      });
      const submitted = decide(state, SUBMIT, ctxAt(AT));
      expect(submitted.state.stage).toBe('INITIAL_REVIEW');
      expect(submitted.event.type).toBe('case.submitted');
      expect(shown(submitted.state.findings)).toEqual([]);
    });

    it('every finding is BLOCKING and names what is missing', () => {
      const state = open(baseFacts(), true);
      expect(state.findings.every((f) => f.severity === 'BLOCKING')).toBe(true);
      expect(state.findings.find((f) => f.path === 'documents.PRINCIPAL_ID')?.message).toContain('PRINCIPAL_ID');
      expect(state.findings.find((f) => f.rule === 'AUTHORISATION_LETTER_REQUIRED')?.message).toContain('Li Wei');
    });

    it('a REJECTED document leaves its slot unmet; a new version, once accepted, satisfies it', () => {
      const allButForm = accepted(open(baseFacts(), true), SLOTS.filter(([[type]]) => type !== 'AUTHENTICITY_VERIFICATION_FORM').map(([slot]) => slot));
      const rejected = run(
        allButForm,
        [AT, upload('form-1', 'AUTHENTICITY_VERIFICATION_FORM')],
        [AT, reject('form-1', 'Not stamped')],
      );
      expect(submitBlockers(rejected)).toEqual(['DOCUMENT_MISSING @ documents.AUTHENTICITY_VERIFICATION_FORM']);
      const fixed = run(rejected, [AT, upload('form-2', 'AUTHENTICITY_VERIFICATION_FORM')], [AT, accept('form-2')]);
      expect(decide(fixed, SUBMIT, ctxAt(AT)).state.stage).toBe('INITIAL_REVIEW');
    });

    it('AUTHORISATION_LETTER_REQUIRED applies to each website whose administrator is not the principal', () => {
      const f = withSite({}, AS_PRINCIPAL);
      const facts = {
        ...f,
        websites: [f.websites[0], { ...baseFacts().websites[0], name: '康拓索技术支持', domains: ['support.contoso.cn'] }],
      };
      const state = open(facts, true);
      expect(rulePaths(state.findings.filter((x) => x.rule === 'AUTHORISATION_LETTER_REQUIRED'))).toEqual([
        'AUTHORISATION_LETTER_REQUIRED @ websites[1].administrator',
      ]);
      const lettered = accepted(state, [['AUTHORISATION_LETTER', 1]]);
      expect(rules(lettered.findings)).not.toContain('AUTHORISATION_LETTER_REQUIRED');
    });

    it('making the administrator the principal (an amendment) drops the letter from what is required', () => {
      const state = open(baseFacts(), true);
      expect(rules(state.findings)).toContain('AUTHORISATION_LETTER_REQUIRED');
      const amended = run(state, [AT, { type: 'amend', changes: { websites: withSite({}, AS_PRINCIPAL).websites } }]);
      expect(rules(amended.findings)).not.toContain('AUTHORISATION_LETTER_REQUIRED');
      expect(rules(amended.findings)).toEqual(['DOCUMENT_MISSING', 'DOCUMENT_MISSING', 'DOCUMENT_MISSING', 'DOCUMENT_MISSING']);
    });

    it('PRE_APPROVAL_REQUIRED blocks NEWS content until a pre-approval for that website is accepted', () => {
      const news = withSite({ contentCategory: 'NEWS' }, AS_PRINCIPAL);
      const basics: Slot[] = [
        ['ENTITY_CERTIFICATE', null],
        ['PRINCIPAL_ID', null],
        ['WEBSITE_ADMIN_ID', 0],
        ['AUTHENTICITY_VERIFICATION_FORM', null],
      ];
      const state = accepted(open(news, true), basics);
      expect(submitBlockers(state)).toEqual(['PRE_APPROVAL_REQUIRED @ websites[0].contentCategory']);
      expect(shown(state.findings)).toEqual([
        expect.objectContaining({ rule: 'PRE_APPROVAL_REQUIRED', severity: 'BLOCKING', message: expect.stringContaining('NEWS') }),
      ]);
      const pending = run(state, [AT, upload('pa-1', 'PRE_APPROVAL', 0)]);
      expect(submitBlockers(pending)).toEqual(['PRE_APPROVAL_REQUIRED @ websites[0].contentCategory']);
      const approved = run(pending, [AT, accept('pa-1')]);
      expect(shown(approved.findings)).toEqual([]);
      expect(decide(approved, SUBMIT, ctxAt(AT)).state.stage).toBe('INITIAL_REVIEW');
    });

    it('GENERAL content needs no pre-approval', () => {
      expect(rules(open(withSite({}, AS_PRINCIPAL), true).findings)).not.toContain('PRE_APPROVAL_REQUIRED');
    });

    it('documents outlive a return; replacing one in RETURNED blocks the resubmission until it is accepted', () => {
      const submitted = decide(accepted(open(baseFacts(), true), SLOTS.map(([slot]) => slot)), SUBMIT, ctxAt(AT)).state;
      const returned = run(submitted, ['2026-12-01T06:00:00.000Z', { type: 'initial-review', decision: 'RETURNED', reasons: ['证件不清晰'] }]);
      expect(returned.stage).toBe('RETURNED');
      expect(returned.documents).toHaveLength(SLOTS.length);
      expect(returned.documents.every((d) => d.status === 'ACCEPTED')).toBe(true);
      const replaced = run(returned, [AT, upload('doc-new', 'PRINCIPAL_ID')]);
      expect(submitBlockers(replaced)).toEqual(['DOCUMENT_MISSING @ documents.PRINCIPAL_ID']);
      const resubmitted = decide(run(replaced, [AT, accept('doc-new')]), SUBMIT, ctxAt('2026-12-02T02:00:00.000Z'));
      expect(resubmitted.event).toMatchObject({ type: 'case.resubmitted', fromStage: 'RETURNED', toStage: 'INITIAL_REVIEW' });
    });
  });

  describe('document rules, not enforced', () => {
    const news = withSite({ contentCategory: 'NEWS' });

    it('are silent: no documents, NEWS content, a non-principal administrator, and the submit goes through', () => {
      const state = open(news, false);
      expect(state.enforceDocuments).toBe(false);
      expect(state.documents).toEqual([]);
      expect(shown(state.findings)).toEqual([]);
      expect(decide(state, SUBMIT, ctxAt(AT)).state.stage).toBe('INITIAL_REVIEW');
    });

    it('stay silent while documents are uploaded, rejected or pending — which are still recorded', () => {
      const state = run(
        open(news, false),
        [AT, upload('doc-1', 'PRE_APPROVAL', 0)],
        [AT, reject('doc-1', 'Wrong authority')],
        [AT, upload('doc-2', 'PRINCIPAL_ID')],
      );
      expect(state.documents).toHaveLength(2);
      expect(state.documents).toEqual(
        expect.arrayContaining([
          { id: 'doc-1', type: 'PRE_APPROVAL', websiteIndex: 0, status: 'REJECTED' },
          { id: 'doc-2', type: 'PRINCIPAL_ID', websiteIndex: null, status: 'PENDING' },
        ]),
      );
      expect(shown(state.findings)).toEqual([]);
      expect(decide(state, SUBMIT, ctxAt(AT)).state.stage).toBe('INITIAL_REVIEW');
    });

    it('the same facts enforced are blocked by every document rule', () => {
      expect([...new Set(rules(open(news, true).findings))]).toEqual(['PRE_APPROVAL_REQUIRED', 'AUTHORISATION_LETTER_REQUIRED', 'DOCUMENT_MISSING']);
    });

    it('still validate slots and review rules (they are not document rules)', () => {
      const state = open(news, false);
      expect(errorOf(() => decide(state, upload('doc-1', 'WEBSITE_ADMIN_ID'), ctxAt(AT)))).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(errorOf(() => decide(state, accept('doc-404'), ctxAt(AT)))).toMatchObject({ code: 'DOCUMENT_SUPERSEDED' });
    });
  });
});

describe('decide: the stage table', () => {
  const SAMPLES: Record<CaseCommand['type'], CaseCommand> = {
    'certificate-application': { type: 'certificate-application', authority: '杭州市市场监督管理局', appliedAt: '2026-11-28' },
    certificate: { type: 'certificate', certificate: CERTIFICATE },
    amend: { type: 'amend', changes: { filingType: 'ICP_FILING' } },
    submit: SUBMIT,
    'initial-review': APPROVE_INITIAL,
    'sms-verification': SMS_VERIFIED,
    'sms-expired': { type: 'sms-expired' },
    'miit-decision': APPROVE_MIIT,
    resolution: { type: 'resolution', checks: [RESOLVED] },
    withdraw: { type: 'withdraw', reason: 'Project cancelled' },
    assign: { type: 'assign', assignee: 'officer-1' },
    'psb-filing': { type: 'psb-filing', recordNumber: '浙公网安备33010602011234号', filedAt: '2026-12-20' },
    reminder: { type: 'reminder', rule: 'REVIEW_OVERDUE' },
    'upload-document': { type: 'upload-document', document: { id: 'doc-1', type: 'PRINCIPAL_ID', websiteIndex: null, sha256: 'ab' } },
    'review-document': { type: 'review-document', documentId: 'doc-1', decision: 'ACCEPTED', reason: null },
    'hosting-refresh': { type: 'hosting-refresh', check: { outcome: 'CHECKED', checkedAt: '2027-01-20T02:00:00.000Z', instances: [], cdn: [] } },
    'hosting-verified': { type: 'hosting-verified', check: { outcome: 'NOT_CONFIGURED', checkedAt: '2027-01-20T02:00:00.000Z' } },
    'hosting-watched': { type: 'hosting-watched', check: { outcome: 'CHECKED', checkedAt: '2027-01-20T02:00:00.000Z', instances: [], cdn: [], watch: true } },
  };
  const pairs = STAGES.flatMap((stage) => Object.values(SAMPLES).map((command) => [stage, command.type, command] as const));
  const states = Object.fromEntries(STAGES.map((s) => [s, reach(s)])) as Record<Stage, CaseState>;

  it('reaches every stage', () => {
    for (const stage of STAGES) expect(states[stage].stage).toBe(stage);
  });

  it.each(pairs.filter(([stage, type]) => !ACTION_STAGES[type].includes(stage)))(
    '%s: %s throws TRANSITION_NOT_ALLOWED',
    (stage, _, command) => {
      const error = errorOf(() => decide(states[stage], command, ctxAt('2027-01-20T02:00:00.000Z')));
      expect(error).toBeInstanceOf(TransitionNotAllowedError);
      expect(isDomainError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED', details: { stage, allowed: allowedActions(stage) } });
    },
  );

  it.each(pairs.filter(([stage, type]) => ACTION_STAGES[type].includes(stage)))(
    '%s: %s applies and leads only where STAGE_EXITS allows',
    (stage, _, command) => {
      const ctx = ctxAt('2027-01-20T02:00:00.000Z');
      // A review needs an uploaded document to review.
      const before = command.type === 'review-document' ? decide(states[stage], SAMPLES['upload-document'], ctx).state : states[stage];
      const decision = decide(before, command, ctx);
      expect(decision.state.version).toBe(before.version + 1);
      expect([stage, ...STAGE_EXITS[stage]]).toContain(decision.state.stage);
    },
  );
});
