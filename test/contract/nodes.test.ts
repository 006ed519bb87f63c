/** Contract: scenario-format.md "nodes". */
import t from 'tap';
import { invalid, passes, pod, run } from './helpers.js';

const S = 'nodes: ';

t.test(`${S}each entry declares one node, or count nodes named <name>-1 .. <name>-N`, async (t) => {
  passes(t, await run(`until: 1s
nodes:
  - {name: solo}
  - {name: worker, count: 3}
  - {name: one, count: 1}
expect:
  - {nodes: {}, count: 5}
  - {nodes: {name: solo}, count: 1}
  - {nodes: {name: "worker-?"}, count: 3}
  - {nodes: {name: worker}, count: 0}
  - {nodes: {name: one-1}, count: 1}
`));
  invalid(t, await run('nodes:\n  - {name: w, count: 0}\n'), /s\.yaml:5:\d+: /);
  invalid(t, await run('nodes:\n  - {name: w-1}\n  - {name: w, count: 2}\n'), /duplicate node name "w-1"/);
});

t.test(`${S}capacity defaults to cpu 4, memory 16Gi, pods 110, ephemeral-storage 100Gi`, async (t) => {
  passes(t, await run(`until: 1s
nodes: [{name: n}]
expect:
  - nodes: {}
    match: {status: {capacity: {cpu: "4", memory: 16Gi, pods: "110", ephemeral-storage: 100Gi}, allocatable: {cpu: "4", memory: 16Gi, pods: "110", ephemeral-storage: 100Gi}}}
`));
});

t.test(`${S}capacity applies per resource (extended resources included)`, async (t) => {
  passes(t, await run(`until: 1s
nodes: [{name: n, capacity: {cpu: "8", example.com/dongle: 4}}]
manifests:
  - apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      containers: [{name: c, image: nginx:1.27, resources: {requests: {example.com/dongle: 4}, limits: {example.com/dongle: 4}}}]
  - apiVersion: v1
    kind: Pod
    metadata: {name: q}
    spec:
      containers: [{name: c, image: nginx:1.27, resources: {requests: {example.com/dongle: 1}, limits: {example.com/dongle: 1}}}]
expect:
  - nodes: {}
    match: {status: {capacity: {cpu: "8", memory: 16Gi, pods: "110", ephemeral-storage: 100Gi, example.com/dongle: "4"}}}
  - {pod: p, node: n}
  - {pod: q, node: null}
`));
});

t.test(`${S}allocatable is optional, defaults to capacity, and applies per resource`, async (t) => {
  passes(t, await run(`until: 1s
nodes: [{name: n, capacity: {cpu: "4", pods: 20}, allocatable: {cpu: 3800m}}]
manifests:
  - {apiVersion: v1, kind: Pod, metadata: {name: fits}, spec: {containers: [{name: c, image: nginx:1.27, resources: {requests: {cpu: 3800m}}}]}}
  - {apiVersion: v1, kind: Pod, metadata: {name: over}, spec: {containers: [{name: c, image: nginx:1.27, resources: {requests: {cpu: 1m}}}]}}
expect:
  - nodes: {}
    match: {status: {capacity: {cpu: "4", pods: "20", memory: 16Gi}, allocatable: {cpu: 3800m, pods: "20", memory: 16Gi, ephemeral-storage: 100Gi}}}
  - {pod: fits, node: n}
  - {pod: over, node: null}
`));
  invalid(t, await run('nodes:\n  - {name: n, allocatable: {cpu: "5"}}\n'), /s\.yaml:5:\d+: .*allocatable 5 exceeds capacity 4/);
});

t.test(`${S}every node gets kubernetes.io/hostname=<name>, kubernetes.io/os=linux, kubernetes.io/arch=amd64`, async (t) => {
  passes(t, await run(`until: 1s
nodes:
  - {name: w, count: 2, labels: {topology.kubernetes.io/zone: zone-a}}
events:
  - {at: 0.5, addNode: {name: late}}
expect:
  - nodes: {}
    count: 3
    all: {metadata: {labels: {kubernetes.io/os: linux, kubernetes.io/arch: amd64}}}
  - {nodes: {name: w-2}, match: {metadata: {labels: {kubernetes.io/hostname: w-2, topology.kubernetes.io/zone: zone-a}}}}
  - {nodes: {name: late}, match: {metadata: {labels: {kubernetes.io/hostname: late}}}}
  - {nodes: {selector: {kubernetes.io/hostname: w-1}}, count: 1}
`));
});

