import t from 'tap';
import { defaultObject, generateJobSelector } from '../../../src/k8s/defaulting.js';
import { validateObject, formatFieldPath } from '../../../src/k8s/validation.js';
import { nodeObject } from '../../../src/k8s/node.js';
import { defaultsFor } from '../../../src/sim/defaults.js';
import { getPath } from '../../../src/k8s/util.js';
import type { KObject } from '../../../src/k8s/types.js';

const d = defaultsFor('1.37');
const def = (o: Record<string, unknown>): KObject => { const k = o as unknown as KObject; defaultObject(k, d); return k; };
const pod = () => def({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [
  { name: 'a', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } },
    livenessProbe: { httpGet: { port: 80 } } },
  { name: 'b', image: 'nginx:1.27' }] } });
const deploy = () => def({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'x:latest' }] } } } });

const cases: Array<[string, () => KObject, string, unknown]> = [
  ['a pod gets restartPolicy Always', pod, 'spec.restartPolicy', 'Always'],
  ['a pod gets terminationGracePeriodSeconds 30', pod, 'spec.terminationGracePeriodSeconds', 30],
  ['a pod gets dnsPolicy ClusterFirst', pod, 'spec.dnsPolicy', 'ClusterFirst'],
  ['a pod gets the default scheduler', pod, 'spec.schedulerName', 'default-scheduler'],
  ['a pod gets enableServiceLinks true', pod, 'spec.enableServiceLinks', true],
  ['a pod gets the default service account', pod, 'spec.serviceAccountName', 'default'],
  ['a pod gets an empty securityContext', pod, 'spec.securityContext', {}],
  ['an untagged image is pulled Always', () => pod().spec.containers[0], 'imagePullPolicy', 'Always'],
  ['a tagged image is pulled IfNotPresent', () => pod().spec.containers[1], 'imagePullPolicy', 'IfNotPresent'],
  ['a container port gets protocol TCP', () => pod().spec.containers[0].ports[0], 'protocol', 'TCP'],
  ['requests are copied from limits', () => pod().spec.containers[0], 'resources.requests', { cpu: '1' }],
  ['a probe gets periodSeconds 10', () => pod().spec.containers[0], 'livenessProbe.periodSeconds', 10],
  ['a probe gets failureThreshold 3', () => pod().spec.containers[0], 'livenessProbe.failureThreshold', 3],
  ['an httpGet probe gets scheme HTTP', () => pod().spec.containers[0], 'livenessProbe.httpGet.scheme', 'HTTP'],
  ['a container gets terminationMessagePath', () => pod().spec.containers[1], 'terminationMessagePath', '/dev/termination-log'],
  ['a pod is Pending with a QoS class', pod, 'status', { phase: 'Pending', qosClass: 'Burstable' }],
  ['a deployment gets 1 replica', deploy, 'spec.replicas', 1],
  ['a deployment gets a 25%/25% rolling update', deploy, 'spec.strategy', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }],
  ['a deployment gets progressDeadlineSeconds 600', deploy, 'spec.progressDeadlineSeconds', 600],
  ['a deployment template gets pod defaults', deploy, 'spec.template.spec.restartPolicy', 'Always'],
  ['a deployment template image :latest is pulled Always', deploy, 'spec.template.spec.containers', [{ name: 'c', image: 'x:latest', imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {} }]],
  ['a statefulset gets OrderedReady and Retain/Retain', () => def({ kind: 'StatefulSet', metadata: { name: 's' }, spec: {} }), 'spec.persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Retain', whenScaled: 'Retain' }],
  ['a daemonset gets maxUnavailable 1 maxSurge 0', () => def({ kind: 'DaemonSet', metadata: { name: 's' }, spec: {} }), 'spec.updateStrategy', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }],
  ['a job gets completions and parallelism 1', () => def({ kind: 'Job', metadata: { name: 'j' }, spec: {} }), 'spec.completions', 1],
  ['a job gets backoffLimit 6', () => def({ kind: 'Job', metadata: { name: 'j' }, spec: {} }), 'spec.backoffLimit', 6],
  ['a job gets podReplacementPolicy TerminatingOrFailed', () => def({ kind: 'Job', metadata: { name: 'j' }, spec: {} }), 'spec.podReplacementPolicy', 'TerminatingOrFailed'],
  ['a job with a podFailurePolicy gets podReplacementPolicy Failed', () => def({ kind: 'Job', metadata: { name: 'j' }, spec: { podFailurePolicy: { rules: [] } } }), 'spec.podReplacementPolicy', 'Failed'],
  ['a cronjob gets concurrencyPolicy Allow', () => def({ kind: 'CronJob', metadata: { name: 'c' }, spec: {} }), 'spec.concurrencyPolicy', 'Allow'],
  ['a cronjob keeps 3 successful jobs', () => def({ kind: 'CronJob', metadata: { name: 'c' }, spec: {} }), 'spec.successfulJobsHistoryLimit', 3],
  ['a service port targets its port', () => def({ kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } }), 'spec.ports', [{ port: 80, protocol: 'TCP', targetPort: 80 }]],
  ['a service is single-stack ClusterIP', () => def({ kind: 'Service', metadata: { name: 's' }, spec: {} }), 'spec.ipFamilyPolicy', 'SingleStack'],
  ['a namespace gets the kubernetes finalizer', () => def({ kind: 'Namespace', metadata: { name: 'n' } }), 'spec.finalizers', ['kubernetes']],
  ['a namespace gets its name label', () => def({ kind: 'Namespace', metadata: { name: 'n' } }), 'metadata.labels', { 'kubernetes.io/metadata.name': 'n' }],
  ['a priority class preempts lower priority', () => def({ kind: 'PriorityClass', metadata: { name: 'p' }, value: 5 }), 'preemptionPolicy', 'PreemptLowerPriority'],
  ['a PVC gets volumeMode Filesystem', () => def({ kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: {} }), 'spec.volumeMode', 'Filesystem'],
  ['a PV is retained by default', () => def({ kind: 'PersistentVolume', metadata: { name: 'v' }, spec: {} }), 'spec.persistentVolumeReclaimPolicy', 'Retain'],
  ['a pod with a negative grace period gets 1', () => def({ kind: 'Pod', metadata: { name: 'p' }, spec: { terminationGracePeriodSeconds: -3, containers: [] } }), 'spec.terminationGracePeriodSeconds', 1],
  ['a node given in full gets default capacity', () => def({ kind: 'Node', metadata: { name: 'n1' }, status: { capacity: { cpu: '8' } } }), 'status.allocatable', { cpu: '8', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' }],
];

t.test('defaulting', async (t) => {
  for (const [name, make, path, want] of cases) {
    const o = make();
    const v = path.split('.').reduce<unknown>((acc, p) => (acc as Record<string, unknown> | undefined)?.[p], o);
    t.same(v, want, name);
  }
  const sts = def({ kind: 'StatefulSet', metadata: { name: 's' }, spec: {} });
  t.equal(sts.spec.updateStrategy.rollingUpdate.maxUnavailable, 1, 'a 1.37 statefulset gets maxUnavailable 1');
  const sts36 = { kind: 'StatefulSet', metadata: { name: 's' }, spec: {} } as unknown as KObject;
  defaultObject(sts36, defaultsFor('1.36'));
  t.equal(sts36.spec.updateStrategy.rollingUpdate.maxUnavailable, undefined, 'a 1.36 statefulset does not');
  const job = { kind: 'Job', metadata: { name: 'j', uid: 'u-1' }, spec: { template: { spec: { containers: [] } } } } as unknown as KObject;
  generateJobSelector(job);
  t.same(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } }, 'a job selector matches its controller uid');
  t.same(job.spec.template.metadata.labels, { 'batch.kubernetes.io/controller-uid': 'u-1', 'batch.kubernetes.io/job-name': 'j', 'controller-uid': 'u-1', 'job-name': 'j' }, 'a job template gets the four job labels');
});

