/** Contract: scenario-format.md "events", one test per clause. */
import t from 'tap';
import { passes, runBody, cli, scenarioFile, pod, deploy } from './lib.js';

const H = (until = '2m', nodes = '[{name: n1}]') => `name: e\nuntil: ${until}\nnodes: ${nodes}\n`;
const two = '[{name: n, count: 2}]';

async function traceOf(body: string): Promise<Array<{ t: number; type: string; object?: string; message: string }>> {
  const r = await cli(['trace', scenarioFile(body), '--format', 'jsonl']);
  return r.out.trim().split('\n').map((l) => JSON.parse(l));
}

t.test('events: each event has at (an instant) and exactly one action', async (t) => {
  const r = await runBody(`${H()}events:\n  - {at: 1s, cordon: n1, uncordon: n1}\nexpect:\n  - {nodes: {}, count: 1}\n`);
  t.equal(r.code, 2);
  const r2 = await runBody(`${H()}events:\n  - {cordon: n1}\nexpect:\n  - {nodes: {}, count: 1}\n`);
  t.equal(r2.code, 2);
});

t.test('events: nodeDown stops the kubelet and heartbeats; after the grace period the node goes Unknown, is tainted and pods are evicted per toleration seconds', async (t) => {
  await passes(t, `${H('10m', two)}manifests:
${pod('p', { spec: '      nodeName: n-1\n' })}events:
  - {at: 1m, nodeDown: n-1}
expect:
  - at: 1m44s
    nodes: {name: n-1}
    ready: true
  - by: 1m45s
    nodes: {name: n-1}
    ready: unknown
    taints: [{key: node.kubernetes.io/unreachable, effect: NoExecute}, {key: node.kubernetes.io/unreachable, effect: NoSchedule}]
  - at: 6m44s
    pods: {name: p}
    count: 1
    all: {metadata: {deletionTimestamp: null}}
  - by: 6m45s
    events: {reason: TaintManagerEviction, object: Pod/p}
    count: {min: 1}
  - at: 10m
    pod: p
    all: {metadata: {deletionTimestamp: {$exists: true}}}
`);
});

t.test('events: nodeUp resumes heartbeats, lifts the taints and surviving pods reconcile', async (t) => {
  await passes(t, `${H('5m')}manifests:
${pod('p')}events:
  - {at: 10s, nodeDown: n1}
  - {at: 2m, nodeUp: n1}
expect:
  - at: 1m30s
    nodes: {}
    ready: unknown
  - by: 2m
    nodes: {}
    ready: true
  - at: 2m1s
    nodes: {}
    all: {spec: {taints: null}}
  - at: 5m
    pod: p
    phase: Running
    ready: true
`);
});

t.test('events: cordon sets and uncordon clears spec.unschedulable', async (t) => {
  await passes(t, `${H()}events:
  - {at: 10s, cordon: n1}
  - {at: 20s, uncordon: n1}
expect:
  - at: 10s
    nodes: {}
    schedulable: false
    all: {spec: {unschedulable: true}}
  - at: 20s
    nodes: {}
    schedulable: true
    all: {spec: {unschedulable: {$ne: true}}}
`);
});

t.test('events: drain cordons, then evicts like kubectl drain', async (t) => {
  await passes(t, `${H('2m', two)}manifests:
${deploy('web', 1, '          nodeSelector: {kubernetes.io/hostname: n-1}\n').replace(`          nodeSelector: {kubernetes.io/hostname: n-1}\n`, '')}events:
  - {at: 10s, drain: {node: "PLACEHOLDER"}}
expect:
  - at: 10s
    nodes: {name: n-1}
    schedulable: false
  - at: 10s
    pods: {owner: Deployment/web}
    count: 1
    node: n-2
    phase: Running
`.replace('{at: 10s, drain: {node: "PLACEHOLDER"}}', '{at: 10s, drain: {node: n-1}}').replace('  - {at: 10s, drain', '  - {at: 1s, cordon: n-2}\n  - {at: 2s, uncordon: n-2}\n  - {at: 10s, drain'));
});

