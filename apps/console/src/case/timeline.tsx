import { DeadlineText, stageName } from '../format';
import type { I18n } from '../i18n';
import { DEADLINE_NAMES } from '../messages';
import type { CaseView, DeadlineName, Stage } from '../types';

/** The road of a filing, in order; RETURNED sits where the case is corrected (preparing). */
const ROAD: { stage: Stage; deadlines: DeadlineName[] }[] = [
  { stage: 'AWAITING_CERTIFICATE', deadlines: ['certificateExpiresOn'] },
  { stage: 'PREPARING', deadlines: [] },
  { stage: 'INITIAL_REVIEW', deadlines: ['initialReviewDue'] },
  { stage: 'AWAITING_SMS_VERIFICATION', deadlines: ['smsVerificationDue'] },
  { stage: 'MIIT_REVIEW', deadlines: ['miitReviewDue'] },
  { stage: 'RESOLVING', deadlines: [] },
  { stage: 'COMPLETED', deadlines: ['psbFilingDue', 'instanceRenewalDue'] },
];

const position = (stage: Stage): number => (stage === 'RETURNED' ? 1 : ROAD.findIndex((s) => s.stage === stage));

/** Instants are passed when they are; a date (YYYY-MM-DD) at the end of that day in China. */
function isPast(value: string): boolean {
  const instant = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59+08:00` : value;
  return Date.parse(instant) < Date.now();
}

export function Timeline({ i18n, view }: { i18n: I18n; view: CaseView }) {
  const { t } = i18n;
  const here = position(view.stage);
  // The AIC certificate is a step only for an enterprise without a mainland presence.
  const road = ROAD.map((step, i) => ({ ...step, i })).filter(
    (step) => step.stage !== 'AWAITING_CERTIFICATE' || view.applicant.mainlandPresence === 'NONE' || view.stage === 'AWAITING_CERTIFICATE',
  );
  const deadline = (name: DeadlineName) => {
    const value = view.deadlines[name];
    if (typeof value !== 'string') return null;
    return (
      <li key={name}>
        <span className="deadline-name">{i18n.w(DEADLINE_NAMES[name], name)}</span>{' '}
        <DeadlineText i18n={i18n} deadline={{ name, at: value, businessDaysLeft: null, overdue: isPast(value) }} />
        {view.deadlines.estimated?.includes(name) && <span className="muted"> ({t('case.estimated')})</span>}
      </li>
    );
  };
  return (
    <section aria-labelledby="road-title" className="card">
      <h2 id="road-title">{t('case.road')}</h2>
      {view.stage === 'NOT_REQUIRED' && <p className="notice">{t('case.notRequired')}</p>}
      {view.stage === 'WITHDRAWN' && <p className="notice">{t('case.withdrawn')}</p>}
      {view.stage === 'RETURNED' && (
        <div className="notice warn">
          <p>
            <strong>{t('case.returned')}</strong>
          </p>
          {view.returnReasons && view.returnReasons.length > 0 && (
            <>
              <p>{t('case.returnReasons')}:</p>
              <ul>
                {view.returnReasons.map((r, i) => (
                  <li key={i}>{r}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <ol className="road">
        {road.map((step, n) => {
          const i = step.i;
          const state = here < 0 ? 'next' : i < here ? 'done' : i === here ? 'current' : 'next';
          const finished = state === 'current' && view.stage === 'COMPLETED';
          return (
            <li key={step.stage} className={`step ${finished ? 'done' : state}`} aria-current={state === 'current' ? 'step' : undefined}>
              <span className="marker" aria-hidden="true">
                {state === 'done' || finished ? '✓' : n + 1}
              </span>
              <span className="step-name">{stageName(i18n, step.stage === 'PREPARING' && view.stage === 'RETURNED' ? 'RETURNED' : step.stage)}</span>
              <span className="visually-hidden"> ({t(`case.step.${state}`)})</span>
              {step.deadlines.some((d) => view.deadlines[d]) && <ul className="step-deadlines">{step.deadlines.map(deadline)}</ul>}
            </li>
          );
        })}
      </ol>
      <details className="all-deadlines">
        <summary>{t('case.deadlines')}</summary>
        <ul>{(Object.keys(DEADLINE_NAMES) as DeadlineName[]).map(deadline)}</ul>
      </details>
    </section>
  );
}