t.test('update validation', async (t) => {
  const msgs = (o: KObject, old: KObject) => validateObject(o, d, old).map((e) => `${formatFieldPath(e.path)}: ${e.message}`);
  const a = pod();
  const b = structuredClone(a); b.spec.containers[0].image = 'nginx:2';
  t.same(msgs(b, a), [], 'a pod image may change');
  const c = structuredClone(a); c.spec.containers[0].ports[0].containerPort = 81;
  t.match(msgs(c, a)[0], /^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/, 'a pod port may not change');
  const e = structuredClone(a); e.spec.activeDeadlineSeconds = 10; const f = structuredClone(e); f.spec.activeDeadlineSeconds = 20;
  t.same(msgs(f, e), ['spec.activeDeadlineSeconds: Invalid value: 20: must be less than or equal to previous value'], 'activeDeadlineSeconds may not rise');
  const d1 = deploy(); d1.spec.selector = { matchLabels: { a: 'b' } };
  const d2 = structuredClone(d1); d2.spec.selector = { matchLabels: { a: 'c' } };
  t.ok(msgs(d2, d1).includes('spec.selector: Invalid value: &v1.LabelSelector{MatchLabels:map[string]string{"a":"c"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable'), 'a deployment selector is immutable');
});

t.test('nodes from declarations', async (t) => {
  const n = nodeObject({ name: 'w1', capacity: { cpu: '8' }, allocatable: { cpu: '7800m' }, labels: { zone: 'a' }, taints: [{ key: 'k', effect: 'NoSchedule' }], unschedulable: true, images: [{ name: 'nginx:1.27', sizeBytes: 7 }], pos: { file: 'f', line: 1, col: 1 } }, '1.33');
  t.same(n.metadata.labels, { 'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': 'w1', 'kubernetes.io/os': 'linux', zone: 'a' }, 'a node gets the kubelet labels');
  t.same(n.status.capacity, { cpu: '8', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' }, 'capacity defaults per resource');
  t.equal(n.status.allocatable.cpu, '7800m', 'allocatable overrides per resource');
  t.equal(n.status.allocatable.memory, '16Gi', 'allocatable defaults to capacity');
  t.same(n.status.images, [{ names: ['nginx:1.27'], sizeBytes: 7 }], 'images are listed by names');
  t.equal(n.status.nodeInfo.kubeletVersion, 'v1.33.0', 'the kubelet version follows the scenario version');
  t.same(n.spec, { taints: [{ key: 'k', effect: 'NoSchedule' }], unschedulable: true }, 'taints and unschedulable are kept');
  t.equal(getPath(n, 'status.nodeInfo.operatingSystem'), 'linux', 'nodes run linux');
});

t.test('imagePullPolicy follows ParseImageName: Always for :latest (even with a digest) or no tag nor digest', async (tt) => {
  const policy = (image: string) => def({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image }] } }).spec.containers[0].imagePullPolicy;
  tt.equal(policy('nginx'), 'Always');
  tt.equal(policy('nginx:latest'), 'Always');
  tt.equal(policy('nginx:latest@sha256:' + '0'.repeat(64)), 'Always');
  tt.equal(policy('nginx@sha256:' + '0'.repeat(64)), 'IfNotPresent');
  tt.equal(policy('registry:5000/nginx'), 'Always', 'a registry port is not a tag');
  tt.equal(policy('nginx:1.27'), 'IfNotPresent');
});

