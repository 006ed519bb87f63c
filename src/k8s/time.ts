/**
 * Simulated wall-clock rendering: time 0 is 2024-01-01T00:00:00Z (a Monday). No real clock is read.
 */

/** Unix milliseconds of simulated time 0. */
export const EPOCH_MS = Date.UTC(2024, 0, 1, 0, 0, 0);

/** RFC 3339 UTC, truncated to the second, as metav1.Time serialises. */
export function toTime(ms: number): string {
  const sec = Math.floor(ms / 1000);
  if (sec === lastSec) return lastTime;
  let t = timeCache.get(sec);
  if (t === undefined) {
    t = new Date(EPOCH_MS + sec * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (timeCache.size >= 4096) timeCache.clear();
    timeCache.set(sec, t);
  }
  lastSec = sec;
  lastTime = t;
  return t;
}
/** Rendering cache for toTime, keyed by whole second (pure function of its input; bounded). */
const timeCache = new Map<number, string>();
let lastSec = NaN;
let lastTime = '';

/** RFC 3339 UTC with six fractional digits, as metav1.MicroTime serialises. */
export function toMicroTime(ms: number): string {
  // Same as new Date(EPOCH_MS + ms).toISOString() with the millis padded to micros, built from the cached
  // per-second rendering (Date truncates fractional milliseconds; EPOCH_MS is whole).
  const t = Math.trunc(EPOCH_MS + ms) - EPOCH_MS;
  if (!Number.isFinite(t)) {
    const iso = new Date(EPOCH_MS + ms).toISOString(); // throws like before
    return iso.replace(/\.(\d{3})Z$/, '.$1000Z');
  }
  const sec = Math.floor(t / 1000);
  const frac = t - sec * 1000;
  const base = toTime(sec * 1000);
  return `${base.slice(0, -1)}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}000Z`;
}

/** Simulated ms of an RFC 3339 timestamp, or undefined when it is not one. */
export function fromTime(s: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s)) return undefined;
  const v = Date.parse(s);
  return Number.isNaN(v) ? undefined : v - EPOCH_MS;
}

/** Go's `t.In(loc).Format(time.RFC3339)`: the local time with its offset (`Z` when the offset is 0). */
export function rfc3339In(ms: number, timeZone: string | undefined): string {
  if (!timeZone) return toTime(ms);
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(EPOCH_MS + ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const offset = Math.round((local - Math.floor((EPOCH_MS + ms) / 1000) * 1000) / 60_000);
  const iso = new Date(local).toISOString().slice(0, 19);
  if (offset === 0) return `${iso}Z`;
  const a = Math.abs(offset);
  return `${iso}${offset < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
