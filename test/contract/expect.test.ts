/** Contract: scenario-format.md "expect", one test per clause. */
import t from 'tap';
import { passes, runBody, judge, points, pod, deploy } from './lib.js';

const H = (until = '2m', nodes = '[{name: n1}]') => `name: x\nuntil: ${until}\nnodes: ${nodes}\n`;

t.test('expect: each entry is one assertion and one TAP test point; name defaults to expect[i] (0-based)', async (t) => {
  const r = await passes(t, `${H()}expect:\n  - {nodes: {}, count: 1}\n  - {name: named, nodes: {}, count: 1}\n  - {nodes: {}, count: 1}\n`);
  t.same(points(r.out), [[true, 'expect[0]'], [true, 'named'], [true, 'expect[2]']]);
});

t.test('expect: the checks of an entry must all hold together', async (t) => {
  await judge(t, `${H()}manifests:\n${pod('p')}expect:
  - {name: T both, pod: p, phase: Running, ready: true}
  - {name: F one fails, pod: p, phase: Running, ready: false}
`);
});

t.test('expect: at: T judges the settled state at T; the default is at: end; diagnostic at is T', async (t) => {
  const r = await judge(t, `${H('1m')}manifests:\n${pod('p')}events:\n  - {at: 30s, delete: {kind: Pod, name: p}}\nexpect:
  - {name: T at 29s, at: 29s, pods: {}, count: 1}
  - {name: T at 30s settled, at: 30s, pods: {}, count: 0}
  - {name: F default end, pods: {}, count: 1}
  - {name: T end keyword, at: end, pods: {}, count: 0}
`);
  t.match(r.out, /not ok 3 - F default end\n      ---\n      at: 1m0s\n/);
});

t.test('expect: by: T holds at some instant in [from, T]; pass: at is the first such instant; fail: at is T', async (t) => {
  const r = await judge(t, `${H('1m')}events:\n  - {at: 10s, cordon: n1}\n  - {at: 20s, uncordon: n1}\nexpect:
  - {name: T by, by: 50s, nodes: {}, schedulable: false}
  - {name: F from after, by: 50s, from: 21s, nodes: {}, schedulable: false}
  - {name: T from inside, by: 50s, from: 15s, nodes: {}, schedulable: false}
  - {name: F before, by: 9s, nodes: {}, schedulable: false}
`);
  t.match(r.out, /ok 1 - T by\n      ---\n      at: 10s\n      \.\.\.\n/);
  t.match(r.out, /ok 3 - T from inside\n      ---\n      at: 15s\n      \.\.\.\n/);
  t.match(r.out, /not ok 2 - F from after\n      ---\n      at: 50s\n      window: 21s\.\.50s\n/);
  t.match(r.out, /not ok 4 - F before\n      ---\n      at: 9s\n      window: 0s\.\.9s\n/);
});

t.test('expect: always: true holds at every instant of [from, until] (0s/end); at is the first failing instant', async (t) => {
  const r = await judge(t, `${H('1m')}events:\n  - {at: 10s, cordon: n1}\n  - {at: 20s, uncordon: n1}\nexpect:
  - {name: F always, always: true, nodes: {}, schedulable: true}
  - {name: T before, always: true, until: 9999ms, nodes: {}, schedulable: true}
  - {name: T after, always: true, from: 20s, nodes: {}, schedulable: true}
  - {name: T inside, always: true, from: 10s, until: 19s, nodes: {}, schedulable: false}
`);
  t.match(r.out, /not ok 1 - F always\n      ---\n      at: 10s\n      window: 0s\.\.1m0s\n/);
  t.match(r.out, /    ok 2 - T before\n    ok 3/, 'passing always has no block');
});

t.test('expect: never: true holds when the checks hold together at no instant of [from, until]; at is the first instant they hold', async (t) => {
  const r = await judge(t, `${H('1m')}events:\n  - {at: 10s, cordon: n1}\n  - {at: 20s, uncordon: n1}\nexpect:
  - {name: F never, never: true, nodes: {}, schedulable: false}
  - {name: T never outside, never: true, from: 20s, nodes: {}, schedulable: false}
  - {name: T not together, never: true, nodes: {}, schedulable: false, count: 2}
  - {name: F from inside, never: true, from: 15s, until: 30s, nodes: {}, schedulable: false}
`);
  t.match(r.out, /not ok 1 - F never\n      ---\n      at: 10s\n      window: 0s\.\.1m0s\n/);
  t.match(r.out, /not ok 4 - F from inside\n      ---\n      at: 15s\n      window: 15s\.\.30s\n/);
});

