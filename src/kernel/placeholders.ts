/**
 * Kernel placeholders in the workers config: `{{procos.url}}`, `{{procos.node}}` and
 * `{{procos.dataDir}}`, replaced in every string before the routes are compiled. They let
 * a shipped route call the kernel it runs in (whatever its port) or run a script with
 * the same Node.js, without hard-coding either. `${…}` placeholders are left alone: those
 * belong to the adapters (looked up in the task's variables when the task runs).
 */
import { ProcosError } from '../common/errors.js';
import { KernelErrors } from './errors.js';

/** The values of the kernel placeholders. */
export interface PlaceholderValues {
  /** The kernel's own base URL, e.g. `http://127.0.0.1:8080` (no trailing slash). */
  readonly url: string;
  /** Absolute path of the Node.js executable (`process.execPath`). */
  readonly node: string;
  /** Absolute path of the kernel's data folder. */
  readonly dataDir: string;
}

/** Names a `{{procos.…}}` placeholder may have. */
export const PLACEHOLDER_NAMES: readonly (keyof PlaceholderValues)[] = ['url', 'node', 'dataDir'];

const PATTERN = /\{\{\s*([^}]*?)\s*\}\}/g;

/**
 * Returns a deep copy of `value` with every `{{procos.<name>}}` in its strings replaced.
 * @param where - the key path of `value`, for messages (e.g. `workers`).
 * @throws PROCOS_KERNEL_CONFIG_INVALID when a string has an unknown `{{…}}` placeholder
 *   (the message names the key and the known placeholders).
 */
export function substitutePlaceholders<T>(value: T, values: PlaceholderValues, where = 'workers'): T {
  return walk(value, values, where) as T;
}

function walk(value: unknown, values: PlaceholderValues, path: string): unknown {
  if (typeof value === 'string') return replace(value, values, path);
  if (Array.isArray(value)) return value.map((v, i) => walk(v, values, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, values, `${path}.${k}`);
    return out;
  }
  return value;
}

function replace(text: string, values: PlaceholderValues, path: string): string {
  return text.replace(PATTERN, (whole, name: string) => {
    const key = name.startsWith('procos.') ? name.slice('procos.'.length) : '';
    if ((PLACEHOLDER_NAMES as readonly string[]).includes(key)) return values[key as keyof PlaceholderValues];
    const known = PLACEHOLDER_NAMES.map((n) => `{{procos.${n}}}`).join(', ');
    throw new ProcosError(KernelErrors.CONFIG_INVALID, `${path}: unknown placeholder ${whole} (known: ${known})`, {
      issues: [{ key: path, source: 'config', message: `unknown placeholder ${whole}` }],
    });
  });
}
