import t from 'tap';
import { cluster, cs, cond } from './harness.js';

t.test('periodic syncs of an unchanged pod write nothing; a status changed by someone else is written back', async (tt) => {
  const c = cluster();
  c.createPod({ metadata: { name: 'p' } });
  let writes = 0;
  c.ctx.store.watch('Pod', (type) => { if (type === 'MODIFIED') writes++; });
  c.runTo(5_000);
  tt.equal(c.pod('p')?.status?.phase, 'Running');
  tt.equal(cond(c.pod('p'), 'Ready'), 'True');
  const settled = writes;
  const statuses = c.pod('p')!.status.containerStatuses;
  c.runTo(200_000); // three resyncs
  tt.equal(writes, settled, 'no writes from resyncs');
  tt.equal(c.pod('p')!.status.containerStatuses, statuses, 'the stored list is kept');
  // Someone else rewrites the status (with a write): the next sync puts the kubelet's view back.
  c.at(210_000, () => {
    const p = c.pod('p')!;
    p.status.containerStatuses = [{ ...cs(p), ready: false }];
    p.status.hostIPs = [{ ip: '1.2.3.4' }];
    c.ctx.store.update(p);
  });
  c.runTo(300_000);
  tt.equal(cs(c.pod('p')).ready, true, 'ready again');
  // Only fields outside the container statuses: a condition and the host IPs.
  c.at(310_000, () => {
    const p = c.pod('p')!;
    p.status.conditions.find((x: { type: string }) => x.type === 'Ready').status = 'False';
    p.status.hostIPs = [{ ip: '1.2.3.4' }];
    c.ctx.store.update(p);
  });
  c.runTo(311_000);
  tt.equal(cond(c.pod('p'), 'Ready'), 'False');
  c.runTo(400_000);
  tt.equal(cond(c.pod('p'), 'Ready'), 'True', 'Ready again');
  tt.not(c.pod('p')!.status.hostIPs[0].ip, '1.2.3.4', 'host IP again');
  tt.equal(c.pod('p')!.status.hostIPs[0].ip, c.pod('p')!.status.hostIP);
});

t.test('from 1.34 the kubelet-owned pod conditions carry observedGeneration, PodScheduled included; older versions do not', async (tt) => {
  for (const [v, want] of [['1.33', undefined], ['1.34', 1], ['1.37', 1]] as const) {
    const c = cluster({ version: v });
    c.createPod({ metadata: { name: 'p' } });
    c.runTo(5_000);
    const conds: Array<Record<string, unknown>> = c.pod('p')!.status.conditions;
    for (const k of ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady']) {
      const x = conds.find((y) => y.type === k)!;
      tt.equal(x.observedGeneration, want, `${v} ${k}`);
      if (want !== undefined) tt.same(Object.keys(x).slice(0, 3), ['type', 'observedGeneration', 'status'], `${v} ${k}: PodCondition field order`);
    }
    // generateAPIPodStatus appends PodScheduled last with CalculatePodConditionObservedGeneration;
    // mergePodStatus keeps that order (kubelet-owned conditions after the others).
    tt.equal(conds.find((y) => y.type === 'PodScheduled')?.observedGeneration, want, `${v} PodScheduled`);
    tt.same(conds.map((y) => y.type), ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'], `${v} order`);
  }
});

t.test('a pod created with spec.nodeName gets PodScheduled=True from the kubelet', async (tt) => {
  const c = cluster();
  c.createPod({ metadata: { name: 'p' } });
  c.runTo(1_000);
  const ps = c.pod('p')!.status.conditions.find((y: Record<string, unknown>) => y.type === 'PodScheduled');
  tt.match(ps, { status: 'True', lastProbeTime: null, lastTransitionTime: '2024-01-01T00:00:00Z' });
  tt.notOk('reason' in ps);
});
