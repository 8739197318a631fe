import { useState } from 'react';
import { NotificationList } from '../case/activity';
import { useI18n } from '../i18n';
import { useSession } from '../session';

/**
 * The signed-in officer's own notifications, read and unread, and, if asked, the officers' queue in
 * a list of its own. Always with recipient = the token's subject: without it a supervisor would get
 * everyone's (the API's default for supervisors) and "mark read" would clear other officers' reminders.
 */
export function InboxPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { session, settings } = useSession();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [queue, setQueue] = useState(false);
  const unread = unreadOnly ? 'true' : undefined;
  return (
    <>
      <h1>{t('inbox.title')}</h1>
      <div className="filters">
        <div className="field check">
          <input id="inbox-unread" type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} />
          <label htmlFor="inbox-unread">{t('inbox.unreadOnly')}</label>
        </div>
        {settings.officersQueue && (
          <div className="field check">
            <input id="inbox-queue" type="checkbox" checked={queue} onChange={(e) => setQueue(e.target.checked)} />
            <label htmlFor="inbox-queue">{t('inbox.queue')}</label>
          </div>
        )}
      </div>
      <section aria-label={session.sub}>
        <NotificationList i18n={i18n} query={{ unread, recipient: session.sub }} showCase emptyText={t('inbox.empty')} />
      </section>
      {queue && settings.officersQueue && (
        <section aria-label={settings.officersQueue}>
          <h2>{settings.officersQueue}</h2>
          <NotificationList i18n={i18n} query={{ unread, recipient: settings.officersQueue }} showCase emptyText={t('inbox.empty')} />
        </section>
      )}
    </>
  );
}