t.test('qosClass counts only quantities above zero, summed over containers (ComputePodQOS)', async (tt) => {
  const qos = (resources: unknown[], v = d) => {
    const p = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: resources.map((r, i) => ({ name: `c${i}`, image: 'x', resources: r })) } } as unknown as KObject;
    defaultObject(p, v);
    return p.status.qosClass;
  };
  tt.equal(qos([{ requests: { cpu: '0' } }]), 'BestEffort');
  tt.equal(qos([{ limits: { cpu: '0', memory: '0' } }]), 'BestEffort');
  tt.equal(qos([{ limits: { cpu: '1', memory: '1Gi' } }]), 'Guaranteed');
  tt.equal(qos([{ limits: { cpu: '1', memory: '1Gi' } }, {}]), 'Burstable', 'a container without limits');
  tt.equal(qos([{ requests: { cpu: '100m' } }]), 'Burstable');
  const pl = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { resources: { limits: { cpu: '1', memory: '1Gi' } }, containers: [{ name: 'a', image: 'x' }] } } as unknown as KObject;
  defaultObject(pl, defaultsFor('1.32'));
  tt.equal(pl.spec.resources, undefined, '1.32: pod-level resources (alpha, off) dropped');
  tt.equal(pl.status.qosClass, 'BestEffort');
});

t.test('fields an alpha gate switches off are dropped as dropDisabledFields does', async (tt) => {
  const p = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x',
    lifecycle: { preStop: { sleep: { seconds: 5 }, exec: { command: ['x'] } } } }] } } as unknown as KObject;
  defaultObject(p, defaultsFor('1.29'));
  tt.same(Object.keys(p.spec.containers[0].lifecycle.preStop), ['exec'], '1.29: the sleep action is dropped');
  const job = (v: '1.31' | '1.32') => { const j = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { managedBy: 'example.com/ctl',
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'x' }] } } } } as unknown as KObject; defaultObject(j, defaultsFor(v)); return j; };
  tt.equal(job('1.31').spec.managedBy, undefined, '1.31: managedBy (alpha, off) dropped');
  tt.equal(job('1.32').spec.managedBy, 'example.com/ctl', '1.32: beta, kept');
});

