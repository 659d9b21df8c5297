/**
 * Argument checks at the store's edge. Each failure is PROCOS_STORE_BAD_ARGUMENT naming
 * the field.
 */
import { ProcosError } from '../../common/errors.js';
import { StoreErrors } from '../errors.js';
import type { Page } from '../filters.js';

/** Throws PROCOS_STORE_BAD_ARGUMENT for `field`. */
export function badArgument(field: string, value: unknown, expected: string): ProcosError {
  return new ProcosError(StoreErrors.BAD_ARGUMENT, `${field} must be ${expected}, got ${JSON.stringify(value) ?? String(value)}`, {
    field,
    value: typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || value === null ? value : String(value),
  });
}

/** An integer ≥ 0 (safe integer). */
export function nonNegativeInt(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw badArgument(field, value, 'an integer >= 0');
  return value;
}

/** An integer > 0 (safe integer). */
export function positiveInt(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw badArgument(field, value, 'an integer > 0');
  return value;
}

/** A safe integer (times in epoch ms, priorities). */
export function int(field: string, value: number): number {
  if (!Number.isSafeInteger(value)) throw badArgument(field, value, 'an integer');
  return value;
}

/** Null or an integer ≥ 0 (retries). */
export function retriesValue(field: string, value: number | null): number | null {
  return value === null ? null : nonNegativeInt(field, value);
}

/** A non-empty string. */
export function nonEmpty(field: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0) throw badArgument(field, value, 'a non-empty string');
  return value;
}

/** Paging as offset and limit (`limit` null = unlimited). */
export interface CompiledPage {
  readonly offset: number;
  readonly limit: number | null;
}

/** Checks and defaults a {@link Page}: firstResult 0, maxResults unlimited. */
export function compilePage(page: Page | undefined): CompiledPage {
  const offset = page?.firstResult === undefined ? 0 : nonNegativeInt('firstResult', page.firstResult);
  const limit = page?.maxResults === undefined ? null : nonNegativeInt('maxResults', page.maxResults);
  return { offset, limit };
}
