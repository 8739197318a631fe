/**
 * `npm run test:cluster`: the production topology (the real Temporal server on PostgreSQL, two
 * APIs and two workers behind one port) and Temporal over mutual TLS. Each suite starts what it
 * needs from scripts/ (the server binary is built from Go modules once per machine, on demand).
 */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testMatch: ['<rootDir>/test/cluster/**/*.cluster-spec.ts'],
  testTimeout: 600_000,
  maxWorkers: 1,
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/'],
};
