/**
 * Small JSON helpers: deep clone, deep equality, path access. No prototype is ever touched: objects are
 * built with plain literals and keys like `__proto__` are copied as own data properties.
 */

/** A deep copy of JSON-like data (own enumerable keys only; `__proto__` kept as data). */
export function clone<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const n = v.length, arr = new Array(n);
    for (let i = 0; i < n; i++) { const x = v[i]; arr[i] = x === null || typeof x !== 'object' ? x : clone(x); }
    return arr as unknown as T;
  }
  const out: Record<string, unknown> = {};
  const src = v as Record<string, unknown>;
  for (const k in src) {
    if (!Object.prototype.hasOwnProperty.call(src, k)) continue;
    const x = src[k];
    const c = x === null || typeof x !== 'object' ? x : clone(x);
    if (k === '__proto__') Object.defineProperty(out, k, { value: c, enumerable: true, writable: true, configurable: true });
    else out[k] = c;
  }
  return out as T;
}

/** Structural equality of JSON-like data. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    const n = a.length;
    if (n !== bb.length) return false;
    for (let i = 0; i < n; i++) if (!deepEqual(a[i], bb[i])) return false;
    return true;
  }
  const ka = Object.keys(a as object), kb = Object.keys(b as object);
  const n = ka.length;
  if (n !== kb.length) return false;
  const ra = a as Record<string, unknown>, rb = b as Record<string, unknown>;
  for (let i = 0; i < n; i++) {
    const k = ka[i]!;
    if (!Object.prototype.hasOwnProperty.call(rb, k) || !deepEqual(ra[k], rb[k])) return false;
  }
  return true;
}

/** Whether a value is a plain (non-array) object. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Reads a dotted path (`spec.template.spec`) from an object. */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const p of path.split('.')) {
    if (!isPlainObject(cur)) return undefined;
    cur = Object.prototype.hasOwnProperty.call(cur, p) ? cur[p] : undefined;
  }
  return cur;
}

/** Stable JSON with sorted keys (hashing, digests). */
export function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const keys = Object.keys(v as object).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

/**
 * A bounded memo of a pure one-argument function: results are kept until `limit` entries, then the cache
 * starts over. For hot pure functions (image names, ids) called on every sync or scheduling cycle.
 */
export function memoize<K, V>(fn: (k: K) => V, limit = 4096): (k: K) => V {
  const cache = new Map<K, V>();
  return (k: K): V => {
    let v = cache.get(k);
    if (v === undefined) {
      v = fn(k);
      if (cache.size >= limit) cache.clear();
      cache.set(k, v);
    }
    return v;
  };
}

/**
 * `list` plus `item` as a new array of exactly that length. For small lists that only grow now and then
 * (conditions, tolerations, container runs): \`push\` on a short array reserves 16+ spare slots.
 */
export function appended<T>(list: readonly T[], item: T): T[] {
  const n = list.length;
  const out = new Array<T>(n + 1);
  for (let i = 0; i < n; i++) out[i] = list[i]!;
  out[n] = item;
  return out;
}
