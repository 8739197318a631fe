import { resolve } from 'node:path';
import { loadRuleConfig } from '../../config/src/app-config';
import { businessDaysBefore } from './calendar';
import { decide, openCase, type CaseCommand, type CaseState, type DecideContext } from './decide';
import { reminderDeadlines } from './deadlines';
import type { RuleConfig } from './rule-config';
import { validFacts } from './testing/facts';

const CONFIG: RuleConfig = loadRuleConfig(resolve(__dirname, '../../../config/rules.json'), new Date('2026-11-30T00:00:00Z'));
const ctx = (now: string, config = CONFIG): DecideContext => ({ now, config, smsWindowMs: 86_400_000 });
const facts = () =>
  validFacts((f) => {
    f.hosting.slb = { publicIp: '47.98.10.20' };
    f.hosting.instances[0].expiresAt = '2027-12-31';
    f.applicant.certificate!.validUntil = '2028-06-30';
  });

function run(now: string[], commands: CaseCommand[], config = CONFIG): CaseState {
  let state = openCase({ caseId: 'c', reference: 'ICP-2026-000001', facts: facts(), enforceDocuments: false }, ctx(now[0], config)).state;
  commands.forEach((command, i) => (state = decide(state, command, ctx(now[i + 1] ?? now[now.length - 1], config)).state));
  return state;
}

const TO_MIIT: CaseCommand[] = [{ type: 'submit', openOrders: [] }, { type: 'initial-review', decision: 'APPROVED' }, { type: 'sms-verification' }];

describe('every deadline on the case', () => {
  it('names the running review, the expiries and their warning days', () => {
    const submitted = run(['2026-11-30T02:00:00.000Z'], [{ type: 'submit', openOrders: [] }]);
    expect(submitted.deadlines).toMatchObject({
      initialReviewDue: '2026-12-02T15:59:59.000Z',
      miitReviewDue: null,
      reviewDue: '2026-12-02T15:59:59.000Z',
      instanceExpiresOn: '2027-12-31',
      instanceExpiryWarningFrom: '2027-12-01',
      certificateExpiresOn: '2028-06-30',
      certificateExpiryWarningFrom: '2028-05-31',
      instanceRenewalDue: null,
      estimated: [],
    });
    const inMiit = run(['2026-11-30T02:00:00.000Z'], TO_MIIT);
    expect(inMiit.deadlines).toMatchObject({ initialReviewDue: null, miitReviewDue: '2026-12-28T15:59:59.000Z' });
  });

  it('a MIIT review running into a year the calendar lacks is estimated, with a CALENDAR_ESTIMATED warning', () => {
    const state = run(['2026-12-20T02:00:00.000Z'], TO_MIIT);
    expect(state.deadlines.estimated).toEqual(['miitReviewDue', 'reviewDue']);
    const warning = state.findings.find((f) => f.rule === 'CALENDAR_ESTIMATED');
    expect(warning).toMatchObject({ severity: 'WARNING', path: 'deadlines.miitReviewDue' });
    // With 2027 configured, the same deadline is exact.
    const with2027: RuleConfig = {
      ...CONFIG,
      calendar: { ...CONFIG.calendar, holidays: [...CONFIG.calendar.holidays, '2027-01-01'], years: [...(CONFIG.calendar.years ?? []), 2027] },
    };
    const exact = run(['2026-12-20T02:00:00.000Z'], TO_MIIT, with2027);
    expect(exact.deadlines.estimated).toEqual([]);
    expect(exact.findings.some((f) => f.rule === 'CALENDAR_ESTIMATED')).toBe(false);
    expect(Date.parse(exact.deadlines.miitReviewDue!)).toBeGreaterThan(Date.parse(state.deadlines.miitReviewDue!));
  });

  it('after approval: the instance renewal (the filing at risk; PSB filing runs from going live); both stop when the case closes', () => {
    const approved = run(['2026-11-30T02:00:00.000Z'], [...TO_MIIT, { type: 'miit-decision', decision: 'APPROVED', icpNumber: '浙ICP备12345678号-1' }]);
    expect(approved.deadlines).toMatchObject({ instanceRenewalDue: '2027-12-31', miitReviewDue: null });
    const filed = decide(
      { ...approved, stage: 'COMPLETED' },
      { type: 'psb-filing', recordNumber: '33010602000001', filedAt: '2026-12-20' },
      ctx('2026-12-20T02:00:00.000Z'),
    ).state;
    expect(filed.deadlines).toMatchObject({ psbFilingDue: null, instanceRenewalDue: null, instanceExpiresOn: null, certificateExpiresOn: null });
  });

  it('withdrawing clears every clock', () => {
    const withdrawn = run(['2026-11-30T02:00:00.000Z'], [{ type: 'submit', openOrders: [] }, { type: 'withdraw', reason: 'no longer needed' }]);
    expect(Object.values(withdrawn.deadlines).filter((v) => v !== null && !Array.isArray(v))).toEqual([]);
  });

  it('reminders: a business day ahead of review deadlines, the warning day for expiries', () => {
    const state = run(['2026-11-30T02:00:00.000Z'], TO_MIIT);
    const reminders = reminderDeadlines(state.deadlines, { leadBusinessDays: 1 }, CONFIG.calendar, businessDaysBefore);
    expect(reminders).toEqual([
      { rule: 'MIIT_REVIEW_DUE', due: '2026-12-28T15:59:59.000Z', remindFrom: '2026-12-24T16:00:00.000Z' },
      { rule: 'INSTANCE_EXPIRING', due: '2027-12-31T15:59:59.000Z', remindFrom: '2027-11-30T16:00:00.000Z' },
      { rule: 'CERTIFICATE_EXPIRING', due: '2028-06-30T15:59:59.000Z', remindFrom: '2028-05-30T16:00:00.000Z' },
    ]);
  });
});
