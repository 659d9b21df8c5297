/**
 * The program of {@link Store.deleteDeployment}: one write transaction that removes a
 * deployment, its resources and definitions, and the process instances that refer to
 * those definitions.
 *
 * 1. The deployment must exist; its definitions are read (PostgreSQL: `FOR UPDATE`, so
 *    that an instance being started concurrently either commits first and counts, or
 *    waits and then fails on the foreign key of the definition that is gone).
 * 2. Running instances of them refuse the deletion unless `cascade`.
 * 3. The doomed instances: every instance of the definitions (ended ones too: their rows
 *    refer to the definitions) and, with `cascade`, the instances they called,
 *    recursively.
 * 4. Runtime rows of the doomed instances, the instances, the definitions' jobs (timer
 *    start events), the definitions, the resources and the deployment are deleted; with
 *    `cascade` also the history of the doomed instances (and of any other instance of
 *    the definitions that history still knows).
 *
 * Id lists go to the database in chunks of {@link CHUNK} (well below SQLite's and
 * PostgreSQL's parameter limits).
 */
import { ProcosError } from '../../common/errors.js';
import { StoreErrors } from '../errors.js';
import type { DeleteDeploymentOptions, DeploymentDeletion } from '../types.js';
import type { Dialect } from './dialect.js';
import { placeholders, stmt, type TxProgram } from './program.js';
import { countOf } from './rows.js';
import { nonEmpty } from './validate.js';

/** Ids per `IN (…)` list. */
const CHUNK = 500;

function chunks(ids: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(ids.slice(i, i + CHUNK));
  return out;
}

function strings(rows: readonly Record<string, unknown>[], column: string): string[] {
  return rows.map((r) => String(r[column]));
}

/** Runs `sql` (one `{ids}` placeholder list) for every chunk of `ids`. */
function* forChunks(sql: string, ids: readonly string[]): TxProgram<void> {
  for (const part of chunks(ids)) yield { sql: sql.replace('{ids}', placeholders(part.length)), params: part };
}

/** Reads rows for every chunk of `ids` and concatenates them. */
function* selectChunks(sql: string, ids: readonly string[]): TxProgram<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const part of chunks(ids)) {
    const r = yield { sql: sql.replace('{ids}', placeholders(part.length)), params: part };
    rows.push(...r.rows);
  }
  return rows;
}

/** Runtime tables whose rows belong to a process instance (`process_instance_id`). */
const INSTANCE_TABLES = ['external_task', 'user_task', 'incident', 'variable', 'job', 'event_subscription'] as const;

/** History tables keyed by the process instance (`hist_process_instance` by `id`). */
const HISTORY_TABLES = ['hist_activity_instance', 'hist_variable_update', 'hist_incident'] as const;

/** See the module doc. */
export function* deleteDeploymentProgram(d: Dialect, id: string, options: DeleteDeploymentOptions): TxProgram<DeploymentDeletion> {
  nonEmpty('id', id);
  const cascade = options.cascade === true;
  const found = yield stmt('SELECT id FROM deployment WHERE id = ?', id);
  if (found.rows.length === 0) throw new ProcosError(StoreErrors.DEPLOYMENT_NOT_FOUND, `deployment ${id} does not exist`, { deploymentId: id });

  const lock = d.name === 'postgres' ? ' FOR UPDATE' : '';
  const defRows = yield stmt(`SELECT id FROM process_definition WHERE deployment_id = ? ORDER BY id${lock}`, id);
  const defIds = strings(defRows.rows, 'id');

  if (!cascade && defIds.length > 0) {
    const running = yield* selectChunks(
      "SELECT process_definition_id, COUNT(*) AS n FROM process_instance WHERE status = 'active' AND process_definition_id IN ({ids}) GROUP BY process_definition_id ORDER BY process_definition_id",
      defIds,
    );
    const first = running[0];
    if (first !== undefined) {
      const n = countOf([first]);
      const defId = String(first['process_definition_id']);
      throw new ProcosError(
        StoreErrors.DEPLOYMENT_IN_USE,
        `deployment ${id} cannot be deleted without cascade: process definition ${defId} has ${n} running process instance(s)`,
        { deploymentId: id, processDefinitionId: defId, runningInstances: n },
      );
    }
  }

  // The doomed instances: those of the definitions, and (cascade) what they called.
  const doomed = new Set(strings(yield* selectChunks('SELECT id FROM process_instance WHERE process_definition_id IN ({ids})', defIds), 'id'));
  if (cascade) {
    let frontier = [...doomed];
    while (frontier.length > 0) {
      const called = strings(yield* selectChunks('SELECT id FROM process_instance WHERE super_instance_id IN ({ids})', frontier), 'id').filter((c) => !doomed.has(c));
      for (const c of called) doomed.add(c);
      frontier = called;
    }
  }
  const instanceIds = [...doomed];

  let deletedHistoricInstances = 0;
  if (cascade) {
    const known = new Set(instanceIds);
    for (const h of strings(yield* selectChunks('SELECT id FROM hist_process_instance WHERE process_definition_id IN ({ids})', defIds), 'id')) known.add(h);
    const historic = [...known];
    for (const table of HISTORY_TABLES) yield* forChunks(`DELETE FROM ${table} WHERE process_instance_id IN ({ids})`, historic);
    for (const part of chunks(historic)) {
      const r = yield { sql: `DELETE FROM hist_process_instance WHERE id IN (${placeholders(part.length)})`, params: part };
      deletedHistoricInstances += r.changes;
    }
  }

  for (const table of INSTANCE_TABLES) yield* forChunks(`DELETE FROM ${table} WHERE process_instance_id IN ({ids})`, instanceIds);
  yield* forChunks('DELETE FROM process_instance WHERE id IN ({ids})', instanceIds);
  yield* forChunks('DELETE FROM job WHERE process_definition_id IN ({ids})', defIds);
  yield stmt('DELETE FROM process_definition WHERE deployment_id = ?', id);
  yield stmt('DELETE FROM deployment_resource WHERE deployment_id = ?', id);
  yield stmt('DELETE FROM deployment WHERE id = ?', id);
  return { deploymentId: id, processDefinitionIds: defIds, deletedInstances: instanceIds.length, deletedHistoricInstances };
}
