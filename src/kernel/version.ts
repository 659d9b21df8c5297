/** The ProcOS version, read once from package.json. */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    // This file runs as dist/src/kernel/version.js; package.json is three folders up.
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The version of this ProcOS (package.json `version`). */
export const PROCOS_VERSION: string = readVersion();
