// `npm run token -- --role applicant --sub anna@contoso --applicant-id APP-1 [--ttl 8h]`: prints a
// bearer token signed with AUTH_JWT_SECRET (or the development secret `npm start` generated).
'use strict';
const { parseArgs } = require('node:util');
const { devJwtSecret, mintToken } = require('./dev-auth');

const ROLES = ['applicant', 'officer', 'supervisor', 'admin'];

async function main() {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'officer' },
      sub: { type: 'string' },
      'applicant-id': { type: 'string' },
      ttl: { type: 'string', default: '8h' },
    },
  });
  if (!ROLES.includes(values.role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  if (values.role === 'applicant' && !values['applicant-id']) throw new Error('an applicant token needs --applicant-id');
  if (!process.env.AUTH_JWT_SECRET && process.env.NODE_ENV === 'production') throw new Error('set AUTH_JWT_SECRET');
  const secret = process.env.AUTH_JWT_SECRET || devJwtSecret();
  const token = await mintToken({ secret, sub: values.sub || `${values.role}.dev`, role: values.role, applicantId: values['applicant-id'], ttl: values.ttl });
  process.stdout.write(`${token}\n`);
}

main().catch((error) => {
  console.error(`[token] ${error.message}`);
  process.exit(1);
});
