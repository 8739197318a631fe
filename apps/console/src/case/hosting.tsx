import { useState } from 'react';
import { api, ApiError, newIdempotencyKey } from '../api';
import { ErrorMessage } from '../format';
import type { I18n } from '../i18n';
import type { CaseView, Finding } from '../types';

/** The cloud account's refusal (or none configured): the API's 422 RULE_VIOLATIONS naming CLOUD_FACTS_UNVERIFIED. */
const cloudUnverified = (error: unknown): boolean =>
  error instanceof ApiError &&
  error.code === 'RULE_VIOLATIONS' &&
  ((error.details as { findings?: Finding[] } | null)?.findings ?? []).some((f) => f.rule === 'CLOUD_FACTS_UNVERIFIED');

/**
 * "Refresh hosting facts from the cloud account" (POST /v1/cases/{id}/hosting/refresh, staff, where
 * the case may be amended): the live instance and CDN facts replace the typed-in ones.
 */
export function HostingRefresh({ i18n, view, onChanged }: { i18n: I18n; view: CaseView; onChanged(view: CaseView, message: string): void }) {
  const { t } = i18n;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const refresh = async () => {
    setBusy(true);
    setError(null);
    try {
      const updated = await api<CaseView>(`/v1/cases/${view.id}/hosting/refresh`, { method: 'POST', idempotencyKey: newIdempotencyKey() });
      onChanged(updated, t('hosting.refreshed', { n: updated.version }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="hosting-title" className="card">
      <h2 id="hosting-title">{t('hosting.title')}</h2>
      <p className="muted small">{t('hosting.hint')}</p>
      <button type="button" className="secondary" disabled={busy} onClick={() => void refresh()}>
        {t('hosting.refresh')}
      </button>
      {cloudUnverified(error) ? (
        <div role="alert" className="error">
          <p>{t('hosting.unverified')}</p>
        </div>
      ) : (
        <ErrorMessage i18n={i18n} error={error} />
      )}
    </section>
  );
}