t.test('expect: exactly one time mode', async (t) => {
  const r = await runBody(`${H()}expect:\n  - {at: 1s, by: 2s, nodes: {}, count: 1}\n`);
  t.equal(r.code, 2);
});

t.test('expect: every instant is the settled state at from and at each later instant where anything happens', async (t) => {
  // Nothing happens at 5s, yet the window starts there: the state at 5s (cordoned since 1s) is judged.
  await judge(t, `${H('1m')}events:\n  - {at: 1s, cordon: n1}\n  - {at: 20s, uncordon: n1}\nexpect:
  - {name: F from quiet instant, always: true, from: 5s, until: 30s, nodes: {}, schedulable: true}
  - {name: T by from quiet instant, by: 30s, from: 5s, nodes: {}, schedulable: false}
  - {name: T states inside an instant are never observed, never: true, pods: {}, count: {min: 1}}
`.replace('pods: {}, count: {min: 1}', 'nodes: {}, count: 0'));
  // A pod created and deleted in the same instant is never seen.
  await passes(t, `${H('1m')}events:
  - {at: 10s, apply: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: nginx:1.27}]}}}
  - {at: 10s, delete: {kind: Pod, name: p}}
expect:
  - {never: true, pods: {}, count: {min: 1}}
`);
});

t.test('expect: targets are the objects stored at the instant judged, terminating and finished pods included', async (t) => {
  await passes(t, `${H()}manifests:
${pod('done', { spec: '      restartPolicy: Never\n' })}${pod('term')}behaviors:
  - {match: {pod: done}, runs: [{exitAfter: 1s}]}
  - {match: {pod: term}, stopAfter: 1h}
events:
  - {at: 10s, delete: {kind: Pod, name: term}}
expect:
  - at: 20s
    pods: {}
    count: 2
  - at: 20s
    pod: done
    phase: Succeeded
  - at: 20s
    pod: term
    all: {metadata: {deletionTimestamp: {$exists: true}}}
`);
});

t.test('expect: exactly one target kind', async (t) => {
  const r = await runBody(`${H()}expect:\n  - {nodes: {}, pods: {}, count: 1}\n`);
  t.equal(r.code, 2);
});

t.test('expect: pods namespace defaults to default; "*" is all; namespace is a glob', async (t) => {
  await judge(t, `${H()}manifests:
  - {apiVersion: v1, kind: Namespace, metadata: {name: team-a}}
${pod('p')}  - {apiVersion: v1, kind: Pod, metadata: {name: q, namespace: team-a}, spec: {containers: [{name: c, image: nginx:1.27}]}}
  - {apiVersion: v1, kind: Pod, metadata: {name: r, namespace: kube-system}, spec: {containers: [{name: c, image: nginx:1.27}]}}
expect:
  - {name: T default, pods: {}, count: 1, all: {metadata: {name: p}}}
  - {name: T all, pods: {namespace: "*"}, count: 3}
  - {name: T glob, pods: {namespace: "team-?"}, count: 1, all: {metadata: {name: q}}}
  - {name: T glob2, pods: {namespace: "*-*"}, count: 2}
`);
});

t.test('expect: pods selector is a label selector (map or LabelSelector; {} selects everything)', async (t) => {
  await judge(t, `${H()}manifests:
${pod('a', { labels: '{app: web, tier: fe}' })}${pod('b', { labels: '{app: web}' })}${pod('c', { labels: '{app: db}' })}expect:
  - {name: T map, pods: {selector: {app: web}}, count: 2}
  - {name: T map pairs ANDed, pods: {selector: {app: web, tier: fe}}, count: 1}
  - {name: T matchLabels, pods: {selector: {matchLabels: {app: db}}}, count: 1}
  - {name: T In, pods: {selector: {matchExpressions: [{key: app, operator: In, values: [web, db]}]}}, count: 3}
  - {name: T NotIn, pods: {selector: {matchExpressions: [{key: app, operator: NotIn, values: [web]}]}}, count: 1}
  - {name: T Exists, pods: {selector: {matchExpressions: [{key: tier, operator: Exists}]}}, count: 1}
  - {name: T DoesNotExist, pods: {selector: {matchExpressions: [{key: tier, operator: DoesNotExist}]}}, count: 2}
  - {name: T both, pods: {selector: {matchLabels: {app: web}, matchExpressions: [{key: tier, operator: DoesNotExist}]}}, count: 1}
  - {name: T empty, pods: {selector: {}}, count: 3}
`);
});

