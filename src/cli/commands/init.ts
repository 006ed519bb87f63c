/** `kubedrill init [file]`: writes a commented starter scenario; never overwrites. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs, UsageError } from '../args.js';

/** The starter scenario. */
export const STARTER = `# yaml-language-server: $schema=../node_modules/kubedrill/schemas/scenario.schema.json
# A kubedrill scenario: a cluster, what is applied to it, what happens, and what must hold.
# Run it with:  npx kubedrill run scenarios/example.yaml
apiVersion: kubedrill/v1
kind: Scenario
name: web keeps three replicas when a node fails
seed: 1                 # all randomness (tie-breaks, names) derives from it
kubernetes: "1.37"      # "1.29".."1.37": defaults and texts of that release
until: 10m              # simulated time at which the run stops

nodes:                  # the initial cluster; count: 3 -> node-1, node-2, node-3
  - name: node
    count: 3
    capacity: {cpu: "4", memory: 16Gi}

manifests:              # applied at t=0, like kubectl apply
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 3
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers:
            - name: web
              image: nginx:1.27
              resources: {requests: {cpu: 500m, memory: 256Mi}}

behaviors:              # nothing really runs: say how containers behave
  - match: {pod: "web-*"}
    pull: 2s            # each image pull takes 2s
    start: 1s           # then 1s to Running

events:                 # timed actions
  - at: 2m
    nodeDown: node-1    # the kubelet stops; the node controller reacts after its grace period

expect:                 # each entry is one TAP test point
  - name: three web pods run by 1m
    by: 1m
    pods: {selector: {app: web}}
    count: 3
    phase: Running
  - name: node-1 goes unknown after the grace period
    by: 4m
    nodes: {name: node-1}
    ready: unknown
  - name: three web pods run again on the healthy nodes
    at: end
    pods: {selector: {app: web}, where: {phase: Running, ready: true}}
    count: 3
`;

/** Runs the `init` command; returns the exit code. */
export function initCommand(argv: string[], io: { out: (s: string) => void; err: (s: string) => void }): number {
  const p = parseArgs(argv, {});
  if (p.positionals.length > 1) throw new UsageError('init takes at most one file');
  const file = p.positionals[0] ?? 'scenarios/example.yaml';
  if (existsSync(file)) {
    io.err(`kubedrill: ${file} exists; init never overwrites a file\n`);
    return 2;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, STARTER);
  io.out(`wrote ${file}\n`);
  return 0;
}