t.test('events: drain respects PDBs, retried every 5s', async (t) => {
  await passes(t, `${H('2m', two)}manifests:
${deploy('web', 1)}  - apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {name: pdb}
    spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
events:
  - {at: 0s, cordon: n-2}
  - {at: 10s, drain: {node: n-1}}
  - {at: 11s, uncordon: n-2}
  - {at: 22s, scale: {kind: Deployment, name: web, replicas: 2}}
expect:
  - at: 24999ms
    pods: {owner: Deployment/web, where: {match: {metadata: {creationTimestamp: 0s}}}}
    count: 1
    node: n-1
    all: {metadata: {deletionTimestamp: null}}
  - at: 25s
    pods: {owner: Deployment/web, where: {match: {metadata: {creationTimestamp: 0s}}}}
    count: 0
`);
});

t.test('events: drain with ignoreDaemonSets false is refused when DaemonSet pods are present, and the node stays cordoned', async (t) => {
  await passes(t, `${H()}manifests:
  - apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: ds}
    spec:
      selector: {matchLabels: {app: ds}}
      template: {metadata: {labels: {app: ds}}, spec: {containers: [{name: c, image: nginx:1.27}]}}
${deploy('web', 1)}events:
  - {at: 10s, drain: {node: n1, ignoreDaemonSets: false}}
expect:
  - at: 1m
    nodes: {}
    schedulable: false
  - at: 1m
    pods: {owner: Deployment/web}
    count: 1
    all: {metadata: {creationTimestamp: 0s, deletionTimestamp: null}}
`);
});

t.test('events: drain ignoreDaemonSets defaults to true (DaemonSet pods are skipped)', async (t) => {
  await passes(t, `${H()}manifests:
  - apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: ds}
    spec:
      selector: {matchLabels: {app: ds}}
      template: {metadata: {labels: {app: ds}}, spec: {containers: [{name: c, image: nginx:1.27}]}}
${deploy('web', 1)}events:
  - {at: 10s, drain: {node: n1}}
expect:
  - at: 1m
    pods: {owner: Deployment/web}
    all: {metadata: {creationTimestamp: 10s}}
  - at: 1m
    pods: {selector: {app: ds}}
    count: 1
    all: {metadata: {creationTimestamp: 0s, deletionTimestamp: null}}
`);
});

t.test('events: drain deleteEmptyDirData false refuses pods with emptyDir; true evicts them', async (t) => {
  const vol = '          volumes: [{name: v, emptyDir: {}}]\n';
  await passes(t, `${H()}manifests:
${deploy('web', 1, vol)}events:
  - {at: 10s, drain: {node: n1}}
expect:
  - at: 1m
    pods: {owner: Deployment/web}
    count: 1
    all: {metadata: {creationTimestamp: 0s, deletionTimestamp: null}}
  - nodes: {}
    schedulable: false
`);
  await passes(t, `${H()}manifests:
${deploy('web', 1, vol)}events:
  - {at: 10s, drain: {node: n1, deleteEmptyDirData: true}}
expect:
  - at: 1m
    pods: {owner: Deployment/web}
    count: 1
    all: {metadata: {creationTimestamp: 10s}}
`);
});

