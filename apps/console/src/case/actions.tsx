import { useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, newIdempotencyKey } from '../api';
import { ErrorMessage, stageName } from '../format';
import type { I18n } from '../i18n';
import type { MessageKey } from '../messages';
import type { Action, CaseView, Role } from '../types';

/** The transitions with a form here (amend, assign and the document actions have their own places). */
const FORM_ACTIONS = [
  'certificate-application',
  'certificate',
  'submit',
  'initial-review',
  'sms-verification',
  'miit-decision',
  'resolution',
  'psb-filing',
  'withdraw',
] as const satisfies readonly Action[];
type FormAction = (typeof FORM_ACTIONS)[number];

/** What each role is offered: applicants decide nothing (the API refuses them: 403); they may withdraw their own case. */
export function offeredActions(view: CaseView, role: Role): FormAction[] {
  const allowed = FORM_ACTIONS.filter((a) => view.allowedActions.includes(a));
  if (role === 'officer' || role === 'supervisor') return allowed;
  if (role === 'applicant') return allowed.filter((a) => a === 'withdraw');
  return [];
}

type Values = Record<string, string>;

const lines = (text: string | undefined) =>
  (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** The body each action takes (API.md), from the form's values. */
function bodyOf(action: FormAction, v: Values): object | undefined {
  switch (action) {
    case 'certificate-application':
      return { authority: v.authority, appliedAt: v.appliedAt };
    case 'certificate':
      return { number: v.number, province: v.province, validUntil: v.validUntil };
    case 'initial-review':
      return { decision: v.decision, ...(lines(v.reasons).length ? { reasons: lines(v.reasons) } : {}) };
    case 'miit-decision':
      return {
        decision: v.decision,
        ...(v.decision === 'APPROVED' ? { icpNumber: v.icpNumber } : {}),
        ...(lines(v.reasons).length ? { reasons: lines(v.reasons) } : {}),
      };
    case 'withdraw':
      return { reason: v.reason };
    case 'psb-filing':
      return { recordNumber: v.recordNumber, filedAt: v.filedAt };
    default:
      return undefined;
  }
}

const DEFAULTS: Partial<Record<FormAction, Values>> = {
  'initial-review': { decision: 'APPROVED' },
  'miit-decision': { decision: 'APPROVED' },
};

export function ActionsPanel({
  i18n,
  view,
  role,
  onChanged,
  reload,
}: {
  i18n: I18n;
  view: CaseView;
  role: Role;
  onChanged(view: CaseView, message: string): void;
  reload(): Promise<CaseView | null>;
}) {
  const { t } = i18n;
  const actions = offeredActions(view, role);
  const [open, setOpen] = useState<FormAction | null>(null);
  // Per action: its input survives a refusal and a reload; cleared once it was applied.
  const [values, setValues] = useState<Partial<Record<FormAction, Values>>>({});
  const [keys, setKeys] = useState<Partial<Record<FormAction, string>>>({});
  const [errors, setErrors] = useState<Partial<Record<FormAction, unknown>>>({});
  const [busy, setBusy] = useState(false);

  const valuesOf = (a: FormAction): Values => ({ ...DEFAULTS[a], ...values[a] });
  const set = (a: FormAction, name: string, value: string) => setValues((all) => ({ ...all, [a]: { ...all[a], [name]: value } }));

  const submit = async (a: FormAction, event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors((e) => ({ ...e, [a]: null }));
    // The same key while the outcome is unknown (5xx, no answer): a retry is applied once.
    const key = keys[a] ?? newIdempotencyKey();
    setKeys((k) => ({ ...k, [a]: key }));
    try {
      const updated = await api<CaseView>(`/v1/cases/${view.id}/${a}`, { method: 'POST', body: bodyOf(a, valuesOf(a)), idempotencyKey: key });
      setValues((all) => ({ ...all, [a]: {} }));
      setKeys((k) => ({ ...k, [a]: undefined }));
      setOpen(null);
      onChanged(updated, t('action.done', { stage: stageName(i18n, updated.stage) }));
    } catch (error) {
      setErrors((e) => ({ ...e, [a]: error }));
      if (error instanceof ApiError && error.status > 0 && error.status < 500) setKeys((k) => ({ ...k, [a]: undefined }));
      // Someone else moved the case: show it as it is now, keep what was typed.
      if (error instanceof ApiError && error.status === 409) await reload();
    } finally {
      setBusy(false);
    }
  };

  if (actions.length === 0) {
    return (
      <section aria-labelledby="actions-title" className="card">
        <h2 id="actions-title">{t('case.actions')}</h2>
        <p className="muted">{t('case.noActions')}</p>
      </section>
    );
  }

  return (
    <section aria-labelledby="actions-title" className="card">
      <h2 id="actions-title">{t('case.actions')}</h2>
      <ul className="action-buttons">
        {actions.map((a) => (
          <li key={a}>
            <button
              type="button"
              className={a === 'withdraw' ? 'danger-outline' : undefined}
              aria-expanded={open === a}
              aria-controls={`form-${a}`}
              onClick={() => setOpen(open === a ? null : a)}
            >
              {t(`action.${a}` as MessageKey)}
            </button>
          </li>
        ))}
      </ul>
      {actions.map((a) =>
        open === a || errors[a] ? (
          <form key={a} id={`form-${a}`} className="action-form" onSubmit={(e) => void submit(a, e)} aria-labelledby={`form-${a}-title`} hidden={open !== a && !errors[a]}>
            <h3 id={`form-${a}-title`}>{t(`action.${a}` as MessageKey)}</h3>
            <Fields i18n={i18n} action={a} values={valuesOf(a)} set={(n, v) => set(a, n, v)} />
            <ErrorMessage i18n={i18n} error={errors[a]} id={`form-${a}-error`} />
            <div className="buttons">
              <button type="submit" disabled={busy}>
                {busy ? t('action.working') : t(`action.${a}` as MessageKey)}
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setOpen(null);
                  setErrors((e) => ({ ...e, [a]: null }));
                }}
              >
                {t('action.cancel')}
              </button>
            </div>
          </form>
        ) : null,
      )}
    </section>
  );
}