t.test('expect: pods name and node are names or globs; node: null is unscheduled', async (t) => {
  await judge(t, `${H('1m', '[{name: n, count: 2}]')}manifests:
${pod('web-1', { spec: '      nodeName: n-1\n' })}${pod('web-2', { spec: '      nodeName: n-2\n' })}${pod('big').replace('image: "nginx:1.27"}', 'image: "nginx:1.27", resources: {requests: {cpu: "64"}}}')}expect:
  - {name: T name glob, pods: {name: "web-*"}, count: 2}
  - {name: T name exact, pods: {name: web-1}, count: 1}
  - {name: T name ?, pods: {name: "web-?"}, count: 2}
  - {name: T name whole string, pods: {name: "web"}, count: 0}
  - {name: T node glob, pods: {node: "n-*"}, count: 2}
  - {name: T node exact, pods: {node: n-2}, count: 1, all: {metadata: {name: web-2}}}
  - {name: T node null, pods: {node: null}, count: 1, all: {metadata: {name: big}}}
`);
});

t.test('expect: pods owner follows the chain of controller references (Deployment→ReplicaSet→Pod, CronJob→Job→Pod)', async (t) => {
  await judge(t, `${H('3m')}manifests:
${deploy('web', 2)}  - apiVersion: batch/v1
    kind: CronJob
    metadata: {name: cj}
    spec:
      schedule: "* * * * *"
      jobTemplate:
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: c, image: busybox:1.36}]
${pod('loose')}behaviors:
  - {match: {pod: "cj-*"}, runs: [{exitAfter: 5s}]}
expect:
  - {name: T deployment, pods: {owner: Deployment/web}, count: 2}
  - {name: T replicaset glob, pods: {owner: "ReplicaSet/web-*"}, count: 2}
  - {name: T cronjob, at: 1m30s, pods: {owner: CronJob/cj}, count: 1, phase: Succeeded}
  - {name: T job, at: 1m30s, pods: {owner: "Job/cj-*"}, count: 1}
  - {name: T none, pods: {owner: Deployment/nope}, count: 0}
`);
});

t.test('expect: where filters before the checks (shorthands and/or match); objects failing it are not targets', async (t) => {
  await judge(t, `${H()}manifests:
${pod('a')}${pod('b', { spec: '      restartPolicy: Never\n' })}${pod('c', { labels: '{x: y}' })}behaviors:
  - {match: {pod: b}, runs: [{exitAfter: 1s}]}
expect:
  - {name: T shorthand, pods: {where: {phase: Running}}, count: 2}
  - {name: T match, pods: {where: {match: {metadata: {labels: {x: y}}}}}, count: 1}
  - {name: T both, pods: {where: {phase: Running, match: {metadata: {name: a}}}}, count: 1}
  - {name: T nodes where, nodes: {where: {ready: true}}, count: 1}
`);
  const r = await runBody(`${H()}expect:\n  - {pods: {where: {distinctNodes: true}}, count: 0}\n`);
  t.equal(r.code, 2, 'distinctNodes is not allowed in where');
});

t.test('expect: pod: <name or glob> is pods: {name} plus a check that there is exactly one target; it takes no count', async (t) => {
  const r = await judge(t, `${H()}manifests:\n${pod('web-1')}${pod('web-2')}expect:
  - {name: T one, pod: web-1, phase: Running}
  - {name: F two, pod: "web-*", phase: Running}
  - {name: F none, pod: nope, phase: Running}
`);
  t.match(r.out, /not ok 2 - F two\n      ---\n      at: 2m0s\n      expected: \{count: 1\}\n      actual: \{count: 2\}\n/);
  const r2 = await runBody(`${H()}manifests:\n${pod('p')}expect:\n  - {pod: p, count: 1}\n`);
  t.equal(r2.code, 2, 'pod: with count is invalid');
});

t.test('expect: nodes: {selector, name, where}, name a name or glob', async (t) => {
  await judge(t, `${H('1m', '[{name: a, count: 2, labels: {zone: z1}}, {name: b}]')}expect:
  - {name: T all, nodes: {}, count: 3}
  - {name: T selector, nodes: {selector: {zone: z1}}, count: 2}
  - {name: T name glob, nodes: {name: "a-*"}, count: 2}
  - {name: T name exact, nodes: {name: b}, count: 1}
`);
  const r = await runBody(`${H()}expect:\n  - {nodes: {node: n1}, count: 1}\n`);
  t.equal(r.code, 2, 'node is never a target filter of nodes');
});