t.test('events: drain force false refuses unmanaged pods; force true deletes them', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p')}events:
  - {at: 10s, drain: {node: n1}}
expect:
  - at: 1m
    pod: p
    all: {metadata: {deletionTimestamp: null}}
  - nodes: {}
    schedulable: false
`);
  await passes(t, `${H()}manifests:
${pod('p')}events:
  - {at: 10s, drain: {node: n1, force: true}}
expect:
  - at: 10s
    pods: {name: p}
    count: 0
`);
});

t.test('events: drain timeout gives up (the node stays cordoned); 0s means no timeout', async (t) => {
  const body = (timeout: string) => `${H('5m', two)}manifests:
${deploy('web', 1)}  - apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {name: pdb}
    spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
events:
  - {at: 0s, cordon: n-2}
  - {at: 10s, drain: {node: n-1, timeout: ${timeout}}}
  - {at: 1m, uncordon: n-2}
  - {at: 1m, scale: {kind: Deployment, name: web, replicas: 2}}
expect:
  - at: 5m
    nodes: {name: n-1}
    schedulable: false
  - at: 5m
    pods: {owner: Deployment/web, node: n-1}
    count: ${timeout === '0s' ? 0 : 1}
`;
  await passes(t, body('30s'));
  await passes(t, body('0s'));
  const tr = await traceOf(body('30s'));
  t.ok(tr.some((r) => r.type === 'drain' && /timed out|timeout|global timeout/i.test(r.message)), 'the timeout is traced');
});

t.test('events: probeFail makes the probe fail during [at, at+for)', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p').replace('image: "nginx:1.27"}', 'image: "nginx:1.27", readinessProbe: {exec: {command: [x]}, periodSeconds: 1, failureThreshold: 1}}')}events:
  - {at: 10s, probeFail: {pod: p, probe: readiness, for: 5s}}
expect:
  - at: 9s
    pod: p
    ready: true
  - at: 10s
    pod: p
    ready: false
  - at: 14s
    pod: p
    ready: false
  - at: 15s
    pod: p
    ready: true
`);
});

t.test('events: probeFail without for fails until this container instance ends', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p').replace('image: "nginx:1.27"}', 'image: "nginx:1.27", livenessProbe: {exec: {command: [x]}, periodSeconds: 1, failureThreshold: 1}}')}events:
  - {at: 10s, probeFail: {pod: p, container: c, probe: liveness}}
expect:
  - at: 10s
    pod: p
    restarts: 1
  - at: 1m
    pod: p
    restarts: 1
    ready: true
`);
});

t.test('events: crash makes the running container exit now (exitCode default 1)', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p', { spec: '      restartPolicy: Never\n' })}${pod('q', { spec: '      restartPolicy: Never\n' })}events:
  - {at: 10s, crash: {pod: p, container: c, exitCode: 3}}
  - {at: 10s, crash: {pod: q}}
expect:
  - at: 10s
    pod: p
    phase: Failed
    all: {status: {containerStatuses: [{state: {terminated: {exitCode: 3, finishedAt: 10s}}}]}}
  - at: 10s
    pod: q
    all: {status: {containerStatuses: [{state: {terminated: {exitCode: 1}}}]}}
`);
});

t.test('events: apply takes an object', async (t) => {
  await passes(t, `${H()}events:
  - at: 5s
    apply: {apiVersion: v1, kind: ConfigMap, metadata: {name: cm}, data: {a: "1"}}
expect:
  - at: 4s
    object: {kind: ConfigMap, name: cm}
    count: 0
  - at: 5s
    object: {kind: ConfigMap, name: cm}
    match: {data: {a: "1"}}
`);
});

t.test('events: apply takes a list of objects', async (t) => {
  await passes(t, `${H()}events:
  - at: 5s
    apply:
      - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}
      - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}
expect:
  - at: 5s
    object: {kind: ConfigMap}
    count: {min: 2}
    any: {metadata: {name: a}}
`);
});

