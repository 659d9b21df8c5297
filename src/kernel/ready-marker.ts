/**
 * The readiness marker: a small JSON file (`<dataDir>/ready`, by default
 * `.procos/ready`) written once the kernel has booted and removed when it stops. Scripts
 * can wait for it instead of polling `/health`; the `procos` commands read it to find
 * the kernel's URL when none is given.
 */
import { readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';

/** What the marker holds. */
export interface ReadyMarker {
  /** Process id of the kernel. */
  readonly pid: number;
  /** The kernel's base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** Store URL (password hidden). */
  readonly db: string;
  readonly version: string;
  /** ISO-8601. */
  readonly readyAt: string;
}

/** Writes the marker atomically (temporary file, then rename). */
export async function writeReadyMarker(file: string, marker: ReadyMarker): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(marker, null, 2)}\n`, 'utf8');
  await rename(tmp, file);
}

/** Removes the marker if it is this process's. Never throws. */
export async function removeReadyMarker(file: string, pid = process.pid): Promise<void> {
  const current = readReadyMarker(file);
  if (current !== null && current.pid !== pid) return;
  await rm(file, { force: true }).catch(() => undefined);
}

/** True when a process with this id exists (a marker left by a killed kernel names a dead one). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads a marker; null when the file is missing or not a marker. */
export function readReadyMarker(file: string): ReadyMarker | null {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<ReadyMarker>;
    if (typeof v.pid !== 'number' || typeof v.url !== 'string') return null;
    return { pid: v.pid, url: v.url, db: String(v.db ?? ''), version: String(v.version ?? ''), readyAt: String(v.readyAt ?? '') };
  } catch {
    return null;
  }
}