t.test('expect: object: {kind, name, namespace} - name a glob (default all), namespace ignored for cluster-scoped kinds', async (t) => {
  await judge(t, `${H()}manifests:
  - {apiVersion: v1, kind: Namespace, metadata: {name: other}}
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: cm-1}}
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: cm-2}}
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: cm-3, namespace: other}}
  - {apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: {name: high}, value: 1000}
expect:
  - {name: T all default ns, object: {kind: ConfigMap}, count: 2}
  - {name: T glob, object: {kind: ConfigMap, name: "cm-?"}, count: 2}
  - {name: T other ns, object: {kind: ConfigMap, namespace: other}, count: 1}
  - {name: T cluster scoped, object: {kind: PriorityClass, name: high, namespace: whatever}, count: 1}
  - {name: T nodes as objects, object: {kind: Node}, count: 1}
`);
});

t.test('expect: a Kind neither simulated nor among the scenario\'s objects is an error', async (t) => {
  const r = await runBody(`${H()}expect:\n  - {object: {kind: Nope}, count: 0}\n`);
  t.equal(r.code, 2);
});

t.test('expect: events: the core/v1 Events emitted so far with real reasons and texts', async (t) => {
  await judge(t, `${H('1m', '[{name: n, count: 2}]')}manifests:
${pod('p', { spec: '      nodeName: n-1\n' }).replace('      nodeName: n-1\n', '')}${pod('big').replace('image: "nginx:1.27"}', 'image: "nginx:1.27", resources: {requests: {cpu: "64"}}}')}expect:
  - {name: T scheduled, events: {reason: Scheduled, object: Pod/p}, count: 1, message: {$regex: "^Successfully assigned default/p to n-[12]$"}}
  - {name: T failed scheduling, events: {reason: FailedScheduling, object: Pod/big, type: Warning}, count: {min: 1}, any: {message: {$regex: "^0/2 nodes are available: 2 Insufficient cpu\\\\."}}}
  - {name: T object glob, events: {object: "Pod/b*"}, count: {min: 1}}
  - {name: T reason operator, events: {reason: {$in: [Pulling, Pulled]}, object: Pod/p}, count: 2}
  - {name: T type, events: {type: Normal, object: Pod/big}, count: 0}
  - {name: T message exact, events: {message: "Successfully assigned default/p to n-1", object: Pod/p}, count: {max: 1}}
`);
});

t.test('expect: events namespace defaults to default ("*" all), while Events of cluster-scoped objects always pass', async (t) => {
  await judge(t, `${H('3m')}manifests:
  - {apiVersion: v1, kind: Namespace, metadata: {name: other}}
  - {apiVersion: v1, kind: Pod, metadata: {name: q, namespace: other}, spec: {containers: [{name: c, image: nginx:1.27}]}}
events:
  - {at: 10s, nodeDown: n1}
expect:
  - {name: T default excludes other, events: {reason: Scheduled}, count: 0}
  - {name: T other, events: {reason: Scheduled, namespace: other}, count: 1}
  - {name: T star, events: {reason: Scheduled, namespace: "*"}, count: 1}
  - {name: T node events pass any namespace filter, events: {reason: NodeNotReady, object: Node/n1, namespace: other}, count: 1}
  - {name: T node events in default, events: {reason: NodeNotReady, object: Node/n1}, count: 1}
`);
});

t.test('expect: identical repeats fold into one Event with a rising count; count sums occurrences', async (t) => {
  await judge(t, `${H('2m')}manifests:\n${pod('p')}behaviors:\n  - {match: {pod: p}, runs: [{exitAfter: 1s, exitCode: 1}]}\nexpect:
  - {name: T occurrences, events: {reason: BackOff, object: Pod/p}, count: {min: 2}}
  - {name: T folded, events: {reason: BackOff, object: Pod/p}, match: {count: {$gte: 2}}}
`);
});

t.test('expect: count: N, {min, max} inclusive or operators; count: 0 asserts absence', async (t) => {
  await judge(t, `${H('1m', '[{name: n, count: 3}]')}expect:
  - {name: T exact, nodes: {}, count: 3}
  - {name: T min max inclusive, nodes: {}, count: {min: 3, max: 3}}
  - {name: T min only, nodes: {}, count: {min: 1}}
  - {name: T max only, nodes: {}, count: {max: 3}}
  - {name: F max below, nodes: {}, count: {max: 2}}
  - {name: T absence, nodes: {name: zz}, count: 0}
  - {name: F absence, nodes: {}, count: 0}
  - {name: T operators, nodes: {}, count: {$gte: 2, $lt: 4}}
  - {name: F operators, nodes: {}, count: {$gt: 3}}
  - {name: T operator admits zero, nodes: {name: zz}, count: {$lte: 1}, all: {metadata: {name: x}}}
`);
});

