import t from 'tap';
import fc from 'fast-check';
import { parseDuration, formatDuration } from '../../../src/k8s/duration.js';
import { parseQuantity, milliValue, value, quantityEquals, quantityMemoSize, QUANTITY_MEMO_LIMIT } from '../../../src/k8s/quantity.js';
import { globMatch, selectorMatches, toLabelSelector, toleratesTaint } from '../../../src/k8s/match.js';
import { Prng } from '../../../src/sim/prng.js';
import { HostLocalIpam, NodeAddressAllocator } from '../../../src/sim/ipam.js';

const durations: Array<[unknown, number | undefined]> = [
  ['250ms', 250], ['1.5s', 1500], ['1h30m', 5_400_000], ['6m50s', 410_000], [30, 30_000], [0.25, 250], ['0', 0],
  ['0s', 0], ['2h', 7_200_000], ['-1s', undefined], ['1d', undefined], ['1.0001s', undefined], ['', undefined], [-1, undefined],
  ['1m1.5s', 61_500], ['10ms', 10],
];
for (const [input, ms] of durations) {
  t.test(`duration ${JSON.stringify(input)} ${ms === undefined ? 'is rejected' : `is ${ms} ms`}`, async (tt) => {
    const r = parseDuration(input);
    if (ms === undefined) tt.notOk(r.ok);
    else tt.same(r, { ok: true, ms });
  });
}

const formats: Array<[number, string]> = [[0, '0s'], [250, '250ms'], [1500, '1.5s'], [410_000, '6m50s'], [3_600_000, '1h0m0s'], [61_500, '1m1.5s'], [90_000, '1m30s']];
for (const [ms, s] of formats) t.test(`${ms} ms prints as Go's ${s}`, async (tt) => tt.equal(formatDuration(ms), s));

t.test('property: formatting then parsing a duration gives it back', async (tt) => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 10 ** 10 }), (ms) => {
    const r = parseDuration(formatDuration(ms));
    return r.ok && r.ms === ms;
  }));
  tt.pass();
});

const quantities: Array<[unknown, number | undefined]> = [
  ['500m', 0.5], ['2', 2], ['1.5', 1.5], ['1Gi', 2 ** 30], ['512Mi', 512 * 2 ** 20], ['1e3', 1000], [3, 3], ['1k', 1000],
  ['1G', 1e9], ['abc', undefined], ['1.5.5', undefined], ['', undefined], ['1 Gi', undefined],
];
for (const [input, v] of quantities) {
  t.test(`quantity ${JSON.stringify(input)} ${v === undefined ? 'is invalid' : `is ${v}`}`, async (tt) => tt.equal(parseQuantity(input), v));
}
t.test('parseQuantity memo: repeated parses give the first answer (invalid ones too) and the memo stays bounded', async (tt) => {
  for (const [input, v] of quantities) {
    tt.equal(parseQuantity(input), v, `first ${JSON.stringify(input)}`);
    tt.equal(parseQuantity(input), v, `again ${JSON.stringify(input)}`);
  }
  tt.ok(Number.isNaN(parseQuantity('0e400')), 'NaN (0 * Infinity) is remembered as NaN');
  tt.ok(Number.isNaN(parseQuantity('0e400')));
  let wrong = 0, maxSize = 0;
  for (let i = 0; i < 3 * QUANTITY_MEMO_LIMIT; i++) {
    if (parseQuantity(`${i}m`) !== i * 1e-3 || parseQuantity(`${i}Ki`) !== i * 1024) wrong++;
    maxSize = Math.max(maxSize, quantityMemoSize());
  }
  tt.equal(wrong, 0, 'distinct strings parse right through the memo');
  tt.ok(maxSize <= QUANTITY_MEMO_LIMIT, `memo never above ${QUANTITY_MEMO_LIMIT} entries (${maxSize})`);
  tt.equal(parseQuantity('512Mi'), 512 * 2 ** 20, 'parsed again after the memo was cleared');
  tt.equal(parseQuantity(' 1'), undefined);
});
t.test('cpu 1, "1" and 1000m are the same amount', async (tt) => {
  tt.ok(quantityEquals(1, '1'));
  tt.ok(quantityEquals('1', '1000m'));
  tt.equal(milliValue('250m'), 250);
  tt.equal(value('1Ki'), 1024);
});

t.test('globs: * any run, ? one character, whole string', async (tt) => {
  tt.ok(globMatch('web-*', 'web-abc12'));
  tt.ok(globMatch('web-*', 'web-'));
  tt.notOk(globMatch('web-*', 'xweb-1'));
  tt.ok(globMatch('node-?', 'node-1'));
  tt.notOk(globMatch('node-?', 'node-10'));
  tt.ok(globMatch('a.b', 'a.b'));
  tt.notOk(globMatch('a.b', 'axb'));
});

