// Development credentials for `npm start` and `npm run token`: an HS256 secret and a payload codec
// key, generated once into .data/auth/ (kept, because the dev server's histories in .data/temporal
// stay encrypted with that key). Never used with NODE_ENV=production, which needs real configuration.
'use strict';
const { randomBytes } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const DIR = path.join(__dirname, '..', '.data', 'auth');

function readOrCreate(name, make) {
  const file = path.join(DIR, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(DIR, { recursive: true, mode: 0o700 });
  const value = make();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

const devJwtSecret = () => readOrCreate('jwt-secret', () => randomBytes(32).toString('base64url'));
const devCodecKeys = () => readOrCreate('codec-keys', () => `dev-${Date.now().toString(36)}:${randomBytes(32).toString('base64')}`);

/** Signs an HS256 token with jose (the library the API verifies with). */
async function mintToken({ secret, sub, role, applicantId, ttl = '8h' }) {
  const { SignJWT } = require('jose');
  const claims = { role, ...(applicantId ? { applicantId } : {}) };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(new TextEncoder().encode(secret));
}

module.exports = { devJwtSecret, devCodecKeys, mintToken };
