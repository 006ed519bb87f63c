/**
 * Scenario durations: Go duration strings of h, m, s, ms parts (`250ms`, `1.5s`, `1h30m`) or a number of
 * seconds, whole milliseconds, not negative; and Go's time.Duration.String() rendering.
 */

const PART_RE = /(\d+(?:\.\d+)?|\.\d+)(ms|h|m|s)/y;
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** Parses a duration into integer ms; returns an error message instead when invalid. */
export function parseDuration(v: unknown): { ok: true; ms: number } | { ok: false; message: string } {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) return { ok: false, message: `invalid duration ${String(v)}: must not be negative` };
    const ms = v * 1000;
    if (Math.abs(ms - Math.round(ms)) > 1e-6) return { ok: false, message: `invalid duration ${v}: not a whole number of milliseconds` };
    return { ok: true, ms: Math.round(ms) };
  }
  if (typeof v !== 'string' || v === '') return { ok: false, message: `invalid duration ${JSON.stringify(v)}: expected a Go duration such as 30s, 1m30s or 250ms, or a number of seconds` };
  if (v.startsWith('-')) return { ok: false, message: `invalid duration "${v}": must not be negative` };
  if (v === '0') return { ok: true, ms: 0 };
  let total = 0;
  PART_RE.lastIndex = 0;
  let pos = 0;
  while (pos < v.length) {
    PART_RE.lastIndex = pos;
    const m = PART_RE.exec(v);
    if (!m) return { ok: false, message: `invalid duration "${v}": expected a Go duration of h, m, s and ms parts such as 30s, 1m30s or 250ms` };
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    pos = PART_RE.lastIndex;
  }
  if (Math.abs(total - Math.round(total)) > 1e-6) return { ok: false, message: `invalid duration "${v}": not a whole number of milliseconds` };
  return { ok: true, ms: Math.round(total) };
}

/** Go's time.Duration.String() for integer ms: `0s`, `250ms`, `1.5s`, `6m50s`, `1h0m0s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let v = Math.abs(Math.round(ms));
  let out: string;
  if (v < 1000) out = `${v}ms`;
  else {
    const h = Math.floor(v / 3_600_000);
    v -= h * 3_600_000;
    const mi = Math.floor(v / 60_000);
    v -= mi * 60_000;
    const s = Math.floor(v / 1000);
    const frac = v % 1000;
    const secs = frac ? `${s}.${String(frac).padStart(3, '0').replace(/0+$/, '')}s` : `${s}s`;
    out = h > 0 ? `${h}h${mi}m${secs}` : mi > 0 ? `${mi}m${secs}` : secs;
  }
  return neg ? `-${out}` : out;
}
