/**
 * Kubernetes resource quantities (`500m`, `2`, `1.5`, `1Gi`, `512Mi`, `1e3`), parsed exactly as
 * k8s.io/apimachinery/pkg/api/resource does for the values the simulation needs.
 */

const SUFFIX: Readonly<Record<string, number>> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6,
};

const QUANTITY_RE = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/** Whether a value (string or number) is a valid quantity. */
export function isQuantity(v: unknown): boolean {
  return parseQuantity(v) !== undefined;
}

/** Most strings a simulation parses are a few values ("100m", "64Mi") over and over. */
export const QUANTITY_MEMO_LIMIT = 4096;
const memo = new Map<string, number | undefined>();

/** The amount of a quantity as a number in base units (cores, bytes, count), or undefined if invalid. */
export function parseQuantity(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const hit = memo.get(v);
  if (hit !== undefined || memo.has(v)) return hit;
  const q = parseQuantityString(v);
  // Bounded: cleared when full (the function is pure, so a miss only costs a parse).
  if (memo.size >= QUANTITY_MEMO_LIMIT) memo.clear();
  memo.set(v, q);
  return q;
}

/** Entries in parseQuantity's memo (tests). */
export function quantityMemoSize(): number {
  return memo.size;
}

function parseQuantityString(v: string): number | undefined {
  const m = QUANTITY_RE.exec(v.trim() === v ? v : '');
  if (!m) return undefined;
  const num = Number(m[1]);
  if (!Number.isFinite(num)) return undefined;
  if (m[2]) return num * 10 ** Number(m[2].slice(1));
  return num * (SUFFIX[m[3] ?? ''] ?? 1);
}

/** A quantity in milli-units, rounded up as Kubernetes' MilliValue does (cpu: millicores). */
export function milliValue(v: unknown): number {
  const q = parseQuantity(v);
  if (q === undefined) return 0;
  return Math.ceil(Math.round(q * 1e6) / 1e3);
}

/** A quantity in whole units, rounded up as Kubernetes' Value does (memory: bytes). */
export function value(v: unknown): number {
  const q = parseQuantity(v);
  if (q === undefined) return 0;
  return Math.ceil(Math.round(q * 1e3) / 1e3);
}

/** Whether two quantities are the same amount. */
export function quantityEquals(a: unknown, b: unknown): boolean {
  const x = parseQuantity(a), y = parseQuantity(b);
  return x !== undefined && y !== undefined && Math.abs(x - y) <= Math.max(Math.abs(x), Math.abs(y)) * 1e-12;
}

/** Compares two quantities (-1, 0, 1), or undefined if either is invalid. */
export function compareQuantities(a: unknown, b: unknown): number | undefined {
  const x = parseQuantity(a), y = parseQuantity(b);
  if (x === undefined || y === undefined) return undefined;
  if (quantityEquals(a, b)) return 0;
  return x < y ? -1 : 1;
}
