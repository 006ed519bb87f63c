import t from 'tap';
import { cluster, beh, cs, cond } from './harness.js';

for (const [name, b, spec, goneAt, code] of [
  ['without stopAfter the pod is gone in the same instant', {}, {}, 10_000, 143],
  ['stopAfter 10s exits 143 after 10s', { stopAfter: 10_000 }, {}, 20_000, 143],
  ['stopAfter beyond the grace is killed with 137 at grace end', { stopAfter: 60_000 }, {}, 40_000, 137],
  ['a preStop sleep runs before SIGTERM', { stopAfter: 10_000 }, { lifecycle: { preStop: { sleep: { seconds: 5 } } } }, 25_000, 143],
  ['a preStop sleep past the grace leaves 2s after SIGTERM', { stopAfter: 60_000 }, { lifecycle: { preStop: { sleep: { seconds: 30 } } } }, 42_000, 137],
] as const) {
  t.test(`deleting a pod: ${name}`, async (tt) => {
    const c = cluster({ behaviors: [beh({ pod: 'p' }, b)] });
    c.createPod({ metadata: { name: 'p' }, spec: { terminationGracePeriodSeconds: 30, containers: [{ name: 'main', image: 'nginx:1.27', ...spec }] } });
    let exit: number | undefined;
    c.ctx.store.watch('Pod', (type, pod) => { if (type === 'MODIFIED' && cs(pod).state?.terminated) exit = cs(pod).state.terminated.exitCode; });
    c.at(10_000, () => { c.ctx.api.delete(c.pod('p')!, {}); });
    c.runTo(goneAt - 1);
    if (goneAt > 10_000) tt.ok(c.pod('p')?.metadata.deletionTimestamp, 'terminating before');
    c.runTo(goneAt);
    tt.notOk(c.pod('p'), 'gone');
    tt.equal(exit, code);
    tt.equal(c.events('Killing')[0]?.message, 'Stopping container main');
  });
}

t.test('a pod on a down node stays Terminating until the node comes back', async (tt) => {
  const c = cluster();
  c.createPod({ metadata: { name: 'p' } });
  c.at(10_000, () => c.fleet.nodeDown('node-1'));
  c.at(20_000, () => { c.ctx.api.delete(c.pod('p')!, {}); });
  c.at(60_000, () => c.fleet.nodeUp('node-1'));
  c.runTo(59_999);
  tt.ok(c.pod('p')?.metadata.deletionTimestamp);
  c.runTo(60_000);
  tt.notOk(c.pod('p'));
});

t.test('sidecars stop after the regular containers, in reverse order', async (tt) => {
  const c = cluster({ behaviors: [beh({ container: 'main' }, { stopAfter: 3000 }), beh({ container: 'side*' }, { stopAfter: 1000 })] });
  c.createPod({ metadata: { name: 'p' }, spec: { initContainers: [
    { name: 'side1', image: 'envoy:1', restartPolicy: 'Always' }, { name: 'side2', image: 'envoy:1', restartPolicy: 'Always' },
  ], containers: [{ name: 'main', image: 'nginx:1.27' }] } });
  c.runTo(5000);
  tt.equal(c.pod('p')!.status.phase, 'Running');
  c.at(10_000, () => { c.ctx.api.delete(c.pod('p')!, {}); });
  c.runTo(20_000);
  tt.same(c.times('kubelet', /exited/), [13_000, 14_000, 15_000]);
  const order = c.ctx.trace.records.filter((r) => r.type === 'kubelet' && /exited/.test(r.message)).map((r) => r.message.split(' ')[1]);
  tt.same(order, ['main', 'side2', 'side1']);
  // killContainersWithSyncResult kills all containers at once: every Killing event at the delete.
  tt.same(c.events('Killing').map((e) => [e.first, e.message]), [[10_000, 'Stopping container main'], [10_000, 'Stopping container side2'], [10_000, 'Stopping container side1']]);
});

