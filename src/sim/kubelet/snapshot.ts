/**
 * A fast deep copy of JSON-like status data for the kubelet's "did anything change?" checks (status is
 * written every sync, so the copy is hot). Same result as k8s/util `clone` — own enumerable keys, arrays
 * element-wise, a `__proto__` key kept as a data property — but with plain assignment for other keys.
 */
export function snapshot<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const a = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) a[i] = snapshot(v[i]);
    return a as unknown as T;
  }
  const out: Record<string, unknown> = {};
  const src = v as Record<string, unknown>;
  for (const k of Object.keys(src)) {
    if (k === '__proto__') Object.defineProperty(out, k, { value: snapshot(src[k]), enumerable: true, writable: true, configurable: true });
    else out[k] = snapshot(src[k]);
  }
  return out as T;
}
