/**
 * Boot step 4: deploy every `.bpmn` file under the processes folder, one deployment per
 * file, so that a broken file is reported (file, element, line, reason) and the others
 * still deploy. An unchanged file creates no new version (the runtime compares content
 * hashes per process key).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isProcosError } from '../common/errors.js';
import { isBpmnResourceName } from '../runtime/index.js';
import type { Runtime } from '../runtime/index.js';

/** A deployed definition, as reported. */
export interface DeployedDefinition {
  readonly id: string;
  readonly key: string;
  readonly version: number;
}

/** One problem of a file that did not deploy. */
export interface DeployProblem {
  readonly elementId?: string;
  readonly line?: number;
  readonly column?: number;
  readonly code?: string;
  readonly message: string;
}

/** What happened to one file. */
export interface FileDeployResult {
  /** Path relative to the processes folder, with `/` separators. */
  readonly file: string;
  /** `new`: at least one new version; `unchanged`: nothing new; `failed`: refused (see problems). */
  readonly status: 'new' | 'unchanged' | 'failed';
  readonly definitions: readonly DeployedDefinition[];
  readonly problems: readonly DeployProblem[];
}

/** Lists the BPMN files under `dir`, recursively, sorted by path. Hidden folders and node_modules are skipped. */
export async function listBpmnFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && isBpmnResourceName(e.name)) out.push(p);
    }
  };
  await walk(dir);
  return out.sort();
}

/** True when `dir` exists and is a folder. */
export async function isFolder(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

/** The problems of a refused deployment, from `details.problems` of PROCOS_RUNTIME_DEPLOYMENT_INVALID. */
export function problemsOf(e: unknown): DeployProblem[] {
  if (!isProcosError(e)) return [{ message: e instanceof Error ? e.message : String(e) }];
  const raw = e.details.problems;
  if (!Array.isArray(raw) || raw.length === 0) return [{ code: e.code, message: e.message }];
  return raw.map((p: Record<string, unknown>) => ({
    ...(typeof p.elementId === 'string' ? { elementId: p.elementId } : {}),
    ...(typeof p.line === 'number' ? { line: p.line } : {}),
    ...(typeof p.column === 'number' ? { column: p.column } : {}),
    ...(typeof p.code === 'string' ? { code: p.code } : {}),
    message: String(p.message ?? e.message),
  }));
}

/**
 * Deploys one file.
 * @param name - the resource name (shown in messages), e.g. `examples/kernel-report.bpmn`.
 */
export async function deployFile(runtime: Runtime, path: string, name: string, source: string): Promise<FileDeployResult> {
  try {
    const content = await readFile(path);
    const result = await runtime.deploy({ name, source, resources: [{ name, content }] });
    const definitions = result.definitions.map((d) => ({ id: d.id, key: d.key, version: d.version }));
    return { file: name, status: result.duplicate ? 'unchanged' : 'new', definitions, problems: [] };
  } catch (e) {
    return { file: name, status: 'failed', definitions: [], problems: problemsOf(e) };
  }
}

/** Deploys every BPMN file under `dir` (see the module doc). Never throws for a bad file. */
export async function deployFolder(runtime: Runtime, dir: string): Promise<FileDeployResult[]> {
  const results: FileDeployResult[] = [];
  for (const path of await listBpmnFiles(dir)) {
    const name = relative(dir, path).split(sep).join('/');
    results.push(await deployFile(runtime, path, name, 'procos boot'));
  }
  return results;
}
