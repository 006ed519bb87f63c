/**
 * `npm run fuzz [-- --seconds N]`: feeds random valid scenarios and random mutations of the bundled
 * scenarios through the loader and the simulator for N seconds (default 600) and counts inputs that end
 * in an internal error (exit 3). Prints how many inputs it tried. The goal is zero internal errors.
 */
import fc from 'fast-check';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, statSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadFile, DEFAULT_LIMITS } from '../src/scenario/index.js';
import { runScenario } from '../src/runner.js';
import { validScenario, mutate } from './fuzz-inputs.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const secIdx = process.argv.indexOf('--seconds');
const seconds = secIdx > 0 ? Number(process.argv[secIdx + 1]) : 600;
const deadline = Date.now() + seconds * 1000;
const dir = mkdtempSync(join(tmpdir(), 'kubedrill-fuzz-'));
const file = join(dir, 'input.yaml');
let tried = 0, valid = 0, internal = 0, invariants = 0;
const invariantSamples: string[] = [];
const failures: string[] = [];

function attempt(text: string): void {
  tried++;
  writeFileSync(file, text);
  try {
    const r = loadFile(file, { allowOutside: false, limits: { ...DEFAULT_LIMITS, maxWallMs: 5000 } });
    for (const sc of r.scenarios) {
      valid++;
      const run = runScenario(sc, { maxWallMs: 5000, checkInvariants: true });
      if (run.outcome.error?.message.startsWith('invariant broken')) {
        invariants++;
        if (invariantSamples.length < 3) invariantSamples.push(`${run.outcome.error.message}\n--- input ---\n${text.slice(0, 2000)}`);
      }
    }
  } catch (e) {
    internal++;
    if (failures.length < 5) failures.push(`${(e as Error).stack ?? e}\n--- input ---\n${text.slice(0, 2000)}`);
  }
}

function files(d: string): string[] {
  return readdirSync(d).flatMap((e) => {
    const p = join(d, e);
    return statSync(p).isDirectory() ? files(p) : /\.ya?ml$/.test(e) ? [p] : [];
  });
}
const shared = join(root, '..', 'shared', 'examples');
const seeds = [join(root, 'scenarios'), shared].flatMap((d) => { try { return files(d); } catch { return []; } }).map((f) => readFileSync(f, 'utf8'));
let round = 0;
while (Date.now() < deadline) {
  const arb = round++ % 2 === 0 ? validScenario : mutate(seeds[round % seeds.length] ?? '');
  for (const text of fc.sample(arb, { numRuns: 20, seed: round })) {
    attempt(text);
    if (Date.now() >= deadline) break;
  }
}
rmSync(dir, { recursive: true, force: true });
console.log(`fuzz: ${tried} inputs tried in ${seconds}s (${valid} valid scenarios run), ${internal} internal errors (exit 3), ${invariants} invariant violations`);
for (const f of failures) console.log(`\n${f}`);
for (const f of invariantSamples) console.log(`\n${f}`);
process.exitCode = internal || invariants ? 1 : 0;
