/**
 * The kernel's configuration, validated once at the edge.
 *
 * Sources, later ones winning: built-in defaults → procos.yml (`--config <file>`, else
 * ./procos.yml when present) → `PROCOS_*` environment variables → command-line flags.
 * {@link loadConfig} merges them, validates the result with zod, and returns a
 * {@link KernelConfig} with absolute paths; the kernel only ever sees that. An error
 * names the key, where its value came from (file, variable or flag), what was expected
 * and what was given, e.g. `port (PROCOS_PORT): expected an integer from 0 to 65535, got "http"`.
 *
 * Relative paths in procos.yml are relative to the file's folder; relative paths from
 * variables and flags are relative to the working directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ProcosError, isProcosError } from '../common/errors.js';
import type { LogLevel } from '../observability/index.js';
import { compileRoutes } from '../worker/index.js';
import type { WorkersConfig } from '../worker/index.js';
import { DEFAULT_WORKERS } from './default-workers.js';
import { KernelErrors } from './errors.js';
import { substitutePlaceholders } from './placeholders.js';

/** How log lines are written: `pretty` (one readable line per event), `json` (pino JSON lines), `auto` (pretty on a terminal). */
export type LogFormat = 'auto' | 'pretty' | 'json';

/** Log levels the kernel accepts. */
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** The validated kernel configuration. Paths are absolute. */
export interface KernelConfig {
  /** The configuration file read, or null when none was. */
  readonly configFile: string | null;
  /** Store URL: `sqlite:<absolute path>` or `postgres://…`. @default sqlite:<dataDir>/procos.db */
  readonly db: string;
  /** Folder of the readiness marker and the default SQLite file. @default ./.procos */
  readonly dataDir: string;
  /** HTTP listen address. @default 127.0.0.1 */
  readonly host: string;
  /** HTTP port; 0 picks a free one. @default 8080 */
  readonly port: number;
  /** Folder whose .bpmn files are deployed at boot. @default ./processes */
  readonly processes: string;
  /** True when the processes folder was set explicitly (a missing folder is then an error). */
  readonly processesExplicit: boolean;
  /** Deploy the processes folder at boot. @default true */
  readonly autoDeployProcesses: boolean;
  /** Fail the boot when a process file does not deploy or the root process is missing. @default false */
  readonly strict: boolean;
  /** Key of the process started at boot unless one runs; null starts none. @default root_orchestrator */
  readonly rootProcess: string | null;
  /** True when the root process was set explicitly. */
  readonly rootProcessExplicit: boolean;
  readonly log: { readonly level: LogLevel; readonly format: LogFormat };
  /** Period of the health line, ms; 0 turns it off. @default 60000 */
  readonly healthIntervalMs: number;
  /** How long running tasks may take to finish at shutdown before they are unlocked, ms. @default 10000 */
  readonly shutdownGraceMs: number;
  /** Readiness marker file (`<dataDir>/ready`), or null for none. */
  readonly readyFile: string | null;
  readonly workers: {
    /** Run the built-in workers. @default true */
    readonly enabled: boolean;
    /** Most tasks the built-in workers run at once. @default 4 */
    readonly parallel: number;
    /** Long-poll wait of a fetch, ms. @default 20000 */
    readonly asyncResponseTimeout: number;
    /** Worker id locks are taken under. @default builtin@<hostname>:<port> */
    readonly id: string | null;
    /** The routes (built-in defaults merged with procos.yml), placeholders not yet replaced. */
    readonly routes: WorkersConfig;
  };
}

/** Values given on the command line, by config key (dotted for nested keys). Strings are converted as the key's type says. */
export type ConfigFlags = Partial<Record<ConfigKey, string | number | boolean | null | undefined>>;

/** Input of {@link loadConfig}. */
export interface LoadConfigInput {
  /** Working directory. @default process.cwd() */
  readonly cwd?: string;
  /** `--config <file>`: must exist. When absent, ./procos.yml is read if present. */
  readonly configPath?: string;
  /** Environment. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Command-line flags, by key. */
  readonly flags?: ConfigFlags;
}

type KeyType = 'string' | 'int' | 'bool';

