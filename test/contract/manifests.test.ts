/** Contract: scenario-format.md "manifests" (kinds, namespaces, {file} confinement, limits). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import t from 'tap';
import { cliIn, invalid, passes, pod, run, scenario, tempDir } from './helpers.js';

const S = 'manifests: ';

t.test(`${S}a list of inline Kubernetes objects or {file: path}, applied at t=0 in order like apply`, async (t) => {
  passes(t, await run(`until: 1s
manifests:
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: inline}, data: {k: v}}
  - file: cm.yaml
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: inline}, data: {k: w}}
expect:
  - {at: 0s, object: {kind: ConfigMap, name: inline}, match: {data: {k: w}, metadata: {annotations: {kubectl.kubernetes.io/last-applied-configuration: {$regex: '"k":"w"'}}}}}
  - {at: 0s, object: {kind: ConfigMap, name: from-file}, count: 1}
`, { files: { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-file}\n' } }));
});

t.test(`${S}with the API server's defaulting (namespace default, restartPolicy, probe defaults, grace period, imagePullPolicy, admission-added tolerations, uid, creationTimestamp)`, async (t) => {
  passes(t, await run(`until: 1s
nodes: [{name: n}]
manifests:
  - apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      containers:
        - name: a
          image: nginx
          livenessProbe: {httpGet: {path: /, port: 80}}
        - {name: b, image: "nginx:1.27"}
        - {name: c, image: "nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000"}
expect:
  - pod: p
    match:
      metadata: {namespace: default, uid: {$exists: true}, creationTimestamp: "2024-01-01T00:00:00Z"}
      spec:
        restartPolicy: Always
        terminationGracePeriodSeconds: 30
        containers(ordered):
          - {name: a, imagePullPolicy: Always, livenessProbe: {timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3, httpGet: {scheme: HTTP}}}
          - {name: b, imagePullPolicy: IfNotPresent}
          - {name: c, imagePullPolicy: IfNotPresent}
        tolerations:
          - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}
          - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 300}
`));
});

t.test(`${S}and validation (a rejected manifest is an action error)`, async (t) => {
  const r = await run(`until: 1s
manifests:
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: Bad_Name}}
expect:
  - {object: {kind: ConfigMap}, count: 0}
`);
  t.ok(r.code === 1 || r.code === 2, `rejected (exit ${r.code})`);
  t.match(r.out + r.err, /Bad_Name/);
  t.match(r.out + r.err, /s\.yaml:6:\d+/);
});

t.test(`${S}namespaces default, kube-system, kube-public and kube-node-lease exist`, async (t) => {
  passes(t, await run(`until: 1s
nodes: [{name: n}]
manifests:
${['default', 'kube-system', 'kube-public', 'kube-node-lease'].map((ns) => pod(`p-${ns}`, '', ns)).join('')}expect:
  - at: 0s
    object: {kind: Namespace}
    count: 4
    all: {status: {phase: Active}}
  - {pods: {namespace: "*"}, count: 4, phase: Running}
`));
});

t.test(`${S}an object in another namespace needs its Namespace applied first`, async (t) => {
  const r = await run(`until: 1s
manifests:
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: team}}
expect:
  - {object: {kind: ConfigMap, namespace: team}, count: 1}
`);
  t.equal(r.code, 1);
  t.match(r.out, /error: .*namespaces "team" not found/);
  t.match(r.out, /source: s\.yaml:6:\d+/);
  passes(t, await run(`until: 1s
manifests:
  - {apiVersion: v1, kind: Namespace, metadata: {name: team}}
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: team}}
expect:
  - {object: {kind: ConfigMap, namespace: team}, count: 1}
`));
});

t.test(`${S}simulated kinds are stored and acted on, without a warning`, async (t) => {
  const r = await run(`until: 5s
nodes: [{name: n}]
manifests:
  - {apiVersion: v1, kind: Namespace, metadata: {name: ns}}
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}
  - {apiVersion: v1, kind: Secret, metadata: {name: s}, stringData: {a: b}}
  - {apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: {name: high}, value: 1000}
  - {apiVersion: storage.k8s.io/v1, kind: StorageClass, metadata: {name: sc}, provisioner: kubernetes.io/no-provisioner, volumeBindingMode: WaitForFirstConsumer}
  - {apiVersion: v1, kind: PersistentVolume, metadata: {name: pv}, spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], storageClassName: sc, hostPath: {path: /tmp}}}
  - {apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: pvc}, spec: {accessModes: [ReadWriteOnce], storageClassName: sc, resources: {requests: {storage: 1Gi}}}}
  - {apiVersion: v1, kind: ResourceQuota, metadata: {name: q}, spec: {hard: {pods: "10"}}}
  - {apiVersion: v1, kind: LimitRange, metadata: {name: l}, spec: {limits: [{type: Container, defaultRequest: {cpu: 100m}}]}}
  - {apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: pdb}, spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}}
  - {apiVersion: v1, kind: Service, metadata: {name: web}, spec: {selector: {app: web}, ports: [{port: 80}]}}
  - apiVersion: apps/v1
    kind: ReplicaSet
    metadata: {name: web}
    spec:
      replicas: 1
      selector: {matchLabels: {app: web}}
      template: {metadata: {labels: {app: web}}, spec: {priorityClassName: high, containers: [{name: c, image: nginx:1.27}]}}
expect:
  - {object: {kind: PersistentVolumeClaim, name: pvc}, count: 1}
  - {object: {kind: ResourceQuota, name: q}, match: {status: {hard: {pods: "10"}, used: {pods: "1"}}}}
  - {pods: {owner: ReplicaSet/web}, count: 1, phase: Running, all: {spec: {priority: 1000, containers: [{resources: {requests: {cpu: 100m}}}]}}}
  - {object: {kind: PodDisruptionBudget, name: pdb}, match: {status: {currentHealthy: 1, desiredHealthy: 1}}}
  - {object: {kind: EndpointSlice, name: "web-*"}, count: 1}
  - {object: {kind: Secret, name: s}, count: 1}
`);
  passes(t, r);
  t.notMatch(r.err, /warning/);
});

t.test(`${S}other kinds of the Kubernetes API are stored as given, may be asserted on, with a warning on stderr`, async (t) => {
  const r = await run(`until: 1s
manifests:
  - {apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: i}, spec: {defaultBackend: {service: {name: web, port: {number: 80}}}}}
  - {apiVersion: v1, kind: ServiceAccount, metadata: {name: sa}}
  - {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: h}, spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 5}}
  - {apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: r}, rules: []}
expect:
  - {object: {kind: Ingress, name: i}, match: {spec: {defaultBackend: {service: {name: web, port: {number: 80}}}}}}
  - {object: {kind: ServiceAccount, name: sa}, count: 1}
  - {object: {kind: HorizontalPodAutoscaler}, match: {spec: {maxReplicas: 5}}}
  - {object: {kind: Role}, count: 1}
`);
  passes(t, r);
  t.match(r.err, /s\.yaml:6:\d+: Ingress is stored but not simulated: no controller acts on it/);
  t.match(r.err, /s\.yaml:7:\d+: ServiceAccount is stored but not simulated/);
  t.match(r.err, /HorizontalPodAutoscaler is stored but not simulated/);
});

t.test(`${S}objects of a CustomResourceDefinition applied earlier in the scenario are stored as given, with a warning`, async (t) => {
  const crd = `  - apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {name: widgets.example.com}
    spec:
      group: example.com
      names: {kind: Widget, plural: widgets}
      scope: Namespaced
      versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
`;
  const r = await run(`until: 5s
manifests:
${crd}  - {apiVersion: example.com/v1, kind: Widget, metadata: {name: w}, spec: {size: 3}}
events:
  - {at: 2s, apply: {apiVersion: example.com/v1, kind: Widget, metadata: {name: later}, spec: {size: 1}}}
expect:
  - {object: {kind: Widget, name: w}, match: {spec: {size: 3}, metadata: {namespace: default}}}
  - {object: {kind: Widget}, count: 2}
`);
  passes(t, r);
  t.match(r.err, /Widget is stored but not simulated/);
});

t.test(`${S}any other apiVersion/kind is an error, as kubectl apply answers no matches for kind`, async (t) => {
  invalid(t, await run('manifests:\n  - {apiVersion: example.com/v1, kind: Widget, metadata: {name: w}}\n'), /s\.yaml:5:\d+: no matches for kind "Widget" in version "example.com\/v1"/);
  invalid(t, await run('manifests:\n  - {apiVersion: apps/v1, kind: Pod, metadata: {name: w}}\n'), /s\.yaml:5:\d+: no matches for kind "Pod" in version "apps\/v1"/);
  invalid(t, await run('events:\n  - {at: 1s, apply: {apiVersion: v2, kind: ConfigMap, metadata: {name: w}}}\n'), /s\.yaml:5:\d+: no matches for kind "ConfigMap" in version "v2"/);
});

t.test(`${S}a {file} path must stay inside the scenario file's folder (no .. escape, no absolute path, no symlink out) unless --allow-outside`, async (t) => {
  const dir = tempDir({ 'outside.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: o}\n' });
  const body = (ref: string) => scenario(`until: 1s\nmanifests:\n  - file: ${ref}\nexpect:\n  - {object: {kind: ConfigMap, name: o}, count: 1}\n`);
  fs.mkdirSync(path.join(dir, 'sc'));
  fs.writeFileSync(path.join(dir, 'sc', 'up.yaml'), body('../outside.yaml'));
  fs.writeFileSync(path.join(dir, 'sc', 'abs.yaml'), body(path.join(dir, 'outside.yaml')));
  fs.symlinkSync(path.join(dir, 'outside.yaml'), path.join(dir, 'sc', 'link.yaml'));
  fs.writeFileSync(path.join(dir, 'sc', 'sym.yaml'), body('link.yaml'));
  for (const f of ['up', 'abs', 'sym']) {
    const r = await cliIn(dir, ['run', `sc/${f}.yaml`]);
    invalid(t, r, new RegExp(`sc/${f}\\.yaml:6:11: file ".*" (is outside the scenario's folder|is a symbolic link that leads outside).*--allow-outside`));
    passes(t, await cliIn(dir, ['run', `sc/${f}.yaml`, '--allow-outside']));
  }
});

t.test(`${S}every limit has a documented default, can be raised by an option, and gives exit 2 naming the limit and file:line:col`, async (t) => {
  const cases: Array<[string, string, string, RegExp]> = [
    ['nodes', 'nodes:\n  - {name: w, count: 11}\n', '--max-nodes', /s\.yaml:5:\d+: the number of nodes \(11\) exceeds the limit maxNodes \(10\); raise it with --max-nodes/],
    ['pods', `manifests:\n${pod('a')}${pod('b')}`, '--max-pods', /s\.yaml:\d+:\d+: the number of declared pods \(2\) exceeds the limit maxPods \(1\); raise it with --max-pods/],
    ['objects', 'manifests:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n', '--max-objects', /s\.yaml:6:\d+: the number of Kubernetes objects \(2\) exceeds the limit maxObjects \(1\); raise it with --max-objects/],
    ['events', 'nodes: [{name: n}]\nevents:\n  - {at: 1s, cordon: n}\n  - {at: 2s, uncordon: n}\n', '--max-events', /s\.yaml:7:\d+: the number of events \(2\) exceeds the limit maxEvents \(1\); raise it with --max-events/],
  ];
  for (const [what, body, opt, want] of cases) {
    const low = opt === '--max-nodes' ? '10' : '1';
    invalid(t, await run(body, { args: [opt, low] }), want);
    const r = await run(body, { args: [opt, '100'] });
    t.equal(r.code, 0, `${what}: raised`, { err: r.err });
  }
  invalid(t, await run('until: 2h\n', { args: ['--max-span', '1h'] }), /s\.yaml:4:8: until \(2h0m0s\) exceeds the limit maxSpan \(1h0m0s\); raise it with --max-span/);
  t.equal((await run('until: 2h\n', { args: ['--max-span', '3h'] })).code, 0);
  const aliases = `manifests:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a, labels: &l {x: y}}}\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: b, labels: *l}}\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c, labels: *l}}\n`;
  invalid(t, await run(aliases, { args: ['--max-aliases', '1'] }), /s\.yaml:\d+:\d+: .*exceeds the limit maxAliases \(1\); raise it with --max-aliases/);
  t.equal((await run(aliases, { args: ['--max-aliases', '2'] })).code, 0);
  invalid(t, await run(`description: ${'['.repeat(30)}${']'.repeat(30)}\n`, { args: ['--max-depth', '10'] }), /s\.yaml:\d+:\d+: .*exceeds the limit maxDepth \(10\); raise it with --max-depth/);
  invalid(t, await run('description: x\n', { args: ['--max-file-bytes', '10'] }), /s\.yaml:\d+:\d+: .*exceeds the limit maxFileBytes \(10\); raise it with --max-file-bytes/);
  const wall = await run(`until: 168h\nnodes: [{name: n, count: 50}]\nmanifests:\n${pod('p')}expect:\n  - {pod: p, phase: Running}\n`, { args: ['--max-wall-time', '1ms'] });
  t.equal(wall.code, 1, 'wall time: the scenario fails');
  t.match(wall.out, /error: .*wall-time limit.*--max-wall-time/);
});

t.test(`${S}the defaults admit Kubernetes' own envelope: 5,000 nodes, 150,000 pods and 7 days simulated`, async (t) => {
  const r = await run(`until: 168h
nodes: [{name: w, count: 5000}]
manifests:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 150000
      selector: {matchLabels: {app: web}}
      template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: nginx}]}}
`, { cmd: 'validate' });
  t.equal(r.code, 0, 'within the default limits', { err: r.err });
});
