// Lint: TypeScript rules, no import cycles, and the layer boundaries of ARCHITECTURE.md
// (imports point down only; the engine core imports no I/O).
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

/** layer → layers it must NOT import from (everything above it). */
const forbidden = {
  common: ['model', 'engine', 'store', 'runtime', 'api', 'worker', 'adapters', 'kernel', 'cli', 'observability'],
  model: ['engine', 'store', 'runtime', 'api', 'worker', 'adapters', 'kernel', 'cli'],
  engine: ['store', 'runtime', 'api', 'worker', 'adapters', 'kernel', 'cli'],
  store: ['model', 'engine', 'runtime', 'api', 'worker', 'adapters', 'kernel', 'cli'],
  runtime: ['api', 'worker', 'adapters', 'kernel', 'cli'],
  observability: ['model', 'engine', 'store', 'runtime', 'api', 'worker', 'adapters', 'kernel', 'cli'],
};
const zones = Object.entries(forbidden).flatMap(([layer, above]) =>
  above.map((from) => ({ target: `./src/${layer}`, from: `./src/${from}`, message: `the ${layer} layer may not import ${from} (ARCHITECTURE.md layers)` })),
);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js'] } } },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones }],
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
