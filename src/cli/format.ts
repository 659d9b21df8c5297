/**
 * Text output for people: durations, ages, tables, values, and the views of instances
 * (history timeline, variables, incidents) that `procos show` and `procos run` print.
 */
import type { JsonValue, Variables } from '../common/json.js';
import type { HistoryStepView, IncidentView, InstanceDetailView, InstanceView } from '../api/procos-v1/index.js';

/** `12 ms`, `1.4 s`, `3 min 4 s`, `2 h 5 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.floor((ms % 60_000) / 1000)} s`;
  return `${Math.floor(ms / 3_600_000)} h ${Math.floor((ms % 3_600_000) / 60_000)} min`;
}

/** `5s`, `3m`, `2h`, `4d`: compact ages for tables. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** Local date and time, `2026-01-31 14:05:09`. */
export function formatTime(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** `serviceTask` → `service task`. */
export function humanType(type: string): string {
  return type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Cuts text to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  const one = text.replace(/\s*\n\s*/g, ' ⏎ ');
  return one.length <= max ? one : `${one.slice(0, Math.max(1, max - 1))}…`;
}

/** A table with a header row, columns padded, two spaces apart. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

/** A name for an activity: its name, else its element id. */
export function activityLabel(a: { name: string | null; elementId: string }): string {
  return a.name !== null && a.name !== '' ? a.name : a.elementId;
}

/** Where an instance is now, in words: `Read the file (service task)`, several joined by `, `. */
export function currentText(i: InstanceView): string {
  if (i.current.length === 0) return i.state === 'completed' || i.state === 'terminated' ? '-' : '(nothing)';
  return i.current.map((c) => activityLabel(c)).join(', ');
}

/** Variables as `name  value` lines; multi-line text as an indented block of at most 5 lines. */
export function formatVariables(vars: Variables, indent = '  '): string {
  const names = Object.keys(vars).sort();
  if (names.length === 0) return `${indent}(none)`;
  const width = Math.min(24, Math.max(...names.map((n) => n.length)));
  const lines: string[] = [];
  for (const n of names) {
    const v: JsonValue = vars[n]!;
    if (typeof v === 'string' && v.includes('\n')) {
      const text = v.replace(/\n$/, '').split('\n');
      lines.push(`${indent}${n.padEnd(width)}  (text, ${text.length} line${text.length === 1 ? '' : 's'})`);
      for (const t of text.slice(0, 5)) lines.push(`${indent}${' '.repeat(width)}  │ ${truncate(t, 100)}`);
      if (text.length > 5) lines.push(`${indent}${' '.repeat(width)}  │ … ${text.length - 5} more line(s)`);
    } else {
      lines.push(`${indent}${n.padEnd(width)}  ${truncate(JSON.stringify(v), 110)}`);
    }
  }
  return lines.join('\n');
}

/** The history as a timeline: offset from the start, element type, name, how long it took. */
export function formatTimeline(start: number, steps: readonly HistoryStepView[], now: number, indent = '  '): string {
  if (steps.length === 0) return `${indent}(no steps recorded)`;
  const rows = steps.map((s) => {
    const took =
      s.endTime === null ? `running for ${formatDuration(now - s.startTime)}` : s.canceled ? `interrupted after ${formatDuration(s.endTime - s.startTime)}` : formatDuration(s.endTime - s.startTime);
    return [`+${formatDuration(s.startTime - start)}`, humanType(s.type), activityLabel(s), took];
  });
  return table(['AT', 'ELEMENT', 'NAME', 'TOOK'], rows)
    .split('\n')
    .map((l) => indent + l)
    .join('\n');
}

/** Incidents with their message and, for open ones, the last failure's details (a few lines). */
export function formatIncidents(list: readonly IncidentView[], indent = '  '): string {
  if (list.length === 0) return `${indent}(none)`;
  const out: string[] = [];
  for (const inc of list) {
    const state = inc.resolvedTime === null ? 'OPEN' : `resolved ${formatTime(inc.resolvedTime)}`;
    out.push(`${indent}${inc.id}  ${state}  at "${inc.activityName ?? inc.elementId}" (${inc.type}, ${formatTime(inc.createdTime)})`);
    out.push(`${indent}  ${inc.message}`);
    if (inc.errorDetails) {
      const lines = inc.errorDetails.trim().split('\n');
      for (const l of lines.slice(-3)) out.push(`${indent}  │ ${truncate(l, 110)}`);
    }
  }
  return out.join('\n');
}

/** The full text of `procos show`. */
export function formatInstanceDetail(d: InstanceDetailView, now: number, cmd = 'procos'): string {
  const L: string[] = [];
  L.push(`Instance ${d.id}`);
  L.push(`  Process       ${d.key}:${d.version}`);
  L.push(`  State         ${d.state}${d.endReason ? ` (${d.endReason})` : ''}`);
  L.push(`  Business key  ${d.businessKey ?? '-'}`);
  L.push(`  Started       ${formatTime(d.startTime)} (${formatAge(now - d.startTime)} ago)`);
  if (d.endTime !== null) L.push(`  Ended         ${formatTime(d.endTime)}, after ${formatDuration(d.endTime - d.startTime)}`);
  if (d.current.length > 0) L.push(`  Waiting at    ${d.current.map((c) => `${activityLabel(c)} (${humanType(c.type)})`).join(', ')}`);
  for (const t of d.externalTasks) {
    const lock = t.workerId !== null && t.lockExpirationTime !== null && t.lockExpirationTime > now ? `locked by ${t.workerId}` : 'waiting for a worker';
    const retries = t.retries === null ? '' : t.retries === 0 ? ', no retries left (incident)' : `, ${t.retries} ${t.retries === 1 ? 'retry' : 'retries'} left`;
    L.push(`  Task          topic "${t.topic}" at ${t.elementId}: ${lock}${retries}${t.errorMessage ? `; last error: ${truncate(t.errorMessage, 80)}` : ''}`);
  }
  for (const u of d.userTasks) L.push(`  User task     ${activityLabel(u)} (id ${u.id})${u.assignee ? `, assigned to ${u.assignee}` : ''}`);
  L.push('', 'History', formatTimeline(d.startTime, d.history, now));
  L.push('', 'Incidents', formatIncidents(d.incidentList));
  const open = d.incidentList.find((i) => i.resolvedTime === null);
  if (open !== undefined) L.push(`  Fix the cause, then: ${cmd} retry ${open.id}`);
  L.push('', `Variables${d.state === 'completed' || d.state === 'terminated' ? ' (final values)' : ''}`, formatVariables(d.variables));
  return L.join('\n');
}
