/**
 * Input generators for property and fuzz testing: random valid scenarios and random mutations of valid
 * files. Used by test/property (short budget) and `npm run fuzz` (long budget).
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

const names = fc.constantFrom('web', 'api', 'db', 'job', 'cache', 'worker');
const cpu = fc.constantFrom('50m', '100m', '250m', '500m', '1', '2', '3');
const mem = fc.constantFrom('64Mi', '128Mi', '512Mi', '1Gi', '4Gi');
const effect = fc.constantFrom('NoSchedule', 'PreferNoSchedule', 'NoExecute');
const seconds = (max: number) => fc.integer({ min: 0, max }).map((s) => `${s}s`);

const node = fc.record({
  name: fc.constantFrom('node', 'worker', 'infra'),
  count: fc.integer({ min: 1, max: 4 }),
  capacity: fc.record({ cpu: fc.constantFrom('1', '2', '4', '8'), memory: fc.constantFrom('2Gi', '8Gi', '16Gi') }),
  labels: fc.dictionary(fc.constantFrom('zone', 'disk', 'team'), fc.constantFrom('a', 'b', 'ssd'), { maxKeys: 2 }),
  taints: fc.array(fc.record({ key: fc.constantFrom('dedicated', 'gpu'), value: fc.constantFrom('x', 'y'), effect }), { maxLength: 1 }),
});

const podSpec = fc.record({
  restartPolicy: fc.constantFrom('Always', 'OnFailure', 'Never'),
  nodeSelector: fc.option(fc.dictionary(fc.constantFrom('zone', 'disk'), fc.constantFrom('a', 'ssd'), { maxKeys: 1 }), { nil: undefined }),
  tolerations: fc.array(fc.record({ key: fc.constantFrom('dedicated', 'gpu'), operator: fc.constant('Exists') }), { maxLength: 1 }),
  containers: fc.tuple(fc.record({ cpu, memory: mem })).map(([r]) => [{ name: 'main', image: 'busybox:1.36', resources: { requests: r } }]),
}).map((s) => {
  const out: Record<string, unknown> = { restartPolicy: s.restartPolicy, containers: s.containers };
  if (s.nodeSelector && Object.keys(s.nodeSelector).length) out.nodeSelector = s.nodeSelector;
  if (s.tolerations.length) out.tolerations = s.tolerations;
  return out;
});

/** A random valid scenario document (YAML text). */
export const validScenario = fc.record({
  seed: fc.integer({ min: 0, max: 1000 }),
  version: fc.constantFrom('1.29', '1.31', '1.33', '1.35', '1.37'),
  nodes: fc.uniqueArray(node, { minLength: 1, maxLength: 3, selector: (n) => n.name }),
  pods: fc.uniqueArray(fc.tuple(names, podSpec), { maxLength: 3, selector: ([n]) => n }),
  deployment: fc.option(fc.tuple(fc.integer({ min: 0, max: 6 }), podSpec), { nil: undefined }),
  runs: fc.array(fc.record({ exitAfter: seconds(60), exitCode: fc.integer({ min: 0, max: 3 }) }), { maxLength: 3 }),
  events: fc.array(fc.record({
    at: fc.integer({ min: 0, max: 300 }),
    kind: fc.constantFrom('nodeDown', 'nodeUp', 'cordon', 'uncordon', 'taint', 'scale', 'untaint', 'drain', 'label',
      'removeNode', 'addNode', 'deletePod', 'crash', 'probeFail', 'setImage', 'rollback', 'applyPod', 'deleteDeployment'),
    replicas: fc.integer({ min: 0, max: 5 }),
    forS: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }),
    force: fc.boolean(),
  }), { maxLength: 6 }),
  probes: fc.option(fc.record({ failAfter: seconds(90), passAfter: seconds(30) }), { nil: undefined }),
}).map((g) => {
  const nodeNames = g.nodes.flatMap((n) => Array.from({ length: n.count }, (_, i) => `${n.name}-${i + 1}`));
  const doc: Record<string, unknown> = {
    apiVersion: 'kubedrill/v1', kind: 'Scenario', name: 'generated', seed: g.seed, kubernetes: g.version, until: '6m',
    nodes: g.nodes.map((n) => ({ ...n, ...(n.taints.length ? {} : { taints: undefined }) })),
    manifests: [
      ...g.pods.map(([name, spec]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: name } }, spec })),
      ...(g.deployment && g.deployment[1].restartPolicy === 'Always' ? [{
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'dep' },
        spec: { replicas: g.deployment[0], selector: { matchLabels: { app: 'dep' } }, template: { metadata: { labels: { app: 'dep' } }, spec: g.deployment[1] } },
      }] : []),
    ],
    behaviors: g.runs.length || g.probes ? [{
      match: { container: 'main' },
      ...(g.runs.length ? { runs: g.runs } : {}),
      ...(g.probes ? { probes: { readiness: { passAfter: g.probes.passAfter }, liveness: { failAfter: g.probes.failAfter } } } : {}),
    }] : [],
    events: g.events.map((e, i) => {
      const n = nodeNames[i % nodeNames.length]!;
      const at = `${e.at}s`;
      const hasDep = !!g.deployment && g.deployment[1].restartPolicy === 'Always';
      const pod = g.pods.length ? g.pods[i % g.pods.length]![0] : undefined;
      switch (e.kind) {
        case 'taint': return { at, taint: { node: n, key: 'fuzz', value: 'x', effect: 'NoExecute' } };
        case 'scale': return hasDep ? { at, scale: { kind: 'Deployment', name: 'dep', replicas: e.replicas } } : { at, cordon: n };
        case 'untaint': return { at, untaint: { node: n, key: 'fuzz' } };
        case 'drain': return { at, drain: { node: n, force: e.force, timeout: `${e.forS ?? 0}s` } };
        case 'label': return { at, label: { node: n, labels: { zone: e.force ? 'b' : null } } };
        case 'addNode': return { at, addNode: { name: `extra-${i}`, capacity: { cpu: '2' } } };
        case 'deletePod': return pod ? { at, delete: { kind: 'Pod', name: pod, force: e.force } } : { at, uncordon: n };
        case 'crash': return pod ? { at, crash: { pod, exitCode: e.replicas } } : { at, nodeUp: n };
        case 'probeFail': return pod ? { at, probeFail: { pod, probe: e.force ? 'liveness' : 'readiness', ...(e.forS ? { for: `${e.forS}s` } : {}) } } : { at, nodeDown: n };
        case 'setImage': return hasDep ? { at, setImage: { kind: 'Deployment', name: 'dep', container: 'main', image: `busybox:1.${e.replicas}` } } : { at, cordon: n };
        case 'rollback': return hasDep ? { at, rollback: { kind: 'Deployment', name: 'dep' } } : { at, cordon: n };
        case 'deleteDeployment': return hasDep ? { at, delete: { kind: 'Deployment', name: 'dep', cascade: e.force ? 'foreground' : 'orphan' } } : { at, cordon: n };
        case 'applyPod': return { at, apply: { apiVersion: 'v1', kind: 'Pod', metadata: { name: `late-${i}`, labels: { app: 'dep' } }, spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } } };
        default: return { at, [e.kind]: n };
      }
    }),
    expect: [
      { name: 'pods exist', pods: { namespace: '*' }, count: { min: 0 } },
      { name: 'no node over capacity', always: true, nodes: {}, count: { min: 1 } },
    ],
  };
  return stringify(JSON.parse(JSON.stringify(doc)));
});