t.test('events: apply takes {file} (several documents, a v1 List expanded)', async (t) => {
  await passes(t, `${H()}events:
  - {at: 5s, apply: {file: m.yaml}}
expect:
  - at: 5s
    object: {kind: ConfigMap, name: "cm-*"}
    count: 3
`, [], { 'm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-a}\n---\napiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: cm-b}}\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: cm-c}}\n` });
});

t.test('events: apply to an existing object sets the fields given', async (t) => {
  await passes(t, `${H()}manifests:
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: cm}, data: {a: "1"}}
events:
  - at: 5s
    apply: {apiVersion: v1, kind: ConfigMap, metadata: {name: cm}, data: {a: "2"}}
expect:
  - object: {kind: ConfigMap, name: cm}
    match: {data: {a: "2"}}
`);
});

t.test('events: apply removes the fields the previous apply set and this one omits', async (t) => {
  await passes(t, `${H()}manifests:
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: cm, labels: {x: "1", y: "2"}}, data: {a: "1", b: "2"}}
events:
  - at: 5s
    apply: {apiVersion: v1, kind: ConfigMap, metadata: {name: cm, labels: {x: "1"}}, data: {a: "1"}}
expect:
  - object: {kind: ConfigMap, name: cm}
    match: {data: {a: "1", b: null}, metadata: {labels: {x: "1", y: null}}}
`);
});

t.test('events: apply keeps the rest (defaults, status, scale/label changes, controllers\' writes)', async (t) => {
  await passes(t, `${H()}manifests:
${deploy('web', 1).replace('      replicas: 1\n', '')}events:
  - {at: 5s, scale: {kind: Deployment, name: web, replicas: 3}}
  - at: 10s
    apply:
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, labels: {v: "2"}}
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: c, image: "nginx:1.27"}]
expect:
  - at: 10s
    object: {kind: Deployment, name: web}
    match:
      metadata: {labels: {v: "2"}, annotations: {deployment.kubernetes.io/revision: "1"}}
      spec: {replicas: 3, strategy: {type: RollingUpdate}, template: {spec: {terminationGracePeriodSeconds: 30}}}
      status: {replicas: 3}
`);
});

t.test('events: apply replaces a list given whole', async (t) => {
  await passes(t, `${H()}manifests:
  - apiVersion: v1
    kind: Service
    metadata: {name: s}
    spec: {selector: {app: x}, ports: [{name: a, port: 80}, {name: b, port: 81}]}
events:
  - at: 5s
    apply:
      apiVersion: v1
      kind: Service
      metadata: {name: s}
      spec: {selector: {app: x}, ports: [{name: c, port: 82}]}
expect:
  - object: {kind: Service, name: s}
    match: {spec: {"ports(ordered)": [{name: c, port: 82}]}}
`);
});

t.test('events: delete of a pod is graceful: deletionTimestamp, Terminating until the kubelet stopped its containers', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p')}behaviors:
  - {match: {pod: p}, stopAfter: 5s}
events:
  - {at: 10s, delete: {kind: Pod, name: p}}
expect:
  - at: 10s
    pod: p
    all: {metadata: {deletionTimestamp: 40s, deletionGracePeriodSeconds: 30}}
  - at: 14999ms
    pods: {name: p}
    count: 1
  - at: 15s
    pods: {name: p}
    count: 0
`);
});

t.test('events: a deleted pod never goes while its node is down', async (t) => {
  await passes(t, `${H('5m')}manifests:
${pod('p')}events:
  - {at: 10s, nodeDown: n1}
  - {at: 20s, delete: {kind: Pod, name: p}}
expect:
  - at: 5m
    pod: p
    all: {metadata: {deletionTimestamp: {$exists: true}}}
`);
});

t.test('events: without stopAfter a deleted pod on a healthy node is gone in the same instant', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p')}events:
  - {at: 10s, delete: {kind: Pod, name: p}}
expect:
  - at: 9999ms
    pods: {}
    count: 1
  - at: 10s
    pods: {}
    count: 0
`);
});

t.test('events: delete of other kinds goes once their finalizers are cleared (at once without any)', async (t) => {
  await passes(t, `${H()}manifests:
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: b, finalizers: [example.com/hold]}}
events:
  - {at: 10s, delete: {kind: ConfigMap, name: a}}
  - {at: 10s, delete: {kind: ConfigMap, name: b}}
expect:
  - at: 10s
    object: {kind: ConfigMap, name: a}
    count: 0
  - at: 1m
    object: {kind: ConfigMap, name: b}
    match: {metadata: {deletionTimestamp: 10s, finalizers: [example.com/hold]}}
`);
});

t.test('events: delete cascade background (default) removes the dependents through the garbage collector', async (t) => {
  await passes(t, `${H()}manifests:
${deploy('web', 2)}events:
  - {at: 10s, delete: {kind: Deployment, name: web}}
expect:
  - at: 10s
    object: {kind: ReplicaSet}
    count: 0
  - at: 10s
    pods: {}
    count: 0
`);
});

t.test('events: delete cascade orphan leaves the dependents', async (t) => {
  await passes(t, `${H()}manifests:
${deploy('web', 2)}events:
  - {at: 10s, delete: {kind: Deployment, name: web, cascade: orphan}}
expect:
  - at: 1m
    object: {kind: ReplicaSet}
    count: 1
    all: {metadata: {ownerReferences: null}}
  - at: 1m
    pods: {}
    count: 2
`);
});

