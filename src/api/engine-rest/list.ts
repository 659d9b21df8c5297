/**
 * Camunda-style list and count queries over the store: filters from the query string,
 * `sortBy`/`sortOrder`, `firstResult`/`maxResults`, and a `…/count` twin for every list.
 *
 * Filters the store can apply are pushed down (and paging with them); filters it cannot
 * apply, and sorting other than the store's own order, are applied in memory over the
 * whole filtered set, then paged. Results are the same either way.
 */
import { ProcosError } from '../../common/errors.js';
import type { Page } from '../../store/index.js';
import { ApiErrors } from '../errors.js';
import { Query } from './read.js';
import type { ParamKind, RawQuery } from './read.js';

/** A value a list is sorted by. */
export type SortKey = string | number | boolean | null;

/** One list resource (GET /x and GET /x/count). `D` is the answered DTO. */
export interface ListSpec<D> {
  /** Filter parameters read by this list (paging and sorting are added). */
  readonly params: Readonly<Record<string, ParamKind>>;
  /** Every parameter Camunda documents for the route (for refusing unsupported filters). */
  readonly camunda: readonly string[];
  /** `sortBy` values → the key each DTO is sorted by. */
  readonly sort: Readonly<Record<string, (d: D) => SortKey>>;
  /** Rows matching the store-level filters, as DTOs; `page` is given when nothing is left to do in memory. */
  load(q: Query, page: Page | undefined): Promise<D[]>;
  /** Count of rows matching the store-level filters. */
  count(q: Query): Promise<number>;
  /** Predicates for the filters the store cannot apply (empty when none is given). */
  memory(q: Query): Promise<((d: D) => boolean)[]>;
}

const PAGING: Record<string, ParamKind> = { firstResult: 'integer', maxResults: 'integer', sortBy: 'string', sortOrder: 'string' };

/** Paging and sorting are read on count routes too (and ignored there, as Camunda does). */
function readQuery<D>(spec: ListSpec<D>, raw: RawQuery): Query {
  return new Query(raw, { ...spec.params, ...PAGING }, spec.camunda);
}

function sorter<D>(spec: ListSpec<D>, q: Query): ((a: D, b: D) => number) | undefined {
  const by = q.string('sortBy');
  const order = q.string('sortOrder');
  if (by === undefined && order === undefined) return undefined;
  if (by === undefined || order === undefined) {
    throw new ProcosError(ApiErrors.INVALID_REQUEST, 'Only a single sorting parameter specified. sortBy and sortOrder required', { field: by === undefined ? 'sortBy' : 'sortOrder' });
  }
  const key = spec.sort[by];
  if (key === undefined) throw new ProcosError(ApiErrors.INVALID_REQUEST, `Cannot set query parameter 'sortBy' to value '${by}' (supported: ${Object.keys(spec.sort).join(', ')})`, { field: 'sortBy', value: by });
  if (order !== 'asc' && order !== 'desc') throw new ProcosError(ApiErrors.INVALID_REQUEST, `Cannot set query parameter 'sortOrder' to value '${order}'`, { field: 'sortOrder', value: order });
  const dir = order === 'asc' ? 1 : -1;
  return (a, b) => dir * compare(key(a), key(b));
}

/** null sorts first ascending, as in Camunda on most databases. */
function compare(a: SortKey, b: SortKey): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

function page(q: Query): Page {
  const p: { firstResult?: number; maxResults?: number } = {};
  for (const f of ['firstResult', 'maxResults'] as const) {
    const v = q.integer(f);
    if (v === undefined) continue;
    if (v < 0) throw new ProcosError(ApiErrors.INVALID_REQUEST, `Cannot set query parameter '${f}' to value '${v}'`, { field: f, value: String(v) });
    p[f] = v;
  }
  return p;
}

/**
 * Answers GET /x: filtered, sorted, paged DTOs.
 * @throws PROCOS_API_INVALID_REQUEST for a bad parameter; PROCOS_API_NOT_SUPPORTED for a
 *   Camunda filter ProcOS does not implement.
 */
export async function listQuery<D>(spec: ListSpec<D>, raw: RawQuery): Promise<D[]> {
  const q = readQuery(spec, raw);
  const p = page(q);
  const sort = sorter(spec, q);
  const preds = await spec.memory(q);
  if (sort === undefined && preds.length === 0) return spec.load(q, p);
  const all = (await spec.load(q, undefined)).filter((d) => preds.every((f) => f(d)));
  if (sort !== undefined) all.sort(sort);
  const first = p.firstResult ?? 0;
  return all.slice(first, p.maxResults === undefined ? undefined : first + p.maxResults);
}

/** Answers GET /x/count (same filters as {@link listQuery}, no paging). */
export async function countQuery<D>(spec: ListSpec<D>, raw: RawQuery): Promise<{ count: number }> {
  const q = readQuery(spec, raw);
  const preds = await spec.memory(q);
  if (preds.length === 0) return { count: await spec.count(q) };
  return { count: (await spec.load(q, undefined)).filter((d) => preds.every((f) => f(d))).length };
}

/** Helpers to build in-memory predicates from query parameters. */
export class Filters<D> {
  readonly list: ((d: D) => boolean)[] = [];

  constructor(private readonly q: Query) {}

  /** Adds `pred(value)` when the parameter is given (read as a string). */
  string(name: string, pred: (d: D, value: string) => boolean): this {
    const v = this.q.string(name);
    if (v !== undefined) this.list.push((d) => pred(d, v));
    return this;
  }

  /** Adds `pred(values)` when the list parameter is given. */
  strings(name: string, pred: (d: D, values: string[]) => boolean): this {
    const v = this.q.list(name);
    if (v !== undefined) this.list.push((d) => pred(d, v));
    return this;
  }

  /** Adds `pred` when the flag is `true`. */
  flag(name: string, pred: (d: D) => boolean): this {
    if (this.q.flag(name)) this.list.push(pred);
    return this;
  }

  /** Adds `pred(ms)` when the date parameter is given. */
  date(name: string, pred: (d: D, ms: number) => boolean): this {
    const v = this.q.date(name);
    if (v !== undefined) this.list.push((d) => pred(d, v));
    return this;
  }

  /** Adds `pred(n)` when the integer parameter is given. */
  integer(name: string, pred: (d: D, n: number) => boolean): this {
    const v = this.q.integer(name);
    if (v !== undefined) this.list.push((d) => pred(d, v));
    return this;
  }

  /** Adds a predicate as is. */
  add(pred: (d: D) => boolean): this {
    this.list.push(pred);
    return this;
  }
}
