import { Injectable } from '@nestjs/common';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AppConfig } from '../../../../libs/config/src';
import { ROLES, type Principal, type Role } from './principal';

/** Algorithms accepted from the identity provider's JWKS; HS256 only with AUTH_JWT_SECRET. */
export const JWKS_ALGORITHMS = ['RS256', 'ES256'];
const CLOCK_TOLERANCE_S = 5;

export class InvalidTokenError extends Error {}

/**
 * Verifies bearer tokens with jose: the signature (HS256 with AUTH_JWT_SECRET, or RS256/ES256
 * against AUTH_JWKS_URL), `exp` (required), and issuer and audience when configured. `alg: none`
 * and any algorithm not configured are refused before a key is looked at.
 */
@Injectable()
export class TokenVerifier {
  private readonly secret: Uint8Array | null;
  private readonly jwks: JWTVerifyGetKey | null;
  private readonly issuer: string | undefined;
  private readonly audience: string | undefined;

  constructor(config: AppConfig) {
    const { jwtSecret, jwksUrl, issuer, audience } = config.security.auth;
    this.secret = jwtSecret ? new TextEncoder().encode(jwtSecret) : null;
    this.jwks = jwksUrl ? createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 }) : null;
    this.issuer = issuer ?? undefined;
    this.audience = audience ?? undefined;
  }

  get configured(): boolean {
    return this.secret !== null || this.jwks !== null;
  }

  async verify(token: string): Promise<Principal> {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new InvalidTokenError('The bearer token is not a JWT');
    }
    let payload: JWTPayload;
    try {
      const options = { issuer: this.issuer, audience: this.audience, requiredClaims: ['exp', 'sub'], clockTolerance: CLOCK_TOLERANCE_S };
      if (alg === 'HS256' && this.secret) {
        ({ payload } = await jwtVerify(token, this.secret, { ...options, algorithms: ['HS256'] }));
      } else if (alg && JWKS_ALGORITHMS.includes(alg) && this.jwks) {
        ({ payload } = await jwtVerify(token, this.jwks, { ...options, algorithms: JWKS_ALGORITHMS }));
      } else {
        throw new InvalidTokenError(`Tokens signed with ${alg ?? 'no algorithm'} are not accepted`);
      }
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      if (error instanceof errors.JWTExpired) throw new InvalidTokenError('The bearer token has expired');
      if (error instanceof errors.JOSEError) throw new InvalidTokenError(`The bearer token is not valid (${error.code})`);
      throw new InvalidTokenError('The bearer token could not be verified');
    }
    return principalFrom(payload);
  }
}

function principalFrom(payload: JWTPayload): Principal {
  const { sub, role, applicantId } = payload as JWTPayload & { role?: unknown; applicantId?: unknown };
  if (typeof sub !== 'string' || !sub.trim() || sub.length > 200) throw new InvalidTokenError('The token names no subject (sub)');
  if (typeof role !== 'string' || !ROLES.includes(role as Role)) throw new InvalidTokenError(`The token's role must be one of ${ROLES.join(', ')}`);
  if (role === 'applicant' && (typeof applicantId !== 'string' || !applicantId.trim() || applicantId.length > 200)) {
    throw new InvalidTokenError('An applicant token needs an applicantId claim');
  }
  return { sub, role: role as Role, applicantId: role === 'applicant' ? (applicantId as string) : null };
}
