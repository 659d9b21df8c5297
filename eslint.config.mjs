// Lint: TypeScript rules, and the purity of the engine core. Layer boundaries and import
// cycles are checked by dependency-cruiser (.dependency-cruiser.cjs, `npm run lint`).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    // The engine core is pure: no Node built-ins, no database, no network, no clock.
    files: ['src/engine/**/*.ts', 'src/model/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'path', 'http', 'net', 'child_process', 'better-sqlite3', 'pg'], message: 'model and engine are pure: no I/O imports' }] }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'the engine reads time from EngineContext.now' }, { object: 'Math', property: 'random', message: 'the engine is deterministic' }],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'process', 'fetch'],
    },
  },
);
