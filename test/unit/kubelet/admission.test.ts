/**
 * Kubelet admission (k/k pkg/kubelet/lifecycle/predicate.go): a pod created with spec.nodeName that does not
 * fit is rejected, Failed with reason OutOf<resource> / NodeAffinity / NodePorts / TaintToleration, a Warning
 * Event and `Pod was rejected: <message>`; pods the kubelet admitted earlier count, finished ones do not.
 */
import t from 'tap';
import { join } from 'node:path';
import { loadScenarios, runScenario } from '../../../src/runner.js';
import type { KObject } from '../../../src/k8s/types.js';
import { folder } from '../../robustness/helpers.js';

function run(body: string, version = '1.37', until = '1m') {
  const d = folder({ 's.yaml': `apiVersion: kubedrill/v1\nkind: Scenario\nname: s\nkubernetes: "${version}"\nuntil: ${until}\n${body}` });
  const { files } = loadScenarios([join(d, 's.yaml')]);
  const sc = files[0]!.scenarios[0];
  if (!sc) throw new Error(JSON.stringify(files[0]!.problems));
  const r = runScenario(sc, { checkInvariants: true });
  if (r.outcome.error) throw new Error(r.outcome.error.message);
  const store = r.simulation.store;
  const pod = (name: string): KObject => store.get('Pod', 'default', name)!;
  const events = (reason: string) => r.simulation.recorder.events.filter((e) => e.reason === reason);
  return { pod, events };
}

const pinned = (name: string, extra = '', spec = '') =>
  `  - {apiVersion: v1, kind: Pod, metadata: {name: ${name}${extra}}, spec: {nodeName: n1${spec}, containers: [{name: c, image: nginx, resources: {requests: {cpu: 600m}}}]}}\n`;

t.test('a pod pinned with nodeName to a node without room is rejected with OutOfcpu', async (t) => {
  const { pod, events } = run(`nodes: [{name: n1, capacity: {cpu: "1", memory: 4Gi, pods: 110}}]\nmanifests:\n${pinned('a')}${pinned('b')}`);
  t.equal(pod('a').status.phase, 'Running');
  const b = pod('b');
  t.equal(b.status.phase, 'Failed');
  t.equal(b.status.reason, 'OutOfcpu');
  t.equal(b.status.message, "Pod was rejected: Node didn't have enough resource: cpu, requested: 600, used: 600, capacity: 1000");
  t.equal(b.status.qosClass, 'Burstable');
  t.ok(b.status.startTime, 'the status manager sets a start time');
  t.equal(b.status.containerStatuses, undefined, 'no container ever ran');
  const ev = events('OutOfcpu');
  t.equal(ev.length, 1);
  t.match(ev[0], { type: 'Warning', source: { component: 'kubelet', host: 'n1' }, involvedObject: { name: 'b' } });
  t.equal(ev[0]!.message, "Node didn't have enough resource: cpu, requested: 600, used: 600, capacity: 1000");
});

t.test('the pod count comes first: OutOfpods', async (t) => {
  const { pod } = run(`nodes: [{name: n1, capacity: {cpu: "1", pods: 1}}]\nmanifests:\n${pinned('a')}${pinned('b')}`);
  t.equal(pod('b').status.reason, 'OutOfpods');
  t.equal(pod('b').status.message, "Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: 1, capacity: 1");
});

t.test('a finished pod no longer counts', async (t) => {
  const { pod } = run(`nodes: [{name: n1, capacity: {cpu: "1"}}]
behaviors: [{match: {pod: a}, runs: [{exitAfter: 5s, exitCode: 0}]}]
manifests:
  - {apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {nodeName: n1, restartPolicy: Never, containers: [{name: c, image: nginx, resources: {requests: {cpu: 600m}}}]}}
events:
  - {at: 10s, apply: {apiVersion: v1, kind: Pod, metadata: {name: b}, spec: {nodeName: n1, containers: [{name: c, image: nginx, resources: {requests: {cpu: 600m}}}]}}}
`);
  t.equal(pod('a').status.phase, 'Succeeded');
  t.equal(pod('b').status.phase, 'Running');
});

