/** Contract: scenario-format.md "Values". */
import t from 'tap';
import { invalid, passes, pod, run } from './helpers.js';

const S = 'Values: ';

t.test(`${S}a duration is a Go duration string of h, m, s, ms parts or a number of seconds`, async (t) => {
  passes(t, await run(`until: 1h30m
nodes: [{name: n}]
events:
  - {at: 250ms, cordon: n}
  - {at: 1.5s, uncordon: n}
  - {at: 30, cordon: n}
  - {at: 0.25, label: {node: n, labels: {a: b}}}
  - {at: 1h2m3s4ms, uncordon: n}
expect:
  - {at: 249ms, nodes: {name: n}, schedulable: true}
  - {at: 0.25, nodes: {name: n}, schedulable: false, all: {metadata: {labels: {a: b}}}}
  - {at: 1499ms, nodes: {name: n}, schedulable: false}
  - {at: 1.5s, nodes: {name: n}, schedulable: true}
  - {at: 30, nodes: {name: n}, schedulable: false}
  - {at: 1h2m3.003s, nodes: {name: n}, schedulable: false}
  - {at: 1h2m3s4ms, nodes: {name: n}, schedulable: true}
  - {at: 1h30m, nodes: {name: n}, schedulable: true}
`));
});

t.test(`${S}a duration is not negative and in whole milliseconds`, async (t) => {
  invalid(t, await run('until: -5s\n'), /s\.yaml:4:8: /);
  invalid(t, await run('until: 1.0005s\n'), /s\.yaml:4:8: /);
  invalid(t, await run('until: 0.0001\n'), /s\.yaml:4:8: /);
  invalid(t, await run('until: 1d\n'), /s\.yaml:4:8: /);
  invalid(t, await run('until: 10m\nevents:\n  - {at: -1, cordon: n}\n'), /s\.yaml:6:10: events\[0\]\.at: /);
});

t.test(`${S}an instant is a duration since t=0; in expect, end means until`, async (t) => {
  passes(t, await run(`until: 2m
nodes: [{name: n}]
events:
  - {at: 2m, cordon: n}
expect:
  - {at: end, nodes: {name: n}, schedulable: false}
  - {always: true, until: 119999ms, nodes: {name: n}, schedulable: true}
  - {never: true, from: 1m, until: end, nodes: {name: n}, count: 0}
  - {by: end, from: end, nodes: {name: n}, schedulable: false}
`));
});

t.test(`${S}no instant may lie after until`, async (t) => {
  invalid(t, await run('until: 1m\nnodes: [{name: n}]\nevents:\n  - {at: 61s, cordon: n}\n'), 's.yaml:7:10: events[0].at: 1m1s is after until (1m0s)');
  invalid(t, await run('until: 1m\nexpect:\n  - {at: 2m, nodes: {}, count: 0}\n'), 's.yaml:6:10: expect[0].at: 2m0s is after until (1m0s)');
  invalid(t, await run('until: 1m\nexpect:\n  - {by: 1m1s, nodes: {}, count: 0}\n'), /s\.yaml:6:10: expect\[0\]\.by: 1m1s is after until/);
  invalid(t, await run('until: 1m\nexpect:\n  - {always: true, from: 70s, nodes: {}, count: 0}\n'), /s\.yaml:6:\d+: expect\[0\]\.from: 1m10s is after until/);
  invalid(t, await run('until: 1m\nexpect:\n  - {never: true, until: 90s, nodes: {}, count: 1}\n'), /s\.yaml:6:\d+: expect\[0\]\.until: 1m30s is after until/);
  invalid(t, await run('expect:\n  - {at: 11m, nodes: {}, count: 0}\n'), /expect\[0\]\.at: 11m0s is after until \(10m0s\)/);
});

t.test(`${S}no window end may lie before its start`, async (t) => {
  invalid(t, await run('until: 1m\nexpect:\n  - {by: 10s, from: 20s, nodes: {}, count: 0}\n'), /s\.yaml:6:10: expect\[0\]: the window ends \(by: 10s\) before it starts \(from: 20s\)/);
  invalid(t, await run('until: 1m\nexpect:\n  - {always: true, from: 20s, until: 10s, nodes: {}, count: 0}\n'), /expect\[0\]: the window ends \(until: 10s\) before it starts \(from: 20s\)/);
  invalid(t, await run('until: 1m\nexpect:\n  - {never: true, from: 20s, until: 10s, nodes: {}, count: 1}\n'), /expect\[0\]: the window ends \(until: 10s\) before it starts \(from: 20s\)/);
});

