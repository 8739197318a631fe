import { useCallback, useEffect, useRef, useState } from 'react';
import { configureApi, loadSettings } from './api';
import { followOidcUser, isExpired, isStaff, keepToken, oidcManager, oidcSession, signOut, storedTokenSession, type Session } from './auth';
import { useI18n } from './i18n';
import type { Lang } from './messages';
import { CasePage } from './pages/case-page';
import { InboxPage } from './pages/inbox';
import { SignInPage } from './pages/sign-in';
import { WorklistPage } from './pages/worklist';
import { Link, navigate, useLocation } from './router';
import { SessionContext } from './session';
import type { ConsoleSettings } from './types';

const RETURN_KEY = 'icp-console.return-to';

export function App() {
  const { t, lang, setLang } = useI18n();
  const location = useLocation();
  const [settings, setSettings] = useState<ConsoleSettings | null>(null);
  const [session, setSession] = useState<Session | null>(null);
  const [ready, setReady] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  // config.json did not load: no sign-in is offered (guessing one, e.g. token sign-in, could offer
  // what this deployment turned off).
  const [settingsError, setSettingsError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  const endSession = useCallback((message: string | null) => {
    sessionStorage.removeItem('icp-console.token');
    setSession(null);
    setNotice(message);
  }, []);

  // Set while rendering (not in an effect): the pages' effects, which run first, already call the API.
  const sessionRef = useRef<Session | null>(null);
  sessionRef.current = session;
  configureApi(
    () => sessionRef.current?.token ?? null,
    () => endSession('signIn.ended'),
  );

  // Start: the settings, then a session kept in this tab, or the end of an OIDC sign-in.
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      let loaded: ConsoleSettings;
      try {
        loaded = await loadSettings();
      } catch (error) {
        if (!cancelled) setSettingsError(error instanceof Error ? error.message : String(error));
        return;
      }
      if (cancelled) return;
      setSettingsError(null);
      setSettings(loaded);
      const oidc = oidcManager(loaded);
      let found: Session | null = loaded.tokenSignIn ? storedTokenSession() : null;
      if (oidc && window.location.pathname === '/console/callback') {
        try {
          found = oidcSession(await oidc.signinRedirectCallback());
          navigate(sessionStorage.getItem(RETURN_KEY) ?? '/', { replace: true });
        } catch (error) {
          setNotice(`callback:${error instanceof Error ? error.message : String(error)}`);
          navigate('/', { replace: true });
        }
      } else if (oidc && !found) {
        found = oidcSession(await oidc.getUser());
      }
      if (!cancelled) {
        setSession(found);
        setReady(true);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  // The provider's user, followed: a renewed token replaces the session's, a removed user ends it.
  useEffect(() => {
    const oidc = settings && oidcManager(settings);
    if (!oidc) return;
    return followOidcUser(oidc, (next) => {
      if (next) setSession((current) => (!current || current.via === 'oidc' ? next : current));
      else if (sessionRef.current?.via === 'oidc') endSession('signIn.ended');
    });
  }, [settings, endSession]);

  // A token's end ends the session (the next call would be a 401 anyway).
  useEffect(() => {
    if (!session) return;
    const timer = window.setInterval(() => {
      if (isExpired(session)) endSession('signIn.ended');
    }, 30_000);
    return () => window.clearInterval(timer);
  }, [session, endSession]);

  const onSignedIn = (next: Session) => {
    if (next.via === 'token') keepToken(next);
    setNotice(null);
    setSession(next);
  };

  const startOidc = async () => {
    const oidc = settings && oidcManager(settings);
    if (!oidc) return;
    sessionStorage.setItem(RETURN_KEY, `${location.path}${location.query.size ? `?${location.query}` : ''}`);
    await oidc.signinRedirect();
  };

  const languageSwitch = (
    <label className="lang">
      <span>{t('nav.language')}</span>
      <select value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
        <option value="zh-CN" lang="zh-CN">简体中文</option>
        <option value="en" lang="en">English</option>
      </select>
    </label>
  );

  /** The bar above the pages shown before sign-in: the title and the language. */
  const signedOutBar = (
    <header className="topbar">
      <span className="brand">{t('app.title')}</span>
      {languageSwitch}
    </header>
  );

  if (settingsError) {
    return (
      <>
        {signedOutBar}
        <main id="main" className="page narrow">
          <div role="alert" className="error">
            <p>{t('app.settingsFailed', { message: settingsError })}</p>
          </div>
          <button
            type="button"
            onClick={() => {
              setSettingsError(null);
              setAttempt((n) => n + 1);
            }}
          >
            {t('app.retry')}
          </button>
        </main>
      </>
    );
  }

  if (!ready || !settings) {
    return (
      <main id="main" className="page">
        <p role="status">{t('worklist.loading')}</p>
      </main>
    );
  }

  if (!session) {
    return (
      <>
        {signedOutBar}
        <main id="main" className="page narrow">
          <SignInPage settings={settings} notice={notice} onSignedIn={onSignedIn} onOidc={() => void startOidc()} />
        </main>
      </>
    );
  }

  const staff = isStaff(session.role);
  const caseMatch = /^\/cases\/([0-9a-fA-F-]{36})$/.exec(location.path);
  let page;
  if (session.role === 'admin') page = <p className="notice">{t('signIn.adminNoCases')}</p>;
  else if (caseMatch) page = <CasePage key={caseMatch[1]} id={caseMatch[1].toLowerCase()} />;
  else if (location.path === '/inbox' && staff) page = <InboxPage />;
  else page = <WorklistPage query={location.query} />;

  return (
    <SessionContext.Provider value={{ session, settings }}>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          {t('app.title')}
        </Link>
        <nav aria-label={t('nav.main')}>
          <ul>
            <li>
              <Link to="/" aria-current={!caseMatch && location.path !== '/inbox' ? 'page' : undefined}>
                {t('nav.worklist')}
              </Link>
            </li>
            {staff && (
              <li>
                <Link to="/inbox" aria-current={location.path === '/inbox' ? 'page' : undefined}>
                  {t('nav.inbox')}
                </Link>
              </li>
            )}
          </ul>
        </nav>
        <div className="user">
          <span className="who">{t('nav.signedInAs', { sub: session.sub, role: t(`role.${session.role}`) })}</span>
          {languageSwitch}
          <button type="button" className="secondary" onClick={() => void signOut(session, settings).then(() => endSession(null))}>
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <main id="main" className="page" tabIndex={-1}>
        {page}
      </main>
    </SessionContext.Provider>
  );
}
