import t from 'tap';
import { HEAD, lines, loadText } from './helpers.js';

t.test('count expands a node entry into <name>-1..N with defaulted capacity', async (t) => {
  const r = loadText(`${HEAD}nodes:\n  - name: worker\n    count: 3\n    capacity: {cpu: "8", example.com/dongle: 4}\n    allocatable: {cpu: 7500m}\n    labels: {zone: a}\n    taints: [{key: gpu, value: "true", effect: NoSchedule}]\n    images: [{name: nginx:1.27, sizeBytes: 70000000}]\n  - {name: solo, unschedulable: true}\n`);
  t.same(lines(r), []);
  const n = r.scenarios[0]!.nodes;
  t.same(n.map((x) => x.name), ['worker-1', 'worker-2', 'worker-3', 'solo']);
  t.same(n[0]!.capacity, { cpu: '8', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi', 'example.com/dongle': '4' });
  t.same(n[0]!.allocatable, { cpu: '7500m', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi', 'example.com/dongle': '4' });
  t.same(n[1]!.labels, { zone: 'a' });
  t.not(n[0]!.labels, n[1]!.labels, 'each expanded node has its own objects');
  t.same(n[2]!.taints, [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }]);
  t.same(n[0]!.images, [{ name: 'nginx:1.27', sizeBytes: 70000000 }]);
  t.same(n[3]!.capacity, { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' });
  t.equal(n[3]!.unschedulable, true);
  t.same(n[0]!.pos, { file: 's.yaml', line: 5, col: 5 });
});

const nodeErrors: Array<[string, string, string[]]> = [
  ['count 0 is an error', '  - {name: w, count: 0}', ['5:22: nodes[0].count: expected a whole number of at least 1, got the number 0']],
  ['an invalid quantity is an error', '  - {name: w, capacity: {cpu: lots}}', ['5:31: nodes[0].capacity.cpu: expected a quantity such as 500m, 2 or 1Gi, got "lots"']],
  ['allocatable above capacity is an error', '  - {name: w, allocatable: {cpu: "5"}}', ['5:34: nodes[0].allocatable.cpu: allocatable 5 exceeds capacity 4']],
  ['an unquoted label value is an error with a hint', '  - {name: w, labels: {tier: 1}}', ['5:30: nodes[0].labels.tier: expected a string label value (quote numbers and booleans), got the number 1; quote it: "1"']],
  ['an upper-case node name is an error', '  - {name: Big}', ['5:12: nodes[0].name: node name "Big" must be a lowercase RFC 1123 subdomain (a-z, 0-9, \'-\', \'.\', starting and ending alphanumeric)']],
  ['duplicate names after expansion are an error', '  - {name: w, count: 2}\n  - {name: w-2}', ['6:5: duplicate node name "w-2" (also declared at line 5)']],
];
for (const [name, text, want] of nodeErrors) {
  t.test(`nodes: ${name}`, async (t) => {
    t.same(lines(loadText(`${HEAD}nodes:\n${text}\n`)), want);
  });
}

t.test('behaviors are typed with durations in ms and defaults', async (t) => {
  const r = loadText(`${HEAD}behaviors:\n  - match: {pod: "web-*", container: app, image: "nginx:*", namespace: default, labels: {app: web}}\n    pull: 5s\n    pullError: manifest unknown\n    start: 1s\n    runs: [{exitAfter: 5s, exitCode: 1}, {}]\n    stopAfter: 10s\n    probes:\n      liveness: {failAfter: 30s}\n      startup: {passAfter: 20s, failAfter: 1m}\n  - oomAfter: 30s\n`);
  t.same(lines(r), []);
  const [a, b] = r.scenarios[0]!.behaviors;
  t.same(a!.match, { pod: 'web-*', container: 'app', image: 'nginx:*', namespace: 'default', labels: { app: 'web' } });
  t.same([a!.pull, a!.start, a!.stopAfter, a!.pullError], [5000, 1000, 10000, 'manifest unknown']);
  t.same(a!.runs, [{ exitAfter: 5000, exitCode: 1 }, { exitCode: 0 }]);
  t.same(a!.probes, { liveness: { failAfter: 30000 }, startup: { passAfter: 20000, failAfter: 60000 } });
  t.same([b!.match, b!.oomAfter, b!.pull, b!.start, b!.stopAfter, b!.runs], [{}, 30000, 0, 0, 0, undefined]);
  t.same(lines(loadText(`${HEAD}behaviors:\n  - runs: [{exitCode: 2}]\n    oomAfter: 1s\n`)), [
    '5:13: behaviors[0].runs[0]: exitCode needs exitAfter (a run without exitAfter never exits)',
    '6:5: behaviors[0]: give either runs or oomAfter, not both',
  ]);
});

t.test('events keep file order and index, with typed values', async (t) => {
  const r = loadText(`${HEAD}until: 5m
nodes: [{name: n, count: 2}]
events:
  - at: 2m
    nodeDown: n-1
  - at: 1m
    drain: {node: n-2, timeout: 30s}
  - at: 1m
    drain: n-1
  - at: 10s
    probeFail: {pod: "web-*", probe: readiness, for: 20s}
  - at: 10s
    crash: {pod: api, container: app}
  - at: 0
    delete: {kind: Node, name: n-1, force: true, cascade: orphan}
  - at: 0
    delete: {kind: Pod, name: p}
  - at: 3s
    scale: {kind: Deployment, name: web, namespace: prod, replicas: 5}
  - at: 3s
    setImage: {kind: Deployment, name: web, image: nginx:1.28}
  - at: 3s
    rollback: {name: web, toRevision: 1}
  - at: 4s
    addNode: {name: extra, count: 2}
  - at: 4s
    taint: {node: n-1, key: k, value: v, effect: NoExecute}
  - at: 4s
    untaint: {node: n-1, key: k}
  - at: 4s
    label: {pod: api, labels: {a: b, c: null}}
  - at: 4s
    label: {node: n-1, labels: {a: b}}
`);
  t.same(lines(r), []);
  const ev = r.scenarios[0]!.events;
  t.same(ev.map((e) => [e.index, e.at, e.action]), [
    [0, 120000, 'nodeDown'], [1, 60000, 'drain'], [2, 60000, 'drain'], [3, 10000, 'probeFail'], [4, 10000, 'crash'],
    [5, 0, 'delete'], [6, 0, 'delete'], [7, 3000, 'scale'], [8, 3000, 'setImage'], [9, 3000, 'rollback'], [10, 4000, 'addNode'],
    [11, 4000, 'taint'], [12, 4000, 'untaint'], [13, 4000, 'label'], [14, 4000, 'label'],
  ]);
  t.equal(ev[0]!.value, 'n-1');
  t.same(ev[1]!.value, { node: 'n-2', ignoreDaemonSets: true, deleteEmptyDirData: false, force: false, timeoutMs: 30000 });
  t.same(ev[2]!.value, { node: 'n-1', ignoreDaemonSets: true, deleteEmptyDirData: false, force: false, timeoutMs: 0 });
  t.same(ev[3]!.value, { pod: 'web-*', probe: 'readiness', namespace: 'default', forMs: 20000 });
  t.same(ev[4]!.value, { pod: 'api', namespace: 'default', exitCode: 1, container: 'app' });
  t.same(ev[5]!.value, { kind: 'Node', name: 'n-1', force: true, cascade: 'orphan' });
  t.same(ev[6]!.value, { kind: 'Pod', name: 'p', force: false, cascade: 'background', namespace: 'default' });
  t.same(ev[7]!.value, { kind: 'Deployment', name: 'web', namespace: 'prod', replicas: 5 });
  t.same(ev[8]!.value, { kind: 'Deployment', name: 'web', namespace: 'default', image: 'nginx:1.28' });
  t.same(ev[9]!.value, { kind: 'Deployment', name: 'web', namespace: 'default', toRevision: 1 });
  t.same(ev[10]!.nodes!.map((n) => n.name), ['extra-1', 'extra-2']);
  t.same(ev[11]!.value, { node: 'n-1', key: 'k', effect: 'NoExecute', value: 'v' });
  t.same(ev[12]!.value, { node: 'n-1', key: 'k' });
  t.same(ev[13]!.value, { pod: 'api', namespace: 'default', labels: { a: 'b', c: null } });
  t.same(ev[14]!.value, { node: 'n-1', labels: { a: 'b' } });
  t.same(ev[0]!.pos, { file: 's.yaml', line: 7, col: 5 });
});

t.test('apply takes an object, a list, or a List, and records positions', async (t) => {
  const r = loadText(`${HEAD}events:
  - at: 1s
    apply: {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}
  - at: 2s
    apply:
      - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}
      - apiVersion: v1
        kind: List
        items:
          - {apiVersion: v1, kind: Secret, metadata: {name: c}}
`);
  t.same(lines(r), []);
  const ev = r.scenarios[0]!.events;
  t.same(ev[0]!.objects!.map((o) => o.object.metadata.name), ['a']);
  t.same(ev[1]!.objects!.map((o) => `${o.object.kind}/${o.object.metadata.name}`), ['ConfigMap/b', 'Secret/c']);
  t.same(ev[1]!.objects!.map((o) => o.pos.line), [9, 13]);
});

t.test('an event takes exactly one action, not after until', async (t) => {
  t.same(lines(loadText(`${HEAD}until: 1m\nevents:\n  - at: 1s\n    cordon: a\n    uncordon: a\n  - at: 2s\n  - at: 61s\n    cordon: a\n  - {at: 1s, label: {node: a, pod: b, labels: {}}}\n`)), [
    '8:5: events[0]: an event takes exactly one action, found cordon and uncordon; write one event per action',
    '9:5: events[1]: an event needs one action (nodeDown, nodeUp, cordon, uncordon, drain, probeFail, crash, apply, delete, scale, setImage, rollback, addNode, removeNode, taint, untaint, label)',
    '10:9: events[2].at: 1m1s is after until (1m0s)',
    '11:13: events[2].cordon: node "a" is not declared in nodes, a Node object or an addNode event (nodes: none)',
    '12:14: events[3].label: give either node or pod (with namespace), not both',
  ]);
});

const targets: Array<[string, string, unknown]> = [
  ['pods with defaults', 'pods: {}\n    count: 1', { kind: 'pods', namespace: 'default', hasNode: false }],
  ['pods with every filter', 'pods: {namespace: "*", selector: {app: web}, name: "web-*", node: null, owner: Deployment/web, where: {ready: true}}\n    count: 1',
    { kind: 'pods', namespace: '*', hasNode: true, selector: { app: 'web' }, name: 'web-*', node: null, owner: 'Deployment/web', where: { ready: true } }],
  ['one pod', 'pod: web', { kind: 'pod', namespace: 'default', name: 'web' }],
  ['nodes', 'nodes: {selector: {matchLabels: {a: b}}, name: "n-*"}\n    ready: unknown', { kind: 'nodes', selector: { matchLabels: { a: 'b' } }, name: 'n-*' }],
  ['objects of a simulated namespaced kind', 'object: {kind: Deployment, name: web}\n    count: 1', { kind: 'object', kind_: 'Deployment', name: 'web', namespace: 'default' }],
  ['objects of a cluster-scoped kind', 'object: {kind: Node}\n    count: 1', { kind: 'object', kind_: 'Node' }],
  ['events', 'events: {object: Pod/web, reason: BackOff, type: {$in: [Warning]}}\n    count: {min: 1}', { kind: 'events', namespace: 'default', object: 'Pod/web', reason: 'BackOff', type: { $in: ['Warning'] } }],
];
for (const [name, text, want] of targets) {
  t.test(`expect target: ${name}`, async (t) => {
    const r = loadText(`${HEAD}expect:\n  - ${text}\n`);
    t.same(lines(r), []);
    t.same(r.scenarios[0]!.expect[0]!.target, want);
    t.equal(r.scenarios[0]!.expect[0]!.name, 'expect[0]');
  });
}

t.test('an expectation keeps raw, checks and key positions', async (t) => {
  const r = loadText(`${HEAD}expect:\n  - name: web runs\n    by: 1m\n    pods: {selector: {app: web}}\n    count: 3\n    phase: Running\n    distinctNodes: true\n`);
  t.same(lines(r), []);
  const e = r.scenarios[0]!.expect[0]!;
  t.equal(e.name, 'web runs');
  t.same(e.checks, { count: 3, phase: 'Running', distinctNodes: true });
  t.same(e.raw, { name: 'web runs', by: '1m', pods: { selector: { app: 'web' } }, count: 3, phase: 'Running', distinctNodes: true });
  t.same(e.pos, { file: 's.yaml', line: 5, col: 5 });
  t.same(e.keyPos['phase'], { file: 's.yaml', line: 9, col: 5 });
  t.same(e.mode, { kind: 'by', from: 0, by: 60000 });
});

const expectErrors: Array<[string, string, string]> = [
  ['pod: takes no count', 'pod: web\n    count: 1', '6:5: expect[0]: pod: asserts exactly one target and takes no count; use pods: {name: ...} with count'],
  ['a pods shorthand on nodes is an error', 'nodes: {}\n    phase: Running', '6:5: expect[0]: "phase" is a pod shorthand and cannot be used with a nodes target'],
  ['a nodes shorthand on pods is an error', 'pods: {}\n    schedulable: true', '6:5: expect[0]: "schedulable" is a node shorthand and cannot be used with a pods target'],
  ['an events shorthand on pods is an error', 'pods: {}\n    message: hi', '6:5: expect[0]: "message" is an event shorthand and cannot be used with a pods target'],
  ['a shorthand on object is an error', 'object: {kind: Pod}\n    ready: true', '6:5: expect[0]: "ready" is a pod shorthand and cannot be used with an object target (use all/any/none/match with a partial object)'],
  ['ready: unknown is for nodes', 'pod: web\n    ready: unknown', '6:12: expect[0]: ready: unknown applies to nodes; a pod\'s ready is true or false'],
  ['two targets are an error', 'pods: {}\n    nodes: {}\n    count: 1', '6:5: expect[0]: an expectation takes one target, found pods and nodes'],
  ['no target is an error', 'count: 1', '5:5: expect[0]: an expectation needs one target: pods, pod, nodes, object or events'],
  ['no check is an error', 'pods: {}', '5:5: expect[0]: an expectation needs at least one check (count, all, any, none, match or a shorthand)'],
  ['two time modes are an error', 'at: 1s\n    by: 2s\n    pod: x', '6:5: expect[0]: an expectation takes one time mode (at, by, always or never), found at and by'],
  ['from with at is an error', 'from: 1s\n    pod: x', '5:5: expect[0]: from applies to by, always and never, not at'],
  ['until with by is an error', 'by: 1m\n    until: 2m\n    pod: x', '6:5: expect[0]: until applies to always and never (by has its own end: by: T)'],
  ['always must be true', 'always: false\n    pod: x', '5:13: expect[0].always: expected true, got the boolean false'],
  ['an unknown kind is an error', 'object: {kind: Widget}\n    count: 1', '5:20: expect[0].object.kind: unknown kind "Widget": neither simulated nor among the scenario\'s objects'],
  ['kinds are case-sensitive', 'pods: {owner: deployment/web}\n    count: 1', '5:19: expect[0].pods.owner: unknown kind "deployment": neither simulated nor among the scenario\'s objects (kinds are case-sensitive: did you mean "Deployment"?)'],
  ['an events object needs Kind/name', 'events: {object: web}\n    count: 1', '5:22: expect[0].events.object: expected Kind/name such as Pod/web-*, got "web"'],
  ['where takes the target kind\'s shorthands', 'pods: {where: {schedulable: true}}\n    count: 1', '5:20: unknown key "schedulable" in expect[0].pods.where (expected one of: match, phase, qosClass, ready, node, restarts, reason)'],
  ['count min above max is an error', 'pods: {}\n    count: {min: 3, max: 1}', '6:12: expect[0]: count min 3 is greater than max 1'],
  ['a bad operator value is an error', 'pod: x\n    phase: {$regex: 3}', '6:21: expect[0].phase.$regex: expected a string, got the number 3; quote it: "3"'],
  ['an unknown operator is an error', 'pod: x\n    phase: {$like: Run}', '6:13: unknown key "$like" in expect[0].phase (expected one of: $gt, $gte, $lt, $lte, $ne, $in, $regex, $exists)'],
  ['an invalid regex is an error', 'pod: x\n    reason: {$regex: "(a"}', '6:22: expect[0].reason.$regex: invalid regular expression: /(a/: Unterminated group'],
  ['an unknown phase is an error', 'pod: x\n    phase: running', '6:12: expect[0].phase: expected one of Pending, Running, Succeeded, Failed, Unknown, or an operator map such as {$in: [...]}, got "running"'],
];
for (const [name, text, want] of expectErrors) {
  t.test(`expect: ${name}`, async (t) => {
    t.same(lines(loadText(`${HEAD}expect:\n  - ${text}\n`)), [want]);
  });
}

t.test('kinds of the scenario\'s own objects and CRDs may be asserted on', async (t) => {
  const r = loadText(`${HEAD}manifests:
  - {apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: i}}
  - apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {name: widgets.example.com}
    spec: {group: example.com, scope: Cluster, names: {kind: Widget, plural: widgets}}
expect:
  - object: {kind: Ingress}
    count: 1
  - object: {kind: Widget, namespace: x}
    count: 0
`);
  t.same(lines(r), []);
  t.same(r.scenarios[0]!.expect[1]!.target, { kind: 'object', kind_: 'Widget' }, 'a cluster-scoped CRD kind takes no namespace');
});

t.test('the declared-size limits are problems at the position that crossed them', async (t) => {
  t.same(lines(loadText(`${HEAD}nodes:\n  - {name: a, count: 5}\n  - {name: b, count: 6}\n`, {}, { limits: { maxNodes: 10 } })),
    ['6:22: the number of nodes (11) exceeds the limit maxNodes (10); raise it with --max-nodes']);
  t.same(lines(loadText(`${HEAD}manifests:\n  - {apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {containers: [{name: c, image: i}]}}\n  - {apiVersion: apps/v1, kind: Deployment, metadata: {name: b}, spec: {replicas: 10, selector: {matchLabels: {app: w}}, template: {metadata: {labels: {app: w}}, spec: {containers: [{name: c, image: i}]}}}}\n`, {}, { limits: { maxPods: 10 } })),
    ['6:83: the number of declared pods (11) exceeds the limit maxPods (10); raise it with --max-pods']);
  t.same(lines(loadText(`${HEAD}manifests:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n`, {}, { limits: { maxObjects: 1 } })),
    ['6:5: the number of Kubernetes objects (2) exceeds the limit maxObjects (1); raise it with --max-objects']);
  t.same(lines(loadText(`${HEAD}events:\n  - {at: 1s, cordon: a}\n  - {at: 1s, cordon: a}\n`, {}, { limits: { maxEvents: 1 } })),
    ['5:22: events[0].cordon: node "a" is not declared in nodes, a Node object or an addNode event (nodes: none)', '6:5: the number of events (2) exceeds the limit maxEvents (1); raise it with --max-events']);
  t.same(lines(loadText(`${HEAD}until: 169h\n`, {}, { limits: { maxSpan: 168 * 3_600_000 } })),
    ['4:8: until (169h0m0s) exceeds the limit maxSpan (168h0m0s); raise it with --max-span']);
});

t.test('the default limits admit Kubernetes\' envelope: 5,000 nodes, 150,000 pods, 7 days', async (t) => {
  const r = loadText(`${HEAD}until: 168h\nnodes:\n  - {name: n, count: 5000}\nmanifests:\n  - {apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {replicas: 150000, selector: {matchLabels: {app: w}}, template: {metadata: {labels: {app: w}}, spec: {containers: [{name: c, image: i}]}}}}\n`);
  t.same(lines(r), []);
  t.equal(r.scenarios[0]!.nodes.length, 5000);
});

t.test('scheduler configuration is kept as written and checked against the subset', async (t) => {
  const r = loadText(`${HEAD}scheduler:\n  percentageOfNodesToScore: 50\n  profiles:\n    - plugins: {score: {enabled: [{name: ImageLocality, weight: 5}], disabled: [{name: "*"}]}}\n      pluginConfig:\n        - name: NodeResourcesFit\n          args: {scoringStrategy: {type: MostAllocated, resources: [{name: cpu, weight: 1}]}}\n`);
  t.same(lines(r), []);
  t.equal((r.scenarios[0]!.scheduler as { percentageOfNodesToScore: number }).percentageOfNodesToScore, 50);
  t.same(lines(loadText(`${HEAD}scheduler:\n  pluginConfig:\n    - name: InterPodAffinity\n      args: {hardPodAffinityWeight: 200}\n`)),
    ['7:37: scheduler.pluginConfig[0].args.hardPodAffinityWeight: expected a whole number from 0 to 100, got the number 200']);
});

t.test('node label and taint keys and values follow Kubernetes\' syntax', async (t) => {
  t.same(lines(loadText(`${HEAD}nodes:\n  - name: a\n    labels: {topology.kubernetes.io/zone: zone-a, "bad key": x, ok: "not ok!"}\n    taints: [{key: "-k", value: v, effect: NoSchedule}]\n`)), [
    '6:51: nodes[0].labels: label "bad key": a key name must be at most 63 characters of alphanumerics, \'-\', \'_\' or \'.\', starting and ending alphanumeric',
    '6:69: nodes[0].labels: label "ok": value "not ok!" must be at most 63 characters of alphanumerics, \'-\', \'_\' or \'.\', starting and ending alphanumeric',
    '7:20: nodes[0].taints[0].key: a key name must be at most 63 characters of alphanumerics, \'-\', \'_\' or \'.\', starting and ending alphanumeric',
  ]);
});

t.test('objects no controller acts on give a warning, not a problem', async (t) => {
  const r = loadText(`${HEAD}manifests:\n  - {apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: i}}\n`);
  t.same(lines(r), []);
  t.equal(r.scenarios.length, 1);
  t.equal(r.warnings.length, 1);
  t.match(r.warnings[0], /^s\.yaml:5:\d+: .*Ingress.*not simulated/);
});
