/** Contract: scenario-format.md "Time model". */
import t from 'tap';
import { passes, pod, run } from './helpers.js';

const S = 'Time model: ';

t.test(`${S}time is an integer count of milliseconds from 0`, async (t) => {
  passes(t, await run(`until: 1s
nodes: [{name: n}]
events:
  - {at: 1ms, cordon: n}
  - {at: 2ms, uncordon: n}
expect:
  - {at: 0s, nodes: {}, schedulable: true}
  - {at: 1ms, nodes: {}, schedulable: false}
  - {at: 0.002, nodes: {}, schedulable: true}
`));
});

t.test(`${S}at t=0 the nodes, then the manifests in order`, async (t) => {
  passes(t, await run(`until: 1s
nodes: [{name: n}]
manifests:
  - {apiVersion: v1, kind: Namespace, metadata: {name: team}}
${pod('p', '\n      nodeName: n', 'team')}expect:
  - {at: 0s, pods: {namespace: team}, count: 1, phase: Running}
`));
  const r = await run(`until: 1s
manifests:
${pod('p', '', 'team')}  - {apiVersion: v1, kind: Namespace, metadata: {name: team}}
expect:
  - {object: {kind: Namespace, name: team}, count: 1}
`);
  t.equal(r.code, 1, 'a manifest before its Namespace is rejected');
  t.match(r.out, /namespaces "team" not found/);
});

t.test(`${S}then the events due, in file order (the list need not be sorted)`, async (t) => {
  passes(t, await run(`until: 1m
nodes: [{name: a}, {name: b}]
events:
  - {at: 20s, uncordon: a}
  - {at: 10s, cordon: a}
  - {at: 30s, cordon: b}
  - {at: 30s, uncordon: b}
  - {at: 40s, uncordon: a}
  - {at: 40s, cordon: a}
expect:
  - {at: 9999ms, nodes: {name: a}, schedulable: true}
  - {at: 10s, nodes: {name: a}, schedulable: false}
  - {at: 20s, nodes: {name: a}, schedulable: true}
  - {at: 30s, nodes: {name: b}, schedulable: true}
  - {at: 40s, nodes: {name: a}, schedulable: false}
`));
});

t.test(`${S}events at an instant run before anything reacts`, async (t) => {
  passes(t, await run(`until: 10s
nodes: [{name: a}, {name: b}]
manifests:
${pod('p')}events:
  - {at: 0s, cordon: a}
expect:
  - {pod: p, node: b}
`));
});

t.test(`${S}reactions to reactions run until none is left; the state at T is settled`, async (t) => {
  passes(t, await run(`until: 10s
nodes: [{name: n}]
events:
  - at: 5s
    apply:
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: c, image: nginx:1.27}]}
  - at: 5s
    apply: {apiVersion: v1, kind: Service, metadata: {name: web}, spec: {selector: {app: web}, ports: [{port: 80}]}}
expect:
  - {at: 4999ms, pods: {}, count: 0}
  - {at: 5s, pods: {owner: Deployment/web}, count: 2, phase: Running, ready: true}
  - {at: 5s, object: {kind: Deployment, name: web}, match: {status: {readyReplicas: 2, availableReplicas: 2}}}
  - {at: 5s, object: {kind: Endpoints, name: web}, match: {subsets: [{addresses: [{}, {}]}]}}
  - name: states inside an instant are never observed
    never: true
    pods: {owner: Deployment/web}
    phase: Pending
`));
});

t.test(`${S}control-plane loops tick at their upstream period from t=0`, async (t) => {
  // node monitor: every 5s from 0; grace 50s (1.37) after the last heartbeat at 1s -> Unknown at the tick
  // after 51s, i.e. 55s.
  passes(t, await run(`until: 2m
nodes: [{name: n}]
events:
  - {at: 1s, nodeDown: n}
expect:
  - {at: 54999ms, nodes: {}, ready: true}
  - {at: 55s, nodes: {}, ready: unknown}
`));
});

