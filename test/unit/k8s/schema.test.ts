import t from 'tap';
import { checkObject, checkPartial, crdKinds, noMatchesMessage } from '../../../src/k8s/schema.js';

const pod = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec, ...extra,
});
/** Problems of either kind: `error` (the file is invalid) or `invalid` (the API server rejects it at run time). */
const errors = (o: unknown, v: '1.29' | '1.37' = '1.37') => checkObject(o, v).filter((i) => i.severity !== 'warning').map((i) => i.message);
const severities = (o: unknown) => checkObject(o, '1.37').map((i) => i.severity);
const warnings = (o: unknown, extra?: Set<string>) => checkObject(o, '1.37', extra).filter((i) => i.severity === 'warning').map((i) => i.message);

const deployment = (labels: Record<string, string>, sel: Record<string, string>, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
  spec: { selector: { matchLabels: sel }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } } },
});

const cases: Array<[string, unknown, string[]]> = [
  ['a minimal pod is valid', pod({ containers: [{ name: 'c', image: 'nginx:1.27' }] }), []],
  ['a misspelt container field is an unknown field with its full path',
    pod({ containers: [{ name: 'c', imagee: 'nginx' }] }), ['unknown field "spec.containers[0].imagee"']],
  ['an unknown top-level field is reported', pod({ containers: [{ name: 'c', image: 'x' }] }, { extra: 1 }), ['unknown field "extra"']],
  ['an unknown field in a deployment template is reported with the template path',
    { ...deployment({ app: 'w' }, { app: 'w' }), spec: { selector: { matchLabels: { app: 'w' } }, template: { metadata: { labels: { app: 'w' }, containers: [] }, spec: { containers: [{ name: 'c', image: 'x' }] } } } },
    ['unknown field "spec.template.metadata.containers"']],
  ['a string where an integer belongs is a json decoding error',
    { ...deployment({ app: 'w' }, { app: 'w' }), spec: { ...deployment({ app: 'w' }, { app: 'w' }).spec, replicas: 'three' } },
    ['json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32']],
  ['a number as an env value is a json decoding error',
    pod({ containers: [{ name: 'c', image: 'x', env: [{ name: 'A', value: 1 }] }] }),
    ['json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string']],
  ['a pod without containers needs spec.containers', pod({}), ['spec.containers: Required value']],
  ['a container without image needs an image', pod({ containers: [{ name: 'c' }] }), ['spec.containers[0].image: Required value']],
  ['a container name must be a DNS-1123 label', pod({ containers: [{ name: 'Web_1', image: 'x' }] }),
    ["spec.containers[0].name: Invalid value: \"Web_1\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"]],
  ['duplicate container names are refused', pod({ containers: [{ name: 'c', image: 'x' }, { name: 'c', image: 'y' }] }),
    ['spec.containers[1].name: Duplicate value: "c"']],
  ['a deployment whose selector does not match its template is refused', deployment({ app: 'a' }, { app: 'b' }),
    ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"a"}: `selector` does not match template `labels`']],
  ['a deployment without selector needs one', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } },
    ['spec.selector: Required value']],
  ['a job with restartPolicy Always is refused', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { restartPolicy: 'Always', containers: [{ name: 'c', image: 'x' }] } } } },
    ['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"']],
  ['a deployment with restartPolicy Never is refused', deployment({ app: 'w' }, { app: 'w' }, { restartPolicy: 'Never' }),
    ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']],
  ['a service name must be a DNS-1035 label', { apiVersion: 'v1', kind: 'Service', metadata: { name: '1web' }, spec: { selector: { app: 'w' }, ports: [{ port: 80 }] } },
    ["metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]],
  ['an invalid quantity is refused', pod({ containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: 'lots' } } }] }),
    ["spec.containers[0].resources.requests.cpu: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"]],
  ['a request above its limit is refused', pod({ containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }] }),
    ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1']],
  ['a csi volume is not simulated', pod({ containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'v', csi: { driver: 'd' } }] }),
    ['spec.volumes[0].csi is not simulated']],
  ['an emptyDir, configMap and hostPath volume are simulated or harmless',
    pod({ containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', configMap: { name: 'x' } }, { name: 'h', hostPath: { path: '/x' } }] }), []],
  ['resourceClaims are not simulated', pod({ containers: [{ name: 'c', image: 'x' }], resourceClaims: [{ name: 'gpu' }] }),
    ['spec.resourceClaims is not simulated']],
  ['a runtimeClassName in a deployment template is not simulated', deployment({ app: 'w' }, { app: 'w' }, { runtimeClassName: 'gvisor' }),
    ['spec.template.spec.runtimeClassName is not simulated']],
  ['a linux pod os is simulated', pod({ containers: [{ name: 'c', image: 'x' }], os: { name: 'linux' } }), []],
  ['a windows pod os is not simulated', pod({ containers: [{ name: 'c', image: 'x' }], os: { name: 'windows' } }), ['spec.os.name is not simulated']],
  ['harmless fields are accepted', pod({ containers: [{ name: 'c', image: 'x', command: ['sh'], args: ['-c'], env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80 }], securityContext: { runAsUser: 1000 }, livenessProbe: { httpGet: { port: 80, path: '/' } } }] }, { metadata: { name: 'web', annotations: { a: 'b' } } }), []],
  ['an unknown apiVersion is a no-matches error', { apiVersion: 'apps/v1beta2', kind: 'Deployment', metadata: { name: 'x' } },
    [noMatchesMessage('Deployment', 'apps/v1beta2')]],
  ['an unknown kind is a no-matches error', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } },
    ['no matches for kind "Widget" in version "example.com/v1" (ensure CRDs are installed first)']],
  ['a missing kind is reported', { apiVersion: 'v1', metadata: { name: 'x' } }, ['kind not set']],
];