t.test("a sidecar's preStop hook runs at once, in parallel with the regular containers; its SIGTERM waits for them", async (tt) => {
  const c = cluster({ behaviors: [beh({ container: 'app' }, { stopAfter: 10_000 })] });
  c.createPod({ metadata: { name: 'p' }, spec: { initContainers: [
    { name: 'proxy', image: 'envoy:1', restartPolicy: 'Always', lifecycle: { preStop: { sleep: { seconds: 5 } } } },
  ], containers: [{ name: 'app', image: 'nginx:1.27' }] } });
  c.runTo(5000);
  c.at(10_000, () => { c.ctx.api.delete(c.pod('p')!, {}); });
  c.runTo(40_000);
  tt.same(c.times('kubelet', /exited/), [20_000, 20_000], 'app at 20s; proxy (hook 10-15s, then its turn at 20s) exits on SIGTERM at once');
  tt.notOk(c.pod('p'), 'deleted at 20s');
});

t.test('init containers run in order; a failing one under Never fails the pod', async (tt) => {
  const c = cluster({ behaviors: [beh({ container: 'init2' }, { runs: [{ exitAfter: 2000, exitCode: 1 }] })] });
  c.createPod({ metadata: { name: 'p' }, spec: { restartPolicy: 'Never', initContainers: [
    { name: 'init1', image: 'busybox:1.36' }, { name: 'init2', image: 'busybox:1.36' },
  ], containers: [{ name: 'main', image: 'nginx:1.27' }] } });
  c.runTo(1000);
  tt.equal(c.pod('p')!.status.phase, 'Pending');
  tt.equal(c.pod('p')!.status.initContainerStatuses[1].state.running !== undefined, true);
  c.runTo(3000);
  const p = c.pod('p')!;
  tt.equal(p.status.phase, 'Failed');
  tt.equal(p.status.initContainerStatuses[1].state.terminated.reason, 'Error');
  tt.equal(cs(p).state.waiting?.reason, 'PodInitializing');
});

t.test('a failing init container under Always goes through the crash-loop ladder', async (tt) => {
  const c = cluster({ version: '1.34', behaviors: [beh({ container: 'init' }, { runs: [{ exitAfter: 1000, exitCode: 1 }] })] });
  c.createPod({ metadata: { name: 'p' }, spec: { initContainers: [{ name: 'init', image: 'busybox:1.36' }], containers: [{ name: 'main', image: 'nginx:1.27' }] } });
  c.runTo(24_000);
  const p = c.pod('p')!;
  tt.equal(p.status.phase, 'Pending');
  tt.equal(p.status.initContainerStatuses[0].state.waiting?.reason, 'CrashLoopBackOff');
  tt.same(c.times('kubelet', /container init started/), [0, 1000, 12_000], JSON.stringify(c.times('kubelet', /container init started/)));
});

t.test('activeDeadlineSeconds fails the pod with DeadlineExceeded', async (tt) => {
  const c = cluster();
  c.createPod({ metadata: { name: 'p' }, spec: { activeDeadlineSeconds: 30, containers: [{ name: 'main', image: 'nginx:1.27' }] } });
  c.runTo(29_999);
  tt.equal(c.pod('p')!.status.phase, 'Running');
  c.runTo(30_000);
  const p = c.pod('p')!;
  tt.equal(p.status.phase, 'Failed');
  tt.equal(p.status.reason, 'DeadlineExceeded');
  tt.equal(c.events('DeadlineExceeded')[0]?.message, 'Pod was active on the node longer than the specified deadline');
  tt.ok(cs(p).state.terminated);
});

t.test('a force-deleted pod still has its containers stopped', async (tt) => {
  const c = cluster({ behaviors: [beh({ pod: 'p' }, { stopAfter: 60_000 })] });
  c.createPod({ metadata: { name: 'p' } });
  c.at(10_000, () => { c.ctx.api.delete(c.pod('p')!, { gracePeriodSeconds: 0 }); });
  c.runTo(20_000);
  tt.notOk(c.pod('p'));
  tt.same(c.times('kubelet', /exited with 137/), [12_000], 'SIGKILL after the 2s minimum');
});

