/**
 * `__proto__`, `constructor` and `prototype` keys anywhere (scenario keys, node labels, manifests, ConfigMap
 * data, objects of a CustomResourceDefinition stored as given, partial objects in `expect`, events) never
 * pollute a prototype: after loading and running, `({}).polluted` is undefined and Object.prototype is
 * unchanged. Where such a key is legal data it is kept as an own key and can be asserted on.
 */
import t from 'tap';
import { join } from 'node:path';
import { loadScenarios, runScenario } from '../../src/index.js';
import { folder } from './helpers.js';

const protoNames = Object.getOwnPropertyNames(Object.prototype).sort();
const arrayNames = Object.getOwnPropertyNames(Array.prototype).sort();

function unpolluted(tt: { equal: (a: unknown, b: unknown, m?: string) => void; same: (a: unknown, b: unknown, m?: string) => void }): void {
  tt.equal(({} as Record<string, unknown>)['polluted'], undefined, '({}).polluted is undefined');
  tt.equal(([] as unknown as Record<string, unknown>)['polluted'], undefined, '[].polluted is undefined');
  tt.same(Object.getOwnPropertyNames(Object.prototype).sort(), protoNames, 'Object.prototype unchanged');
  tt.same(Object.getOwnPropertyNames(Array.prototype).sort(), arrayNames, 'Array.prototype unchanged');
  tt.equal(typeof Object.prototype.toString, 'function');
}

const CRD = `  - apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {name: widgets.example.com}
    spec:
      group: example.com
      scope: Namespaced
      names: {kind: Widget, plural: widgets, singular: widget}
      versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
`;

const VALID = `apiVersion: kubedrill/v1
kind: Scenario
name: prototype keys as data
nodes: [{name: node-1}]
manifests:
${CRD}  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: cm}
    data: {__proto__: '{"polluted": true}', constructor: x, prototype: y}
  - apiVersion: example.com/v1
    kind: Widget
    metadata: {name: w}
    spec:
      __proto__: {polluted: true}
      constructor: {prototype: {polluted: true}}
      list: [{__proto__: {polluted: true}}]
events:
  - at: 5s
    apply:
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: cm2}
      data: {__proto__: p}
expect:
  - name: the ConfigMaps are stored
    object: {kind: ConfigMap, name: "cm*"}
    count: 2
  - name: custom objects keep prototype keys as given, and partials on them match as own keys
    object: {kind: Widget, name: w}
    match: {spec: {__proto__: {polluted: true}, constructor: {prototype: {polluted: true}}}}
  - name: a partial naming __proto__ does not match an object without it
    object: {kind: Widget, name: w}
    none: {spec: {list: {__proto__: {polluted: false}}}}
`;

const INVALID = `apiVersion: kubedrill/v1
kind: Scenario
name: prototype keys where keys are checked
__proto__: {polluted: true}
constructor: {prototype: {polluted: true}}
nodes:
  - name: node-1
    __proto__: {polluted: true}
    labels: {__proto__: x}
    capacity: {__proto__: "1"}
manifests:
  - apiVersion: v1
    kind: Pod
    metadata: {name: web, labels: {constructor: x}, __proto__: {polluted: true}}
    spec: {containers: [{name: app, image: nginx, __proto__: {polluted: true}}]}
behaviors:
  - match: {labels: {__proto__: x}}
    __proto__: {polluted: true}
events:
  - {at: 1s, __proto__: {polluted: true}}
  - at: 2s
    label: {node: node-1, labels: {__proto__: {polluted: true}}}
expect:
  - pods: {__proto__: {polluted: true}}
    count: 0
  - pods: {}
    all: {metadata: {__proto__: {polluted: true}}}
`;

t.test('valid scenarios with prototype keys as data load, run, assert, and pollute nothing', async (tt) => {
  const d = folder({ 'valid.yaml': VALID });
  const { files } = loadScenarios([join(d, 'valid.yaml')]);
  tt.same(files[0]!.problems, []);
  unpolluted(tt);
  const run = runScenario(files[0]!.scenarios[0]!, { checkInvariants: true });
  tt.equal(run.outcome.error, undefined, 'the run ends without error');
  for (const r of run.results) tt.ok(r.ok, r.name);
  const cm = run.simulation.store.get('ConfigMap', 'default', 'cm')!;
  tt.ok(Object.prototype.hasOwnProperty.call(cm['data'], '__proto__'), '__proto__ is an own key of the stored data');
  tt.equal(Object.getPrototypeOf(cm['data']), Object.prototype, 'the stored map keeps its normal prototype');
  tt.equal(cm['data']['constructor'], 'x', 'constructor is plain data');
  const cm2 = run.simulation.store.get('ConfigMap', 'default', 'cm2')!;
  tt.ok(Object.prototype.hasOwnProperty.call(cm2['data'], '__proto__'), 'an applied object keeps it too');
  unpolluted(tt);
});

t.test('partial objects of simulated kinds refuse prototype keys (they are never looked up)', async (tt) => {
  const d = folder({ 'partial.yaml': VALID.replace('expect:\n', 'expect:\n  - {object: {kind: ConfigMap, name: cm}, match: {data: {__proto__: x, constructor: y}}}\n') });
  const { files } = loadScenarios([join(d, 'partial.yaml')]);
  tt.match(files[0]!.problems.join('\n'), /partial\.yaml:\d+:\d+: unknown field "data\.__proto__"/);
  tt.match(files[0]!.problems.join('\n'), /unknown field "data\.constructor"/);
  unpolluted(tt);
});

t.test('prototype keys where keys are checked are reported at file:line:col and pollute nothing', async (tt) => {
  const d = folder({ 'invalid.yaml': INVALID });
  const { files } = loadScenarios([join(d, 'invalid.yaml')]);
  const problems = files[0]!.problems;
  tt.ok(problems.length >= 6, `${problems.length} problems`);
  tt.match(problems.join('\n'), /invalid\.yaml:4:1: unknown key "__proto__"/);
  tt.match(problems.join('\n'), /invalid\.yaml:5:1: unknown key "constructor"/);
  tt.match(problems.join('\n'), /invalid\.yaml:8:5: unknown key "__proto__" in nodes\[0\]/);
  for (const p of problems) tt.match(p, /^.*invalid\.yaml:\d+:\d+: /);
  tt.same(files[0]!.scenarios, []);
  unpolluted(tt);
});