t.test(`${S}every node starts Ready`, async (t) => {
  passes(t, await run(`until: 1s
nodes: [{name: n, count: 2}]
events:
  - {at: 1s, addNode: {name: late}}
expect:
  - {at: 0s, nodes: {}, count: 2, ready: true, schedulable: true}
  - {at: 1s, nodes: {}, count: 3, ready: true}
  - nodes: {}
    all: {status: {conditions: [{type: Ready, status: "True", reason: KubeletReady}, {type: MemoryPressure, status: "False"}]}}
`));
});

t.test(`${S}taints, unschedulable and images are declared per node`, async (t) => {
  passes(t, await run(`until: 10s
nodes:
  - {name: tainted, taints: [{key: gpu, value: "true", effect: NoSchedule}]}
  - {name: cordoned, unschedulable: true}
  - {name: cached, images: [{name: nginx:1.27, sizeBytes: 70000000}], taints: [{key: x, effect: NoSchedule}]}
  - {name: plain}
manifests:
${pod('tolerant', `
      nodeSelector: {kubernetes.io/hostname: cached}
      tolerations: [{key: x, operator: Exists}]`)}${pod('any')}behaviors:
  - {pull: 5s}
expect:
  - {nodes: {name: tainted}, taints: [{key: gpu, value: "true", effect: NoSchedule}]}
  - {nodes: {name: cordoned}, schedulable: false}
  - {nodes: {name: cached}, match: {status: {images: [{names: [nginx:1.27], sizeBytes: 70000000}]}}}
  - {at: 0s, pod: tolerant, phase: Running}
  - {pod: any, node: plain}
  - {at: 4s, pod: any, phase: Pending}
  - {at: 5s, pod: any, phase: Running}
`));
});

t.test(`${S}Node objects may also be given in full in manifests, defaulted the same way`, async (t) => {
  passes(t, await run(`until: 1s
manifests:
  - apiVersion: v1
    kind: Node
    metadata: {name: m, labels: {zone: z}}
    status: {capacity: {cpu: "2"}}
${pod('p')}expect:
  - nodes: {name: m}
    ready: true
    match:
      metadata: {labels: {kubernetes.io/hostname: m, kubernetes.io/os: linux, kubernetes.io/arch: amd64, zone: z}}
      spec: {podCIDR: 10.244.0.0/24}
      status:
        capacity: {cpu: "2", memory: 16Gi, pods: "110", ephemeral-storage: 100Gi}
        allocatable: {cpu: "2", memory: 16Gi, pods: "110", ephemeral-storage: 100Gi}
        addresses: [{type: InternalIP, address: 172.18.0.2}]
        nodeInfo: {kubeletVersion: v1.37.0, operatingSystem: linux, architecture: amd64}
  - {pod: p, node: m, phase: Running}
`));
});

t.test(`${S}image references compare as strings, one without tag or digest meaning :latest`, async (t) => {
  passes(t, await run(`until: 10s
nodes:
  - {name: a, images: [{name: "busybox", sizeBytes: 1000}, {name: "redis:latest", sizeBytes: 1000}, {name: "nginx:1.27", sizeBytes: 1000}]}
manifests:
  - {apiVersion: v1, kind: Pod, metadata: {name: tagged-latest}, spec: {containers: [{name: c, image: "busybox:latest", imagePullPolicy: IfNotPresent}]}}
  - {apiVersion: v1, kind: Pod, metadata: {name: untagged}, spec: {containers: [{name: c, image: redis, imagePullPolicy: IfNotPresent}]}}
  - {apiVersion: v1, kind: Pod, metadata: {name: other-tag}, spec: {containers: [{name: c, image: "nginx:1.26", imagePullPolicy: IfNotPresent}]}}
behaviors:
  - {pull: 5s}
expect:
  - {at: 0s, pod: tagged-latest, phase: Running}
  - {at: 0s, pod: untagged, phase: Running}
  - {at: 0s, pod: other-tag, phase: Pending}
  - {at: 5s, pod: other-tag, phase: Running}
  - {events: {object: Pod/untagged, reason: Pulled}, count: 1, message: {$regex: "already present on machine"}}
`));
});