t.test('events: delete cascade foreground keeps the owner with deletionTimestamp and foregroundDeletion until blocking dependents are gone', async (t) => {
  await passes(t, `${H()}manifests:
${deploy('web', 1)}behaviors:
  - {match: {pod: "web-*"}, stopAfter: 5s}
events:
  - {at: 10s, delete: {kind: Deployment, name: web, cascade: foreground}}
expect:
  - at: 10s
    object: {kind: Deployment, name: web}
    match: {metadata: {deletionTimestamp: 10s, finalizers: [foregroundDeletion]}}
  - at: 14s
    object: {kind: Deployment, name: web}
    count: 1
  - at: 15s
    object: {kind: Deployment, name: web}
    count: 0
`);
});

t.test('events: delete force removes the object at once; the kubelet stops the containers later', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p')}behaviors:
  - {match: {pod: p}, stopAfter: 20s}
events:
  - {at: 10s, delete: {kind: Pod, name: p, force: true}}
expect:
  - at: 10s
    pods: {}
    count: 0
`);
});

t.test('events: scale sets replicas like kubectl scale', async (t) => {
  await passes(t, `${H()}manifests:
${deploy('web', 1)}events:
  - {at: 10s, scale: {kind: Deployment, name: web, replicas: 3}}
expect:
  - at: 10s
    pods: {owner: Deployment/web}
    count: 3
`);
});

t.test('events: setImage sets the image like kubectl set image and starts a rollout', async (t) => {
  await passes(t, `${H()}manifests:
${deploy('web', 2)}events:
  - {at: 10s, setImage: {kind: Deployment, name: web, container: c, image: "nginx:1.28"}}
expect:
  - by: 1m
    pods: {owner: Deployment/web, where: {phase: Running}}
    count: 2
    all: {spec: {containers: [{image: "nginx:1.28"}]}}
  - object: {kind: ReplicaSet}
    count: 2
  - object: {kind: Deployment, name: web}
    match: {metadata: {annotations: {deployment.kubernetes.io/revision: "2"}}}
`);
});

t.test('events: rollback is kubectl rollout undo, toRevision optional', async (t) => {
  await passes(t, `${H()}manifests:
${deploy('web', 1)}events:
  - {at: 10s, setImage: {kind: Deployment, name: web, container: c, image: "nginx:1.28"}}
  - {at: 20s, setImage: {kind: Deployment, name: web, container: c, image: "nginx:1.29"}}
  - {at: 30s, rollback: {kind: Deployment, name: web}}
  - {at: 40s, rollback: {kind: Deployment, name: web, toRevision: 1}}
expect:
  - at: 30s
    object: {kind: Deployment, name: web}
    match: {spec: {template: {spec: {containers: [{image: "nginx:1.28"}]}}}}
  - at: 40s
    object: {kind: Deployment, name: web}
    match: {spec: {template: {spec: {containers: [{image: "nginx:1.27"}]}}}}
`);
});

t.test('events: addNode joins a node (a nodes entry); removeNode deletes the Node', async (t) => {
  await passes(t, `${H()}events:
  - {at: 10s, addNode: {name: extra, count: 2, labels: {x: y}}}
  - {at: 20s, removeNode: n1}
expect:
  - at: 10s
    nodes: {selector: {x: y}}
    count: 2
    ready: true
  - at: 20s
    nodes: {}
    count: 2
    all: {metadata: {name: "extra-?"}}
`.replace('all: {metadata: {name: "extra-?"}}', 'none: {metadata: {name: n1}}'));
});

t.test('events: taint is kubectl taint --overwrite', async (t) => {
  await passes(t, `${H()}events:
  - {at: 10s, taint: {node: n1, key: k, value: a, effect: NoSchedule}}
  - {at: 20s, taint: {node: n1, key: k, value: b, effect: NoSchedule}}
expect:
  - at: 20s
    nodes: {}
    taints: [{key: k, value: b, effect: NoSchedule}]
    all: {"spec": {"taints(ordered)": [{key: k, value: b, effect: NoSchedule}]}}
`);
});

t.test('events: untaint without effect removes all effects of the key', async (t) => {
  await passes(t, `${H()}events:
  - {at: 10s, taint: {node: n1, key: k, value: a, effect: NoSchedule}}
  - {at: 10s, taint: {node: n1, key: k, value: a, effect: PreferNoSchedule}}
  - {at: 10s, taint: {node: n1, key: j, effect: NoSchedule}}
  - {at: 20s, untaint: {node: n1, key: k}}
  - {at: 30s, untaint: {node: n1, key: j, effect: NoSchedule}}
expect:
  - at: 20s
    nodes: {}
    all: {"spec": {"taints(ordered)": [{key: j, effect: NoSchedule}]}}
  - at: 30s
    nodes: {}
    all: {spec: {taints: null}}
`);
});

t.test('events: label sets node or pod labels like kubectl label --overwrite; null removes', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p', { labels: '{a: "1", b: "2"}' })}events:
  - {at: 10s, label: {node: n1, labels: {zone: z1}}}
  - {at: 10s, label: {pod: p, labels: {a: "9", b: null}}}
  - {at: 20s, label: {node: n1, labels: {zone: null}}}
expect:
  - at: 10s
    nodes: {selector: {zone: z1}}
    count: 1
  - at: 10s
    pod: p
    all: {metadata: {labels: {a: "9", b: null}}}
  - at: 20s
    nodes: {selector: {matchExpressions: [{key: zone, operator: Exists}]}}
    count: 0
`);
});

