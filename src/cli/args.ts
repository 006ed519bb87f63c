/**
 * Command-line parsing: a small, strict option parser (unknown options are errors, exit 2).
 */

/** Option kinds: a flag, a value, or a repeatable value. */
export type OptSpec = Record<string, { type: 'flag' | 'value' | 'list'; short?: string }>;

/** Parsed arguments. */
export interface Parsed {
  positionals: string[];
  flags: Record<string, boolean>;
  values: Record<string, string>;
  lists: Record<string, string[]>;
}

/** A usage error (exit 2). */
export class UsageError extends Error {}

/** Parses argv against a spec; `--name=value` and `--name value` forms, `-o value` shorts. */
export function parseArgs(argv: readonly string[], spec: OptSpec): Parsed {
  const out: Parsed = { positionals: [], flags: {}, values: {}, lists: {} };
  const shorts = new Map<string, string>();
  for (const [k, s] of Object.entries(spec)) if (s.short) shorts.set(s.short, k);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      inline = eq >= 0 ? a.slice(eq + 1) : undefined;
    } else if (a.startsWith('-') && a.length > 1) {
      name = shorts.get(a.slice(1));
      if (!name) throw new UsageError(`unknown option ${a}`);
    } else {
      out.positionals.push(a);
      continue;
    }
    const s = spec[name];
    if (!s || !Object.prototype.hasOwnProperty.call(spec, name)) throw new UsageError(`unknown option --${name}`);
    if (s.type === 'flag') {
      if (inline !== undefined) throw new UsageError(`option --${name} takes no value`);
      out.flags[name] = true;
      continue;
    }
    const val = inline ?? argv[++i];
    if (val === undefined) throw new UsageError(`option --${name} needs a value`);
    if (s.type === 'value') out.values[name] = val;
    else (out.lists[name] ??= []).push(val);
  }
  return out;
}

/** An integer option in [min, max], or a UsageError. */
export function intOption(p: Parsed, name: string, min: number, max: number): number | undefined {
  const v = p.values[name];
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} takes a whole number, not "${v}"`);
  const n = Number(v);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}`);
  return n;
}
