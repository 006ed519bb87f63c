import t from 'tap';
import { matchPartial, matchValue, prune, subsetAssignment } from '../../../src/assert/match.js';

const pod = {
  metadata: { name: 'web-1', labels: { app: 'web' }, creationTimestamp: '2024-01-01T00:02:00Z' },
  spec: {
    nodeName: 'node-1',
    terminationGracePeriodSeconds: 30,
    containers: [
      { name: 'app', image: 'nginx', resources: { requests: { cpu: '500m', memory: '1Gi' } } },
      { name: 'side', image: 'envoy' },
    ],
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-01-01T00:01:30Z' }] },
};

const cases: Array<[string, unknown, unknown, boolean]> = [
  ['a map matches when every given key matches', { spec: { nodeName: 'node-1' } }, pod, true],
  ['a map fails when a given key differs', { spec: { nodeName: 'node-2' } }, pod, false],
  ['null matches an absent field', { spec: { hostNetwork: null } }, pod, true],
  ['null matches a field below an absent map', { status: { nothing: { here: null } } }, pod, true],
  ['null does not match a present field', { spec: { nodeName: null } }, pod, false],
  ['an integer equals the same float', { spec: { terminationGracePeriodSeconds: 30.0 } }, pod, true],
  ['a string is not coerced to a number', { spec: { terminationGracePeriodSeconds: '30' } }, pod, false],
  ['"True" is not true', { a: true }, { a: 'True' }, false],
  ['a list matches as a subset in any order', { spec: { containers: [{ name: 'side' }, { name: 'app' }] } }, pod, true],
  ['a list element must match a distinct actual element', { spec: { containers: [{ name: 'app' }, { name: 'app' }] } }, pod, false],
  ['subset matching is a real matching, not greedy', { l: [{ a: 1 }, { a: 1, b: 2 }] }, { l: [{ a: 1, b: 2 }, { a: 1 }] }, true],
  ['an ordered list must have the same length', { spec: { 'containers(ordered)': [{ name: 'app' }] } }, pod, false],
  ['an ordered list matches index by index', { spec: { 'containers(ordered)': [{ name: 'app' }, { name: 'side' }] } }, pod, true],
  ['an ordered list fails out of order', { spec: { 'containers(ordered)': [{ name: 'side' }, { name: 'app' }] } }, pod, false],
  ['an absent list counts as empty', { spec: { tolerations: [] } }, pod, true],
  ['an absent list does not hold elements', { spec: { tolerations: [{ key: 'x' }] } }, pod, false],
  ['quantities compare by amount (500m = 0.5)', { spec: { containers: [{ resources: { requests: { cpu: 0.5 } } }] } }, pod, true],
  ['quantities compare by amount (1Gi = 1073741824)', { spec: { containers: [{ resources: { requests: { memory: 1073741824 } } }] } }, pod, true],
  ['cpu 1, "1" and 1000m are equal', { capacity: { cpu: 1 } }, { capacity: { cpu: '1000m' } }, true],
  ['a storage field compares by amount', { spec: { resources: { requests: { storage: '1Gi' } } } }, { spec: { resources: { requests: { storage: '1024Mi' } } } }, true],
  ['outside quantity fields strings stay strings', { metadata: { labels: { v: '1000m' } } }, { metadata: { labels: { v: '1' } } }, false],
  ['a timestamp equals an instant', { metadata: { creationTimestamp: '2m' } }, pod, true],
  ['a timestamp equals a number of seconds', { metadata: { creationTimestamp: 120 } }, pod, true],
  ['a timestamp equals its RFC 3339 string', { metadata: { creationTimestamp: '2024-01-01T00:02:00Z' } }, pod, true],
  ['a timestamp differs from another instant', { metadata: { creationTimestamp: '1m' } }, pod, false],
  ['$gt compares numbers', { spec: { terminationGracePeriodSeconds: { $gt: 29 } } }, pod, true],
  ['$gt is false on an absent field', { spec: { nothing: { $gt: 0 } } }, pod, false],
  ['$lt is false on strings', { status: { phase: { $lt: 'Z' } } }, pod, false],
  ['$gte compares quantities', { spec: { containers: [{ resources: { requests: { memory: { $gte: '512Mi' } } } }] } }, pod, true],
  ['$lte compares timestamps with instants', { status: { conditions: [{ lastTransitionTime: { $lte: '90s' } }] } }, pod, true],
  ['$lt compares timestamps with RFC 3339', { status: { conditions: [{ lastTransitionTime: { $lt: '2024-01-01T00:01:30Z' } }] } }, pod, false],
  ['$ne is true on absent', { spec: { nothing: { $ne: 'x' } } }, pod, true],
  ['$ne is false on equal', { status: { phase: { $ne: 'Running' } } }, pod, false],
  ['$in holds when one value equals', { status: { phase: { $in: ['Pending', 'Running'] } } }, pod, true],
  ['$in fails when none equals', { status: { phase: { $in: ['Pending', 'Failed'] } } }, pod, false],
  ['$regex is unanchored', { metadata: { name: { $regex: 'eb-' } } }, pod, true],
  ['$regex anchors when written', { metadata: { name: { $regex: '^eb-' } } }, pod, false],
  ['$regex is false on non-strings', { spec: { terminationGracePeriodSeconds: { $regex: '3' } } }, pod, false],
  ['an invalid $regex is false, not a crash', { metadata: { name: { $regex: '(' } } }, pod, false],
  ['$exists true on a present field', { spec: { nodeName: { $exists: true } } }, pod, true],
  ['$exists false on an absent field', { spec: { hostNetwork: { $exists: false } } }, pod, true],
  ['$exists false fails on a present field', { spec: { nodeName: { $exists: false } } }, pod, false],
  ['several operators are ANDed', { spec: { terminationGracePeriodSeconds: { $gt: 10, $lt: 20 } } }, pod, false],
  ['operators work on lists', { spec: { containers: { $exists: true } } }, pod, true],
  ['operators work inside list elements', { spec: { containers: [{ name: { $regex: '^si' } }] } }, pod, true],
  ['a map does not match a scalar', { spec: { nodeName: { x: 1 } } }, pod, false],
];

for (const [name, expected, actual, want] of cases) {
  t.test(name, async (t) => {
    t.equal(matchPartial(expected, actual), want);
  });
}

t.test('matchValue compares shorthand values with operators', async (t) => {
  t.ok(matchValue('Running', 'Running'));
  t.ok(matchValue({ $in: ['Running', 'Succeeded'] }, 'Succeeded'));
  t.notOk(matchValue('1', 1));
  t.ok(matchValue(null, undefined));
});

t.test('a long input is cut before $regex runs', async (t) => {
  const long = 'a'.repeat(50_000) + 'needle';
  t.notOk(matchPartial({ m: { $regex: 'needle' } }, { m: long }));
  t.ok(matchPartial({ m: { $regex: '^a' } }, { m: long }));
});

t.test('subset assignment finds a perfect matching when one exists', async (t) => {
  t.same(subsetAssignment([{ a: 1 }, { b: 1 }], [{ a: 1, b: 1 }, { a: 1 }]), [1, 0]);
});

t.test('prune keeps the expected keys and aligns list elements', async (t) => {
  t.same(prune({ spec: { nodeName: 'node-2' } }, pod), { spec: { nodeName: 'node-1' } });
  t.same(prune({ spec: { containers: [{ name: 'side' }] } }, pod), { spec: { containers: [{ name: 'side' }, { name: 'app' }] } });
  t.same(prune({ spec: { 'containers(ordered)': [{ image: 'x' }] } }, pod), { spec: { 'containers(ordered)': [{ image: 'nginx' }, { image: 'envoy' }] } });
  t.same(prune({ status: { phase: { $ne: 'Running' } } }, pod), { status: { phase: 'Running' } });
});

t.test('prune copies, so later changes do not show', async (t) => {
  const o = { a: { b: [1, 2] } };
  const p = prune({ a: { $exists: true } }, o) as { a: { b: number[] } };
  o.a.b.push(3);
  t.same(p, { a: { b: [1, 2] } });
});
