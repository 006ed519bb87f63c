import t from 'tap';
import { EventRecorder, EventFoldIndex, type RecordedEvent } from '../../../src/sim/events.js';
import { Trace } from '../../../src/sim/trace.js';
import { Prng } from '../../../src/sim/prng.js';
import type { KObject } from '../../../src/k8s/types.js';

const pod = (name: string, uid: string | undefined, namespace = 'default'): KObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(namespace ? { namespace } : {}), ...(uid !== undefined ? { uid } : {}) } }) as KObject;

function ev(message: string, o: Partial<RecordedEvent> = {}): RecordedEvent {
  return {
    name: 'x', namespace: 'default', involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u' },
    reason: 'R', type: 'Normal', message, source: { component: 'kubelet' }, count: 1, firstMs: 0, lastMs: 0, ...o,
  };
}

t.test('the fold index matches on every field, with absent host and fieldPath equal to empty ones', async (tt) => {
  const ix = new EventFoldIndex();
  const a = ev('m', { source: { component: 'kubelet', host: 'n1' }, involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u', fieldPath: 'spec.containers{c}' } });
  const b = ev('m');
  ix.add('u', a);
  ix.add('u', b);
  tt.equal(ix.find('u', 'Normal', 'R', 'm', 'kubelet', 'n1', 'spec.containers{c}'), a);
  tt.equal(ix.find('u', 'Normal', 'R', 'm', 'kubelet', '', ''), b);
  tt.equal(ix.find('u', 'Warning', 'R', 'm', 'kubelet', '', ''), undefined, 'type');
  tt.equal(ix.find('u', 'Normal', 'R2', 'm', 'kubelet', '', ''), undefined, 'reason');
  tt.equal(ix.find('u', 'Normal', 'R', 'm2', 'kubelet', '', ''), undefined, 'message');
  tt.equal(ix.find('u', 'Normal', 'R', 'm', 'scheduler', '', ''), undefined, 'component');
  tt.equal(ix.find('u', 'Normal', 'R', 'm', 'kubelet', 'n2', 'spec.containers{c}'), undefined, 'host');
  tt.equal(ix.find('u', 'Normal', 'R', 'm', 'kubelet', 'n1', ''), undefined, 'fieldPath');
  tt.equal(ix.find('v', 'Normal', 'R', 'm', 'kubelet', '', ''), undefined, 'other uid');
  tt.equal(ix.objects, 1);
});

t.test('the fold index keeps finding Events of an object with many of them (grouped by message)', async (tt) => {
  const ix = new EventFoldIndex();
  const all: RecordedEvent[] = [];
  for (let i = 0; i < 100; i++) {
    const e = ev(`Created pod: p-${i % 40}`, { reason: i < 40 ? 'SuccessfulCreate' : i < 80 ? 'SuccessfulDelete' : 'Other' });
    if (ix.find('rs', 'Normal', e.reason, e.message, 'kubelet', '', '')) continue;
    ix.add('rs', e);
    all.push(e);
  }
  tt.equal(all.length, 100);
  for (const e of all) tt.equal(ix.find('rs', 'Normal', e.reason, e.message, 'kubelet', '', ''), e);
  tt.equal(ix.find('rs', 'Normal', 'Missing', 'Created pod: p-1', 'kubelet', '', ''), undefined);
  tt.equal(ix.find('rs', 'Normal', 'SuccessfulCreate', 'nothing like it', 'kubelet', '', ''), undefined);
});

t.test('the recorder folds repeats and traces every Event as Trace.add would', async (tt) => {
  let now = 1000;
  const trace = new Trace(() => now);
  trace.verbose = false;
  const rec = new EventRecorder(() => now, new Prng(5), trace);
  const p = pod('web-1', 'uid-1');
  rec.record(p, 'Normal', 'Pulled', 'already present', 'kubelet', 'node-1', 'spec.containers{c}');
  now = 2000;
  rec.record(p, 'Normal', 'Pulled', 'already present', 'kubelet', 'node-1', 'spec.containers{c}');
  rec.record(p, 'Normal', 'Pulled', 'already present', 'kubelet', 'node-2', 'spec.containers{c}');
  rec.record(pod('n', 'uid-n', ''), 'Warning', 'NodeNotReady', 'not ready', 'node-controller');
  // Same uid under another name (objects without a uid all share one): traced with the name it was given.
  rec.record(pod('a', undefined), 'Normal', 'X', 'm', 'c');
  rec.record(pod('b', undefined, 'other'), 'Normal', 'X', 'm', 'c');
  tt.equal(rec.events.length, 4);
  tt.equal(rec.events[0]!.count, 2);
  tt.equal(rec.events[0]!.firstMs, 1000);
  tt.equal(rec.events[0]!.lastMs, 2000);
  tt.same(rec.events[1]!.source, { component: 'kubelet', host: 'node-2' });
  tt.same(rec.events[2]!.involvedObject, { apiVersion: 'v1', kind: 'Pod', name: 'n', uid: 'uid-n' });
  tt.equal(rec.events[3]!.count, 2);
  tt.equal(rec.events[3]!.involvedObject.uid, '');
  const expected = [
    { t: 1000, type: 'event', object: 'Pod default/web-1', message: 'Normal Pulled: already present' },
    { t: 2000, type: 'event', object: 'Pod default/web-1', message: 'Normal Pulled: already present' },
    { t: 2000, type: 'event', object: 'Pod default/web-1', message: 'Normal Pulled: already present' },
    { t: 2000, type: 'event', object: 'Pod n', message: 'Warning NodeNotReady: not ready' },
    { t: 2000, type: 'event', object: 'Pod default/a', message: 'Normal X: m' },
    { t: 2000, type: 'event', object: 'Pod other/b', message: 'Normal X: m' },
  ];
  tt.equal(JSON.stringify(trace.records), JSON.stringify(expected));
  tt.same(trace.records.map((r) => ({ t: r.t, type: r.type, object: r.object, message: r.message })), expected);
});

t.test('Trace.push keeps records under the rule of Trace.add', async (tt) => {
  const trace = new Trace(() => 0);
  trace.verbose = false;
  trace.push({ t: 0, type: 'kubelet', message: 'dropped' });
  trace.push({ t: 0, type: 'error', message: 'kept' });
  tt.same(trace.records, [{ t: 0, type: 'error', message: 'kept' }]);
  trace.verbose = true;
  trace.push({ t: 0, type: 'kubelet', message: 'kept too' });
  tt.equal(trace.records.length, 2);
});
