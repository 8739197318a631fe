import { createHmac, randomBytes } from 'node:crypto';
import type { Role } from '../../apps/api/src/auth/principal';

/** The HS256 secret and payload codec keys every harness runs with (fresh per test process). */
export const TEST_JWT_SECRET = randomBytes(32).toString('base64url');
export const TEST_CODEC_KEY_ID = 'test-1';
export const TEST_CODEC_KEYS = `${TEST_CODEC_KEY_ID}:${randomBytes(32).toString('base64')}`;

export interface TokenClaims {
  sub: string;
  role: Role | string;
  applicantId?: string;
}

const b64 = (value: object | Buffer): string => (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

/**
 * A bearer token as the identity provider (or `npm run token`) would mint it: HS256 over
 * `header.payload`. Synchronous (plain HMAC) so request helpers stay chainable; the service
 * verifies with jose, which is what the tests exercise.
 */
export function mintToken(
  claims: TokenClaims & Record<string, unknown>,
  options: { secret?: string; expiresInSeconds?: number | null; issuer?: string; audience?: string; header?: object } = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = { ...claims, iat: now };
  if (options.expiresInSeconds !== null) payload.exp = now + (options.expiresInSeconds ?? 2 * 3600);
  if (options.issuer) payload.iss = options.issuer;
  if (options.audience) payload.aud = options.audience;
  const signingInput = `${b64(options.header ?? { alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  const signature = createHmac('sha256', options.secret ?? TEST_JWT_SECRET).update(signingInput).digest();
  return `${signingInput}.${b64(signature)}`;
}

/** `alg: none`: an unsigned token with otherwise valid claims. */
export function unsignedToken(claims: TokenClaims): string {
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iat: now, exp: now + 3600 })}.`;
}
