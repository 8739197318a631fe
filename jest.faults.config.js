/** `npm run test:faults`: fault injection and long-haul scenarios (slow; not part of `npm test`). */
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
  testTimeout: 45 * 60_000,
  maxWorkers: 1,
};
