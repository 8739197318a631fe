import { isCovered } from './calendar';
import { addDays, chinaDate } from './dates';
import type { RuleConfig } from './rule-config';
import type { Stage } from './stages';
import type { CaseFacts, Finding, IsoDate, IsoInstant } from './types';

/**
 * Every clock on a case. The first three are set by transitions (decide.ts); the rest follow from
 * the facts and the stage. Instants are end-of-day China time where a day is meant.
 */
export interface Deadlines {
  smsVerificationDue: IsoInstant | null;
  /** The running review's deadline (initial or MIIT, whichever the case is in). */
  reviewDue: IsoInstant | null;
  psbFilingDue: IsoDate | null;
  /** The same review deadline, named by which review it is. */
  initialReviewDue: IsoInstant | null;
  miitReviewDue: IsoInstant | null;
  /** The earliest expiry of a filing instance, and the day the warning starts (N days ahead). */
  instanceExpiresOn: IsoDate | null;
  instanceExpiryWarningFrom: IsoDate | null;
  /** The entity certificate's expiry, and the day the warning starts. */
  certificateExpiresOn: IsoDate | null;
  certificateExpiryWarningFrom: IsoDate | null;
  /** After approval: the instance must be renewed by this day or the filing is at risk. */
  instanceRenewalDue: IsoDate | null;
  /** Deadlines counted past the working calendar's data (Monday to Friday): see CALENDAR_ESTIMATED. */
  estimated: DeadlineName[];
}

export type DeadlineName = Exclude<keyof Deadlines, 'estimated'>;

/** The deadlines a transition sets; everything else is derived. */
export type StageDeadlines = Pick<Deadlines, 'smsVerificationDue' | 'reviewDue' | 'psbFilingDue'>;

export const NO_DEADLINES: Deadlines = {
  smsVerificationDue: null,
  reviewDue: null,
  psbFilingDue: null,
  initialReviewDue: null,
  miitReviewDue: null,
  instanceExpiresOn: null,
  instanceExpiryWarningFrom: null,
  certificateExpiresOn: null,
  certificateExpiryWarningFrom: null,
  instanceRenewalDue: null,
  estimated: [],
};

const APPROVED: readonly Stage[] = ['RESOLVING', 'COMPLETED'];
const CLOSED: readonly Stage[] = ['WITHDRAWN', 'NOT_REQUIRED'];

/** An `IsoDate` deadline as the instant it runs out: the end of that day in China. */
export function endOfChinaDay(date: IsoDate): IsoInstant {
  return new Date(Date.parse(`${date}T23:59:59.000+08:00`)).toISOString();
}

/** The deadlines that run against the case's own progress (SMS check, review, PSB filing). */
export type RunningDeadlineName = 'smsVerificationDue' | 'reviewDue' | 'psbFilingDue';

/**
 * The earliest deadline still running, and which it is: the SMS check, the running review, or the
 * PSB filing until it is recorded (`psbFiled`). What the worklist sorts by and the overdue filter uses.
 */
export function runningDeadline(
  deadlines: Pick<Deadlines, RunningDeadlineName>,
  psbFiled: boolean,
): { name: RunningDeadlineName; at: IsoInstant } | null {
  const candidates: { name: RunningDeadlineName; at: IsoInstant | null }[] = [
    { name: 'smsVerificationDue', at: deadlines.smsVerificationDue ? new Date(Date.parse(deadlines.smsVerificationDue)).toISOString() : null },
    { name: 'reviewDue', at: deadlines.reviewDue ? new Date(Date.parse(deadlines.reviewDue)).toISOString() : null },
    { name: 'psbFilingDue', at: deadlines.psbFilingDue && !psbFiled ? endOfChinaDay(deadlines.psbFilingDue) : null },
  ];
  let first: { name: RunningDeadlineName; at: IsoInstant } | null = null;
  for (const { name, at } of candidates) {
    if (at && (!first || Date.parse(at) < Date.parse(first.at))) first = { name, at };
  }
  return first;
}

function earliest(dates: (IsoDate | null | undefined)[]): IsoDate | null {
  const known = dates.filter((d): d is IsoDate => Boolean(d)).sort();
  return known[0] ?? null;
}

/** Completes the transition's deadlines with those the facts and stage imply. Pure. */
export function deriveDeadlines(
  base: StageDeadlines,
  stage: Stage,
  facts: CaseFacts,
  psbFiled: boolean,
  config: RuleConfig,
): Deadlines {
  const warningDays = config.instanceExpiryWarningDays;
  const open = !CLOSED.includes(stage) && !(stage === 'COMPLETED' && psbFiled);
  const instanceExpiresOn = open ? earliest(facts.hosting.instances.map((i) => i.expiresAt)) : null;
  const certificateExpiresOn = open ? facts.applicant.certificate?.validUntil ?? null : null;
  const deadlines: Deadlines = {
    smsVerificationDue: base.smsVerificationDue,
    reviewDue: base.reviewDue,
    psbFilingDue: base.psbFilingDue,
    initialReviewDue: stage === 'INITIAL_REVIEW' ? base.reviewDue : null,
    miitReviewDue: stage === 'MIIT_REVIEW' ? base.reviewDue : null,
    instanceExpiresOn,
    instanceExpiryWarningFrom: instanceExpiresOn ? addDays(instanceExpiresOn, -warningDays) : null,
    certificateExpiresOn,
    certificateExpiryWarningFrom: certificateExpiresOn ? addDays(certificateExpiresOn, -warningDays) : null,
    instanceRenewalDue: APPROVED.includes(stage) ? instanceExpiresOn : null,
    estimated: [],
  };
  // Business-day deadlines whose day lies in a year the calendar has no data for.
  for (const name of ['initialReviewDue', 'miitReviewDue'] as const) {
    const due = deadlines[name];
    if (due && !isCovered(chinaDate(due), config.calendar)) deadlines.estimated.push(name, 'reviewDue');
  }
  deadlines.estimated = [...new Set(deadlines.estimated)];
  return deadlines;
}