t.test('label selectors: maps, matchLabels and matchExpressions; {} selects everything', async (tt) => {
  tt.ok(selectorMatches(toLabelSelector({ app: 'web' }), { app: 'web', tier: 'fe' }));
  tt.notOk(selectorMatches(toLabelSelector({ app: 'web' }), { app: 'db' }));
  tt.ok(selectorMatches(toLabelSelector({}), {}));
  const sel = toLabelSelector({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }, { key: 'app', operator: 'Exists' }] });
  tt.ok(selectorMatches(sel, { app: 'x', env: 'dev' }));
  tt.ok(selectorMatches(sel, { app: 'x' }));
  tt.notOk(selectorMatches(sel, { app: 'x', env: 'prod' }));
});

t.test('tolerations match taints as ToleratesTaint does', async (tt) => {
  const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };
  tt.ok(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, taint));
  tt.ok(toleratesTaint({ key: 'dedicated', operator: 'Exists' }, taint));
  tt.ok(toleratesTaint({ operator: 'Exists' }, taint));
  tt.notOk(toleratesTaint({ key: 'dedicated', value: 'cpu' }, taint));
  tt.notOk(toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, taint));
});

t.test('the PRNG is deterministic and forks independent streams', async (tt) => {
  const a = new Prng(42), b = new Prng(42);
  tt.same([a.nextU32(), a.nextU32()], [b.nextU32(), b.nextU32()]);
  const f1 = new Prng(1).fork('scheduler'), f2 = new Prng(1).fork('scheduler');
  tt.equal(f1.uuid(), f2.uuid());
  tt.not(new Prng(1).fork('a').nextU32(), new Prng(1).fork('b').nextU32());
  tt.match(new Prng(3).uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

t.test('Prng.string draws one value per character, as the += loop it replaced did', async (tt) => {
  const reference = (r: Prng, n: number, alphabet: string): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[r.int(alphabet.length)];
    return s;
  };
  for (const [n, alphabet] of [[0, 'ab'], [1, '0123456789abcdef'], [5, 'bcdfghjklmnpqrstvwxz2456789'], [16, '0123456789abcdef'],
    [64, '0123456789abcdef'], [5000, 'xyz'], [2.5, 'ab'], [-3, 'ab'], [3, ''], [4, '\u00e9\u4e2d']] as Array<[number, string]>) {
    const a = new Prng(9), b = new Prng(9);
    const got = a.string(n, alphabet);
    tt.equal(got, reference(b, n, alphabet), `string(${n}, ${alphabet.length} chars)`);
    tt.equal(a.nextU32(), b.nextU32(), 'same number of draws');
    const c = new Prng(9), d = new Prng(9);
    tt.equal(c.stringAfter('pod-1.', n, alphabet), 'pod-1.' + reference(d, n, alphabet), `stringAfter(${n})`);
    tt.equal(c.nextU32(), d.nextU32(), 'stringAfter draws the same');
  }
});

t.test('Prng.uuid spells the four draws as the padded-hex template did', async (tt) => {
  const hex = (v: number, len: number) => v.toString(16).padStart(len, '0');
  for (const seed of [0, 1, 3, 42, 0xffffffff, 123456789]) {
    const a = new Prng(seed), b = new Prng(seed);
    for (let i = 0; i < 50; i++) {
      const x = b.nextU32(), y = b.nextU32(), z = b.nextU32(), w = b.nextU32();
      const want = `${hex(x, 8)}-${hex(y >>> 16, 4)}-${hex(((y & 0x0fff) | 0x4000) >>> 0, 4)}-` +
        `${hex(((z >>> 16) & 0x3fff) | 0x8000, 4)}-${hex(z & 0xffff, 4)}${hex(w, 8)}`;
      tt.equal(a.uuid(), want);
    }
  }
});

t.test('node addresses count up from 172.18.0.2 with the k-th /24 of the cluster CIDR', async (tt) => {
  const a = new NodeAddressAllocator('172.18.0.2', '10.244.0.0/16');
  tt.same(a.next(), { internalIP: '172.18.0.2', podCIDR: '10.244.0.0/24' });
  tt.same(a.next(), { internalIP: '172.18.0.3', podCIDR: '10.244.1.0/24' });
  const big = new NodeAddressAllocator('172.18.0.2', '100.64.0.0/10');
  for (let i = 0; i < 300; i++) big.next();
  tt.same(big.next(), { internalIP: '172.18.1.46', podCIDR: '100.65.44.0/24' });
});

t.test('host-local IPAM hands out .2 upward, skips used ones, and wraps', async (tt) => {
  const ipam = new HostLocalIpam('10.244.1.0/24');
  tt.equal(ipam.allocate(), '10.244.1.2');
  tt.equal(ipam.allocate(), '10.244.1.3');
  ipam.release('10.244.1.2');
  tt.equal(ipam.allocate(), '10.244.1.4', 'next after the last handed out, not the freed one');
});
