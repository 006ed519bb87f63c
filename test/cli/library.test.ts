/** The library API: `import { loadScenarios, runScenario } from 'kubedrill'` works from the package. */
import t from 'tap';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

t.test('the package entry exports loadScenarios, runScenario and formatTap, and they run a scenario', async (tt) => {
  const lib = await import(join(root, 'dist', 'src', 'index.js')) as typeof import('../../src/index.js');
  const { files, missing } = lib.loadScenarios([join(root, 'scenarios', 'basics', 'restart-never.yaml')]);
  tt.same(missing, []);
  tt.equal(files.length, 1);
  const f = files[0]!;
  tt.same(f.problems, []);
  const run = lib.runScenario(f.scenarios[0]!, { seed: 1 });
  tt.ok(run.results.length > 0);
  tt.ok(run.results.every((r) => r.ok), 'every assertion of the bundled scenario holds');
  tt.ok(run.simulation.store.list('Pod').length > 0, 'the simulation is reachable for custom checks');
  const tap = lib.formatTap([{ kind: 'scenario', name: run.scenario.name, file: f.file, seed: run.seed, results: run.results }]);
  tt.match(tap, /^TAP version 14\n# Subtest: /);
});
