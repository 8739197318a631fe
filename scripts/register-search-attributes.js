// `node scripts/register-search-attributes.js`: registers the case workflow's search attributes
// (libs/contracts) on TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE where they are missing, and fails with
// one line when it cannot. The docker compose job `temporal-search-attributes` runs it.
'use strict';
const path = require('node:path');
const { Connection } = require('@temporalio/client');
const DIST = path.resolve(__dirname, '..', 'dist');
const { loadConfig } = require(path.join(DIST, 'libs/config/src'));
const { registerSearchAttributes } = require(path.join(DIST, 'libs/temporal-ops/src'));

async function main() {
  const { address, namespace, tls, apiKey } = loadConfig().temporal;
  const connection = await Connection.connect({ address, tls, apiKey, connectTimeout: 10_000 });
  try {
    const added = await registerSearchAttributes(connection, address, namespace);
    console.log(added.length ? `registered ${added.join(', ')} in ${namespace}` : `${namespace} already has the search attributes`);
  } finally {
    await connection.close();
  }
}

main().catch((error) => {
  console.error(`search attributes not registered: ${error.message.split('\n')[0]}`);
  process.exit(1);
});
