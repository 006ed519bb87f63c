/** Contract: scenario-format.md "scheduler". */
import t from 'tap';
import { invalid, passes, run } from './helpers.js';

const S = 'scheduler: ';
const req = (name: string, cpu: string, extra = '') => `  - apiVersion: v1
    kind: Pod
    metadata: {name: ${name}}
    spec:${extra}
      containers: [{name: c, image: nginx:1.27, resources: {requests: {cpu: ${cpu}}}}]
`;

t.test(`${S}optional; the default is kube-scheduler's default profile for the chosen version (LeastAllocated spreads)`, async (t) => {
  passes(t, await run(`until: 10s
nodes: [{name: n, count: 3}]
manifests:
${req('a', '1')}${req('b', '1')}${req('c', '1')}expect:
  - {pods: {}, count: 3, distinctNodes: true}
`));
});

t.test(`${S}the value is a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1; apiVersion/kind optional)`, async (t) => {
  passes(t, await run(`until: 1s
scheduler:
  apiVersion: kubescheduler.config.k8s.io/v1
  kind: KubeSchedulerConfiguration
  percentageOfNodesToScore: 50
expect:
  - {nodes: {}, count: 0}
`));
  passes(t, await run('until: 1s\nscheduler: {percentageOfNodesToScore: 50}\nexpect:\n  - {nodes: {}, count: 0}\n'));
  invalid(t, await run('scheduler: {apiVersion: kubescheduler.config.k8s.io/v1beta3}\n'), /s\.yaml:4:\d+: /);
});

t.test(`${S}limited to percentageOfNodesToScore, podInitialBackoffSeconds, podMaxBackoffSeconds, one profile's plugins and pluginConfig`, async (t) => {
  passes(t, await run(`until: 1s
scheduler:
  percentageOfNodesToScore: 0
  podInitialBackoffSeconds: 2
  podMaxBackoffSeconds: 20
  plugins: {score: {enabled: [{name: ImageLocality, weight: 3}]}}
  pluginConfig: [{name: InterPodAffinity, args: {hardPodAffinityWeight: 5}}]
expect:
  - {nodes: {}, count: 0}
`));
  invalid(t, await run('scheduler:\n  parallelism: 4\n'), /s\.yaml:5:3: unknown key "parallelism" in scheduler/);
  invalid(t, await run('scheduler:\n  extenders: []\n'), /s\.yaml:5:3: unknown key "extenders"/);
});

t.test(`${S}podInitialBackoffSeconds and podMaxBackoffSeconds set the unschedulable pod's back-off`, async (t) => {
  const body = (cfg: string) => `until: 2m
${cfg}nodes: [{name: n, capacity: {cpu: "1"}}]
manifests:
${req('big', '2')}events:
  - {at: 1m, addNode: {name: m, capacity: {cpu: "4"}}}
expect:
  - {pod: big, node: m}
`;
  passes(t, await run(body('scheduler: {podInitialBackoffSeconds: 1, podMaxBackoffSeconds: 1}\n')));
  passes(t, await run(body('')));
});

t.test(`${S}plugins are enabled/disabled per extension point, multiPoint included`, async (t) => {
  passes(t, await run(`until: 5s
scheduler:
  plugins:
    filter: {disabled: [{name: TaintToleration}]}
nodes: [{name: n, taints: [{key: k, value: v, effect: NoSchedule}]}]
manifests:
${req('p', '100m')}expect:
  - {pod: p, node: n}
`));
  passes(t, await run(`until: 5s
scheduler:
  plugins:
    multiPoint: {disabled: [{name: NodeResourcesFit}]}
nodes: [{name: n, capacity: {cpu: "1"}}]
manifests:
${req('p', '8')}expect:
  - {pod: p, node: n}
`));
  passes(t, await run(`until: 5s
scheduler:
  plugins:
    multiPoint: {disabled: [{name: "*"}], enabled: [{name: PrioritySort}, {name: DefaultBinder}]}
nodes: [{name: n, unschedulable: true}]
manifests:
${req('p', '100m')}expect:
  - {pod: p, node: n}
`));
});