t.test('an image pull failure follows the back-off schedule 10, 20, 40, 80, 160, 300s', async (tt) => {
  const c = cluster({ behaviors: [beh({ pod: 'p' }, { pullError: 'manifest unknown' })] });
  c.createPod({ metadata: { name: 'p' }, spec: { containers: [{ name: 'main', image: 'nginx:9.99' }] } });
  c.runTo(620_000);
  const pulls = c.ctx.trace.records.filter((r) => r.type === 'event' && /Pulling image/.test(r.message)).map((r) => r.t);
  tt.same(pulls, [0, 10_000, 30_000, 70_000, 150_000, 310_000, 610_000]);
});

for (const [v, msg] of [['1.31', 'Back-off pulling image "nginx:9.99"'], ['1.32', 'Back-off pulling image "nginx:9.99": ErrImagePull: manifest unknown']] as const) {
  t.test(`ImagePullBackOff waiting message on ${v}`, async (tt) => {
    const c = cluster({ version: v, behaviors: [beh({ pod: 'p' }, { pullError: 'manifest unknown' })] });
    c.createPod({ metadata: { name: 'p' }, spec: { containers: [{ name: 'main', image: 'nginx:9.99' }] } });
    c.runTo(5_000);
    tt.equal(cs(c.pod('p')).state.waiting?.reason, 'ErrImagePull');
    c.runTo(15_000);
    tt.equal(cs(c.pod('p')).state.waiting?.reason, 'ImagePullBackOff');
    tt.equal(cs(c.pod('p')).state.waiting?.message, msg);
  });
}

t.test('imagePullPolicy Never without the image gives ErrImageNeverPull', async (tt) => {
  const c = cluster();
  c.createPod({ metadata: { name: 'p' }, spec: { containers: [{ name: 'main', image: 'nginx:1.27', imagePullPolicy: 'Never' }] } });
  c.runTo(1000);
  tt.equal(cs(c.pod('p')).state.waiting?.reason, 'ErrImageNeverPull');
  tt.equal(c.events('ErrImageNeverPull')[0]?.message, 'Container image "nginx:1.27" is not present with pull policy of Never');
});

t.test('pulls are serialized on a node and pulled images stay on it', async (tt) => {
  const c = cluster({ behaviors: [beh({ image: 'big:*' }, { pull: 5000 })] });
  c.createPod({ metadata: { name: 'a' }, spec: { containers: [{ name: 'main', image: 'big:1' }] } });
  c.createPod({ metadata: { name: 'b' }, spec: { containers: [{ name: 'main', image: 'big:2' }] } });
  c.runTo(10_000);
  tt.equal(cs(c.pod('b')).state.running?.startedAt, '2024-01-01T00:00:10Z');
  tt.match(c.events('Pulled', 'Pod/b')[0]?.message, /in 5s \(10s including waiting\)/);
  // The runtime has both images at once (a third pod needs no pull) ...
  c.createPod({ metadata: { name: 'c' }, spec: { containers: [{ name: 'main', image: 'big:1' }] } });
  c.runTo(20_000);
  tt.match(c.events('Pulled', 'Pod/c')[0]?.message, /already present on machine/);
  // ... but node status lists them only after the image cache refresh (every 30s from kubelet start) and the
  // status sync that follows.
  tt.equal(c.node('node-1').status.images, undefined, 'not in node status before the cache refresh');
  c.runTo(30_000);
  tt.same(c.node('node-1').status.images.map((i: { names: string[] }) => i.names[0]), ['big:1', 'big:2']);
});

t.test('node status lists at most nodeStatusMaxImages (50) images', async (tt) => {
  const c = cluster();
  for (let i = 0; i < 52; i++) c.createPod({ metadata: { name: `p${i}` }, spec: { containers: [{ name: 'main', image: `img:${i}` }] } });
  c.runTo(30_000);
  const names = c.node('node-1').status.images.map((i: { names: string[] }) => i.names[0]);
  tt.equal(names.length, 50);
  tt.equal(names[0], 'img:0', 'equal sizes keep pull order');
});

