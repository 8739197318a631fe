import type { ReactNode } from 'react';
import { ApiError } from './api';
import type { I18n } from './i18n';
import type { MessageKey } from './messages';
import { RULE_NAMES, STAGE_NAMES } from './messages';
import type { Finding, NextDeadline, Stage } from './types';

export function stageName(i18n: I18n, stage: Stage | null | undefined): string {
  return stage ? i18n.w(STAGE_NAMES[stage], stage) : '—';
}

/** A deadline as the worklist and the case page show it: the day, and business days left or overdue (in words, not colour alone). */
export function DeadlineText({ i18n, deadline }: { i18n: I18n; deadline: (Omit<NextDeadline, 'name'> & { name: string }) | null }) {
  if (!deadline) return <span className="muted">{i18n.t('deadline.none')}</span>;
  const days = deadline.businessDaysLeft;
  let left: string | null = null;
  if (deadline.overdue) left = days !== null && days < 0 ? i18n.t('deadline.overdueBy', { n: -days }) : null;
  else if (days === 0) left = i18n.t('deadline.dueToday');
  else if (days === 1) left = i18n.t('deadline.oneDayLeft');
  else if (days !== null) left = i18n.t('deadline.daysLeft', { n: days });
  return (
    <span className={deadline.overdue ? 'deadline overdue' : 'deadline'}>
      {deadline.overdue && <strong className="badge danger">{i18n.t('deadline.overdue')}</strong>}{' '}
      {/* The SMS check runs on a clock (24 h): its time matters; the others end with a business day. */}
      <time dateTime={deadline.at}>{deadline.name === 'smsVerificationDue' ? i18n.dateTime(deadline.at) : i18n.date(deadline.at)}</time>
      {left && <span className="days"> · {left}</span>}
    </span>
  );
}

export function FindingText({ i18n, finding }: { i18n: I18n; finding: Pick<Finding, 'rule' | 'message'> }) {
  return <>{i18n.w(RULE_NAMES[finding.rule], finding.message)}</>;
}

/** An API error in words, for the alert next to the form that caused it. */
export function ErrorMessage({ i18n, error, id }: { i18n: I18n; error: unknown; id?: string }) {
  if (!error) return null;
  if (!(error instanceof ApiError)) {
    return (
      <div role="alert" className="error" id={id}>
        {i18n.t('error.other', { message: error instanceof Error ? error.message : String(error) })}
      </div>
    );
  }
  const details = error.details as Record<string, unknown> | { field: string; message: string }[] | null;
  let body: ReactNode = null;
  let text: string;
  switch (error.code) {
    case 'VERSION_CONFLICT':
      text = i18n.t('error.VERSION_CONFLICT', { version: String((details as { actual?: number } | null)?.actual ?? '?') });
      break;
    case 'TRANSITION_NOT_ALLOWED':
      text = i18n.t('error.TRANSITION_NOT_ALLOWED', { stage: stageName(i18n, (details as { stage?: Stage } | null)?.stage) });
      break;
    case 'RULE_VIOLATIONS': {
      text = i18n.t('error.RULE_VIOLATIONS');
      const findings = ((details as { findings?: Finding[] } | null)?.findings ?? []).filter((f) => f.severity === 'BLOCKING' || !f.severity);
      body = (
        <ul>
          {findings.map((f, i) => (
            <li key={i}>
              <code>{f.rule}</code> <FindingText i18n={i18n} finding={f} />
              <span className="muted"> — {f.message}</span>
            </li>
          ))}
        </ul>
      );
      break;
    }
    case 'VALIDATION_FAILED':
      text = i18n.t('error.VALIDATION_FAILED');
      body = (
        <ul>
          {(Array.isArray(details) ? details : []).map((d, i) => (
            <li key={i}>
              <code>{d.field}</code>: {d.message}
            </li>
          ))}
        </ul>
      );
      break;
    case 'NETWORK':
      text = i18n.t('error.network');
      break;
    default: {
      const key = `error.${error.code}` as MessageKey;
      text = knownError(key) ? i18n.t(key) : i18n.t('error.other', { message: `${error.code}: ${error.message}` });
    }
  }
  return (
    <div role="alert" className="error" id={id}>
      <p>{text}</p>
      {body}
    </div>
  );
}

const KNOWN = new Set([
  'error.FORBIDDEN',
  'error.CASE_NOT_FOUND',
  'error.SERVICE_UNAVAILABLE',
  'error.RATE_LIMITED',
  'error.IDEMPOTENCY_KEY_REUSED',
  'error.PAYLOAD_TOO_LARGE',
  'error.UNSUPPORTED_MEDIA_TYPE',
  'error.UNAUTHENTICATED',
]);
const knownError = (key: string): key is MessageKey => KNOWN.has(key);