/** Every scalar key, with its variable, flag and type. */
export const CONFIG_KEYS = {
  db: { env: 'PROCOS_DB', flag: '--db', type: 'string' },
  dataDir: { env: 'PROCOS_DATA_DIR', flag: '--data-dir', type: 'string' },
  host: { env: 'PROCOS_HOST', flag: '--host', type: 'string' },
  port: { env: 'PROCOS_PORT', flag: '--port', type: 'int' },
  processes: { env: 'PROCOS_PROCESSES', flag: '--processes', type: 'string' },
  autoDeployProcesses: { env: 'PROCOS_AUTO_DEPLOY_PROCESSES', flag: '--no-auto-deploy', type: 'bool' },
  strict: { env: 'PROCOS_STRICT', flag: '--strict', type: 'bool' },
  rootProcess: { env: 'PROCOS_ROOT_PROCESS', flag: '--root-process', type: 'string' },
  'log.level': { env: 'PROCOS_LOG_LEVEL', flag: '--log-level', type: 'string' },
  'log.format': { env: 'PROCOS_LOG_FORMAT', flag: '--log-format', type: 'string' },
  healthIntervalMs: { env: 'PROCOS_HEALTH_INTERVAL_MS', flag: '--health-interval-ms', type: 'int' },
  shutdownGraceMs: { env: 'PROCOS_SHUTDOWN_GRACE_MS', flag: '--shutdown-grace-ms', type: 'int' },
  'workers.enabled': { env: 'PROCOS_WORKERS_ENABLED', flag: '--no-workers', type: 'bool' },
  'workers.parallel': { env: 'PROCOS_WORKERS_PARALLEL', flag: '--workers-parallel', type: 'int' },
  'workers.id': { env: 'PROCOS_WORKERS_ID', flag: '--workers-id', type: 'string' },
} as const satisfies Record<string, { env: string; flag: string; type: KeyType }>;

/** A scalar configuration key. */
export type ConfigKey = keyof typeof CONFIG_KEYS;

/** One problem of a configuration. */
export interface ConfigIssue {
  /** Dotted key path, e.g. `port`, `workers.topics.x.config.url`. */
  readonly key: string;
  /** Where the value came from: the file, a variable name, a flag, or `default`. */
  readonly source: string;
  readonly message: string;
}

const int = (min: number, max?: number) => {
  const range = max === undefined ? `≥ ${min}` : `from ${min} to ${max}`;
  const message = `expected an integer ${range}`;
  const base = z.number({ error: message }).int({ error: message }).min(min, { error: message });
  return max === undefined ? base : base.max(max, { error: message });
};
const bool = z.boolean({ error: 'expected true or false' });
const text = (what: string) => z.string({ error: `expected ${what}` }).min(1, { error: `expected ${what}, not an empty string` });

const fileSchema = z.strictObject({
  db: text('a store URL: sqlite:<path> or postgres://user:password@host:5432/database').optional(),
  dataDir: text('a folder path').optional(),
  host: text('a host name or IP address, e.g. 127.0.0.1').optional(),
  port: int(0, 65535).optional(),
  processes: text('a folder path').optional(),
  autoDeployProcesses: bool.optional(),
  strict: bool.optional(),
  rootProcess: z.union([z.string(), z.null()], { error: 'expected a process key, or "" / null for none' }).optional(),
  log: z
    .strictObject({
      level: z.enum(LOG_LEVELS as [LogLevel, ...LogLevel[]], { error: `expected one of ${LOG_LEVELS.join(' | ')}` }).optional(),
      format: z.enum(['auto', 'pretty', 'json'], { error: 'expected one of auto | pretty | json' }).optional(),
    })
    .optional(),
  healthIntervalMs: int(0).optional(),
  shutdownGraceMs: int(0).optional(),
  workers: z
    .strictObject({
      enabled: bool.optional(),
      parallel: int(1, 1000).optional(),
      asyncResponseTimeout: int(0, 1_800_000).optional(),
      id: text('a worker id').optional(),
      defaults: z.record(z.string(), z.unknown(), { error: 'expected a mapping of policy defaults (retries, retryTimeout, lockDuration, timeout)' }).optional(),
      topics: z.record(z.string(), z.unknown(), { error: 'expected a mapping of topic → route' }).optional(),
    })
    .optional(),
});

type FileConfig = z.output<typeof fileSchema>;

interface Loaded {
  value: Record<string, unknown>;
  sources: Map<string, string>;
  /** The folder relative paths of a key are resolved against. */
  bases: Map<string, string>;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}