t.test('events: same-instant events run in file order, before anything reacts', async (t) => {
  // Cordon then uncordon in the same instant: no reaction sees the cordon (the pod, created at 10s too, lands on n1).
  await passes(t, `${H()}events:
  - {at: 10s, cordon: n1}
  - {at: 10s, apply: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: nginx:1.27}]}}}
  - {at: 10s, uncordon: n1}
expect:
  - at: 10s
    pod: p
    node: n1
    phase: Running
  - events: {reason: FailedScheduling}
    count: 0
`);
  // The list need not be sorted: file order among same-instant events, time order otherwise.
  await passes(t, `${H()}events:
  - {at: 20s, label: {node: n1, labels: {x: late}}}
  - {at: 10s, label: {node: n1, labels: {x: a}}}
  - {at: 10s, label: {node: n1, labels: {x: b}}}
expect:
  - at: 10s
    nodes: {selector: {x: b}}
    count: 1
  - at: 20s
    nodes: {selector: {x: late}}
    count: 1
`);
});

t.test('events: actions on namespaced objects take namespace, default default', async (t) => {
  await passes(t, `${H()}manifests:
  - {apiVersion: v1, kind: Namespace, metadata: {name: other}}
${pod('p')}  - apiVersion: v1
    kind: Pod
    metadata: {name: p, namespace: other}
    spec: {restartPolicy: Never, containers: [{name: c, image: nginx:1.27}]}
events:
  - {at: 10s, crash: {pod: p, namespace: other}}
  - {at: 10s, label: {pod: p, labels: {hit: "yes"}}}
  - {at: 10s, delete: {kind: Pod, name: p, namespace: other}}
expect:
  - at: 10s
    pods: {namespace: "*"}
    count: 1
    all: {metadata: {namespace: default, labels: {hit: "yes"}}}
`);
});

t.test('events: pod is a name or glob that must match exactly one stored pod at that instant', async (t) => {
  await passes(t, `${H()}manifests:
${pod('web-abc', { spec: '      restartPolicy: Never\n' })}${pod('db', { spec: '      restartPolicy: Never\n' })}events:
  - {at: 10s, crash: {pod: "web-*"}}
expect:
  - pod: web-abc
    phase: Failed
  - pod: db
    phase: Running
`);
  const r = await runBody(`${H()}manifests:
${pod('web-a')}${pod('web-b')}events:
  - {at: 10s, crash: {pod: "web-*"}}
expect:
  - {pods: {}, count: 2}
`);
  t.equal(r.code, 1);
  t.match(r.out, /error: .*events\[0\] crash at 10s.*web-a.*web-b/);
});

