/**
 * Cron schedules as Kubernetes' CronJob controller reads them (robfig/cron/v3 `ParseStandard`): five fields,
 * the macros @yearly @annually @monthly @weekly @daily @midnight @hourly and `@every <duration>`, `?` as `*`
 * in the day fields, month and weekday names, ranges and steps, day-of-month and day-of-week OR-ed when both are
 * restricted (Vixie), evaluated in `timeZone` (IANA) or UTC. Built on `croner`; the only Date use is the pure
 * conversion of simulated instants (ms since 2024-01-01T00:00:00Z) to absolute dates and back.
 */
import { Cron } from 'croner';
import { EPOCH_MS } from './time.js';
import { parseDuration } from './duration.js';

/** A parsed schedule. */
export interface CronSchedule {
  /** The first scheduled instant strictly after `afterMs` (simulated ms), or undefined when none. */
  next(afterMs: number): number | undefined;
}

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

const FIELD_BOUNDS: ReadonlyArray<[string, number, number]> = [
  ['minute', 0, 59], ['hour', 0, 23], ['day of month', 1, 31], ['month', 1, 12], ['day of week', 0, 6],
];
const NAMES: ReadonlyArray<Readonly<Record<string, number>>> = [
  {}, {}, {},
  { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
  { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 },
];

/** robfig's getRange checks for one comma-separated part; an error text or undefined. */
function checkPart(part: string, field: number): string | undefined {
  const [, lo, hi] = FIELD_BOUNDS[field]!;
  const names = NAMES[field]!;
  const num = (s: string): number | undefined => {
    const n = names[s.toLowerCase()];
    if (n !== undefined) return n;
    if (!/^\d+$/.test(s)) return undefined;
    return Number(s);
  };
  const [range, step, extra] = part.split('/');
  if (extra !== undefined) return `too many slashes: ${part}`;
  if (step !== undefined && !/^\d+$/.test(step)) return `failed to parse int from ${step}: strconv.Atoi: parsing "${step}": invalid syntax`;
  if (step !== undefined && Number(step) === 0) return `step of range should be a positive number: ${part}`;
  if (range === '*' || range === '?') return undefined;
  const bounds = (range ?? '').split('-');
  if (bounds.length > 2) return `too many hyphens: ${part}`;
  const a = num(bounds[0] ?? '');
  if (a === undefined) return `failed to parse int from ${bounds[0]}: strconv.Atoi: parsing "${bounds[0]}": invalid syntax`;
  const b = bounds.length === 2 ? num(bounds[1]!) : a;
  if (b === undefined) return `failed to parse int from ${bounds[1]}: strconv.Atoi: parsing "${bounds[1]}": invalid syntax`;
  if (a < lo) return `beginning of range (${a}) below minimum (${lo}): ${part}`;
  if (b > hi) return `end of range (${b}) above maximum (${hi}): ${part}`;
  if (a > b) return `beginning of range (${a}) beyond end of range (${b}): ${part}`;
  return undefined;
}

/** Parses a schedule; returns the robfig-style error text when it is malformed. */
export function parseCronSchedule(expr: string, timeZone?: string): { ok: true; schedule: CronSchedule } | { ok: false; error: string } {
  const s = expr.trim();
  if (timeZone !== undefined && timeZone !== '') {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
    } catch {
      return { ok: false, error: `unknown time zone ${timeZone}` };
    }
  }
  if (s.startsWith('@every ')) {
    const d = parseDuration(s.slice(7).trim());
    if (!d.ok || d.ms < 1000) return { ok: false, error: `failed to parse duration ${s}` };
    const every = Math.floor(d.ms / 1000) * 1000;
    return { ok: true, schedule: { next: (after) => Math.floor(after / 1000) * 1000 + every } };
  }
  let pattern = s;
  if (s.startsWith('@')) {
    const m = MACROS[s.toLowerCase()];
    if (!m) return { ok: false, error: `unrecognized descriptor: ${s}` };
    pattern = m;
  }
  const fields = pattern.split(/\s+/);
  if (fields.length !== 5) return { ok: false, error: `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]` };
  for (let i = 0; i < 5; i++) {
    for (const part of fields[i]!.split(',')) {
      const e = checkPart(part, i);
      if (e) return { ok: false, error: e };
    }
  }
  const normalized = fields.map((f) => f.replace(/\?/g, '*')).join(' ');
  let cron: Cron;
  try {
    cron = new Cron(normalized, { paused: true, mode: '5-part', legacyMode: true, ...(timeZone ? { timezone: timeZone } : { timezone: 'UTC' }) });
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  return {
    ok: true,
    schedule: {
      next(afterMs: number): number | undefined {
        const n = cron.nextRun(new Date(EPOCH_MS + afterMs));
        return n ? n.getTime() - EPOCH_MS : undefined;
      },
    },
  };
}

/** RFC 1123 with numeric zone (Go's time.RFC1123Z) of a simulated instant, in UTC. */
export function formatRFC1123Z(ms: number): string {
  const d = new Date(EPOCH_MS + ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** Unix seconds of a simulated instant. */
export function unixSeconds(ms: number): number {
  return Math.floor((EPOCH_MS + ms) / 1000);
}