t.test('expect: all / any / none / match check every / at least one / no / exactly one target against the partial', async (t) => {
  await judge(t, `${H('1m', '[{name: n, count: 2}]')}manifests:
${pod('a', { labels: '{k: x}' })}${pod('b', { labels: '{k: y}' })}expect:
  - {name: T all, pods: {}, all: {spec: {containers: [{name: c}]}}}
  - {name: F all, pods: {}, all: {metadata: {labels: {k: x}}}}
  - {name: T any, pods: {}, any: {metadata: {labels: {k: y}}}}
  - {name: F any, pods: {}, any: {metadata: {labels: {k: z}}}}
  - {name: T none, pods: {}, none: {metadata: {labels: {k: z}}}}
  - {name: F none, pods: {}, none: {metadata: {labels: {k: x}}}}
  - {name: T match one, pods: {name: a}, match: {metadata: {labels: {k: x}}}}
  - {name: F match two, pods: {}, match: {spec: {containers: [{name: c}]}}}
`);
});

t.test('expect: pod shorthands phase, qosClass, ready, node', async (t) => {
  await judge(t, `${H('1m')}manifests:
${pod('p').replace('image: "nginx:1.27"}', 'image: "nginx:1.27", resources: {requests: {cpu: 1, memory: 1Gi}, limits: {cpu: 1, memory: 1Gi}}}')}${pod('q', { spec: '      nodeSelector: {nope: nope}\n' })}expect:
  - {name: T phase, pod: p, phase: Running}
  - {name: T qos, pod: p, qosClass: Guaranteed}
  - {name: T qos besteffort, pod: q, qosClass: BestEffort}
  - {name: T ready, pod: p, ready: true}
  - {name: T ready false absent, pod: q, ready: false}
  - {name: T node, pod: p, node: n1}
  - {name: T node glob, pod: p, node: "n*"}
  - {name: T node null, pod: q, node: null}
  - {name: F node null, pod: p, node: null}
`);
});

t.test('expect: restarts is the sum of restartCount over all containers, init included (number or {min, max})', async (t) => {
  await judge(t, `${H('5m')}manifests:
  - apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      containers: [{name: a, image: nginx:1.27}, {name: b, image: nginx:1.27}]
events:
  - {at: 10s, crash: {pod: p, container: a}}
  - {at: 20s, crash: {pod: p, container: b}}
expect:
  - {name: T sum, pod: p, restarts: 2}
  - {name: T range, pod: p, restarts: {min: 2, max: 2}}
  - {name: F range, pod: p, restarts: {min: 3}}
`);
});

t.test('expect: reason holds if any of the pod\'s reasons matches; OOMKilled survives an immediate restart; null: none', async (t) => {
  await judge(t, `${H('1m')}manifests:
${pod('oom')}${pod('fine')}${pod('ev', { spec: '      nodeName: n1\n' })}behaviors:
  - {match: {pod: oom}, oomAfter: 10s}
expect:
  - {name: T oom survives restart, at: 10s, pod: oom, reason: OOMKilled, restarts: 1, phase: Running}
  - {name: T oom running, at: 10s, pod: oom, all: {status: {containerStatuses: [{state: {running: {}}}]}}}
  - {name: T none, pod: fine, reason: null}
  - {name: F none, at: 10s, pod: oom, reason: null}
  - {name: T operator, at: 10s, pod: oom, reason: {$in: [OOMKilled, Error]}}
`);
});

t.test('expect: reason includes status.reason (Evicted) and the current waiting reason', async (t) => {
  await judge(t, `${H('1m')}manifests:
${pod('p')}behaviors:
  - {match: {pod: p}, pullError: nope}
expect:
  - {name: T waiting reason, by: 30s, pod: p, reason: ImagePullBackOff}
  - {name: T waiting reason at once, at: 0s, pod: p, reason: ErrImagePull}
`);
});

t.test('expect: distinctNodes: true - every target is scheduled, no two on one node', async (t) => {
  await judge(t, `${H('1m', '[{name: n, count: 3}]')}manifests:
${pod('a', { spec: '      nodeName: n-1\n' })}${pod('b', { spec: '      nodeName: n-2\n' })}${pod('c', { spec: '      nodeName: n-2\n' })}${pod('d', { spec: '      nodeSelector: {nope: nope}\n' })}expect:
  - {name: T distinct, pods: {name: "[ab]"}, distinctNodes: true}
  - {name: T distinct ab, pods: {where: {match: {metadata: {name: {$in: [a, b]}}}}}, distinctNodes: true}
  - {name: F same node, pods: {node: n-2}, distinctNodes: true}
  - {name: F unscheduled, pods: {where: {match: {metadata: {name: {$in: [a, d]}}}}}, distinctNodes: true}
`.replace(`  - {name: T distinct, pods: {name: "[ab]"}, distinctNodes: true}\n`, ''));
});

