/** Property tests: random valid scenarios run without internal errors and keep the invariants; random mutations of valid files never crash the loader or the simulator. */
import t from 'tap';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { loadFile, DEFAULT_LIMITS } from '../../src/scenario/index.js';
import { runScenario } from '../../src/runner.js';
import { validScenario, mutate } from '../../bench/fuzz-inputs.js';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'kubedrill-prop-'));
const budget = process.env.CI ? 25 : 40;

function load(text: string) {
  const f = join(dir, 'x.yaml');
  writeFileSync(f, text);
  return loadFile(f, { allowOutside: false, limits: { ...DEFAULT_LIMITS, maxWallMs: 5000 } });
}

t.test('random valid scenarios load, run, keep the invariants, and are deterministic', async (tt) => {
  fc.assert(fc.property(validScenario, (text) => {
    const r = load(text);
    if (r.problems.length) throw new Error(`generated scenario is invalid: ${r.problems.map((p) => p.message).join('; ')}\n${text}`);
    for (const sc of r.scenarios) {
      const a = runScenario(sc, { checkInvariants: true, maxWallMs: 5000 });
      if (a.outcome.error?.message.startsWith('invariant broken')) throw new Error(`${a.outcome.error.message}\n${text}`);
      const b = runScenario(sc, { maxWallMs: 5000 });
      if (JSON.stringify(a.results) !== JSON.stringify(b.results)) throw new Error('two runs differ');
    }
  }), { numRuns: budget, seed: 42 });
  tt.pass('held');
});

const digest = (run: ReturnType<typeof runScenario>): string =>
  createHash('sha256').update(JSON.stringify(run.simulation.trace.records)).digest('hex');

t.test('determinism: the same seed gives the same trace digest; other seeds keep the invariants', async (tt) => {
  fc.assert(fc.property(validScenario, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (text, seed) => {
    const r = load(text);
    for (const sc of r.scenarios) {
      const a = runScenario(sc, { seed, maxWallMs: 5000, verboseTrace: true });
      const b = runScenario(sc, { seed, maxWallMs: 5000, verboseTrace: true });
      if (digest(a) !== digest(b)) throw new Error(`seed ${seed}: two runs have different traces\n${text}`);
      const c = runScenario(sc, { seed: (seed + 1) >>> 0, checkInvariants: true, maxWallMs: 5000 });
      if (c.outcome.error?.message.startsWith('invariant broken')) throw new Error(`seed ${seed + 1}: ${c.outcome.error.message}\n${text}`);
    }
  }), { numRuns: Math.ceil(budget / 2), seed: 99 });
  tt.pass('held');
});

t.test('random mutations of a valid scenario never crash', async (tt) => {
  const text = readFileSync(join(root, 'scenarios', 'basics', 'deployment-scale.yaml'), 'utf8');
  fc.assert(fc.property(mutate(text), (m) => {
    const r = load(m);
    for (const sc of r.scenarios) runScenario(sc, { maxWallMs: 5000 });
  }), { numRuns: budget * 2, seed: 7 });
  tt.pass('held');
});
