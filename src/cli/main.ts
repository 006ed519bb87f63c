/**
 * The kubedrill command line: the only place with process I/O (argv, files, stdout, exit code).
 * Heavy modules load lazily so `--version` and `--help` start fast.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { UsageError } from './args.js';
import { HELP, COMMAND_HELP } from './help.js';

/** Exit codes. */
export const EXIT = { ok: 0, failed: 1, invalid: 2, internal: 3 } as const;

function packageRoot(): string {
  // dist/src/cli/main.js -> package root three levels up; src/cli/main.ts -> two.
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../../..', '../..', '..']) {
    const p = join(here, up);
    try {
      readFileSync(join(p, 'package.json'));
      return p;
    } catch { /* keep looking */ }
  }
  return here;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], io: { out: (s: string) => void; err: (s: string) => void } = {
  out: (s) => { process.stdout.write(s); },
  err: (s) => { process.stderr.write(s); },
}): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
      io.out(HELP);
      return EXIT.ok;
    }
    if (cmd === '--version' || cmd === '-v' || cmd === 'version') {
      io.out(`kubedrill ${version()}\n`);
      return EXIT.ok;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      const h = COMMAND_HELP[cmd];
      if (!h) throw new UsageError(`unknown command "${cmd}"`);
      io.out(h);
      return EXIT.ok;
    }
    switch (cmd) {
      case 'run': return await (await import('./commands/run.js')).runCommand(rest, io);
      case 'validate': return await (await import('./commands/validate.js')).validateCommand(rest, io);
      case 'explain': return await (await import('./commands/explain.js')).explainCommand(rest, io);
      case 'state': return await (await import('./commands/state.js')).stateCommand(rest, io);
      case 'trace': return await (await import('./commands/trace.js')).traceCommand(rest, io);
      case 'timeline': return await (await import('./commands/timeline.js')).timelineCommand(rest, io);
      case 'schema':
        io.out(readFileSync(join(packageRoot(), 'schemas', 'scenario.schema.json'), 'utf8'));
        return EXIT.ok;
      case 'init': return await (await import('./commands/init.js')).initCommand(rest, io);
      default:
        throw new UsageError(`unknown command "${cmd}" (commands: run, validate, explain, state, trace, timeline, schema, init)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`kubedrill: ${e.message}\nRun 'kubedrill ${cmd && COMMAND_HELP[cmd] ? cmd + ' ' : ''}--help' for usage.\n`);
      return EXIT.invalid;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.out(`Bail out! internal error: ${msg.split('\n')[0]}\n`);
    io.err(`kubedrill: internal error: ${msg}\nThis is a bug in kubedrill; please report it with the scenario and the command line.\n`);
    return EXIT.internal;
  }
}

/** Where the package lives (schemas, scenarios). */
export { packageRoot };

