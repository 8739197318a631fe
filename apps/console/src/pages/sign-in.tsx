import { useState, type FormEvent } from 'react';
import { tokenSession, type Session } from '../auth';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import type { ConsoleSettings } from '../types';

export function SignInPage({
  settings,
  notice,
  onSignedIn,
  onOidc,
}: {
  settings: ConsoleSettings;
  notice: string | null;
  onSignedIn(session: Session): void;
  onOidc(): void;
}) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const [error, setError] = useState<MessageKey | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const session = tokenSession(token);
    if (session === 'invalid') return setError('signIn.invalid');
    if (session === 'expired') return setError('signIn.expired');
    onSignedIn(session);
  };

  const noticeText = notice?.startsWith('callback:') ? t('signIn.callbackFailed', { message: notice.slice(9) }) : notice ? t(notice as MessageKey) : null;
  return (
    <section aria-labelledby="sign-in-title" className="card">
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      {noticeText && (
        <p role="alert" className="notice">
          {noticeText}
        </p>
      )}
      {settings.oidc && (
        <p>
          <button type="button" onClick={onOidc}>
            {t('signIn.oidc')}
          </button>
        </p>
      )}
      {settings.tokenSignIn && (
        <form onSubmit={submit} noValidate>
          <label htmlFor="token">{t('signIn.token')}</label>
          <p id="token-hint" className="hint">
            {t('signIn.tokenHint')}
          </p>
          <textarea
            id="token"
            name="token"
            rows={4}
            value={token}
            onChange={(e) => setToken(e.target.value)}
            aria-describedby={error ? 'token-hint token-error' : 'token-hint'}
            aria-invalid={error ? true : undefined}
            autoComplete="off"
            spellCheck={false}
            required
          />
          {error && (
            <p id="token-error" role="alert" className="error">
              {t(error)}
            </p>
          )}
          <button type="submit">{t('signIn.submit')}</button>
        </form>
      )}
      {!settings.oidc && !settings.tokenSignIn && <p className="notice">{t('signIn.none')}</p>}
    </section>
  );
}
