/** Test helpers: run the CLI in process and capture its output. */
import { main } from '../src/cli/main.js';

/** The result of one CLI invocation. */
export interface CliResult { code: number; out: string; err: string }

/** Runs `kubedrill <argv>` in this process. */
export async function cli(argv: string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}
