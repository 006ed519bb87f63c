/** Same scenario + seed => byte-identical TAP and trace; different seeds keep the invariants. */
import t from 'tap';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { cli } from '../helpers.js';
import { loadScenarios, runScenario } from '../../src/runner.js';
import { formatTraceJsonl } from '../../src/cli/commands/trace.js';

const root = join(import.meta.dirname, '..', '..');
process.chdir(root);

t.test('two runs of the bundled scenarios print identical TAP', async (tt) => {
  const a = await cli(['run', 'scenarios/']);
  const b = await cli(['run', 'scenarios/']);
  tt.equal(a.out, b.out);
  tt.equal(a.code, b.code);
});

t.test('two runs of every scenario give identical traces, and traces differ by seed only through choices', async (tt) => {
  const { files } = loadScenarios(['scenarios/', '../shared/examples/']);
  for (const f of files) {
    for (const sc of f.scenarios) {
      const digest = (seed?: number) => createHash('sha256')
        .update(formatTraceJsonl(runScenario(sc, { ...(seed !== undefined ? { seed } : {}), verboseTrace: true }).simulation.trace.records))
        .digest('hex');
      tt.equal(digest(), digest(), `${sc.name}: same seed, same trace`);
      const other = runScenario(sc, { seed: 12345, checkInvariants: true });
      tt.notOk(other.outcome.error?.message.startsWith('invariant broken'), `${sc.name}: invariants hold with another seed`);
    }
  }
});
