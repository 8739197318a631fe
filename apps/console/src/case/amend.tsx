import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { ErrorMessage } from '../format';
import type { I18n } from '../i18n';
import type { CaseView } from '../types';

/**
 * Amending the facts an officer most often corrects (filing type, province, website names), with
 * optimistic concurrency: `If-Match` carries the version the edit started from; a `409
 * VERSION_CONFLICT` reloads the case and keeps what was typed, to be checked and saved again.
 */
export function AmendForm({
  i18n,
  view,
  onChanged,
  reload,
}: {
  i18n: I18n;
  view: CaseView;
  onChanged(view: CaseView, message: string): void;
  reload(): Promise<CaseView | null>;
}) {
  const { t } = i18n;
  const [open, setOpen] = useState(false);
  const [baseVersion, setBaseVersion] = useState(view.version);
  const [filingType, setFilingType] = useState(view.filingType);
  const [province, setProvince] = useState(view.submissionProvince);
  const [names, setNames] = useState(view.websites.map((w) => w.name));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const start = () => {
    setBaseVersion(view.version);
    setFilingType(view.filingType);
    setProvince(view.submissionProvince);
    setNames(view.websites.map((w) => w.name));
    setError(null);
    setOpen(true);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const changes: Record<string, unknown> = {};
    if (filingType !== view.filingType) changes.filingType = filingType;
    if (province !== view.submissionProvince) changes.submissionProvince = province.trim().toUpperCase();
    if (names.some((n, i) => n !== view.websites[i]?.name)) changes.websites = view.websites.map((w, i) => ({ ...w, name: names[i] ?? w.name }));
    try {
      const updated = await api<CaseView>(`/v1/cases/${view.id}`, { method: 'PATCH', body: changes, headers: { 'If-Match': `"${baseVersion}"` } });
      setOpen(false);
      onChanged(updated, t('action.saved', { n: updated.version }));
    } catch (e) {
      setError(e);
      if (e instanceof ApiError && e.code === 'VERSION_CONFLICT') {
        const fresh = await reload();
        if (fresh) setBaseVersion(fresh.version);
      }
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <p>
        <button type="button" className="secondary" aria-expanded="false" aria-controls="amend-form" onClick={start}>
          {t('action.amend')}
        </button>
      </p>
    );
  }
  return (
    <form id="amend-form" className="action-form" onSubmit={(e) => void submit(e)} aria-labelledby="amend-title">
      <h3 id="amend-title">
        {t('action.amend')} <span className="muted">({t('case.version', { n: baseVersion })})</span>
      </h3>
      <div className="field">
        <label htmlFor="amend-filing-type">{t('case.filingType')}</label>
        <select id="amend-filing-type" value={filingType} onChange={(e) => setFilingType(e.target.value as CaseView['filingType'])}>
          <option value="ICP_FILING">ICP_FILING</option>
          <option value="ICP_LICENCE">ICP_LICENCE</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="amend-province">{t('case.province')}</label>
        <input id="amend-province" value={province} required onChange={(e) => setProvince(e.target.value)} />
      </div>
      {names.map((name, i) => (
        <div className="field" key={i}>
          <label htmlFor={`amend-website-${i}`}>{t('form.websiteName', { n: i + 1 })}</label>
          <input id={`amend-website-${i}`} value={name} required onChange={(e) => setNames(names.map((n, j) => (j === i ? e.target.value : n)))} />
        </div>
      ))}
      <ErrorMessage i18n={i18n} error={error} id="amend-error" />
      <div className="buttons">
        <button type="submit" disabled={busy}>
          {busy ? t('action.working') : t('action.save')}
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}
