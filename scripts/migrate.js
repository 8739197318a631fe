// `npm run migrate`: creates the database if it is missing and applies pending migrations.
// The connection is the service's own (DATABASE_URL[_FILE], DATABASE_PASSWORD[_FILE], sslmode /
// DATABASE_SSL_*), read by the same code the API and the worker use.
'use strict';
const path = require('node:path');
const DIST = path.resolve(__dirname, '..', 'dist');
const { postgresConnection } = require(path.join(DIST, 'libs/config/src'));
const { migrate } = require(path.join(DIST, 'libs/persistence/src'));

async function main() {
  const connection = postgresConnection(process.env);
  console.log(`migrating ${connection.describe}`);
  const applied = await migrate(connection);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
}

main().catch((error) => {
  console.error(error.stack || error.message);
  process.exit(1);
});
