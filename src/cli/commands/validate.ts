/** `kubedrill validate`: load and check only; problems on stderr; exit 0 or 2. */
import { parseArgs } from '../args.js';
import { LIMIT_SPEC, limitsFrom } from './common.js';
import { loadScenarios } from '../../runner.js';

/** Runs the `validate` command; returns the exit code. */
export function validateCommand(argv: string[], io: { out: (s: string) => void; err: (s: string) => void }): number {
  const p = parseArgs(argv, LIMIT_SPEC);
  const { files, missing } = loadScenarios(p.positionals, { allowOutside: !!p.flags['allow-outside'], limits: limitsFrom(p) });
  let bad = missing.length > 0;
  for (const m of missing) io.err(`${m}\n`);
  let count = 0;
  for (const f of files) {
    for (const w of f.warnings) io.err(`warning: ${w}\n`);
    for (const pr of f.problems) io.err(`${pr}\n`);
    if (f.problems.length) bad = true;
    else count += f.scenarios.length;
  }
  if (!bad) io.err(`${files.length} file(s), ${count} scenario(s): valid\n`);
  return bad ? 2 : 0;
}
