import t from 'tap';
import { cluster, beh, cs, cond } from './harness.js';
import type { KubeVersion } from '../../../src/sim/defaults.js';

const probe = (extra: Record<string, unknown> = {}) => ({ httpGet: { path: '/', port: 80 }, periodSeconds: 10, ...extra });

t.test('a readiness probe that passes makes the pod Ready at the first tick after the start', async (tt) => {
  const c = cluster();
  c.createPod({ metadata: { name: 'p' }, spec: { containers: [{ name: 'main', image: 'nginx:1.27', readinessProbe: probe() }] } });
  c.runTo(9_999);
  tt.equal(cond(c.pod('p'), 'Ready'), 'False');
  tt.equal(cs(c.pod('p')).started, true);
  c.runTo(10_000);
  tt.equal(cond(c.pod('p'), 'Ready'), 'True');
});

for (const [v, times] of [['1.31', [10_000, 10_000, 20_000, 30_000]], ['1.37', [10_000, 10_000, 20_000, 30_000]]] as const) {
  t.test(`a failing readiness probe is repeated at the seeding tick and then every period on ${v}`, async (tt) => {
    const c = cluster({ version: v as KubeVersion, behaviors: [beh({ pod: 'p' }, { probes: { readiness: { passAfter: 35_000 } } })] });
    c.createPod({ metadata: { name: 'p' }, spec: { containers: [{ name: 'main', image: 'nginx:1.27', readinessProbe: probe() }] } });
    c.runTo(40_000);
    const ev = c.events('Unhealthy');
    tt.equal(ev.length, 1);
    tt.equal(ev[0]!.message, 'Readiness probe failed: HTTP probe failed with statuscode: 500');
    tt.equal(ev[0]!.count, times.length);
    tt.equal(cond(c.pod('p'), 'Ready'), 'True', 'passes at 40s');
  });
}

for (const [field, value, killAt] of [
  ['periodSeconds', 5, 15_000],
  ['failureThreshold', 1, 10_000],
  ['initialDelaySeconds', 25, 50_000],
  ['initialDelaySeconds', 20, 40_000],
] as const) {
  t.test(`a liveness probe failing from the start with ${field}=${value} kills the container at ${killAt}ms`, async (tt) => {
    const c = cluster({ behaviors: [beh({ pod: 'p' }, { probes: { liveness: { failAfter: 0 } }, runs: [{}] })] });
    c.createPod({ metadata: { name: 'p' }, spec: { containers: [{ name: 'main', image: 'nginx:1.27', livenessProbe: probe({ [field]: value }) }] } });
    c.runTo(killAt + 1);
    const k = c.events('Killing');
    tt.equal(k[0]?.first, killAt);
    tt.equal(k[0]?.message, 'Container main failed liveness probe, will be restarted');
    tt.equal(cs(c.pod('p')).restartCount, 1);
    tt.equal(cs(c.pod('p')).lastState.terminated?.exitCode, 143);
  });
}

t.test('probe outputs follow the handler', async (tt) => {
  const c = cluster({ behaviors: [beh({ pod: 'p' }, { probes: { liveness: { failAfter: 0 }, readiness: { failAfter: 0 } } })] });
  c.createPod({
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'main', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }],
      livenessProbe: { exec: { command: ['false'] }, periodSeconds: 10 },
      readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 10 } }] },
  });
  c.runTo(10_000);
  const msgs = c.events('Unhealthy').map((e) => e.message).sort();
  tt.same(msgs, ['Liveness probe failed: ', 'Readiness probe failed: dial tcp 10.244.0.2:8080: connect: connection refused']);
});

t.test('a startup probe gates liveness and readiness; readiness runs right at the startup success', async (tt) => {
  const c = cluster({ behaviors: [beh({ pod: 'p' }, { probes: { startup: { passAfter: 25_000 } } })] });
  c.createPod({ metadata: { name: 'p' }, spec: { containers: [{ name: 'main', image: 'nginx:1.27',
    startupProbe: probe({ failureThreshold: 10 }), readinessProbe: probe() }] } });
  c.runTo(29_999);
  tt.equal(cs(c.pod('p')).started, false);
  c.runTo(30_000);
  tt.equal(cs(c.pod('p')).started, true);
  tt.equal(cond(c.pod('p'), 'Ready'), 'True');
  tt.equal(c.events('Unhealthy')[0]?.count, 2, 'startup failed at 10s and 20s');
});

t.test('probeFail makes a passing readiness probe fail for its window', async (tt) => {
  const c = cluster();
  c.createPod({ metadata: { name: 'p' }, spec: { containers: [{ name: 'main', image: 'nginx:1.27', readinessProbe: probe({ failureThreshold: 1 }) }] } });
  c.at(25_000, () => c.fleet.probeFail(c.pod('p')!, 'main', 'readiness', 45_000));
  c.runTo(30_000);
  tt.equal(cond(c.pod('p'), 'Ready'), 'False');
  tt.equal(cond(c.pod('p'), 'ContainersReady'), 'False');
  tt.equal(c.pod('p')!.status.phase, 'Running');
  c.runTo(50_000);
  tt.equal(cond(c.pod('p'), 'Ready'), 'True');
  tt.equal(cs(c.pod('p')).restartCount, 0);
});