t.test(`${S}output uses Go's time.Duration.String() form`, async (t) => {
  const r = await run(`until: 2h
expect:
  - {name: a, at: 0s, nodes: {}, count: 1}
  - {name: b, at: 250ms, nodes: {}, count: 1}
  - {name: c, at: 1.5s, nodes: {}, count: 1}
  - {name: d, at: 410, nodes: {}, count: 1}
  - {name: e, at: 60m, nodes: {}, count: 1}
  - {name: f, always: true, from: 1s, until: 2h, nodes: {}, count: 1}
`);
  t.equal(r.code, 1);
  for (const at of ['0s', '250ms', '1.5s', '6m50s', '1h0m0s']) t.match(r.out, new RegExp(`\\n {6}at: ${at.replace('.', '\\.')}\\n`), at);
  t.match(r.out, /window: 1s\.\.2h0m0s/);
});

t.test(`${S}a quantity has Kubernetes syntax, string or number`, async (t) => {
  passes(t, await run(`until: 1s
nodes:
  - {name: a, capacity: {cpu: 1.5, memory: 1Gi, pods: 1e1, example.com/x: "2"}}
  - {name: b, capacity: {cpu: "500m", memory: 512Mi, pods: 3}}
manifests:
${pod('fits', `
      nodeSelector: {kubernetes.io/hostname: a}
      containers:
        - name: c
          image: nginx:1.27
          resources: {requests: {cpu: 1500m, memory: 1073741824, example.com/x: 2}, limits: {example.com/x: 2}}`).replace(/      containers: \[\{name: c, image: nginx:1.27\}\]\n/, '')}${pod('too-big', `
      nodeSelector: {kubernetes.io/hostname: b}
      containers:
        - name: c
          image: nginx:1.27
          resources: {requests: {cpu: 0.501}}`).replace(/      containers: \[\{name: c, image: nginx:1.27\}\]\n/, '')}expect:
  - {pod: fits, phase: Running}
  - {pod: too-big, node: null}
  - nodes: {name: a}
    match: {status: {capacity: {cpu: 1500m, memory: 1024Mi, pods: 10}}}
  - nodes: {name: b}
    match: {status: {allocatable: {cpu: 0.5, memory: "0.5Gi"}}}
`));
});

t.test(`${S}a glob: * matches any run (also none), ? exactly one, nothing else is special, the whole string must match`, async (t) => {
  const names = ['web', 'web-1', 'web-12', 'we.b', 'wexb', 'a-web', 'web-a'];
  passes(t, await run(`until: 1s
nodes: [{name: n}]
manifests:
${names.map((n) => pod(n)).join('')}expect:
  - {pods: {name: "web*"}, count: 4}
  - {pods: {name: "web-?"}, count: 2}
  - {pods: {name: "web-??"}, count: 1}
  - {pods: {name: "we.b"}, count: 1}
  - {pods: {name: "we?b"}, count: 2}
  - {pods: {name: "web"}, count: 1}
  - {pods: {name: "eb"}, count: 0}
  - {pods: {name: "*web*"}, count: 5}
  - {pods: {name: "[w]eb"}, count: 0}
  - {pods: {name: "web-[0-9]"}, count: 0}
  - {pods: {node: "?"}, count: 7}
  - {nodes: {name: "*"}, count: 1}
  - {object: {kind: Pod, name: "*-?"}, count: 2}
  - {events: {object: "Pod/web-?", reason: Scheduled}, count: 2}
`.replace(/\.replace.*/, '')));
});

t.test(`${S}every namespace filter is a glob ("*": all)`, async (t) => {
  passes(t, await run(`until: 1s
nodes: [{name: n}]
manifests:
  - {apiVersion: v1, kind: Namespace, metadata: {name: team-a}}
  - {apiVersion: v1, kind: Namespace, metadata: {name: team-b}}
${pod('p', '', 'team-a')}${pod('p', '', 'team-b')}${pod('p')}expect:
  - {pods: {namespace: "*"}, count: 3}
  - {pods: {namespace: "team-?"}, count: 2}
  - {pods: {}, count: 1}
  - {object: {kind: Pod, namespace: "team-*"}, count: 2}
  - {events: {namespace: "*", reason: Scheduled}, count: 3}
  - {events: {namespace: "team-*", reason: Scheduled}, count: 2}
`));
});

