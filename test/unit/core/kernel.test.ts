import t from 'tap';
import fc from 'fast-check';
import { Kernel, PRIORITY, StepLimitError } from '../../../src/sim/kernel.js';

t.test('timers fire in (time, priority, sequence) order', async (tt) => {
  const k = new Kernel();
  const seen: string[] = [];
  k.at(10, () => seen.push('b'));
  k.at(5, () => seen.push('a'));
  k.at(10, () => seen.push('c'));
  k.at(10, () => seen.push('scenario'), 'ev', PRIORITY.scenario);
  while (k.runInstant() !== undefined) { /* run */ }
  tt.same(seen, ['a', 'scenario', 'b', 'c']);
});

t.test('scenario events at one instant all run before any reaction', async (tt) => {
  const k = new Kernel();
  const seen: string[] = [];
  k.at(0, () => { seen.push('e1'); k.react(() => seen.push('r1')); }, 'e1', PRIORITY.scenario);
  k.at(0, () => { seen.push('e2'); k.react(() => seen.push('r2')); }, 'e2', PRIORITY.scenario);
  k.at(0, () => seen.push('timer'));
  k.runInstant();
  tt.same(seen, ['e1', 'e2', 'r1', 'r2', 'timer']);
});

t.test('reactions run first in, first out, reactions of reactions after', async (tt) => {
  const k = new Kernel();
  const seen: string[] = [];
  k.at(1, () => {
    k.react(() => { seen.push('a'); k.react(() => seen.push('a2')); });
    k.react(() => seen.push('b'));
  });
  k.runInstant();
  tt.same(seen, ['a', 'b', 'a2']);
});

t.test('a cancelled timer never fires', async (tt) => {
  const k = new Kernel();
  let fired = false;
  const id = k.at(5, () => { fired = true; });
  k.cancel(id);
  tt.equal(k.runInstant(), undefined);
  tt.notOk(fired);
});

t.test('an instant that never settles ends with a step-limit error', async (tt) => {
  const k = new Kernel(100);
  const loop = () => k.react(loop, 'fight');
  k.at(0, loop, 'start');
  tt.throws(() => k.runInstant(), { name: 'StepLimitError', loop: 'fight' });
  tt.ok(StepLimitError);
});

t.test('property: any schedule pops in nondecreasing time, ties in set order', async (tt) => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean()), { maxLength: 200 }), (items) => {
    const k = new Kernel();
    const fired: Array<[number, number, number]> = [];
    items.forEach(([time, scen], i) => {
      const prio = scen ? PRIORITY.scenario : PRIORITY.timer;
      k.at(time, () => fired.push([time, prio, i]), 'x', prio);
    });
    while (k.runInstant() !== undefined) { /* run */ }
    for (let i = 1; i < fired.length; i++) {
      const [t0, p0, s0] = fired[i - 1]!, [t1, p1, s1] = fired[i]!;
      if (t0 > t1) return false;
      if (t0 === t1 && (p0 > p1 || (p0 === p1 && s0 > s1))) return false;
    }
    return fired.length === items.length;
  }));
  tt.pass('ordering holds');
});

t.test('timers scheduled during an instant may grow the queue past its first capacity', async (tt) => {
  const k = new Kernel();
  const seen: number[] = [];
  k.at(0, () => { for (let i = 0; i < 5000; i++) k.at(i % 2 === 0 ? 0 : 7, () => seen.push(i)); });
  while (k.runInstant() !== undefined) { /* run */ }
  tt.equal(seen.length, 5000);
  tt.same(seen.slice(0, 3), [0, 2, 4]);
  tt.equal(k.now, 7);
});