t.test('readiness is still probed while the pod terminates (only liveness and startup stop), turning it NotReady', async (tt) => {
  const c = cluster({ behaviors: [beh({ pod: 'p' }, { stopAfter: 40_000, probes: { readiness: { failAfter: 11_000 } } })] });
  c.createPod({ metadata: { name: 'p' }, spec: { terminationGracePeriodSeconds: 60, containers: [{ name: 'main', image: 'nginx:1.27',
    readinessProbe: { httpGet: { path: '/ready', port: 80 }, periodSeconds: 2, failureThreshold: 1 } }] } });
  c.at(10_000, () => { c.ctx.api.delete(c.pod('p')!, {}); });
  c.runTo(10_000);
  tt.equal(cond(c.pod('p'), 'Ready'), 'True', 'ready when the delete arrives');
  c.runTo(13_000);
  tt.equal(cond(c.pod('p'), 'Ready'), 'False', 'NotReady at the first failed probe after 11s, while terminating');
  tt.ok(c.pod('p')!.metadata.deletionTimestamp);
  tt.equal(c.events('Unhealthy')[0]?.first, 12_000);
});

t.test('a Failed pod reports Ready / ContainersReady False with reason PodFailed and no message', async (tt) => {
  const c = cluster({ behaviors: [beh({ pod: 'p' }, { runs: [{ exitAfter: 2000, exitCode: 1 }] })] });
  c.createPod({ metadata: { name: 'p' }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36' }] } });
  c.runTo(5000);
  const p = c.pod('p')!;
  tt.equal(p.status.phase, 'Failed');
  for (const type of ['Ready', 'ContainersReady']) {
    const x = p.status.conditions.find((y: Record<string, unknown>) => y.type === type);
    tt.match(x, { status: 'False', reason: 'PodFailed' }, type);
    tt.notOk('message' in x, `${type}: no message`);
  }
});

t.test("a sidecar failing its liveness probe is killed with 'Init container X failed liveness probe'", async (tt) => {
  const c = cluster({ behaviors: [beh({ container: 'proxy' }, { probes: { liveness: { failAfter: 0 } } })] });
  c.createPod({ metadata: { name: 'p' }, spec: { initContainers: [
    { name: 'proxy', image: 'envoy:1', restartPolicy: 'Always', livenessProbe: { exec: { command: ['true'] }, periodSeconds: 10, failureThreshold: 1 } },
  ], containers: [{ name: 'app', image: 'nginx:1.27' }] } });
  c.runTo(30_000);
  tt.equal(c.events('Killing')[0]?.message, 'Init container proxy failed liveness probe');
});

t.test('1.29: a Failed pod (init container failed under Never) reports Ready / ContainersReady reason PodFailed', async (tt) => {
  const c = cluster({ version: '1.29', behaviors: [beh({ container: 'setup' }, { runs: [{ exitAfter: 3000, exitCode: 2 }] })] });
  c.createPod({ metadata: { name: 'p' }, spec: { restartPolicy: 'Never', initContainers: [{ name: 'setup', image: 'busybox:1.36' }],
    containers: [{ name: 'main', image: 'busybox:1.36' }] } });
  c.runTo(10_000);
  const p = c.pod('p')!;
  tt.equal(p.status.phase, 'Failed');
  for (const type of ['Ready', 'ContainersReady']) {
    const x = p.status.conditions.find((y: Record<string, unknown>) => y.type === type);
    tt.match(x, { status: 'False', reason: 'PodFailed' }, type);
    tt.notOk('message' in x, `${type}: no message`);
  }
});

for (const version of ['1.29', '1.37'] as const) {
  t.test(`${version}: a sidecar failing its startup probe is killed with 'Init container X failed startup probe'`, async (tt) => {
    const c = cluster({ version, behaviors: [beh({ container: 'proxy' }, { probes: { startup: { passAfter: 3_600_000 } } })] });
    c.createPod({ metadata: { name: 'p' }, spec: { restartPolicy: 'Never', initContainers: [
      { name: 'proxy', image: 'envoy:1', restartPolicy: 'Always', startupProbe: { exec: { command: ['true'] }, periodSeconds: 10, failureThreshold: 1 } },
    ], containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    c.runTo(30_000);
    tt.equal(c.events('Killing')[0]?.message, 'Init container proxy failed startup probe', 'no ", will be restarted" even under Never');
  });
}