function getPath(obj: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

/** Converts a variable or flag string to the key's type; a string that does not convert is kept (zod then names it). */
function convert(type: KeyType, raw: string | number | boolean | null): unknown {
  if (typeof raw !== 'string') return raw;
  if (type === 'int') return /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (type === 'bool') {
    const v = raw.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
    return raw;
  }
  return raw;
}

function readFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : e instanceof Error ? e.message : String(e);
    throw new ProcosError(KernelErrors.CONFIG_UNREADABLE, `cannot read the configuration file ${file}: ${why}`, { file }, { cause: e });
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const pos = err.linePos?.[0];
    const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
    const what = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ProcosError(KernelErrors.CONFIG_UNREADABLE, `${where}: not valid YAML: ${what}`, { file, ...(pos ? { line: pos.line, column: pos.col } : {}) });
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ProcosError(KernelErrors.CONFIG_INVALID, `${file}: expected a mapping of keys (db, port, processes, …) at the top, got ${Array.isArray(value) ? 'a list' : typeof value}`, {
      issues: [{ key: '(root)', source: file, message: 'expected a mapping of keys' }],
    });
  }
  return value as Record<string, unknown>;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** Distance of two short strings (edits), for "did you mean" hints. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType = fileSchema;
  for (const p of path) {
    const inner = unwrap(schema);
    if (!(inner instanceof z.ZodObject)) return [];
    const next = (inner.shape as Record<string, z.ZodType>)[String(p)];
    if (next === undefined) return [];
    schema = next;
  }
  const inner = unwrap(schema);
  return inner instanceof z.ZodObject ? Object.keys(inner.shape as Record<string, unknown>) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
}

function sourceOf(loaded: Loaded, key: string): string {
  for (let k = key; k !== ''; k = k.includes('.') ? k.slice(0, k.lastIndexOf('.')) : '') {
    const s = loaded.sources.get(k);
    if (s !== undefined) return s;
  }
  return 'config';
}

function toIssues(error: z.ZodError, loaded: Loaded): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(issue.path);
      for (const k of issue.keys) {
        const key = [...path, k].join('.');
        const close = known.filter((c) => editDistance(c, k) <= 2);
        const hint = close.length > 0 ? `; did you mean "${close[0]}"?` : '';
        issues.push({ key, source: sourceOf(loaded, key), message: `unknown key${hint} (known here: ${known.join(', ')})` });
      }
      continue;
    }
    const key = path.join('.') || '(root)';
    issues.push({ key, source: sourceOf(loaded, key), message: `${issue.message}, got ${describe(getPath(loaded.value, issue.path))}` });
  }
  return issues;
}

/** One line per issue: `key (source): message`. */
export function formatConfigIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((i) => `${i.key} (${i.source}): ${i.message}`).join('; ');
}

function invalid(issues: ConfigIssue[]): ProcosError {
  const lead = issues.length === 1 ? 'invalid configuration' : `invalid configuration (${issues.length} problems)`;
  return new ProcosError(KernelErrors.CONFIG_INVALID, `${lead}: ${formatConfigIssues(issues)}`, { issues });
}

function resolveDb(db: string, base: string): string {
  if (!db.startsWith('sqlite:')) return db;
  const rest = db.slice('sqlite:'.length);
  if (rest.startsWith(':memory:') || rest.startsWith('//')) return db;
  const q = rest.indexOf('?');
  const path = q === -1 ? rest : rest.slice(0, q);
  if (path === '' || isAbsolute(path)) return db;
  return `sqlite:${resolve(base, path)}${q === -1 ? '' : rest.slice(q)}`;
}

/** The default path of the built-in workers' id: stable across restarts of one node. */
function mergeWorkers(file: FileConfig['workers']): WorkersConfig {
  const defaults = { ...(DEFAULT_WORKERS.defaults ?? {}), ...((file?.defaults as WorkersConfig['defaults']) ?? {}) };
  const topics: Record<string, unknown> = { ...DEFAULT_WORKERS.topics };
  for (const [topic, route] of Object.entries(file?.topics ?? {})) {
    if (route === null || route === false) delete topics[topic];
    else topics[topic] = route;
  }
  return { defaults, topics } as WorkersConfig;
}

/**
 * Loads, merges and validates the configuration.
 * @throws PROCOS_KERNEL_CONFIG_UNREADABLE the file given by `--config` is missing, or a
 *   file is not valid YAML (file:line:column).
 * @throws PROCOS_KERNEL_CONFIG_INVALID a bad value or unknown key anywhere, the workers
 *   routes included; `details.issues` lists `{key, source, message}`.
 */