t.test(`${S}score weights, and pluginConfig NodeResourcesFit scoringStrategy MostAllocated packs pods`, async (t) => {
  passes(t, await run(`until: 10s
scheduler:
  pluginConfig:
    - name: NodeResourcesFit
      args: {scoringStrategy: {type: MostAllocated, resources: [{name: cpu, weight: 1}]}}
  plugins:
    score:
      enabled: [{name: NodeResourcesFit, weight: 10}]
nodes: [{name: n, count: 3}]
manifests:
  - {apiVersion: v1, kind: Pod, metadata: {name: seed}, spec: {nodeName: n-2, containers: [{name: c, image: nginx:1.27, resources: {requests: {cpu: "1"}}}]}}
${req('a', '1')}${req('b', '1')}expect:
  - {pods: {}, count: 3, all: {spec: {nodeName: n-2}}}
`));
  passes(t, await run(`until: 10s
scheduler:
  pluginConfig:
    - name: NodeResourcesFit
      args:
        scoringStrategy:
          type: RequestedToCapacityRatio
          resources: [{name: cpu, weight: 1}]
          requestedToCapacityRatio: {shape: [{utilization: 0, score: 0}, {utilization: 100, score: 10}]}
nodes: [{name: n, count: 3}]
manifests:
  - {apiVersion: v1, kind: Pod, metadata: {name: seed}, spec: {nodeName: n-3, containers: [{name: c, image: nginx:1.27, resources: {requests: {cpu: "1"}}}]}}
${req('a', '1')}expect:
  - {pod: a, node: n-3}
`));
});

t.test(`${S}pluginConfig PodTopologySpread defaultConstraints`, async (t) => {
  passes(t, await run(`until: 10s
scheduler:
  pluginConfig:
    - name: PodTopologySpread
      args:
        defaultingType: List
        defaultConstraints:
          - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}
nodes:
  - {name: a, count: 2, labels: {zone: a}}
  - {name: b, labels: {zone: b}}
manifests:
  - apiVersion: apps/v1
    kind: ReplicaSet
    metadata: {name: web}
    spec:
      replicas: 4
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec: {containers: [{name: c, image: nginx:1.27}]}
expect:
  - {pods: {node: b}, count: 2}
  - {pods: {node: "a-*"}, count: 2}
`));
});

t.test(`${S}written at the top level or as a one-entry profiles: (schedulerName omitted or default-scheduler)`, async (t) => {
  const body = (cfg: string) => `until: 5s
scheduler:
${cfg}nodes: [{name: n, taints: [{key: k, effect: NoSchedule}]}]
manifests:
${req('p', '100m')}expect:
  - {pod: p, node: n}
`;
  passes(t, await run(body('  profiles:\n    - plugins: {filter: {disabled: [{name: TaintToleration}]}}\n')));
  passes(t, await run(body('  profiles:\n    - schedulerName: default-scheduler\n      plugins: {filter: {disabled: [{name: TaintToleration}]}}\n')));
  invalid(t, await run(body('  profiles:\n    - schedulerName: other\n')), /s\.yaml:7:\d+: scheduler\.profiles\[0\]\.schedulerName/);
  invalid(t, await run(body('  profiles:\n    - {}\n    - {}\n')), /s\.yaml:\d+:\d+: /);
  invalid(t, await run(body('  plugins: {}\n  profiles:\n    - plugins: {}\n')), /either at the top level or in the one profile/);
});

t.test(`${S}it merges with the defaults as kube-scheduler merges it`, async (t) => {
  // Disabling one filter keeps the other default filters (NodeUnschedulable still applies).
  passes(t, await run(`until: 5s
scheduler:
  plugins:
    filter: {disabled: [{name: TaintToleration}]}
nodes:
  - {name: cordoned, unschedulable: true}
  - {name: tainted, taints: [{key: k, effect: NoSchedule}]}
manifests:
${req('p', '100m')}expect:
  - {pod: p, node: tainted}
`));
  // A custom weight replaces the default weight of that plugin only.
  passes(t, await run(`until: 5s
scheduler:
  plugins:
    score:
      enabled: [{name: ImageLocality, weight: 100}]
nodes:
  - {name: n, count: 3}
  - {name: has, images: [{name: "nginx:1.27", sizeBytes: 900000000}]}
manifests:
${req('p', '100m')}expect:
  - {pod: p, node: has}
`));
});

t.test(`${S}pods with another schedulerName are never scheduled`, async (t) => {
  passes(t, await run(`until: 5m
nodes: [{name: n}]
manifests:
${req('p', '100m', '\n      schedulerName: my-scheduler')}expect:
  - {always: true, pod: p, node: null, phase: Pending}
  - {events: {object: Pod/p}, count: 0}
`));
});
