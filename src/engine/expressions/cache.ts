/**
 * A bounded memo of parsed expressions, keyed by source text.
 *
 * The same few expressions are evaluated millions of times, so parsing happens once per
 * distinct source. The bound keeps a model store that generates sources (or an attacker
 * sending ad-hoc expressions) from growing memory without limit: when full, the oldest
 * entry (insertion order) is dropped. A hit does not reorder, keeping lookups to one
 * `Map.get`.
 */
export class BoundedCache<V> {
  readonly #map = new Map<string, V>();
  readonly #max: number;

  /**
   * @param max - maximum number of entries; must be a positive integer.
   * @throws RangeError when `max` is not a positive integer (a programming error).
   */
  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`cache size must be a positive integer, got ${max}`);
    this.#max = max;
  }

  /** The cached value, or undefined. */
  get(key: string): V | undefined {
    return this.#map.get(key);
  }

  /** Stores a value, evicting the oldest entry when the cache is full. */
  set(key: string, value: V): void {
    if (this.#map.size >= this.#max && !this.#map.has(key)) {
      const oldest = this.#map.keys().next();
      if (oldest.done !== true) this.#map.delete(oldest.value);
    }
    this.#map.set(key, value);
  }

  /** Number of entries. */
  get size(): number {
    return this.#map.size;
  }
}