t.test('checkObject', async (t) => {
  for (const [name, obj, want] of cases) t.same(errors(obj), want, name);
});

t.test('schema problems make the file invalid; what the API server validation rejects is an action error at run time', async (t) => {
  t.same(severities(pod({ containers: [{ name: 'c', image: 'x', imagee: 'y' }] })), ['error'], 'an unknown field');
  t.same(severities(deployment({ app: 'website' }, { app: 'web' })), ['invalid'], 'a selector that does not match');
  t.same(severities(pod({ containers: [{ name: 'c' }] })), ['invalid'], 'a required value');
  t.same(severities(pod({ containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: 'lots' } } }] })), ['invalid'], 'a bad quantity');
  t.same(severities(pod({ containers: [{ name: 'c', image: 'x', foo: 1 }], volumes: [{ name: 'v', csi: { driver: 'd' } }] })), ['error', 'error'],
    'a not-simulated field is reported beside a schema problem');
});

t.test('fields newer than the version are unknown to it', async (t) => {
  const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { managedBy: 'kubernetes.io/job-controller', template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } };
  t.same(errors(job, '1.29'), ['unknown field "spec.managedBy"'], 'a 1.29 job may not set managedBy');
  t.same(errors(job, '1.37'), [], 'a 1.37 job may');
});

t.test('stored-only kinds and CRD kinds warn', async (t) => {
  t.same(warnings({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: { whatever: 1 } }),
    ['Ingress is stored but not simulated: no controller acts on it'], 'an Ingress is stored with a warning and not checked');
  const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
    spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true }, { name: 'v0', served: false }] } };
  const kinds = crdKinds([crd]);
  t.same([...kinds], ['example.com/v1/Widget'], 'crdKinds lists served versions only');
  t.same(warnings({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }, kinds),
    ['Widget is stored but not simulated: no controller acts on it'], 'an object of a CRD applied earlier warns');
  t.same(warnings({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { terminationGracePeriodSeconds: -5, containers: [{ name: 'c', image: 'x' }] } } } }),
    ['spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1'], 'a negative template grace period warns');
});

t.test('checkPartial', async (t) => {
  const msgs = (k: string, p: unknown) => checkPartial(k, p).map((i) => i.message);
  t.same(msgs('Pod', { status: { phase: 'Running' }, spec: { nodeName: { $regex: '^w' } } }), [], 'status fields and operators are allowed');
  t.same(msgs('Pod', { spec: { 'containers(ordered)': [{ name: 'a' }, { name: 'b' }] } }), [], 'a list key may carry (ordered)');
  t.same(msgs('Pod', { spec: { 'nodeName(ordered)': 'x' } }), ['spec.nodeName: (ordered) applies to lists only'], '(ordered) on a scalar is refused');
  t.same(msgs('Pod', { spec: { containers: [{ imagee: 'x' }] } }), ['unknown field "spec.containers[0].imagee"'], 'an unknown field in a partial is an error');
  t.same(msgs('Deployment', { status: { readyReplicas: { $gte: 3 } }, spec: { replicas: null } }), [], 'null and comparison operators are allowed');
  t.same(msgs('Pod', { status: { phase: { $like: 'R' } } }), ['status.phase: unknown operator "$like"'], 'an unknown operator is an error');
  t.same(msgs('Pod', { metadata: { __proto__x: 1 } }), ['unknown field "metadata.__proto__x"'], 'unknown metadata keys are errors');
  t.same(msgs('Pod', JSON.parse('{"metadata": {"__proto__": {"a": 1}}}')), ['unknown field "metadata.__proto__"'], '__proto__ is an unknown field, never followed');
  t.same(msgs('Pod', { metadata: { labels: { app: 'web' } } }), [], 'map values are free keys');
  t.same(msgs('Ingress', { spec: { anything: 1 } }), [], 'kinds without a schema are not checked');
});
