/**
 * The base of every coded ProcOS error.
 *
 * Each layer keeps its codes in one registry (`src/<layer>/errors.ts`), as an
 * `as const` object of {@link ErrorSpec}. Codes are stable: a retired code is never
 * reused. `test/common/errors.test.ts` checks that every registered code is documented
 * in docs/errors.md.
 *
 * Style follows fastify's `lib/errors.js`: a code, a message, an HTTP status where one
 * applies, and an optional `cause`.
 */
export interface ErrorSpec {
  /** Stable code, `PROCOS_<LAYER>_<NAME>`. */
  readonly code: string;
  /** HTTP status an API answers with when this error reaches it. */
  readonly status: number;
}

/** Where in a source document an error was found (1-based line and column). */
export interface SourceLocation {
  file?: string;
  elementId?: string;
  line?: number;
  column?: number;
}

/**
 * A coded error. `code` is one of the registered codes; `details` carries structured
 * fields (element id, expression, variable …) for APIs and logs.
 */
export class ProcosError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(spec: ErrorSpec, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProcosError';
    this.code = spec.code;
    this.status = spec.status;
    this.details = details;
  }
}

/** True when `e` is a {@link ProcosError} with the given spec's code. */
export function isProcosError(e: unknown, spec?: ErrorSpec): e is ProcosError {
  return e instanceof ProcosError && (spec === undefined || e.code === spec.code);
}
