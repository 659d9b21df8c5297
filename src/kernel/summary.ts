/**
 * The boot summary a person reads: store, definitions (key:version), root instance,
 * workers and their topics, URLs, and what to try next.
 */
import { isAbsolute, relative } from 'node:path';
import type { BootReport } from './kernel.js';

/** A path relative to `cwd` when it is inside it, else as is. */
export function shortPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function table(rows: string[][], indent: string): string[] {
  const widths = rows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('   ').trimEnd());
}

/**
 * Formats the boot summary, e.g.
 * ```
 * ProcOS 0.1.0 is ready (pid 4242, booted in 380 ms)
 *
 *   Store       sqlite:.procos/procos.db (SQLite, schema v1)
 *   …
 * ```
 * @param cwd - paths inside it are shown relative to it.
 * @param cmd - how the person runs procos (`procos`, `npx procos`), for the hints.
 */
export function formatBootSummary(r: BootReport, cwd = process.cwd(), cmd = 'procos'): string {
  const L: string[] = [];
  const label = (name: string): string => `  ${name.padEnd(12)}`;
  const sub = ' '.repeat(16);
  L.push(`ProcOS ${r.version} is ready (pid ${r.pid}, booted in ${r.bootMs} ms)`, '');

  const db = r.db.startsWith('sqlite:') ? `sqlite:${shortPath(r.db.slice('sqlite:'.length), cwd)}` : r.db;
  L.push(`${label('Store')}${db} (${r.storeKind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, schema v${r.schemaVersion})`);
  L.push(`${label('Config')}${r.configFile !== null ? shortPath(r.configFile, cwd) : 'built-in defaults (no procos.yml here)'}`);

  const dir = shortPath(r.processes, cwd);
  if (r.deployed === null) {
    L.push(`${label('Processes')}not deployed at boot (auto-deploy is off)`);
  } else {
    const defs = r.deployed.flatMap((f) => f.definitions);
    const failed = r.deployed.filter((f) => f.status === 'failed').length;
    L.push(`${label('Processes')}${dir}/: ${r.deployed.length} file(s), ${defs.length} definition(s)${failed > 0 ? `, ${failed} failed` : ''}`);
    const rows: string[][] = [];
    for (const f of r.deployed) {
      if (f.status === 'failed') {
        const p = f.problems[0];
        const where = p?.elementId !== undefined ? ` (element ${p.elementId}${p.line !== undefined ? `, line ${p.line}` : ''})` : '';
        rows.push(['NOT DEPLOYED', f.file, `${p?.message ?? 'refused'}${where}`]);
        continue;
      }
      for (const d of f.definitions) rows.push([`${d.key}:${d.version}`, f.file, f.status === 'new' ? 'new' : 'unchanged']);
    }
    L.push(...table(rows, sub));
  }

  if (r.root.outcome === 'none') L.push(`${label('Root')}none started: ${r.root.reason}`);
  else L.push(`${label('Root')}${r.root.key}:${r.root.version} ${r.root.outcome === 'started' ? 'started' : 'already running'}, instance ${r.root.instanceId}`);

  if (r.workers === null) {
    L.push(`${label('Workers')}built-in workers are off`);
  } else {
    L.push(`${label('Workers')}${r.workers.id}, ${r.workers.parallel} task(s) at a time, ${r.workers.topics.length} topic(s):`);
    L.push(...table(r.workers.topics.map((t) => [t.topic, `→ ${t.adapter}`]), sub));
  }

  L.push(`${label('API')}${r.urls.procosV1}`);
  const cont = ' '.repeat(14);
  L.push(`${cont}${r.urls.health}`);
  if (r.urls.engineRest !== null) L.push(`${cont}${r.urls.engineRest} (Camunda 7 REST)`);
  if (r.readyFile !== null) L.push(`${label('Ready file')}${shortPath(r.readyFile, cwd)}`);
  for (const w of r.warnings) L.push(`${label('Warning')}${w}`);
  L.push('', `Try  ${cmd} ps   ·   ${cmd} run processes/examples/kernel-report.bpmn   ·   Ctrl-C stops ProcOS`, '');
  return L.join('\n');
}
