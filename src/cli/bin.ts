#!/usr/bin/env node
/** The `kubedrill` executable. */
import { main } from './main.js';

// A reader that goes away (`kubedrill run | head`) is not an error of ours: stop quietly.
for (const s of [process.stdout, process.stderr]) {
  s.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
}
// Last resort: whatever escapes main() still ends as exit 3 with a parseable bail-out, never a stack trace.
process.on('uncaughtException', (e) => {
  const msg = e instanceof Error ? e.message : String(e);
  try {
    process.stdout.write(`Bail out! internal error: ${msg.split('\n')[0]}\n`);
    process.stderr.write(`kubedrill: internal error: ${msg}\nThis is a bug in kubedrill; please report it with the scenario and the command line.\n`);
  } finally {
    process.exit(3);
  }
});

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
