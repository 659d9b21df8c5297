/**
 * Layer boundaries (ARCHITECTURE.md: imports point down only) and no import cycles.
 * Run by `npm run lint`.
 */
const above = {
  common: ['model', 'engine', 'store', 'runtime', 'api', 'worker', 'adapters', 'governance', 'kernel', 'cli', 'observability', 'cockpit'],
  observability: ['model', 'engine', 'store', 'runtime', 'api', 'worker', 'adapters', 'governance', 'kernel', 'cli', 'cockpit'],
  model: ['engine', 'store', 'runtime', 'api', 'worker', 'adapters', 'governance', 'kernel', 'cli', 'cockpit'],
  engine: ['store', 'runtime', 'api', 'worker', 'adapters', 'governance', 'kernel', 'cli', 'cockpit'],
  store: ['model', 'engine', 'runtime', 'api', 'worker', 'adapters', 'governance', 'kernel', 'cli', 'cockpit'],
  runtime: ['api', 'worker', 'adapters', 'governance', 'kernel', 'cli', 'cockpit'],
  api: ['worker', 'adapters', 'kernel', 'cli', 'cockpit'],
  worker: ['model', 'engine', 'store', 'runtime', 'api', 'governance', 'kernel', 'cli', 'cockpit'],
  adapters: ['model', 'engine', 'store', 'runtime', 'api', 'governance', 'kernel', 'cli', 'cockpit'],
  governance: ['api', 'worker', 'adapters', 'kernel', 'cli', 'cockpit'],
};

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make layers impossible to read in order.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    ...Object.entries(above).map(([layer, forbiddenLayers]) => ({
      name: `layer-${layer}`,
      severity: 'error',
      comment: `the ${layer} layer may not import ${forbiddenLayers.join(', ')} (ARCHITECTURE.md layers)`,
      from: { path: `^src/${layer}/` },
      to: { path: `^src/(${forbiddenLayers.join('|')})/` },
    })),
    {
      name: 'engine-is-pure',
      severity: 'error',
      comment: 'model and engine do no I/O: no Node built-ins, no database, no network.',
      from: { path: '^src/(engine|model)/' },
      to: { dependencyTypes: ['core'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