t.test(`${S}a label selector is a map (every pair equal), or a LabelSelector (matchLabels and/or matchExpressions); {} selects everything`, async (t) => {
  const labelled = (n: string, labels: string) => `  - apiVersion: v1
    kind: Pod
    metadata: {name: ${n}, labels: ${labels}}
    spec: {containers: [{name: c, image: nginx:1.27}]}
`;
  passes(t, await run(`until: 1s
nodes:
  - {name: n, labels: {zone: a}}
  - {name: m, labels: {zone: b, gpu: "true"}}
manifests:
${labelled('a', '{app: web, tier: fe}')}${labelled('b', '{app: web}')}${labelled('c', '{app: db}')}${labelled('d', '{}')}expect:
  - {pods: {selector: {app: web}}, count: 2}
  - {pods: {selector: {app: web, tier: fe}}, count: 1}
  - {pods: {selector: {}}, count: 4}
  - {pods: {selector: {matchLabels: {app: web}}}, count: 2}
  - {pods: {selector: {matchExpressions: [{key: app, operator: In, values: [web, db]}]}}, count: 3}
  - {pods: {selector: {matchExpressions: [{key: app, operator: NotIn, values: [web]}]}}, count: 2}
  - {pods: {selector: {matchExpressions: [{key: tier, operator: Exists}]}}, count: 1}
  - {pods: {selector: {matchExpressions: [{key: tier, operator: DoesNotExist}]}}, count: 3}
  - {pods: {selector: {matchLabels: {app: web}, matchExpressions: [{key: tier, operator: DoesNotExist}]}}, count: 1}
  - {nodes: {selector: {zone: b}}, count: 1}
  - {nodes: {selector: {matchExpressions: [{key: gpu, operator: Exists}]}}, count: 1}
  - {nodes: {selector: {}}, count: 2}
`));
});

t.test(`${S}a regular expression is ECMAScript, no flags, unanchored`, async (t) => {
  passes(t, await run(`until: 1s
nodes: [{name: node-1}]
expect:
  - {nodes: {}, all: {metadata: {name: {$regex: "ode"}}}}
  - {nodes: {}, none: {metadata: {name: {$regex: "^ode"}}}}
  - {nodes: {}, none: {metadata: {name: {$regex: "NODE"}}}}
  - {nodes: {}, all: {metadata: {name: {$regex: "^node-\\\\d$"}}}}
  - {nodes: {}, all: {metadata: {name: {$regex: "(?<base>node)-(?=1)"}}}}
`));
  const r = await run('until: 1s\nexpect:\n  - {nodes: {}, all: {metadata: {name: {$regex: "(unclosed"}}}}\n');
  invalid(t, r, /s\.yaml:6:\d+: .*invalid regular expression/);
  const g = await run('until: 1s\nexpect:\n  - {nodes: {}, count: 0}\n', { args: ['--grep', '^T$'] });
  t.equal(g.code, 0);
  t.match(g.out, /^1\.\.0$/m, '--grep is case-sensitive (no flags)');
});

t.test(`${S}a Kind is written as in kind:, case-sensitive; a Kind neither simulated nor among the scenario's objects is an error`, async (t) => {
  invalid(t, await run('expect:\n  - {object: {kind: deployment}, count: 0}\n'), /s\.yaml:5:\d+: expect\[0\]\.object\.kind: unknown kind "deployment".*did you mean "Deployment"/);
  invalid(t, await run('expect:\n  - {pods: {owner: Widget/w}, count: 0}\n'), /s\.yaml:5:\d+: expect\[0\]\.pods\.owner: unknown kind "Widget"/);
  invalid(t, await run('expect:\n  - {events: {object: Gadget/g}, count: 0}\n'), /s\.yaml:5:\d+: expect\[0\]\.events\.object: unknown kind "Gadget"/);
  invalid(t, await run('nodes: [{name: n}]\nevents:\n  - {at: 1s, delete: {kind: Widget, name: w}}\n'), /s\.yaml:6:\d+: events\[0\]\.delete\.kind: unknown kind "Widget"/);
  invalid(t, await run('events:\n  - {at: 1s, scale: {kind: deployment, name: w, replicas: 1}}\n'), /events\[0\]\.scale\.kind: unknown kind "deployment"/);
  invalid(t, await run('events:\n  - {at: 1s, setImage: {kind: Deploy, name: w, container: c, image: x}}\n'), /events\[0\]\.setImage\.kind: unknown kind "Deploy"/);
  // simulated kinds, kinds among the scenario's objects, and CRD kinds are known
  passes(t, await run(`until: 1s
manifests:
  - {apiVersion: v1, kind: ServiceAccount, metadata: {name: sa}}
  - apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {name: widgets.example.com}
    spec:
      group: example.com
      names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
      scope: Namespaced
      versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
  - {apiVersion: example.com/v1, kind: Widget, metadata: {name: w}}
expect:
  - {object: {kind: StatefulSet}, count: 0}
  - {object: {kind: ServiceAccount, name: sa}, count: 1}
  - {object: {kind: Widget}, count: 1}
  - {pods: {owner: Widget/w}, count: 0}
  - {events: {object: Widget/w}, count: 0}
`));
});
