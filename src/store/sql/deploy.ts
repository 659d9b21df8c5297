/**
 * The deploy program: decides versions and writes a deployment in one transaction.
 *
 * Concurrent deploys of one key are serialized: PostgreSQL takes a transaction-scoped
 * advisory lock per key (in sorted key order, so two deploys cannot deadlock) before
 * reading the latest versions; SQLite's `BEGIN IMMEDIATE` already serializes writers.
 * `UNIQUE (key, version)` is the safety net under both.
 */
import { randomUUID } from 'node:crypto';
import { ProcosError } from '../../common/errors.js';
import { StoreErrors } from '../errors.js';
import type { ProcessDefinitionRecord } from '../records.js';
import type { DeployInput, DeployResult } from '../types.js';
import type { Dialect } from './dialect.js';
import { placeholders, stmt, type TxProgram } from './program.js';
import { columns, DEFINITION_COLS, DEPLOYMENT_COLS, toDefinition, toDeployment } from './rows.js';
import { int } from './validate.js';

function invalid(message: string, field: string, value: string): ProcosError {
  return new ProcosError(StoreErrors.DEPLOYMENT_INVALID, message, { field, value });
}

/** A deploy input after checks, with resource contents as bytes. */
export interface CheckedDeploy {
  readonly input: DeployInput;
  readonly resources: readonly { readonly name: string; readonly content: Buffer }[];
  readonly time: number;
}

/**
 * Checks a deploy input.
 * @throws PROCOS_STORE_DEPLOYMENT_INVALID no resources, duplicate resource names or
 *   process keys, a process naming a missing resource, an empty name/key/hash.
 */
export function checkDeploy(input: DeployInput, now: number): CheckedDeploy {
  if (input.name.length === 0) throw invalid('a deployment needs a name', 'name', input.name);
  if (input.resources.length === 0) throw invalid('a deployment needs at least one resource', 'resources', '');
  const names = new Set<string>();
  const resources = input.resources.map((r) => {
    if (r.name.length === 0) throw invalid('a resource needs a name', 'resources[].name', r.name);
    if (names.has(r.name)) throw invalid(`resource ${r.name} appears twice`, 'resources[].name', r.name);
    names.add(r.name);
    const content = typeof r.content === 'string' ? Buffer.from(r.content, 'utf8') : Buffer.from(r.content.buffer, r.content.byteOffset, r.content.byteLength);
    return { name: r.name, content };
  });
  const keys = new Set<string>();
  for (const p of input.processes) {
    if (p.key.length === 0) throw invalid('a process needs a key', 'processes[].key', p.key);
    if (keys.has(p.key)) throw invalid(`process ${p.key} appears twice in one deployment`, 'processes[].key', p.key);
    keys.add(p.key);
    if (!names.has(p.resourceName)) throw invalid(`process ${p.key} names resource ${p.resourceName}, which is not deployed`, 'processes[].resourceName', p.resourceName);
    if (p.hash.length === 0) throw invalid(`process ${p.key} has an empty hash`, 'processes[].hash', p.hash);
  }
  return { input, resources, time: int('time', input.time ?? now) };
}

const DEFINITION_COLUMNS = columns(DEFINITION_COLS, 'd');
const DEPLOYMENT_COLUMNS = columns(DEPLOYMENT_COLS);

/** Runs a checked deploy (see {@link Store.deploy}). */
export function* deployProgram(d: Dialect, c: CheckedDeploy): TxProgram<DeployResult> {
  const { input } = c;
  const keys = input.processes.map((p) => p.key);

  if (d.keyLockSql !== null) {
    for (const key of [...keys].sort()) yield stmt(d.keyLockSql, key);
  }

  const latest = new Map<string, ProcessDefinitionRecord>();
  if (keys.length > 0) {
    const r = yield {
      sql:
        `SELECT ${DEFINITION_COLUMNS} FROM process_definition d WHERE d.key IN (${placeholders(keys.length)}) ` +
        'AND d.version = (SELECT MAX(m.version) FROM process_definition m WHERE m.key = d.key)',
      params: keys,
    };
    for (const row of r.rows) {
      const def = toDefinition(row);
      latest.set(def.key, def);
    }
  }

  const unchanged = input.processes.map((p) => {
    const prev = latest.get(p.key);
    return prev !== undefined && prev.contentHash === p.hash ? prev : undefined;
  });

  if (input.processes.length > 0 && unchanged.every((u) => u !== undefined)) {
    const definitions = unchanged.filter((u): u is ProcessDefinitionRecord => u !== undefined);
    const deploymentIds = [...new Set(definitions.map((def) => def.deploymentId))];
    const r = yield {
      sql: `SELECT ${DEPLOYMENT_COLUMNS} FROM deployment WHERE id IN (${placeholders(deploymentIds.length)}) ORDER BY deploy_time DESC, id DESC LIMIT 1`,
      params: deploymentIds,
    };
    const row = r.rows[0];
    if (row === undefined) throw new ProcosError(StoreErrors.CORRUPT_ROW, 'a process definition names a missing deployment', { column: 'deployment_id' });
    return { deployment: toDeployment(row), definitions, duplicate: true };
  }

  const deployment = {
    id: randomUUID(),
    name: input.name,
    source: input.source ?? null,
    tenantId: input.tenantId ?? null,
    deployTime: c.time,
  };
  yield stmt(
    'INSERT INTO deployment (id, name, source, tenant_id, deploy_time) VALUES (?, ?, ?, ?, ?)',
    deployment.id,
    deployment.name,
    deployment.source,
    deployment.tenantId,
    deployment.deployTime,
  );
  for (const res of c.resources) {
    yield stmt('INSERT INTO deployment_resource (deployment_id, name, content) VALUES (?, ?, ?)', deployment.id, res.name, res.content);
  }

  const definitions: ProcessDefinitionRecord[] = [];
  for (const [i, p] of input.processes.entries()) {
    const prev = unchanged[i];
    if (prev !== undefined) {
      definitions.push(prev);
      continue;
    }
    const version = (latest.get(p.key)?.version ?? 0) + 1;
    const def: ProcessDefinitionRecord = {
      id: `${p.key}:${version}:${randomUUID()}`,
      key: p.key,
      version,
      versionTag: p.versionTag ?? null,
      name: p.name ?? null,
      deploymentId: deployment.id,
      resourceName: p.resourceName,
      contentHash: p.hash,
      tenantId: deployment.tenantId,
    };
    yield stmt(
      'INSERT INTO process_definition (id, key, version, version_tag, name, deployment_id, resource_name, content_hash, tenant_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      def.id,
      def.key,
      def.version,
      def.versionTag,
      def.name,
      def.deploymentId,
      def.resourceName,
      def.contentHash,
      def.tenantId,
    );
    definitions.push(def);
  }
  return { deployment, definitions, duplicate: false };
}