function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children}
    </div>
  );
}

function Fields({ i18n, action, values, set }: { i18n: I18n; action: FormAction; values: Values; set(name: string, value: string): void }) {
  const { t } = i18n;
  const input = (name: string, label: MessageKey, type = 'text', hint?: MessageKey) => (
    <Field id={`${action}-${name}`} label={t(label)} hint={hint && t(hint)}>
      <input
        id={`${action}-${name}`}
        name={name}
        type={type}
        required
        value={values[name] ?? ''}
        aria-describedby={hint ? `${action}-${name}-hint` : undefined}
        onChange={(e) => set(name, e.target.value)}
      />
    </Field>
  );
  const decision = (options: [string, MessageKey][]) => (
    <fieldset>
      <legend>{t('form.decision')}</legend>
      {options.map(([value, label]) => (
        <label key={value} className="radio">
          <input type="radio" name={`${action}-decision`} value={value} checked={values.decision === value} onChange={() => set('decision', value)} />
          {t(label)}
        </label>
      ))}
    </fieldset>
  );
  const reasons = (
    <Field id={`${action}-reasons`} label={t('form.reasons')}>
      <textarea id={`${action}-reasons`} name="reasons" rows={3} value={values.reasons ?? ''} onChange={(e) => set('reasons', e.target.value)} />
    </Field>
  );
  switch (action) {
    case 'certificate-application':
      return (
        <>
          {input('authority', 'form.authority')}
          {input('appliedAt', 'form.appliedAt', 'date')}
        </>
      );
    case 'certificate':
      return (
        <>
          {input('number', 'form.certNumber')}
          {input('province', 'form.certProvince')}
          {input('validUntil', 'form.validUntil', 'date')}
        </>
      );
    case 'submit':
      return <p className="hint">{t('form.submitHint')}</p>;
    case 'sms-verification':
      return <p className="hint">{t('form.smsHint')}</p>;
    case 'resolution':
      return <p className="hint">{t('form.resolutionHint')}</p>;
    case 'initial-review':
      return (
        <>
          {decision([
            ['APPROVED', 'form.approved'],
            ['RETURNED', 'form.returned'],
          ])}
          {reasons}
        </>
      );
    case 'miit-decision':
      return (
        <>
          {decision([
            ['APPROVED', 'form.approved'],
            ['REJECTED', 'form.rejected'],
          ])}
          {values.decision === 'APPROVED' && input('icpNumber', 'form.icpNumber', 'text', 'form.icpNumberHint')}
          {reasons}
        </>
      );
    case 'withdraw':
      return (
        <Field id="withdraw-reason" label={t('form.reason')}>
          <textarea id="withdraw-reason" name="reason" rows={2} required value={values.reason ?? ''} onChange={(e) => set('reason', e.target.value)} />
        </Field>
      );
    case 'psb-filing':
      return (
        <>
          {input('recordNumber', 'form.recordNumber')}
          {input('filedAt', 'form.filedAt', 'date')}
        </>
      );
  }
}
