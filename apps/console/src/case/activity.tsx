import { useEffect, useState } from 'react';
import { api } from '../api';
import { Link } from '../router';
import { useSession } from '../session';
import { ErrorMessage, stageName } from '../format';
import type { I18n } from '../i18n';
import { EVENT_NAMES } from '../messages';
import type { CaseEvent, NotificationView, Page } from '../types';

/** The audit trail: who did what, when (Asia/Shanghai), and where it moved the case. */
export function AuditTrail({ i18n, caseId, version }: { i18n: I18n; caseId: string; version: number }) {
  const { t } = i18n;
  const [events, setEvents] = useState<CaseEvent[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<{ items: CaseEvent[] }>(`/v1/cases/${caseId}/events`).then(
      (r) => setEvents(r.items),
      (e: unknown) => setError(e),
    );
  }, [caseId, version]);
  return (
    <section aria-labelledby="audit-title" className="card">
      <h2 id="audit-title">{t('case.audit')}</h2>
      <ErrorMessage i18n={i18n} error={error} />
      {events && (
        <div className="table-wrap">
          <table className="audit">
            <thead>
              <tr>
                <th scope="col">{t('case.time')}</th>
                <th scope="col">{t('case.actor')}</th>
                <th scope="col">{t('case.event')}</th>
                <th scope="col">{t('case.stageChange')}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={`${e.seq}-${e.at}`}>
                  <td>
                    <time dateTime={e.at}>{i18n.dateTime(e.at)}</time>
                  </td>
                  <td>{e.actor}</td>
                  <td>
                    {i18n.w(EVENT_NAMES[e.type], e.type)} <code className="muted small">{e.type}</code>
                  </td>
                  <td>{e.fromStage && e.fromStage !== e.toStage ? `${stageName(i18n, e.fromStage)} → ${stageName(i18n, e.toStage)}` : stageName(i18n, e.toStage)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Notifications about one case (staff), or the signed-in officer's inbox: read / unread, mark read. */
export function NotificationList({
  i18n,
  query,
  version,
  showCase,
  emptyText,
}: {
  i18n: I18n;
  query: Record<string, string | undefined>;
  version?: number;
  showCase?: boolean;
  emptyText: string;
}) {
  const { t } = i18n;
  const { session, settings } = useSession();
  // Read marks are the recipient's: a supervisor sees others' reminders about a case but leaves them unread.
  const mayMarkRead = (n: NotificationView) => n.recipient === session.sub || n.recipient === settings.officersQueue;
  const [items, setItems] = useState<NotificationView[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const key = JSON.stringify(query);
  const load = async (cursor?: string) => {
    try {
      const page = await api<Page<NotificationView>>('/v1/notifications', { query: { ...query, limit: 50, cursor } });
      setItems((old) => (cursor && old ? [...old, ...page.items] : page.items));
      setNext(page.nextCursor);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    void load();
    // The query is compared by value (key): a new object with the same filters does not reload.
  }, [key, version]);

  const markRead = async (n: NotificationView) => {
    try {
      const updated = await api<NotificationView>(`/v1/notifications/${n.id}/read`, { method: 'POST' });
      setItems((old) => old?.map((o) => (o.id === n.id ? { ...o, readAt: updated?.readAt ?? new Date().toISOString() } : o)) ?? null);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <ErrorMessage i18n={i18n} error={error} />
      {items && items.length === 0 && <p className="muted">{emptyText}</p>}
      {items && items.length > 0 && (
        <ul className="notifications">
          {items.map((n) => (
            <li key={n.id} className={n.readAt ? 'read' : 'unread'}>
              <div>
                <strong>{n.title}</strong> <span className={`badge ${n.kind === 'OVERDUE' ? 'danger' : ''}`}>{n.kind}</span>{' '}
                <span className="visually-hidden">({n.readAt ? t('inbox.read') : t('inbox.unread')})</span>
              </div>
              <div>{n.message}</div>
              <div className="muted small">
                {showCase && (
                  <>
                    {t('inbox.case')}: <Link to={`/cases/${n.caseId}`}>{n.caseReference}</Link> ·{' '}
                  </>
                )}
                <time dateTime={n.createdAt}>{i18n.dateTime(n.createdAt)}</time> · {n.recipient}
              </div>
              {!n.readAt && mayMarkRead(n) && (
                <button type="button" className="secondary small" aria-label={t('inbox.markReadLabel', { title: n.title })} onClick={() => void markRead(n)}>
                  {t('inbox.markRead')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {next && (
        <button type="button" className="secondary" onClick={() => void load(next)}>
          {t('inbox.more')}
        </button>
      )}
    </>
  );
}