/** A random mutation of a text: delete, duplicate or swap lines, or insert characters. */
export function mutate(text: string): fc.Arbitrary<string> {
  const lines = text.split('\n');
  return fc.array(fc.tuple(fc.constantFrom('delete', 'duplicate', 'swap', 'insert', 'truncate', 'indent'), fc.nat(), fc.nat(),
    fc.constantFrom('{', '}', '[', ':', '- ', '&a', '*a', '"', "'", '\t', '#', '!!binary', '~', '__proto__: {x: 1}', 'constructor:', '0x', '1e999', '\u0000', '\uffff')), { minLength: 1, maxLength: 4 })
    .map((ops) => {
      const ls = [...lines];
      for (const [op, a, b, tok] of ops) {
        if (ls.length === 0) break;
        const i = a % ls.length, j = b % ls.length;
        switch (op) {
          case 'delete': ls.splice(i, 1); break;
          case 'duplicate': ls.splice(i, 0, ls[i]!); break;
          case 'swap': [ls[i], ls[j]] = [ls[j]!, ls[i]!]; break;
          case 'insert': { const l = ls[i]!; const k = b % (l.length + 1); ls[i] = l.slice(0, k) + tok + l.slice(k); break; }
          case 'truncate': ls.length = i; break;
          case 'indent': ls[i] = '  ' + ls[i]; break;
        }
      }
      return ls.join('\n');
    });
}