t.test('imagePullPolicy: a reference ParseImageName cannot parse has no tag, so IfNotPresent (SetDefaults_Container ignores the error)', async (tt) => {
  const policy = (image: string) => def({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image }] } }).spec.containers[0].imagePullPolicy;
  tt.equal(policy('NGINX'), 'IfNotPresent', 'an upper-case repository name');
  tt.equal(policy('nginx:latest@sha256:abc'), 'IfNotPresent', 'a digest of the wrong length');
  tt.equal(policy('nginx:latest@sha256:' + 'A'.repeat(64)), 'IfNotPresent', 'upper-case digest hex');
  tt.equal(policy('nginx:latest@md5:' + '0'.repeat(32)), 'IfNotPresent', 'an unregistered digest algorithm');
  tt.equal(policy('0'.repeat(64)), 'IfNotPresent', 'a 64-hex identifier');
  tt.equal(policy('nginx:'), 'IfNotPresent', 'an empty tag');
  tt.equal(policy('nginx:latest@sha512:' + '0'.repeat(128)), 'Always', 'sha512 is registered');
  tt.equal(policy('Registry.IO/nginx'), 'Always', 'an upper-case first element is a domain');
  tt.equal(policy('[::1]:5000/nginx'), 'Always', 'an IPv6 registry with a port');
  tt.equal(policy('index.docker.io/library/nginx:latest'), 'Always');
  tt.equal(policy('nginx:LATEST'), 'IfNotPresent', 'the tag compare is case-sensitive');
});

t.test('pod-level resources by version: unknown before 1.32, dropped on 1.32-1.33 (alpha), kept from 1.34 (beta)', async (tt) => {
  const mk = () => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { resources: { limits: { cpu: '1', memory: '1Gi' } }, containers: [{ name: 'a', image: 'x' }] } }) as unknown as KObject;
  for (const v of ['1.32', '1.33'] as const) {
    const p = mk();
    defaultObject(p, defaultsFor(v));
    tt.equal(p.spec.resources, undefined, `${v}: dropped`);
    tt.equal(p.status.qosClass, 'BestEffort', `${v}: BestEffort`);
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: mk().spec } } } as unknown as KObject;
    defaultObject(dep, defaultsFor(v));
    tt.equal(dep.spec.template.spec.resources, undefined, `${v}: dropped from a pod template too`);
  }
  for (const v of ['1.34', '1.37'] as const) {
    const p = mk();
    defaultObject(p, defaultsFor(v));
    tt.same(p.spec.resources, { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } }, `${v}: kept, requests from limits`);
    tt.equal(p.status.qosClass, 'Guaranteed', `${v}: Guaranteed from the pod level`);
  }
  tt.equal(defaultsFor('1.31').podLevelResources, false, '1.31: the gate does not exist (the schema rejects the field)');
});

t.test('qosClass from pod-level resources (1.34+) ignores the containers, as ComputePodQOS', async (tt) => {
  const qos = (resources: unknown, containerResources: unknown = {}) => {
    const p = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { resources, containers: [{ name: 'a', image: 'x', resources: containerResources }] } } as unknown as KObject;
    defaultObject(p, defaultsFor('1.34'));
    return p.status.qosClass;
  };
  tt.equal(qos({ requests: { cpu: '500m' } }, { limits: { cpu: '1', memory: '1Gi' } }), 'Burstable', 'pod-level requests only');
  tt.equal(qos({ limits: { cpu: '1' } }), 'Burstable', 'a pod-level limit on cpu alone');
  tt.equal(qos({ limits: { cpu: '0', memory: '0' } }), 'BestEffort', 'zero pod-level limits do not count');
  tt.equal(qos({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }), 'Burstable', 'requests below limits');
});

t.test('a Secret\'s stringData is merged into data as base64, overwriting, and not stored', async (t) => {
  const s = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'b2xk', b: 'Yg==' }, stringData: { a: 'new', c: 'héllo' } } as unknown as KObject;
  defaultObject(s, defaultsFor('1.37'));
  t.same(s, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { a: 'bmV3', b: 'Yg==', c: 'aMOpbGxv' } });
});