t.test('expect: node shorthands ready (true/false/unknown), schedulable, taints (a partial list)', async (t) => {
  await judge(t, `${H('3m', '[{name: a}, {name: b, unschedulable: true, taints: [{key: k, value: v, effect: NoSchedule}, {key: j, effect: NoExecute}]}]')}events:
  - {at: 10s, nodeDown: a}
expect:
  - {name: T unknown, nodes: {name: a}, ready: unknown}
  - {name: T ready, nodes: {name: b}, ready: true}
  - {name: F ready false, nodes: {name: b}, ready: false}
  - {name: T schedulable, nodes: {name: a}, schedulable: true}
  - {name: T unschedulable, nodes: {name: b}, schedulable: false}
  - {name: T taints subset, nodes: {name: b}, taints: [{key: k}]}
  - {name: T taints any order, nodes: {name: b}, taints: [{key: j}, {key: k, value: v}]}
  - {name: F taints, nodes: {name: b}, taints: [{key: zz}]}
`);
});

t.test('expect: event shorthand message (exact string or operator) applies to every target', async (t) => {
  await judge(t, `${H('1m')}manifests:\n${pod('p')}expect:
  - {name: T exact, events: {reason: Scheduled}, message: "Successfully assigned default/p to n1"}
  - {name: T operator, events: {object: Pod/p}, message: {$regex: "."}}
  - {name: F every target, events: {object: Pod/p}, message: {$regex: "^Successfully"}}
`);
});

t.test('expect: shorthands take operators; a shorthand on another target kind is an error', async (t) => {
  await judge(t, `${H('1m')}manifests:\n${pod('p')}expect:
  - {name: T in, pod: p, phase: {$in: [Running, Succeeded]}}
  - {name: T ne, pod: p, phase: {$ne: Pending}}
  - {name: T restarts op, pod: p, restarts: {$lt: 1}}
`);
  for (const bad of ['{nodes: {}, phase: Running}', '{pods: {}, schedulable: true}', '{events: {}, phase: Running}', '{object: {kind: Pod}, ready: true}', '{pods: {}, message: x}']) {
    const r = await runBody(`${H()}expect:\n  - ${bad}\n`);
    t.equal(r.code, 2, bad);
  }
});

t.test('expect: with zero targets count compares 0, none holds, any and match fail, all/shorthands/distinctNodes hold only if a count admits 0', async (t) => {
  await judge(t, `${H('1m')}expect:
  - {name: T count, pods: {}, count: 0}
  - {name: T none, pods: {}, none: {metadata: {name: x}}}
  - {name: F any, pods: {}, any: {metadata: {name: x}}}
  - {name: F match, pods: {}, match: {metadata: {name: x}}}
  - {name: F all alone, pods: {}, all: {metadata: {name: x}}}
  - {name: T all with count 0, pods: {}, all: {metadata: {name: x}}, count: {max: 2}}
  - {name: F shorthand alone, pods: {}, phase: Running}
  - {name: T shorthand with count, pods: {}, phase: Running, count: 0}
  - {name: F distinct alone, pods: {}, distinctNodes: true}
  - {name: T distinct with count, pods: {}, distinctNodes: true, count: {min: 0}}
  - {name: F shorthand with count not admitting 0, pods: {}, phase: Running, count: {min: 1}}
  - {name: F message alone, events: {reason: Nope}, message: x}
`);
});

t.test('expect: partial maps match if every key given matches; other keys ignored; null matches null or absent', async (t) => {
  await judge(t, `${H('1m')}manifests:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: cm, labels: {a: "1"}}, data: {x: "1", y: "2"}}\nexpect:
  - {name: T subset, object: {kind: ConfigMap, name: cm}, match: {data: {x: "1"}}}
  - {name: F wrong, object: {kind: ConfigMap, name: cm}, match: {data: {x: "2"}}}
  - {name: T null absent, object: {kind: ConfigMap, name: cm}, match: {data: {z: null}, binaryData: null}}
  - {name: F null present, object: {kind: ConfigMap, name: cm}, match: {data: {x: null}}}
  - {name: F missing key, object: {kind: ConfigMap, name: cm}, match: {data: {z: "1"}}}
`);
});

