// `npm run migrate`: creates the database if it is missing and applies pending migrations.
'use strict';
const path = require('node:path');
const DIST = path.resolve(__dirname, '..', 'dist');
const { DEFAULT_DATABASE_URL } = require(path.join(DIST, 'libs/config/src'));
const { migrate } = require(path.join(DIST, 'libs/persistence/src'));

const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
migrate(url).then(
  (applied) => console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations'),
  (error) => {
    console.error(error.stack || error.message);
    process.exit(1);
  },
);
