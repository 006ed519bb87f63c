import t from 'tap';
import fc from 'fast-check';
import { matchPartial, prune } from '../../../src/assert/match.js';

// JSON without operator-looking or `(ordered)` keys and without nulls (null also matches absent).
const key = fc.string({ maxLength: 6 }).filter((k) => !k.startsWith('$') && !k.endsWith('(ordered)'));
const scalar = fc.oneof(fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 8 }));
const { json } = fc.letrec((tie) => ({
  json: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('json'), { maxLength: 4 }), fc.dictionary(key, tie('json'), { maxKeys: 4 })),
}));
const anything = fc.jsonValue();

t.test('every object matches itself', async (t) => {
  fc.assert(fc.property(json, (v) => matchPartial(v, v)));
  t.pass();
});

t.test('every object matches the empty partial and itself pruned', async (t) => {
  fc.assert(fc.property(json, (v) => matchPartial({}, { a: v }) && matchPartial(prune(v, v), v)));
  t.pass();
});

t.test('random partials and objects never throw', async (t) => {
  fc.assert(fc.property(anything, anything, (a, b) => {
    matchPartial(a, b);
    prune(a, b);
    return true;
  }));
  t.pass();
});