t.test(`${S}per-object loops run from their object's start (a kubelet's lease renewals from its node's)`, async (t) => {
  passes(t, await run(`until: 1m
nodes: [{name: n}]
events:
  - {at: 3s, addNode: {name: late}}
expect:
  - {at: 12s, object: {kind: Lease, namespace: kube-node-lease, name: late}, match: {spec: {renewTime: "2024-01-01T00:00:03.000000Z"}}}
  - {at: 13s, object: {kind: Lease, namespace: kube-node-lease, name: late}, match: {spec: {renewTime: "2024-01-01T00:00:13.000000Z"}}}
  - {at: 13s, object: {kind: Lease, namespace: kube-node-lease, name: n}, match: {spec: {renewTime: "2024-01-01T00:00:10.000000Z"}}}
`));
});

t.test(`${S}a probe worker's ticker runs from the pod's admission, initialDelaySeconds counted from the container's start`, async (t) => {
  passes(t, await run(`until: 1m
nodes: [{name: n}]
manifests:
  - apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      containers:
        - name: c
          image: nginx:1.27
          startupProbe: {exec: {command: ["true"]}, initialDelaySeconds: 10, periodSeconds: 5}
behaviors:
  - {match: {pod: p}, pull: 4s}
expect:
  - {at: 14999ms, pod: p, ready: false}
  - {at: 15s, pod: p, ready: true}
`));
});

t.test(`${S}explicit upstream delays apply; a random jitter factor is 1`, async (t) => {
  passes(t, await run(`until: 1m
nodes: [{name: n}]
manifests:
${pod('p')}behaviors:
  - runs: [{exitAfter: 1s, exitCode: 1}]
expect:
  - {at: 1s, pod: p, restarts: 1}
  - {at: 11999ms, pod: p, restarts: 1}
  - {at: 12s, pod: p, restarts: 2}
  - {at: 32999ms, pod: p, restarts: 2}
  - {at: 33s, pod: p, restarts: 3}
`));
});

t.test(`${S}the seed drives the choices upstream makes at random, such as the pick among equally scored nodes`, async (t) => {
  const body = `until: 1s
nodes: [{name: n, count: 8}]
manifests:
${pod('p')}`;
  const where = async (seed: number) => /nodeName: (\S+)/.exec((await run(body, { cmd: 'state', args: ['--at', '1s', '-o', 'yaml', '--kind', 'Pod', '--seed', String(seed)] })).out)?.[1];
  const picks = new Set<string | undefined>();
  for (let s = 1; s <= 6; s++) picks.add(await where(s));
  t.ok(picks.size > 1, `different seeds pick different nodes (${[...picks].join(', ')})`);
  t.equal(await where(3), await where(3), 'the same seed picks the same node');
});

t.test(`${S}timers due at the same instant fire in the order they were set`, async (t) => {
  const r = await run(`until: 10s
nodes: [{name: n}]
manifests:
${pod('first')}${pod('second')}${pod('third')}behaviors:
  - runs: [{exitAfter: 5s}, {}]
`, { cmd: 'trace', args: ['--format', 'jsonl'] });
  t.equal(r.code, 0);
  const exits = r.out.split('\n').filter((l) => l.includes('"t":5000') && /exited/.test(l)).map((l) => /default\/(\w+)/.exec(l)?.[1]);
  t.same(exits, ['first', 'second', 'third']);
});

t.test(`${S}an instant whose reactions never settle ends the run with an error naming the loop once the step limit is reached`, async (t) => {
  const r = await run(`until: 1m
nodes: [{name: n}]
manifests:
${pod('p')}expect:
  - {pod: p, phase: Running}
`, { args: ['--max-steps', '3'] });
  t.equal(r.code, 1);
  t.match(r.out, /not ok 1 - expect\[0\]/);
  t.match(r.out, /error: .*never settled.*--max-steps/);
});

t.test(`${S}the run stops after instant until; later work is dropped without error`, async (t) => {
  passes(t, await run(`until: 5s
nodes: [{name: n}]
manifests:
${pod('p')}behaviors:
  - {pull: 10s}
expect:
  - {at: end, pod: p, phase: Pending}
  - {at: 5s, pod: p, match: {status: {containerStatuses: [{state: {waiting: {reason: ContainerCreating}}}]}}}
`));
});

t.test(`${S}a nodeDown at t=0 stops the kubelet of a node that starts Ready`, async (t) => {
  passes(t, await run(`until: 2m
nodes: [{name: n}]
events:
  - {at: 0s, nodeDown: n}
expect:
  - {by: 1m, nodes: {}, ready: unknown}
`));
});