t.test('expect: a list matches as a subset, each expected element a different actual element, any order; absent list counts as empty', async (t) => {
  await judge(t, `${H('1m')}manifests:
  - apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec: {containers: [{name: a, image: "nginx:1.27"}, {name: b, image: "nginx:1.27"}, {name: c, image: "redis:7"}]}
expect:
  - {name: T subset any order, pod: p, all: {spec: {containers: [{name: c}, {name: a}]}}}
  - {name: F different elements, pod: p, all: {spec: {containers: [{name: a}, {name: a}]}}}
  - {name: T same shape different elements, pod: p, all: {spec: {containers: [{image: "nginx:1.27"}, {image: "nginx:1.27"}]}}}
  - {name: F three nginx, pod: p, all: {spec: {containers: [{image: "nginx:1.27"}, {image: "nginx:1.27"}, {image: "nginx:1.27"}]}}}
  - {name: T empty list, pod: p, all: {spec: {containers: []}}}
  - {name: T absent list empty, pod: p, all: {spec: {initContainers: []}}}
  - {name: F absent list not empty, pod: p, all: {spec: {initContainers: [{}]}}}
`);
});

t.test('expect: key(ordered) must have the same length and match index by index', async (t) => {
  await judge(t, `${H('1m')}manifests:
  - apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec: {containers: [{name: a, image: "nginx:1.27"}, {name: b, image: "nginx:1.27"}]}
expect:
  - {name: T ordered, pod: p, all: {spec: {"containers(ordered)": [{name: a}, {name: b}]}}}
  - {name: F order, pod: p, all: {spec: {"containers(ordered)": [{name: b}, {name: a}]}}}
  - {name: F length, pod: p, all: {spec: {"containers(ordered)": [{name: a}]}}}
  - {name: T absent empty, pod: p, all: {spec: {"initContainers(ordered)": []}}}
`);
});

t.test('expect: scalars compare by value without coercion (1 = 1.0; "1" ≠ 1; "True" ≠ true)', async (t) => {
  // Within the field's type (int-or-string fields hold both): 1 equals 1.0, "1" is not 1.
  await judge(t, `${H('1m')}manifests:
${deploy('web', 1)}    spec: {strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: "1"}}}
expect:
  - {name: T int float, pods: {}, all: {spec: {terminationGracePeriodSeconds: 30.0}}}
  - {name: T int int, object: {kind: Deployment, name: web}, match: {spec: {strategy: {rollingUpdate: {maxSurge: 1}}}}}
  - {name: F string for int, object: {kind: Deployment, name: web}, match: {spec: {strategy: {rollingUpdate: {maxSurge: "1"}}}}}
  - {name: F int for percent, object: {kind: Deployment, name: web}, match: {spec: {strategy: {rollingUpdate: {maxUnavailable: 25}}}}}
  - {name: T type keeps, pods: {}, all: {spec: {terminationGracePeriodSeconds: 30}}}
`.replace('    spec: {strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: "1"}}}\n', '').replace('      replicas: 1\n', '      replicas: 1\n      strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: "25%"}}\n'));
});

t.test('expect: scalars of another type than the field\'s compare unequal ("1" is not 1, "True" is not true) rather than being invalid', async (t) => {
  await judge(t, `${H('1m')}manifests:
${pod('p', { labels: '{n: "1", b: "true"}' })}expect:
  - {name: F string number, pod: p, all: {metadata: {labels: {n: 1}}}}
  - {name: F bool string, pod: p, all: {metadata: {labels: {b: true}}}}
  - {name: F True, pod: p, all: {status: {conditions: [{type: Ready, status: true}]}}}
  - {name: F duration string, pod: p, all: {spec: {terminationGracePeriodSeconds: 30s}}}
`);
});

t.test('expect: quantity fields compare by amount (cpu: 1, "1", 1000m equal)', async (t) => {
  await judge(t, `${H('1m')}manifests:
${pod('p').replace('image: "nginx:1.27"}', 'image: "nginx:1.27", resources: {requests: {cpu: 1000m, memory: 1Gi}}}')}expect:
  - {name: T number, pod: p, all: {spec: {containers: [{resources: {requests: {cpu: 1}}}]}}}
  - {name: T string, pod: p, all: {spec: {containers: [{resources: {requests: {cpu: "1"}}}]}}}
  - {name: T milli, pod: p, all: {spec: {containers: [{resources: {requests: {cpu: 1000m, memory: 1024Mi}}}]}}}
  - {name: F other amount, pod: p, all: {spec: {containers: [{resources: {requests: {cpu: 2}}}]}}}
  - {name: T node capacity, nodes: {}, all: {status: {capacity: {cpu: 4000m, memory: 16Gi}}}}
  - {name: T gt quantity, nodes: {}, all: {status: {allocatable: {memory: {$gt: 1Gi}}}}}
`);
});

