// `npm run verify-projection [-- --repair]`: runs the built reconciliation command (see apps/reconcile).
'use strict';
const path = require('node:path');
const { main } = require(path.resolve(__dirname, '..', 'dist', 'apps', 'reconcile', 'src', 'main.js'));

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error.stack || error.message);
    process.exit(2);
  },
);
