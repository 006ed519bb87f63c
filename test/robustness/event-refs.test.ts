/**
 * References in events: a node named nowhere in the scenario (nodes, a Node object, an addNode event) is a
 * load-time problem (exit 2, file:line:col); pods are often created at run time under generated names, so a
 * `pod` matching no pod (or several) at its instant is an action error at run time: the run stops there and
 * every assertion fails with an `error` naming the action and the candidates (exit 1). A node that is declared
 * but absent at that instant (added later, removed before) is an action error too.
 */
import t from 'tap';
import { HEAD, folder, kubedrill, noStack } from './helpers.js';

t.test('an undeclared node is refused at load time', async (tt) => {
  const d = folder({ 's.yaml': `${HEAD}events:\n  - {at: 10s, nodeDown: node-9}\n` });
  const r = kubedrill(['run', 's.yaml'], { cwd: d, timeoutMs: 30_000 });
  tt.equal(r.code, 2);
  tt.match(r.err, /^s\.yaml:6:25: events\[0\]\.nodeDown: node "node-9" is not declared in nodes, a Node object or an addNode event \(did you mean "node-1"\?\)$/m);
  tt.ok(noStack(r.err));
});

t.test('past the node limit only the limit is reported, not the nodes it left unexpanded', async (tt) => {
  const d = folder({ 's.yaml': `apiVersion: kubedrill/v1\nkind: Scenario\nname: s\nnodes: [{name: n, count: 5}]\nevents:\n  - {at: 10s, cordon: n-1}\n` });
  const r = kubedrill(['validate', 's.yaml', '--max-nodes', '4'], { cwd: d, timeoutMs: 30_000 });
  tt.equal(r.code, 2);
  tt.match(r.err, /^s\.yaml:4:26: the number of nodes \(5\) exceeds the limit maxNodes \(4\); raise it with --max-nodes$/m);
  tt.notMatch(r.err, /not declared/);
});

t.test('a pod that does not exist at the instant is an action error at run time', async (tt) => {
  const d = folder({ 's.yaml': `${HEAD}events:\n  - {at: 10s, crash: {pod: "web-*"}}\nexpect:\n  - {nodes: {}, count: 1}\n` });
  const r = kubedrill(['run', 's.yaml'], { cwd: d, timeoutMs: 30_000 });
  tt.equal(r.code, 1);
  tt.match(r.out, /not ok 1 - expect\[0\]/);
  tt.match(r.out, /error: .*events\[0\] crash at 10s: pod "web-\*" matches no pod in namespace default/);
  tt.match(r.out, /source: s\.yaml:6:5/);
});

t.test('a node declared by a later addNode is an action error before it joins', async (tt) => {
  const d = folder({ 's.yaml': `${HEAD}events:\n  - {at: 10s, cordon: late}\n  - {at: 20s, addNode: {name: late}}\nexpect:\n  - {nodes: {}, count: 2}\n` });
  const r = kubedrill(['run', 's.yaml'], { cwd: d, timeoutMs: 30_000 });
  tt.equal(r.code, 1);
  tt.match(r.out, /node "late" not found \(nodes: node-1\)/);
});
