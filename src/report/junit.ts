/**
 * The JUnit XML reporter (`--reporter junit[=path]`): a `<testsuite>` per scenario, a `<testcase>` per
 * assertion, failures carrying the same diagnostics as TAP (diff included); a file with problems is a suite
 * with one erroring testcase. Valid XML 1.0: text and attributes escaped, characters XML forbids dropped.
 */
import type { AssertionResult } from '../assert/evaluate.js';
import { formatDuration } from '../k8s/duration.js';
import type { ReportEntry } from './tap.js';
import { diagnostics } from './tap.js';
import { yamlBlock } from './yaml-block.js';

/** Removes characters XML 1.0 cannot hold. */
function xmlChars(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

/** Escapes text for an XML attribute value (double-quoted) or element content. */
export function xmlEscape(s: string): string {
  return xmlChars(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** Escapes element text (newlines kept). */
function xmlText(s: string): string {
  return xmlChars(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`).join('');
}

function failureMessage(r: AssertionResult): string {
  if (r.error !== undefined) return r.error;
  return r.at !== undefined ? `assertion failed at ${formatDuration(r.at)}` : 'assertion failed';
}

/** Options of {@link formatJunit}. */
export interface JunitOptions {
  /** Name of the `<testsuites>` element (default `kubedrill`). */
  name?: string;
  /**
   * Wall-clock `time` attributes (`--timing`, as for TAP). Off by default, so that the same files and seed give
   * a byte-identical report.
   */
  timing?: boolean;
}

/** The JUnit XML report of the entries, ending with a newline. */
export function formatJunit(entries: ReportEntry[], opts: JunitOptions = {}): string {
  let tests = 0, failures = 0, errors = 0, totalMs = 0;
  const body: string[] = [];
  for (const e of entries) {
    if (e.kind === 'invalid') {
      tests++;
      errors++;
      body.push(`  <testsuite${attrs({ name: e.file, tests: 1, failures: 0, errors: 1, skipped: 0, file: e.file })}>`);
      body.push(`    <testcase${attrs({ name: e.file, classname: e.file, file: e.file })}>`);
      body.push(`      <error${attrs({ message: 'invalid scenario file', type: 'InvalidScenario' })}>${xmlText(e.problems.join('\n'))}</error>`);
      body.push('    </testcase>');
      body.push('  </testsuite>');
      continue;
    }
    const f = e.results.filter((r) => !r.ok).length;
    tests += e.results.length;
    failures += f;
    if (e.timeMs !== undefined) totalMs += e.timeMs;
    const time = opts.timing && e.timeMs !== undefined ? (e.timeMs / 1000).toFixed(3) : undefined;
    body.push(`  <testsuite${attrs({ name: e.name, tests: e.results.length, failures: f, errors: 0, skipped: 0, time, file: e.file })}>`);
    body.push(`    <properties><property${attrs({ name: 'seed', value: e.seed })}/></properties>`);
    for (const r of e.results) {
      const tc = attrs({ name: r.name, classname: e.name, file: r.source.file, line: r.source.line });
      if (r.ok) {
        body.push(`    <testcase${tc}/>`);
        continue;
      }
      const d = diagnostics(r, e.seed, e.seeds) ?? {};
      body.push(`    <testcase${tc}>`);
      body.push(`      <failure${attrs({ message: failureMessage(r), type: r.error !== undefined ? 'RunError' : 'AssertionError' })}>${xmlText(yamlBlock(d).join('\n'))}</failure>`);
      body.push('    </testcase>');
    }
    body.push('  </testsuite>');
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: opts.name ?? 'kubedrill', tests, failures, errors, time: opts.timing && totalMs ? (totalMs / 1000).toFixed(3) : undefined })}>`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
}