t.test('node affinity, host ports and NoExecute taints, with the 1.29–1.30 short message', async (t) => {
  const body = `nodes: [{name: n1, labels: {disk: hdd}, taints: [{key: maint, effect: NoExecute}]}]
manifests:
  - {apiVersion: v1, kind: Pod, metadata: {name: sel}, spec: {nodeName: n1, nodeSelector: {disk: ssd}, tolerations: [{operator: Exists}], containers: [{name: c, image: nginx}]}}
  - {apiVersion: v1, kind: Pod, metadata: {name: p1}, spec: {nodeName: n1, tolerations: [{operator: Exists}], containers: [{name: c, image: nginx, ports: [{containerPort: 80, hostPort: 8080}]}]}}
  - {apiVersion: v1, kind: Pod, metadata: {name: p2}, spec: {nodeName: n1, tolerations: [{operator: Exists}], containers: [{name: c, image: nginx, ports: [{containerPort: 80, hostPort: 8080}]}]}}
  - {apiVersion: v1, kind: Pod, metadata: {name: taint}, spec: {nodeName: n1, containers: [{name: c, image: nginx}]}}
`;
  for (const [v, full] of [['1.30', false], ['1.31', true], ['1.37', true]] as const) {
    const { pod, events } = run(body, v);
    const msg = (name: string, desc: string) => `Pod was rejected: Predicate ${name} failed${full ? ': ' + desc : ''}`;
    t.match(pod('sel').status, { phase: 'Failed', reason: 'NodeAffinity', message: msg('NodeAffinity', "node(s) didn't match Pod's node affinity/selector") }, v);
    t.equal(pod('p1').status.phase, 'Running', v);
    t.match(pod('p2').status, { phase: 'Failed', reason: 'NodePorts', message: msg('NodePorts', "node(s) didn't have free ports for the requested pod ports") }, v);
    // The taint-eviction controller then deletes the pod (it does not tolerate the NoExecute taint either).
    const ev = events('TaintToleration');
    t.equal(ev.length, 1, v);
    t.equal(ev[0]!.involvedObject.name, 'taint', v);
    t.equal(ev[0]!.message, msg('TaintToleration', "node(s) had taints that the pod didn't tolerate").slice('Pod was rejected: '.length), v);
  }
});

t.test('pods the scheduler binds are admitted (the scheduler checked the same)', async (t) => {
  const { pod, events } = run(`nodes: [{name: n1, capacity: {cpu: "1"}}]
manifests:
  - {apiVersion: apps/v1, kind: Deployment, metadata: {name: w}, spec: {replicas: 3, selector: {matchLabels: {app: w}}, template: {metadata: {labels: {app: w}}, spec: {containers: [{name: c, image: nginx, resources: {requests: {cpu: 400m}}}]}}}}
`);
  void pod;
  t.equal(events('OutOfcpu').length, 0);
  t.equal(events('FailedScheduling').length > 0, true, 'the third replica waits in the scheduler instead');
});

t.test('a pod bound while the kubelet is down is admitted when it comes back', async (t) => {
  const { pod } = run(`nodes: [{name: n1, capacity: {cpu: "1"}}]
manifests:
${pinned('a')}
events:
  - {at: 10s, nodeDown: n1}
  - {at: 20s, apply: {apiVersion: v1, kind: Pod, metadata: {name: b}, spec: {nodeName: n1, tolerations: [{operator: Exists}], containers: [{name: c, image: nginx, resources: {requests: {cpu: 600m}}}]}}}
  - {at: 30s, nodeUp: n1}
`);
  t.equal(pod('a').status.phase, 'Running');
  t.equal(pod('b').status.reason, 'OutOfcpu');
});
