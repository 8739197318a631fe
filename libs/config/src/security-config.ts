import { readSecret } from './connections';
import { parseCodecKeys, type CodecKey } from '../../codec/src';
import { parseDuration } from '../../domain/src';

/** Who may call, from where, how often; and the keys that encrypt Temporal payloads. */
export interface SecurityConfig {
  production: boolean;
  /** The address the API binds: HOST, else 127.0.0.1 in development and 0.0.0.0 in production. */
  host: string;
  auth: {
    /** HS256 secret (AUTH_JWT_SECRET). */
    jwtSecret: string | null;
    /** The identity provider's keys (AUTH_JWKS_URL), verified RS256/ES256. */
    jwksUrl: string | null;
    issuer: string | null;
    audience: string | null;
    /** /docs and /docs-json without a token (AUTH_PUBLIC_DOCS, default true). */
    publicDocs: boolean;
  };
  /** Origins allowed by CORS on the API (ICP_CORS_ORIGINS); empty means CORS stays off. */
  corsOrigins: string[];
  /** The Temporal UI's origin, the only one the codec endpoints answer cross-origin (ICP_CODEC_CORS_ORIGIN). */
  codecCorsOrigin: string | null;
  /** Requests per window: per authenticated user, and per IP for calls without a valid token. */
  rateLimit: { windowMs: number; perUser: number; perIp: number };
  /** Payload codec keys, active first (ICP_CODEC_KEYS); empty: payloads are not encrypted (development only). */
  codecKeys: CodecKey[];
}

function positiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, not '${value}'`);
  return n;
}

function origins(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((origin) => {
      const url = new URL(origin);
      if (url.origin !== origin.replace(/\/$/, '')) throw new Error(`'${origin}' is not an origin (scheme://host[:port])`);
      return url.origin;
    });
}

export function loadSecurityConfig(env: NodeJS.ProcessEnv): SecurityConfig {
  const production = env.NODE_ENV === 'production';
  const jwtSecret = readSecret(env, 'AUTH_JWT_SECRET') || null;
  const jwksUrl = env.AUTH_JWKS_URL || null;
  if (jwtSecret !== null && Buffer.byteLength(jwtSecret) < 32) throw new Error('AUTH_JWT_SECRET must be at least 32 bytes');
  if (jwksUrl !== null && (!env.AUTH_ISSUER || !env.AUTH_AUDIENCE)) {
    throw new Error('AUTH_JWKS_URL needs AUTH_ISSUER and AUTH_AUDIENCE (the claims every token is checked against)');
  }
  if (production && !jwtSecret && !jwksUrl) {
    throw new Error('NODE_ENV=production needs AUTH_JWKS_URL (with AUTH_ISSUER, AUTH_AUDIENCE) or AUTH_JWT_SECRET');
  }
  const codecKeys = parseCodecKeys(readSecret(env, 'ICP_CODEC_KEYS'));
  if (production && codecKeys.length === 0) {
    throw new Error('NODE_ENV=production needs ICP_CODEC_KEYS: Temporal payloads hold personal data and are encrypted');
  }
  const codecCorsOrigin = origins(env.ICP_CODEC_CORS_ORIGIN);
  if (codecCorsOrigin.length > 1) throw new Error('ICP_CODEC_CORS_ORIGIN names one origin (the Temporal UI)');
  return {
    production,
    host: env.HOST || (production ? '0.0.0.0' : '127.0.0.1'),
    auth: {
      jwtSecret,
      jwksUrl,
      issuer: env.AUTH_ISSUER || null,
      audience: env.AUTH_AUDIENCE || null,
      publicDocs: env.AUTH_PUBLIC_DOCS !== 'false',
    },
    corsOrigins: origins(env.ICP_CORS_ORIGINS),
    codecCorsOrigin: codecCorsOrigin[0] ?? null,
    rateLimit: {
      windowMs: parseDuration(env.ICP_RATE_LIMIT_WINDOW || '1m'),
      perUser: positiveInt(env.ICP_RATE_LIMIT_PER_USER, 600, 'ICP_RATE_LIMIT_PER_USER'),
      perIp: positiveInt(env.ICP_RATE_LIMIT_PER_IP, 60, 'ICP_RATE_LIMIT_PER_IP'),
    },
    codecKeys,
  };
}
