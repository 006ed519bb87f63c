/**
 * Overlapping events are documented no-ops, never errors, as the format says ("an action that would change
 * nothing only leaves a trace record"): nodeDown of a down node, cordon of a cordoned node; two probeFail
 * windows on one container that overlap add up (the probe fails during their union). The run passes and the
 * trace shows the no-ops.
 */
import t from 'tap';
import { folder, kubedrill } from './helpers.js';

const SCENARIO = `apiVersion: kubedrill/v1
kind: Scenario
name: overlapping events
until: 2m
nodes: [{name: node-1}, {name: node-2}]
manifests:
  - apiVersion: v1
    kind: Pod
    metadata: {name: web}
    spec:
      nodeName: node-1
      containers: [{name: app, image: nginx, readinessProbe: {exec: {command: ["true"]}, periodSeconds: 1}}]
events:
  - {at: 10s, probeFail: {pod: web, probe: readiness, for: 60s}}
  - {at: 20s, probeFail: {pod: web, probe: readiness, for: 10s}}
  - {at: 30s, nodeDown: node-2}
  - {at: 40s, nodeDown: node-2}
  - {at: 45s, cordon: node-1}
  - {at: 46s, cordon: node-1}
expect:
  - name: ready before the windows
    at: 9s
    pod: web
    ready: true
  - name: not ready during the union of the windows (past the shorter one's end)
    always: true
    from: 12s
    until: 69s
    pod: web
    ready: false
  - name: ready again after the longer window
    at: 80s
    pod: web
    ready: true
`;

t.test('overlapping events run, pass, and leave trace records for the no-ops', async (tt) => {
  const d = folder({ 'overlap.yaml': SCENARIO });
  const r = kubedrill(['run', 'overlap.yaml'], { cwd: d, timeoutMs: 60_000 });
  tt.equal(r.code, 0, r.out);
  const trace = kubedrill(['trace', 'overlap.yaml'], { cwd: d, timeoutMs: 60_000 });
  tt.equal(trace.code, 0);
  tt.match(trace.out, /node node-2 is already down: nothing to do/);
  tt.match(trace.out, /node node-1 is already cordoned: nothing to do/);
});