t.test('events: container may be omitted for a single-container pod (required otherwise)', async (t) => {
  const r = await runBody(`${H()}manifests:
  - apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec: {containers: [{name: a, image: nginx:1.27}, {name: b, image: nginx:1.27}]}
events:
  - {at: 10s, crash: {pod: p}}
expect:
  - {pods: {}, count: 1}
`);
  t.equal(r.code, 1);
  t.match(r.out, /error: .*events\[0\] crash at 10s.*\ba\b.*\bb\b|error: .*events\[0\] crash at 10s.*containers/);
});

const noops: Array<[string, string, string]> = [
  ['cordoning a cordoned node', '  - {at: 0s, cordon: n1}\n', '  - {at: 10s, cordon: n1}\n'],
  ['nodeDown of a down node', '  - {at: 0s, nodeDown: n1}\n', '  - {at: 10s, nodeDown: n1}\n'],
  ['removing an absent taint', '', '  - {at: 10s, untaint: {node: n1, key: nope}}\n'],
  ['removing an absent label', '', '  - {at: 10s, label: {node: n1, labels: {nope: null}}}\n'],
  ['crashing a container that is not running', '  - {at: 5s, crash: {pod: p}}\n', '  - {at: 10s, crash: {pod: p}}\n'],
];
for (const [what, before, ev] of noops) {
  t.test(`events: ${what} only leaves a trace record`, async (t) => {
    const body = `${H()}manifests:\n${pod('p', { spec: '      restartPolicy: Never\n' })}events:\n${before}${ev}expect:\n  - {nodes: {}, count: 1}\n`;
    await passes(t, body);
    const tr = (await traceOf(body)).filter((r) => r.t === 10000);
    t.ok(tr.length >= 1, 'a trace record');
    t.same(tr.filter((r) => r.type !== 'action'), [], `only action records at 10s: ${JSON.stringify(tr)}`);
  });
}

t.test('events: a drain kubectl would refuse stops there; the node stays cordoned', async (t) => {
  const body = `${H()}manifests:\n${pod('p')}events:\n  - {at: 10s, drain: {node: n1}}\nexpect:\n  - at: 2m\n    nodes: {}\n    schedulable: false\n  - at: 2m\n    pod: p\n    phase: Running\n`;
  await passes(t, body);
  const tr = await traceOf(body);
  t.ok(tr.some((r) => r.type === 'drain' && /cannot delete/i.test(r.message)), 'kubectl\'s refusal is traced');
});

t.test('events: an action error (pod matching no pod) stops the run and every assertion fails with an error naming the action and the candidates', async (t) => {
  const r = await runBody(`${H()}manifests:
${pod('alpha')}${pod('beta')}events:
  - {at: 10s, crash: {pod: gamma}}
  - {at: 20s, cordon: n1}
expect:
  - {name: one, at: 5s, pods: {}, count: 2}
  - {name: two, nodes: {}, schedulable: false}
`);
  t.equal(r.code, 1);
  const pts = r.out.split('\n').filter((l) => /^    (not )?ok/.test(l));
  t.same(pts, ['    not ok 1 - one', '    not ok 2 - two']);
  const errs = r.out.split('\n').filter((l) => /^      error:/.test(l));
  t.equal(errs.length, 2);
  for (const e of errs) t.match(e, /events\[0\] crash at 10s.*gamma.*alpha.*beta/);
  t.match(r.out, /source: .*s\.yaml:\d+:\d+/);
});

t.test('events: a missing object is an action error', async (t) => {
  const r = await runBody(`${H()}events:\n  - {at: 10s, scale: {kind: Deployment, name: nope, replicas: 2}}\nexpect:\n  - {nodes: {}, count: 1}\n`);
  t.equal(r.code, 1);
  t.match(r.out, /error: .*events\[0\] scale at 10s.*nope/);
});

