/** Generated, reproducible bench inputs (fixed seeds, no network). */
import { Prng } from '../src/sim/prng.js';

/**
 * The scale scenario: `nodes` nodes of mixed sizes in 3 zones, `deployments` Deployments totalling
 * `pods` replicas with mixed requests, some with topology spread and some with anti-affinity.
 */
export function scaleScenarioYaml(nodes: number, pods: number, deployments = 50, until = '10m'): string {
  const sizes = [
    { cpu: '8', memory: '32Gi' },
    { cpu: '16', memory: '64Gi' },
    { cpu: '32', memory: '128Gi' },
  ];
  const lines: string[] = [
    'apiVersion: kubedrill/v1', 'kind: Scenario', `name: scale ${nodes} nodes x ${pods} pods`, `until: ${until}`, 'nodes:',
  ];
  const perGroup = Math.ceil(nodes / 9);
  let made = 0;
  for (let z = 0; z < 3; z++) {
    for (let s = 0; s < 3; s++) {
      const count = Math.min(perGroup, nodes - made);
      if (count <= 0) break;
      made += count;
      const sz = sizes[s]!;
      lines.push(`  - {name: z${z}-s${s}, count: ${count}, capacity: {cpu: "${sz.cpu}", memory: ${sz.memory}, pods: 110}, labels: {topology.kubernetes.io/zone: zone-${z}}}`);
    }
  }
  lines.push('manifests:');
  const rng = new Prng(7);
  const cpus = ['50m', '100m', '200m', '250m', '500m'];
  const mems = ['64Mi', '128Mi', '256Mi', '512Mi'];
  let remaining = pods;
  for (let d = 0; d < deployments; d++) {
    const replicas = d === deployments - 1 ? remaining : Math.floor(pods / deployments);
    remaining -= replicas;
    const cpu = cpus[rng.int(cpus.length)]!;
    const mem = mems[rng.int(mems.length)]!;
    const spread = d % 5 === 0;
    const anti = d % 7 === 3 && replicas <= nodes;
    lines.push(
      '  - apiVersion: apps/v1', '    kind: Deployment', `    metadata: {name: app-${d}}`, '    spec:', `      replicas: ${replicas}`,
      `      selector: {matchLabels: {app: app-${d}}}`, '      template:', `        metadata: {labels: {app: app-${d}}}`, '        spec:');
    if (spread) {
      lines.push('          topologySpreadConstraints:',
        `            - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: app-${d}}}}`);
    }
    if (anti) {
      lines.push('          affinity:', '            podAntiAffinity:', '              preferredDuringSchedulingIgnoredDuringExecution:',
        `                - {weight: 50, podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: app-${d}}}}}`);
    }
    lines.push(`          containers: [{name: c, image: "app:${d}", resources: {requests: {cpu: ${cpu}, memory: ${mem}}}}]`);
  }
  lines.push('expect:', '  - name: every pod runs', '    pods: {namespace: "*", where: {phase: Running}}', `    count: ${pods}`);
  return lines.join('\n') + '\n';
}

/** A small scenario (3 nodes, 10 pods, 10 minutes) for the suite figure; `i` varies it. */
export function smallScenarioYaml(i: number): string {
  return `apiVersion: kubedrill/v1
kind: Scenario
name: small ${i}
seed: ${i + 1}
until: 10m
nodes:
  - {name: node, count: 3}
manifests:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 8
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers: [{name: web, image: nginx:1.27, resources: {requests: {cpu: 100m, memory: 64Mi}}}]
  - apiVersion: v1
    kind: Pod
    metadata: {name: crasher}
    spec:
      containers: [{name: c, image: busybox:1.36}]
  - apiVersion: v1
    kind: Pod
    metadata: {name: job}
    spec:
      restartPolicy: OnFailure
      containers: [{name: c, image: busybox:1.36}]
behaviors:
  - match: {pod: crasher}
    runs: [{exitAfter: ${1 + (i % 5)}s, exitCode: 1}]
  - match: {pod: job}
    runs: [{exitAfter: 30s, exitCode: 0}]
events:
  - at: ${2 + (i % 3)}m
    nodeDown: node-${1 + (i % 3)}
expect:
  - name: web runs
    by: 1m
    pods: {selector: {app: web}}
    count: 8
    phase: Running
  - name: the job pod succeeds
    by: 2m
    pod: job
    phase: Succeeded
`;
}
