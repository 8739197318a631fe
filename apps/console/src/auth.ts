import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { ConsoleSettings, Role } from './types';

/** Who is signed in: the bearer token the API gets, and the claims the page decides with. */
export interface Session {
  token: string;
  sub: string;
  role: Role;
  applicantId: string | null;
  /** Seconds since the epoch. */
  exp: number;
  via: 'token' | 'oidc';
}

const TOKEN_KEY = 'icp-console.token';
const ROLES: Role[] = ['applicant', 'officer', 'supervisor', 'admin'];

/**
 * The claims of a JWT, read without checking its signature: the API checks it on every call; the
 * page only decides what to offer (a forged role gets the API's 401/403, not more).
 */
export function readClaims(token: string): { sub: string; role: Role; applicantId: string | null; exp: number } | null {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return null;
  try {
    const json = atob(parts[1].replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(parts[1].length / 4) * 4, '='));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
    if (typeof claims.sub !== 'string' || !ROLES.includes(claims.role as Role) || typeof claims.exp !== 'number') return null;
    return { sub: claims.sub, role: claims.role as Role, applicantId: typeof claims.applicantId === 'string' ? claims.applicantId : null, exp: claims.exp };
  } catch {
    return null;
  }
}

export const isExpired = (session: { exp: number }): boolean => session.exp * 1000 <= Date.now();

// ---- Development: a pasted token, kept for this tab only (sessionStorage).

export function tokenSession(token: string): Session | 'invalid' | 'expired' {
  const claims = readClaims(token);
  if (!claims) return 'invalid';
  if (isExpired(claims)) return 'expired';
  return { token: token.trim(), ...claims, via: 'token' };
}

export function storedTokenSession(): Session | null {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  const session = tokenSession(token);
  return typeof session === 'string' ? null : session;
}

export function keepToken(session: Session): void {
  sessionStorage.setItem(TOKEN_KEY, session.token);
}

// ---- The organisation's identity provider: OpenID Connect, authorization code + PKCE (oidc-client-ts).

let manager: UserManager | null = null;

export function oidcManager(settings: ConsoleSettings): UserManager | null {
  if (!settings.oidc) return null;
  manager ??= new UserManager({
    authority: settings.oidc.authority,
    client_id: settings.oidc.clientId,
    scope: settings.oidc.scope,
    redirect_uri: `${window.location.origin}/console/callback`,
    post_logout_redirect_uri: `${window.location.origin}/console/`,
    response_type: 'code',
    // Tokens for this tab only; the access token is what the API verifies (AUTH_JWKS_URL).
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    // Renewal only with a refresh token (followOidcUser), never in a hidden iframe: the library's
    // automatic renew falls back to one (prompt=none, silent_redirect_uri defaulting to the callback
    // route, where nothing answers it), which needs the provider's session cookie in a third-party
    // frame (browsers block those) and a console page that may be framed (its CSP says
    // frame-ancestors 'none'). Without a refresh token the session ends at the token's expiry.
    automaticSilentRenew: false,
  });
  return manager;
}

/**
 * Keeps the page's session in step with the identity provider's user: a renewed token replaces the
 * old one (the API gets the new one on its next call), a removed user ends the session. Renews
 * shortly before expiry when the provider granted a refresh token (e.g. for scope offline_access).
 * Answers the unsubscribe.
 */
export function followOidcUser(oidc: UserManager, changed: (session: Session | null) => void): () => void {
  const removers = [
    oidc.events.addUserLoaded((user) => changed(oidcSession(user))),
    oidc.events.addUserUnloaded(() => changed(null)),
    oidc.events.addAccessTokenExpiring(() => {
      void oidc
        .getUser()
        .then((user) => (user?.refresh_token ? oidc.signinSilent() : null))
        // A refused refresh (revoked, expired): the session ends at the token's expiry, as without one.
        .catch(() => null);
    }),
  ];
  return () => removers.forEach((remove) => remove());
}

export function oidcSession(user: User | null): Session | null {
  if (!user || user.expired) return null;
  const claims = readClaims(user.access_token);
  if (!claims) return null;
  return { token: user.access_token, ...claims, via: 'oidc' };
}

export async function signOut(session: Session | null, settings: ConsoleSettings | null): Promise<void> {
  sessionStorage.removeItem(TOKEN_KEY);
  const oidc = settings && oidcManager(settings);
  if (session?.via === 'oidc' && oidc) {
    await oidc.removeUser();
    try {
      await oidc.signoutRedirect();
    } catch {
      // The provider has no end-session endpoint: signed out of the console only.
    }
  }
}

/** What each role may do in the console (the API decides again; the page only hides). */
export const isStaff = (role: Role): boolean => role === 'officer' || role === 'supervisor';
