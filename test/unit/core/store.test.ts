import t from 'tap';
import { Store } from '../../../src/sim/store.js';
import { Prng } from '../../../src/sim/prng.js';
import type { KObject } from '../../../src/k8s/types.js';

const pod = (name: string, extra: Partial<KObject['metadata']> = {}, nodeName?: string): KObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...extra }, spec: nodeName ? { nodeName } : {} }) as KObject;

t.test('values iterates a kind in creation order without copying; podNodeNames lists nodes with pods', async (tt) => {
  const s = new Store(() => 0, new Prng(1));
  tt.same([...s.values('Pod')], []);
  const a = s.create(pod('a', {}, 'n1'));
  const b = s.create(pod('b', {}, 'n2'));
  const c = s.create(pod('c'));
  tt.same([...s.values('Pod')].map((p) => p.metadata.name), ['a', 'b', 'c']);
  tt.same(s.podNodeNames().sort(), ['n1', 'n2']);
  s.remove(b);
  tt.same(s.podNodeNames(), ['n1']);
  c.spec.nodeName = 'n3';
  s.update(c);
  tt.same(s.podNodeNames().sort(), ['n1', 'n3']);
  tt.same([...s.values('Pod')].map((p) => p.metadata.name), ['a', 'c']);
  tt.equal(s.podsOnNode('n1')[0], a);
});

t.test('the owner index follows ownerReferences changes', async (tt) => {
  const s = new Store(() => 0, new Prng(1));
  const p = s.create(pod('p', { ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'o1', uid: 'o1' }] }));
  tt.same(s.dependents('o1'), [p]);
  s.update(p);
  tt.same(s.dependents('o1'), [p], 'unchanged');
  p.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'X', name: 'o1', uid: 'o1' }, { apiVersion: 'v1', kind: 'X', name: 'o2', uid: 'o2' }];
  s.update(p);
  tt.same(s.dependents('o2'), [p]);
  p.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'X', name: 'o2', uid: 'o2' }];
  s.update(p);
  tt.same(s.dependents('o1'), []);
  tt.same(s.dependents('o2'), [p]);
  delete p.metadata.ownerReferences;
  s.update(p);
  tt.same(s.dependents('o2'), []);
});

t.test('removals counts removals per kind; updates and creates leave it', async (tt) => {
  const s = new Store(() => 0, new Prng(1));
  tt.equal(s.removals('Pod'), 0);
  const a = s.create(pod('a'));
  const b = s.create(pod('b'));
  s.update(a);
  tt.equal(s.removals('Pod'), 0);
  s.remove(a);
  tt.equal(s.removals('Pod'), 1);
  tt.equal(s.removals('Lease'), 0, 'other kinds unaffected');
  s.remove(a);
  tt.equal(s.removals('Pod'), 1, 'removing an object no longer stored is a no-op');
  s.remove(b);
  tt.equal(s.removals('Pod'), 2);
});
