import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, newIdempotencyKey } from '../api';
import { isStaff } from '../auth';
import { ActionsPanel } from '../case/actions';
import { AuditTrail, NotificationList } from '../case/activity';
import { AmendForm } from '../case/amend';
import { Documents } from '../case/documents';
import { Facts } from '../case/facts';
import { HostingRefresh } from '../case/hosting';
import { Timeline } from '../case/timeline';
import { ErrorMessage, FindingText, stageName } from '../format';
import { useI18n } from '../i18n';
import { SEVERITY_NAMES } from '../messages';
import { Link } from '../router';
import { useSession } from '../session';
import type { CaseView } from '../types';

export function CasePage({ id }: { id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { session, settings } = useSession();
  const staff = isStaff(session.role);
  const [view, setView] = useState<CaseView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<string | null>(null);
  // Bumped on every change, so the documents, the trail and the notifications reload too.
  const [tick, setTick] = useState(0);

  const reload = useCallback(async (): Promise<CaseView | null> => {
    try {
      const fresh = await api<CaseView>(`/v1/cases/${id}`);
      setView(fresh);
      setError(null);
      setTick((n) => n + 1);
      return fresh;
    } catch (e) {
      setError(e);
      return null;
    }
  }, [id]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const changed = (updated: CaseView, message: string) => {
    setView(updated);
    setStatus(message);
    setTick((n) => n + 1);
  };

  const assignToMe = async () => {
    try {
      changed(
        await api<CaseView>(`/v1/cases/${id}/assign`, { method: 'POST', body: { assignee: session.sub }, idempotencyKey: newIdempotencyKey() }),
        t('worklist.assigned', { reference: view?.reference ?? '' }),
      );
    } catch (e) {
      setError(e);
    }
  };

  if (!view) {
    return error instanceof ApiError && error.status === 404 ? (
      <>
        <p className="notice">{t('case.notFound')}</p>
        <Link to="/">{t('case.back')}</Link>
      </>
    ) : (
      <>
        <ErrorMessage i18n={i18n} error={error} />
        {!error && <p role="status">{t('case.loading')}</p>}
      </>
    );
  }

  const blocking = view.findings.filter((f) => f.severity === 'BLOCKING').length;
  return (
    <>
      <p>
        <Link to="/">← {t('case.back')}</Link>
      </p>
      <div className="case-head">
        <h1>
          {view.reference} <span className={`stage stage-${view.stage}`}>{stageName(i18n, view.stage)}</span>
        </h1>
        <p className="muted">
          {view.applicant.name} · {t('case.version', { n: view.version })} · {t('case.assignee')}: {view.assignee ?? t('worklist.unassigned')}{' '}
          {staff && view.assignee !== session.sub && view.allowedActions.includes('assign') && (
            <button type="button" className="secondary small" onClick={() => void assignToMe()}>
              {t('worklist.assignToMe')}
            </button>
          )}{' '}
          <button
            type="button"
            className="secondary small"
            onClick={() => void reload().then((fresh) => fresh && setStatus(t('case.reloaded', { n: fresh.version })))}
          >
            {t('case.refresh')}
          </button>
        </p>
      </div>
      <div aria-live="polite" role="status" className="status-line">
        {status}
      </div>
      <ErrorMessage i18n={i18n} error={error} />

      <div className="case-grid">
        <div className="col-main">
          <Timeline i18n={i18n} view={view} />
          <ActionsPanel i18n={i18n} view={view} role={session.role} onChanged={changed} reload={reload} />
          <section aria-labelledby="findings-title" className="card">
            <h2 id="findings-title">
              {t('case.findings')} {blocking > 0 && <span className="badge danger">{blocking}</span>}
            </h2>
            {view.findings.length === 0 ? (
              <p className="muted">{t('case.noFindings')}</p>
            ) : (
              <ul className="findings">
                {view.findings.map((f, i) => (
                  <li key={i} className={`finding sev-${f.severity}`}>
                    <span className={`badge sev-${f.severity}`}>{i18n.w(SEVERITY_NAMES[f.severity], f.severity)}</span> <code>{f.rule}</code>{' '}
                    <FindingText i18n={i18n} finding={f} />
                    <div className="muted small">
                      {t('case.details')}: {f.message} {f.path && <code>({f.path})</code>}
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <Documents i18n={i18n} view={view} role={session.role} version={tick} onChanged={(message) => void reload().then(() => setStatus(message))} />
          <AuditTrail i18n={i18n} caseId={view.id} version={tick} />
        </div>
        <div className="col-side">
          <Facts i18n={i18n} view={view} />
          {/* The API allows the refresh where it allows amending (an amendment from the cloud account). */}
          {staff && view.allowedActions.includes('amend') && <HostingRefresh i18n={i18n} view={view} onChanged={changed} />}
          {view.allowedActions.includes('amend') && session.role !== 'admin' && (
            <section aria-labelledby="amend-section" className="card">
              <h2 id="amend-section" className="visually-hidden">
                {t('action.amend')}
              </h2>
              <AmendForm i18n={i18n} view={view} onChanged={changed} reload={reload} />
            </section>
          )}
          {staff && (
            <section aria-labelledby="case-notifications" className="card">
              <h2 id="case-notifications">{t('case.notifications')}</h2>
              <NotificationList i18n={i18n} query={{ caseId: view.id }} version={tick} emptyText={t('case.noNotifications')} />
              {settings.officersQueue && session.role === 'officer' && (
                <NotificationList i18n={i18n} query={{ caseId: view.id, recipient: settings.officersQueue }} version={tick} emptyText="" />
              )}
            </section>
          )}
        </div>
      </div>
    </>
  );
}
