import t from 'tap';
import { cluster, beh, cs } from './harness.js';
import type { KubeVersion } from '../../../src/sim/defaults.js';

const versions: KubeVersion[] = ['1.29', '1.34', '1.35', '1.37'];

for (const v of versions) {
  t.test(`a container exiting after 1s restarts at once, then after 10s, 20s, 40s, 80s, 160s on ${v}`, async (tt) => {
    const c = cluster({ version: v, behaviors: [beh({ pod: 'crasher' }, { runs: [{ exitAfter: 1000, exitCode: 1 }] })] });
    c.createPod({ metadata: { name: 'crasher' } });
    c.runTo(400_000);
    tt.same(c.times('kubelet', /container main started/), [0, 1000, 12_000, 33_000, 74_000, 155_000, 316_000]);
    tt.equal(cs(c.pod('crasher')).restartCount, 6);
  });
}

t.test('up to 1.34 the crash loop shows CrashLoopBackOff from exit+10s with one BackOff per 10s', async (tt) => {
  const c = cluster({ version: '1.34', behaviors: [beh({ pod: 'crasher' }, { runs: [{ exitAfter: 1000, exitCode: 1 }] })] });
  c.createPod({ metadata: { name: 'crasher' } });
  c.runTo(20_000);
  // exit at 13s, window 20s: status written at 23s from the previous sync's result
  tt.equal(cs(c.pod('crasher')).state.terminated?.reason, 'Error');
  c.runTo(23_000);
  tt.equal(cs(c.pod('crasher')).state.waiting?.reason, 'CrashLoopBackOff');
  tt.match(cs(c.pod('crasher')).state.waiting?.message, /^back-off 20s restarting failed container=main pod=crasher_default\(/);
  c.runTo(34_000);
  // BackOff at 2s, 13s, 23s, 34s
  tt.equal(c.events('BackOff')[0]!.count, 4);
});

t.test('from 1.35 windows up to 60s keep the Terminated state and emit one BackOff', async (tt) => {
  const c = cluster({ version: '1.37', behaviors: [beh({ pod: 'crasher' }, { runs: [{ exitAfter: 1000, exitCode: 1 }] })] });
  c.createPod({ metadata: { name: 'crasher' } });
  c.runTo(30_000);
  tt.equal(cs(c.pod('crasher')).state.terminated?.reason, 'Error');
  c.runTo(34_000);
  tt.equal(c.events('BackOff')[0]!.count, 3, 'one per window: 2s, 13s, 34s');
  c.runTo(215_000);
  tt.equal(cs(c.pod('crasher')).state.terminated?.reason, 'Error', 'exit 156s, window 160s: not yet visible');
  c.runTo(216_000);
  tt.equal(cs(c.pod('crasher')).state.waiting?.reason, 'CrashLoopBackOff', 'visible from exit+60s');
  tt.equal(c.pod('crasher')!.status.phase, 'Running');
});

t.test('a container that ran more than 10 minutes restarts at once and starts a new ladder', async (tt) => {
  const c = cluster({ behaviors: [beh({ pod: 'p' }, { runs: [{ exitAfter: 1000, exitCode: 1 }, { exitAfter: 1000, exitCode: 1 }, { exitAfter: 700_000, exitCode: 1 }, { exitAfter: 1000, exitCode: 1 }] })] });
  c.createPod({ metadata: { name: 'p' } });
  c.runTo(800_000);
  // starts: 0, 1s (immediate), 12s (10s), run 2 exits at 712s: backoff last advanced at 12s -> expired -> immediate
  const s = c.times('kubelet', /container main started/);
  tt.same(s.slice(0, 5), [0, 1000, 12_000, 712_000, 723_000]);
});

for (const [policy, code, phase, restarts, reason] of [
  ['Never', 1, 'Failed', 0, 'Error'],
  ['Never', 0, 'Succeeded', 0, 'Completed'],
  ['OnFailure', 0, 'Succeeded', 0, 'Completed'],
  ['OnFailure', 1, 'Running', 1, 'Error'],
] as const) {
  t.test(`restartPolicy ${policy} with exit code ${code} ends ${phase}`, async (tt) => {
    const c = cluster({ behaviors: [beh({ pod: 'p' }, { runs: [{ exitAfter: 5000, exitCode: code }, {}] })] });
    c.createPod({ metadata: { name: 'p' }, spec: { restartPolicy: policy, containers: [{ name: 'main', image: 'busybox:1.36' }] } });
    c.runTo(30_000);
    const p = c.pod('p')!;
    tt.equal(p.status.phase, phase);
    tt.equal(cs(p).restartCount, restarts);
    const st = cs(p);
    tt.equal(st.state.terminated?.reason ?? st.lastState.terminated?.reason, reason);
  });
}

t.test('oomAfter kills every run with 137 OOMKilled', async (tt) => {
  const c = cluster({ behaviors: [beh({ pod: 'p' }, { oomAfter: 3000 })] });
  c.createPod({ metadata: { name: 'p' } });
  c.runTo(5000);
  const st = cs(c.pod('p'));
  tt.equal(st.lastState.terminated?.reason, 'OOMKilled');
  tt.equal(st.lastState.terminated?.exitCode, 137);
});

t.test('crash makes a running container exit now', async (tt) => {
  const c = cluster();
  c.createPod({ metadata: { name: 'p' } });
  c.at(10_000, () => { tt.ok(c.fleet.crash(c.pod('p')!, 'main', 2)); });
  c.runTo(10_000);
  tt.equal(cs(c.pod('p')).restartCount, 1);
  tt.equal(cs(c.pod('p')).lastState.terminated?.exitCode, 2);
});
