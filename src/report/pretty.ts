/**
 * The human reporter (`--reporter pretty`): a line per scenario with ✓/✗; for each failing point its
 * diagnostics, a code frame of the assertion (when the file's text is given), the unified diff and a command
 * that reproduces it; then a summary. Colour is a parameter (see {@link colorEnabled}); no I/O here.
 */
import pc from 'picocolors';
import type { AssertionResult } from '../assert/evaluate.js';
import type { SourcePos } from '../k8s/types.js';
import { formatPos } from '../k8s/types.js';
import { formatDuration } from '../k8s/duration.js';
import type { ReportEntry, SeedsSummary } from './tap.js';
import { entryOk } from './tap.js';
import { flowYaml } from './yaml-block.js';

/** Options of {@link formatPretty}. */
export interface PrettyOptions {
  /** Use ANSI colours (default false). */
  color?: boolean;
  /** File text by path as shown in the report, for code frames. */
  sources?: ReadonlyMap<string, string>;
  /** Show each scenario's wall time. */
  timing?: boolean;
  /** The command name used in reproduce lines (default `kubedrill`). */
  command?: string;
}

/**
 * Whether to colour output, by the usual conventions: `NO_COLOR` (non-empty) disables, `FORCE_COLOR`
 * (non-empty, not `0`/`false`) enables, otherwise colour only on a terminal that is not `TERM=dumb`.
 */
export function colorEnabled(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  if (env['NO_COLOR']) return false;
  const f = env['FORCE_COLOR'];
  if (f !== undefined && f !== '') return f !== '0' && f !== 'false';
  return isTTY && env['TERM'] !== 'dumb';
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A `--grep` pattern that selects exactly this scenario name. */
export function exactNamePattern(name: string): string {
  return `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}

/** The command that re-runs one scenario with one seed. */
export function reproduceCommand(file: string, name: string, seed: number, command = 'kubedrill'): string {
  return `${command} run ${shellQuote(file)} --grep ${shellQuote(exactNamePattern(name))} --seed ${seed}`;
}

/**
 * A code frame of the entry starting at `pos`: its first line marked `>`, then the lines that belong to it
 * (indented at least as far as its column), at most `maxLines`.
 */
export function codeFrame(text: string, pos: SourcePos, maxLines = 10): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  const first = pos.line - 1;
  if (first < 0 || first >= lines.length) return [];
  const out: Array<[number, string]> = [[pos.line, lines[first]!]];
  for (let i = first + 1; i < lines.length && out.length < maxLines; i++) {
    const l = lines[i]!;
    if (l.trim() === '') break;
    const indent = l.length - l.trimStart().length;
    if (indent < pos.col - 1) break;
    out.push([i + 1, l]);
  }
  const w = String(out[out.length - 1]![0]).length;
  return out.map(([n, l], i) => `${i === 0 ? '>' : ' '} ${String(n).padStart(w)} | ${l}`);
}

function describeTime(r: AssertionResult): string {
  const parts: string[] = [];
  if (r.at !== undefined) parts.push(`at ${formatDuration(r.at)}`);
  if (r.window) parts.push(`window ${formatDuration(r.window.from)}..${formatDuration(r.window.until)}`);
  return parts.join(', ');
}

/** The pretty report of the entries, ending with a newline. */
export function formatPretty(entries: ReportEntry[], opts: PrettyOptions = {}): string {
  const c = pc.createColors(opts.color ?? false);
  const out: string[] = [];
  let passed = 0, failed = 0, invalid = 0, points = 0, failedPoints = 0;
  for (const e of entries) {
    if (e.kind === 'invalid') {
      invalid++;
      out.push(`${c.red('✗')} ${c.bold(e.file)} ${c.red('invalid')}`);
      for (const p of e.problems) out.push(`    ${p}`);
      continue;
    }
    const ok = entryOk(e);
    if (ok) passed++;
    else failed++;
    const time = opts.timing && e.timeMs !== undefined ? c.dim(` (${Math.round(e.timeMs)}ms)`) : '';
    out.push(`${ok ? c.green('✓') : c.red('✗')} ${c.bold(e.name)} ${c.dim(e.file)}${time}`);
    for (const r of e.results) {
      points++;
      if (r.ok) {
        const when = r.at !== undefined ? c.dim(` (at ${formatDuration(r.at)})`) : '';
        out.push(`  ${c.green('✓')} ${r.name}${when}`);
        continue;
      }
      failedPoints++;
      out.push(...failureLines(c, e, r, opts));
    }
  }
  const summary: string[] = [];
  if (passed) summary.push(c.green(`${passed} passed`));
  if (failed) summary.push(c.red(`${failed} failed`));
  if (invalid) summary.push(c.red(`${invalid} invalid`));
  if (summary.length === 0) summary.push('no scenarios selected');
  out.push('');
  out.push(`${summary.join(', ')}${points ? c.dim(` (${points - failedPoints}/${points} assertions passed)`) : ''}`);
  return out.join('\n') + '\n';
}

function failureLines(c: ReturnType<typeof pc.createColors>, e: Extract<ReportEntry, { kind: 'scenario' }>, r: AssertionResult, opts: PrettyOptions): string[] {
  const out: string[] = [];
  const time = describeTime(r);
  out.push(`  ${c.red('✗')} ${r.name}${time ? c.dim(` (${time})`) : ''}`);
  const ind = '      ';
  out.push(`${ind}${c.dim(formatPos(r.source))}`);
  const text = opts.sources?.get(r.source.file);
  if (text !== undefined) for (const l of codeFrame(text, r.source)) out.push(`${ind}${l.startsWith('>') ? c.red(l.slice(0, 1)) + l.slice(1) : c.dim(l)}`);
  if (r.error !== undefined) out.push(`${ind}${c.red('error:')} ${r.error}`);
  if (r.expected !== undefined) out.push(`${ind}${c.green('expected:')} ${flowYaml(r.expected)}`);
  if (r.actual !== undefined) out.push(`${ind}${c.red('actual:')}   ${flowYaml(r.actual)}`);
  if (r.diff !== undefined) {
    for (const l of r.diff.replace(/\n$/, '').split('\n')) {
      const col = l.startsWith('+++') || l.startsWith('---') ? c.bold : l.startsWith('+') ? c.red : l.startsWith('-') ? c.green : l.startsWith('@@') ? c.cyan : (s: string) => s;
      out.push(`${ind}${col(l)}`);
    }
  }
  out.push(`${ind}${c.dim('reproduce:')} ${rerunOf(e, r, e.seeds, opts.command)}`);
  return out;
}

function rerunOf(e: Extract<ReportEntry, { kind: 'scenario' }>, r: AssertionResult, seeds: SeedsSummary | undefined, command?: string): string {
  const f = seeds?.failing[r.index];
  if (seeds && f) return `${f.rerun}  (${f.count}/${seeds.total} seeds failed)`;
  return reproduceCommand(e.file, e.name, e.seed, command);
}