export function loadConfig(input: LoadConfigInput = {}): KernelConfig {
  const cwd = input.cwd ?? process.cwd();
  const env = input.env ?? process.env;
  const flags = input.flags ?? {};

  let configFile: string | null = null;
  if (input.configPath !== undefined) configFile = resolve(cwd, input.configPath);
  else if (existsSync(resolve(cwd, 'procos.yml'))) configFile = resolve(cwd, 'procos.yml');

  const loaded: Loaded = { value: {}, sources: new Map(), bases: new Map() };
  if (configFile !== null) {
    const raw = readFile(configFile);
    const label = relative(cwd, configFile) || configFile;
    const fileBase = dirname(configFile);
    loaded.value = structuredClone(raw);
    const mark = (obj: unknown, prefix: string): void => {
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return;
      for (const [k, v] of Object.entries(obj)) {
        const key = prefix === '' ? k : `${prefix}.${k}`;
        loaded.sources.set(key, label);
        loaded.bases.set(key, fileBase);
        if (key === 'log' || key === 'workers') mark(v, key);
      }
    };
    mark(raw, '');
  }
  for (const [key, spec] of Object.entries(CONFIG_KEYS) as [ConfigKey, (typeof CONFIG_KEYS)[ConfigKey]][]) {
    const fromEnv = env[spec.env];
    if (fromEnv !== undefined) {
      setPath(loaded.value, key, key === 'rootProcess' ? fromEnv : convert(spec.type, fromEnv));
      loaded.sources.set(key, spec.env);
      loaded.bases.set(key, cwd);
    }
  }
  for (const [key, value] of Object.entries(flags) as [ConfigKey, ConfigFlags[ConfigKey]][]) {
    if (value === undefined || !(key in CONFIG_KEYS)) continue;
    const spec = CONFIG_KEYS[key];
    setPath(loaded.value, key, key === 'rootProcess' ? value : convert(spec.type, value));
    loaded.sources.set(key, spec.flag);
    loaded.bases.set(key, cwd);
  }

  const parsed = fileSchema.safeParse(loaded.value);
  if (!parsed.success) throw invalid(toIssues(parsed.error, loaded));
  const c = parsed.data;

  const base = (key: string): string => loaded.bases.get(key) ?? cwd;
  const dataDir = resolve(base('dataDir'), c.dataDir ?? '.procos');
  const db = c.db !== undefined ? resolveDb(c.db, base('db')) : `sqlite:${resolve(dataDir, 'procos.db')}`;
  if (!db.startsWith('sqlite:') && !/^postgres(ql)?:\/\//i.test(db)) {
    throw invalid([{ key: 'db', source: sourceOf(loaded, 'db'), message: `expected sqlite:<path> or postgres://user:password@host:5432/database, got ${JSON.stringify(c.db)}` }]);
  }
  const rootRaw = c.rootProcess === undefined ? 'root_orchestrator' : c.rootProcess;
  const rootProcess = rootRaw === null || rootRaw.trim() === '' || rootRaw.trim() === 'none' ? null : rootRaw.trim();

  const routes = mergeWorkers(c.workers);
  validateRoutes(routes, loaded, dataDir);

  return {
    configFile,
    db,
    dataDir,
    host: c.host ?? '127.0.0.1',
    port: c.port ?? 8080,
    processes: resolve(base('processes'), c.processes ?? 'processes'),
    processesExplicit: c.processes !== undefined,
    autoDeployProcesses: c.autoDeployProcesses ?? true,
    strict: c.strict ?? false,
    rootProcess,
    rootProcessExplicit: c.rootProcess !== undefined,
    log: { level: c.log?.level ?? 'info', format: c.log?.format ?? 'auto' },
    healthIntervalMs: c.healthIntervalMs ?? 60_000,
    shutdownGraceMs: c.shutdownGraceMs ?? 10_000,
    readyFile: resolve(dataDir, 'ready'),
    workers: {
      enabled: c.workers?.enabled ?? true,
      parallel: c.workers?.parallel ?? 4,
      asyncResponseTimeout: c.workers?.asyncResponseTimeout ?? 20_000,
      id: c.workers?.id ?? null,
      routes,
    },
  };
}

/** Compiles the routes once with provisional placeholder values, so that a bad route fails the boot before anything starts. */
function validateRoutes(routes: WorkersConfig, loaded: Loaded, dataDir: string): void {
  try {
    compileRoutes(substitutePlaceholders(routes, { url: 'http://127.0.0.1:8080', node: process.execPath, dataDir }));
  } catch (e) {
    if (isProcosError(e, KernelErrors.CONFIG_INVALID)) throw e;
    if (!isProcosError(e)) throw e;
    const raw = (e.details.issues as { path: string; message: string }[] | undefined) ?? [{ path: '(root)', message: e.message }];
    throw invalid(raw.map((i) => ({ key: `workers.${i.path}`, source: sourceOf(loaded, `workers.${i.path}`), message: i.message })));
  }
}