t.test('expect: a timestamp field compares with an RFC 3339 string or an instant (2m stands for 2024-01-01T00:02:00Z)', async (t) => {
  await judge(t, `${H('3m')}events:\n  - {at: 2m, apply: {apiVersion: v1, kind: ConfigMap, metadata: {name: cm}}}\nexpect:
  - {name: T rfc3339, object: {kind: ConfigMap, name: cm}, match: {metadata: {creationTimestamp: "2024-01-01T00:02:00Z"}}}
  - {name: T instant, object: {kind: ConfigMap, name: cm}, match: {metadata: {creationTimestamp: 2m}}}
  - {name: F other instant, object: {kind: ConfigMap, name: cm}, match: {metadata: {creationTimestamp: 1m}}}
  - {name: T gt instant, object: {kind: ConfigMap, name: cm}, match: {metadata: {creationTimestamp: {$gt: 1m, $lte: "2024-01-01T00:02:00Z"}}}}
`);
});

t.test('expect: a timestamp field compares with an instant given as a number of seconds', async (t) => {
  await judge(t, `${H('3m')}events:\n  - {at: 2m, apply: {apiVersion: v1, kind: ConfigMap, metadata: {name: cm}}}\nexpect:
  - {name: T instant seconds, object: {kind: ConfigMap, name: cm}, match: {metadata: {creationTimestamp: 120}}}
`);
});

t.test('expect: operators $gt $gte $lt $lte (numbers, quantities, timestamps; false on anything else or absent), several ANDed', async (t) => {
  await judge(t, `${H('1m')}manifests:\n${pod('p', { labels: '{n: "5"}' })}expect:
  - {name: T gt, pod: p, all: {spec: {terminationGracePeriodSeconds: {$gt: 29, $lt: 31}}}}
  - {name: T gte lte, pod: p, all: {spec: {terminationGracePeriodSeconds: {$gte: 30, $lte: 30}}}}
  - {name: F anded, pod: p, all: {spec: {terminationGracePeriodSeconds: {$gt: 29, $lt: 30}}}}
  - {name: F string, pod: p, all: {metadata: {labels: {n: {$gt: 1}}}}}
  - {name: F absent, pod: p, all: {spec: {activeDeadlineSeconds: {$lt: 100}}}}
`);
});

t.test('expect: operators $ne (true on absent), $in, $regex (strings only), $exists, usable at any value', async (t) => {
  await judge(t, `${H('1m')}manifests:\n${pod('web-1', { labels: '{n: "5"}' })}expect:
  - {name: T ne, pod: "web-*", all: {metadata: {name: {$ne: x}}}}
  - {name: T ne absent, pod: "web-*", all: {spec: {activeDeadlineSeconds: {$ne: 3}}}}
  - {name: F ne, pod: "web-*", all: {metadata: {name: {$ne: web-1}}}}
  - {name: T in, pod: "web-*", all: {metadata: {name: {$in: [a, web-1]}}}}
  - {name: T regex unanchored, pod: "web-*", all: {metadata: {name: {$regex: "b-"}}}}
  - {name: F regex number, pod: "web-*", all: {spec: {terminationGracePeriodSeconds: {$regex: "30"}}}}
  - {name: T exists, pod: "web-*", all: {metadata: {uid: {$exists: true}}}}
  - {name: T exists false, pod: "web-*", all: {metadata: {deletionTimestamp: {$exists: false}}}}
  - {name: F exists, pod: "web-*", all: {metadata: {deletionTimestamp: {$exists: true}}}}
  - {name: T map operator, pod: "web-*", all: {metadata: {labels: {$exists: true}}}}
  - {name: T list operator, pod: "web-*", all: {spec: {containers: {$exists: true}}}}
  - {name: T in on map, pod: "web-*", all: {metadata: {labels: {$in: [{n: "5"}]}}}}
`);
});

t.test('expect: a partial with an unknown field is an error (strict, like kubectl apply --validate=strict)', async (t) => {
  const r = await runBody(`${H()}expect:\n  - {pods: {}, all: {spec: {nope: 1}}}\n`);
  t.equal(r.code, 2);
});

t.test('expect: no instant may lie after until, nor a window end before it starts', async (t) => {
  for (const bad of ['{at: 2m, nodes: {}, count: 1}', '{by: 3m, nodes: {}, count: 1}', '{always: true, from: 30s, until: 10s, nodes: {}, count: 1}', '{never: true, until: 5m, nodes: {}, count: 0}']) {
    const r = await runBody(`${H('1m')}expect:\n  - ${bad}\n`);
    t.equal(r.code, 2, bad);
  }
});
