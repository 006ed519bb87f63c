import t from 'tap';
import { setPodCondition } from '../../../src/sim/apiserver.js';
import type { KObject } from '../../../src/k8s/types.js';

const keys = (pod: KObject, type: string) => Object.keys(pod.status.conditions.find((c: { type: string }) => c.type === type));

t.test('setPodCondition keeps the key order of set-or-delete reason, then message', async (tt) => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } } as KObject;
  tt.equal(setPodCondition(pod, 'Ready', 'False', 'ContainersNotReady', 'm1', 1000), true);
  tt.same(keys(pod, 'Ready'), ['type', 'status', 'lastProbeTime', 'lastTransitionTime', 'reason', 'message']);
  tt.equal(setPodCondition(pod, 'Ready', 'False', 'ContainersNotReady', 'm1', 2000), false, 'unchanged');
  tt.equal(setPodCondition(pod, 'Ready', 'True', undefined, undefined, 3000), true);
  tt.same(pod.status.conditions[0], { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-01-01T00:00:03Z' });
  tt.same(keys(pod, 'Ready'), ['type', 'status', 'lastProbeTime', 'lastTransitionTime']);
  // Only a message, then a reason is added after it.
  tt.equal(setPodCondition(pod, 'Ready', 'True', undefined, 'only message', 4000), true);
  tt.equal(setPodCondition(pod, 'Ready', 'True', 'R', 'only message', 5000), true);
  tt.same(keys(pod, 'Ready'), ['type', 'status', 'lastProbeTime', 'lastTransitionTime', 'message', 'reason']);
  tt.equal(pod.status.conditions[0].lastTransitionTime, '2024-01-01T00:00:03Z', 'no status change, no transition');
  // A reason alone, then both: reason stays first.
  tt.equal(setPodCondition(pod, 'Ready', 'False', 'R2', undefined, 6000), true);
  tt.same(keys(pod, 'Ready'), ['type', 'status', 'lastProbeTime', 'lastTransitionTime', 'reason']);
  tt.equal(setPodCondition(pod, 'Ready', 'False', 'R2', 'again', 7000), true);
  tt.same(keys(pod, 'Ready'), ['type', 'status', 'lastProbeTime', 'lastTransitionTime', 'reason', 'message']);
  tt.equal(pod.status.conditions[0].lastTransitionTime, '2024-01-01T00:00:06Z');
  // A second condition type is appended.
  tt.equal(setPodCondition(pod, 'PodScheduled', 'True', undefined, undefined, 8000), true);
  tt.same(pod.status.conditions.map((c: { type: string }) => c.type), ['Ready', 'PodScheduled']);
});
