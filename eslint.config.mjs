import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'crypto', 'http', 'https', 'net', 'dns', 'dns/*', 'os', 'child_process', 'url', 'util', 'stream', 'events', 'worker_threads', 'timers', 'process'];
const SIDE_EFFECTS = ['@nestjs/*', 'typeorm', 'typeorm/*', 'pg', 'pg-*', 'axios', 'undici', 'express'];
const noIo = (extra) => [
  'error',
  {
    patterns: [
      { group: NODE_BUILTINS, message: 'Deterministic code cannot use Node built-ins (I/O, clocks, randomness): use an activity.' },
      { group: SIDE_EFFECTS, message: 'Deterministic code cannot import Nest, TypeORM, pg or HTTP clients: use an activity.' },
      { group: ['**/apps/**', '**/libs/persistence/**', '**/libs/config/**'], message: 'Deterministic code cannot import app, persistence or configuration code.' },
      ...extra,
    ],
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', '.data/**', 'coverage/**', 'test/client/generated/**'] },
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node }, sourceType: 'commonjs' },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.recommended],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  {
    // The console runs in the browser (apps/console/tsconfig.json: DOM, JSX).
    files: ['apps/console/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Workflow code is replayed: no I/O, no Node, no Nest/TypeORM/pg, no app code (types excepted).
    files: ['workflows/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': noIo([]).map((v, i) =>
        i === 1 ? { ...v, patterns: v.patterns.map((p) => ({ ...p, allowTypeImports: true })) } : v,
      ),
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' }, { name: 'setInterval', message: 'Use sleep() in a loop.' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Use uuid4() or pass randomness in.' }, { object: 'Date', property: 'now', message: 'Workflow time: new Date() inside the sandbox, or pass time in.' }],
    },
  },
  {
    // The domain library is pure: the workflow bundle imports it, so it obeys the same rules.
    files: ['libs/domain/**/*.ts', 'libs/contracts/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': noIo(
        [{ group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity'], message: 'Only @temporalio/workflow and @temporalio/common belong in shared deterministic code.' }],
      ).map((v, i) => (i === 1 ? { ...v, patterns: v.patterns.map((p) => ({ ...p, allowTypeImports: true })) } : v)),
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Pass randomness in.' }, { object: 'Date', property: 'now', message: 'Pass time in.' }],
    },
  },
);