/** The CALENDAR_ESTIMATED warnings for a case's deadlines. */
export function calendarFindings(deadlines: Deadlines): Finding[] {
  return deadlines.estimated
    .filter((name) => name !== 'reviewDue')
    .map((name) => ({
      rule: 'CALENDAR_ESTIMATED' as const,
      severity: 'WARNING' as const,
      message: `The ${name === 'miitReviewDue' ? 'MIIT' : 'initial'} review deadline ${chinaDate(deadlines[name] as string)} falls in a year the working calendar has no data for: counted Monday to Friday, check it when the State Council publishes that year`,
      path: `deadlines.${name}`,
    }));
}

/** The deadlines a reminder can be about, as instants: what the sweep and the workflow's timers watch. */
export interface ReminderDeadline {
  rule: ReminderRule;
  /** The deadline (the instant it runs out). */
  due: IsoInstant;
  /** When to remind ahead of it. */
  remindFrom: IsoInstant;
}

export const REMINDER_RULES = [
  'SMS_VERIFICATION_DUE',
  'INITIAL_REVIEW_DUE',
  'MIIT_REVIEW_DUE',
  'PSB_FILING_DUE',
  'INSTANCE_EXPIRING',
  'CERTIFICATE_EXPIRING',
  'INSTANCE_RENEWAL_DUE',
  'HOSTING_AT_RISK',
] as const;
export type ReminderRule = (typeof REMINDER_RULES)[number];

/** A reminder rule's name as people read it (Temporal UI summaries, notification titles). */
export const REMINDER_TITLES: Record<ReminderRule, string> = {
  SMS_VERIFICATION_DUE: 'SMS verification due',
  INITIAL_REVIEW_DUE: 'Initial review due',
  MIIT_REVIEW_DUE: 'MIIT review due',
  PSB_FILING_DUE: 'PSB filing due',
  INSTANCE_EXPIRING: 'Instance expiring',
  CERTIFICATE_EXPIRING: 'Certificate expiring',
  INSTANCE_RENEWAL_DUE: 'Instance renewal due (filing at risk)',
  HOSTING_AT_RISK: 'Instance released or switched to pay-as-you-go (filing at risk)',
};

/** Ahead of a deadline, or at it (the deadline passed). */
export type ReminderKind = 'UPCOMING' | 'OVERDUE';

export interface ReminderSettings {
  /** Business-day deadlines (SMS aside) are reminded this many business days ahead. */
  leadBusinessDays: number;
}

/**
 * The reminders a case's deadlines call for, each with when to remind ahead and when it is due.
 * Business-day deadlines remind `leadBusinessDays` ahead; the SMS window (hours) only when it runs out;
 * PSB filing the lead ahead; expiries from their warning day (config: instanceExpiryWarningDays).
 */
export function reminderDeadlines(
  deadlines: Deadlines,
  settings: ReminderSettings,
  calendar: RuleConfig['calendar'],
  aheadOf: (due: IsoInstant, businessDays: number, calendar: RuleConfig['calendar']) => IsoInstant,
): ReminderDeadline[] {
  const out: ReminderDeadline[] = [];
  const lead = (due: IsoInstant) => aheadOf(due, settings.leadBusinessDays, calendar);
  if (deadlines.smsVerificationDue) {
    // The window is hours, not business days: one reminder, when it runs out (the case returns then).
    out.push({ rule: 'SMS_VERIFICATION_DUE', due: deadlines.smsVerificationDue, remindFrom: deadlines.smsVerificationDue });
  }
  if (deadlines.initialReviewDue) out.push({ rule: 'INITIAL_REVIEW_DUE', due: deadlines.initialReviewDue, remindFrom: lead(deadlines.initialReviewDue) });
  if (deadlines.miitReviewDue) out.push({ rule: 'MIIT_REVIEW_DUE', due: deadlines.miitReviewDue, remindFrom: lead(deadlines.miitReviewDue) });
  if (deadlines.psbFilingDue) {
    const due = endOfChinaDay(deadlines.psbFilingDue);
    out.push({ rule: 'PSB_FILING_DUE', due, remindFrom: lead(due) });
  }
  const expiry = (rule: ReminderRule, on: IsoDate | null, from: IsoDate | null) => {
    if (on && from) out.push({ rule, due: endOfChinaDay(on), remindFrom: new Date(Date.parse(`${from}T00:00:00.000+08:00`)).toISOString() });
  };
  if (deadlines.instanceRenewalDue) expiry('INSTANCE_RENEWAL_DUE', deadlines.instanceRenewalDue, deadlines.instanceExpiryWarningFrom);
  else expiry('INSTANCE_EXPIRING', deadlines.instanceExpiresOn, deadlines.instanceExpiryWarningFrom);
  expiry('CERTIFICATE_EXPIRING', deadlines.certificateExpiresOn, deadlines.certificateExpiryWarningFrom);
  return out;
}
