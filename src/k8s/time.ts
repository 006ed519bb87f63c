/**
 * Simulated wall-clock rendering: time 0 is 2024-01-01T00:00:00Z (a Monday). No real clock is read.
 */

/** Unix milliseconds of simulated time 0. */
export const EPOCH_MS = Date.UTC(2024, 0, 1, 0, 0, 0);

/** RFC 3339 UTC, truncated to the second, as metav1.Time serialises. */
export function toTime(ms: number): string {
  return new Date(EPOCH_MS + Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 3339 UTC with six fractional digits, as metav1.MicroTime serialises. */
export function toMicroTime(ms: number): string {
  const iso = new Date(EPOCH_MS + ms).toISOString(); // ...SS.mmmZ
  return iso.replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Simulated ms of an RFC 3339 timestamp, or undefined when it is not one. */
export function fromTime(s: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s)) return undefined;
  const v = Date.parse(s);
  return Number.isNaN(v) ? undefined : v - EPOCH_MS;
}