t.test('events: a request the API server rejects (validation, immutable field) is an action error', async (t) => {
  const r = await runBody(`${H()}manifests:\n${deploy('web', 1)}events:\n  - at: 10s\n    apply:\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata: {name: web}\n      spec:\n        selector: {matchLabels: {app: other}}\n        template:\n          metadata: {labels: {app: other}}\n          spec: {containers: [{name: c, image: nginx:1.27}]}\nexpect:\n  - {nodes: {}, count: 1}\n`);
  t.equal(r.code, 1);
  t.match(r.out, /error: .*events\[0\] apply at 10s.*immutable/);
});

t.test('events: an admission rejection (ResourceQuota) in manifests is an action error too', async (t) => {
  const r = await runBody(`${H()}manifests:
  - apiVersion: v1
    kind: ResourceQuota
    metadata: {name: q}
    spec: {hard: {pods: "1"}}
${pod('a')}${pod('b')}expect:
  - {pods: {}, count: 2}
`);
  t.equal(r.code, 1);
  t.match(r.out, /error: .*(exceeded quota|forbidden)/i);
});

t.test('events: an action error with no assertions gives one failing point named run', async (t) => {
  const r = await runBody(`${H()}manifests:\n${pod('alpha')}events:\n  - {at: 10s, crash: {pod: nope}}\n`);
  t.equal(r.code, 1);
  t.match(r.out, /^    not ok 1 - run\n      ---\n(.*\n)*?      error: .*events\[0\] crash at 10s.*nope.*alpha/m);
  t.match(r.out, /^    1\.\.1$/m);
  // A node removed earlier in the run is missing at run time (not detectable statically).
  const r2 = await runBody(`${H()}events:\n  - {at: 5s, removeNode: n1}\n  - {at: 10s, cordon: n1}\n`);
  t.equal(r2.code, 1);
  t.match(r2.out, /^    not ok 1 - run\n      ---\n(.*\n)*?      error: .*events\[1\] cordon at 10s.*n1/m);
});

t.test('events: a NoExecute taint evicts pods that do not tolerate it (like kubectl taint)', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p')}${pod('tol', { spec: '      tolerations: [{key: k, operator: Exists, effect: NoExecute}]\n' })}events:
  - {at: 10s, taint: {node: n1, key: k, value: v, effect: NoExecute}}
expect:
  - at: 10s
    nodes: {}
    taints: [{key: k, value: v, effect: NoExecute, timeAdded: 10s}]
  - at: 11s
    pods: {}
    count: 1
    all: {metadata: {name: tol}}
  - events: {reason: TaintManagerEviction, object: Pod/p}
    count: {min: 1}
`);
});

t.test('events: probeFail of a startup probe kills the container after failureThreshold', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p').replace('image: "nginx:1.27"}', 'image: "nginx:1.27", startupProbe: {exec: {command: [x]}, periodSeconds: 1, failureThreshold: 3}}')}events:
  - {at: 0s, probeFail: {pod: p, probe: startup, for: 10s}}
expect:
  - by: 5s
    pod: p
    restarts: 1
  - events: {reason: Killing, object: Pod/p}
    any: {message: "Container c failed startup probe, will be restarted"}
`);
});

t.test('events: label takes a pod glob matching exactly one pod', async (t) => {
  await passes(t, `${H()}manifests:
${pod('web-x1')}${pod('db')}events:
  - {at: 10s, label: {pod: "web-*", labels: {hit: "1"}}}
expect:
  - pods: {selector: {hit: "1"}}
    count: 1
    all: {metadata: {name: web-x1}}
`);
});

t.test('events: label with null removes a kubelet label of a node too (it is only set at registration)', async (t) => {
  await passes(t, `${H()}events:
  - {at: 10s, label: {node: n1, labels: {kubernetes.io/arch: null, beta.kubernetes.io/os: null}}}
expect:
  - name: before
    at: 5s
    nodes: {name: n1}
    match: {metadata: {labels: {kubernetes.io/arch: amd64, beta.kubernetes.io/os: linux, kubernetes.io/os: linux}}}
  - name: after
    at: 15s
    nodes: {name: n1}
    match: {metadata: {labels: {kubernetes.io/arch: null, beta.kubernetes.io/os: null, kubernetes.io/os: linux}}}
`);
});
