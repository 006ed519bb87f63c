/** Contract: scenario-format.md "behaviors", one test per clause. */
import t from 'tap';
import { passes, pod } from './lib.js';

const H = (until = '2m') => `name: b\nuntil: ${until}\nnodes: [{name: n1}]\n`;

t.test('behaviors: a container takes the first entry whose match holds when its pod is created', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p')}behaviors:
  - match: {pod: p}
    runs: [{exitAfter: 5s, exitCode: 3}, {}]
  - match: {pod: "*"}
    oomAfter: 1s
expect:
  - at: 10s
    pod: p
    restarts: 1
    all: {status: {containerStatuses: [{lastState: {terminated: {exitCode: 3}}}]}}
`);
});

t.test('behaviors: with none, it starts at once, passes every probe and never exits', async (t) => {
  await passes(t, `${H('5m')}manifests:
${pod('p', { spec: `      restartPolicy: Always\n` }).replace('image: "nginx:1.27"}', 'image: "nginx:1.27", livenessProbe: {exec: {command: [x]}, periodSeconds: 1}, readinessProbe: {exec: {command: [x]}, periodSeconds: 1}}')}expect:
  - at: 0s
    pod: p
    phase: Running
  - by: 2s
    pod: p
    ready: true
  - always: true
    from: 2s
    pod: p
    ready: true
    restarts: 0
  - events: {reason: Unhealthy}
    count: 0
`);
});

t.test('behaviors: a non-sidecar init container exits 0 at once', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p', { spec: `      initContainers: [{name: init, image: busybox:1.36}]\n` })}expect:
  - at: 0s
    pod: p
    phase: Running
    all: {status: {initContainerStatuses: [{name: init, state: {terminated: {exitCode: 0, reason: Completed}}}]}}
`);
});

t.test('behaviors: match keys are all optional and ANDed (pod, container, image, namespace, labels)', async (t) => {
  await passes(t, `${H()}manifests:
${pod('web-1', { labels: '{app: web}', container: 'app' })}${pod('web-2', { labels: '{app: other}', container: 'app' })}${pod('web-3', { labels: '{app: web}', container: 'side' })}${pod('web-4', { labels: '{app: web}', container: 'app', image: 'redis:7' })}behaviors:
  - match: {pod: "web-*", container: app, image: "nginx:*", namespace: default, labels: {app: web}}
    oomAfter: 1s
expect:
  - at: 1s
    pod: web-1
    reason: OOMKilled
  - at: 1s
    pods: {name: "web-[234]"}
    reason: null
`.replace('web-[234]', 'web-?').replace('- at: 1s\n    pods: {name: "web-?"}', '- at: 1s\n    pods: {name: "web-?", where: {match: {metadata: {name: {$ne: web-1}}}}}'));
});

t.test('behaviors: match globs use * and ? over the whole string', async (t) => {
  await passes(t, `${H()}manifests:
${pod('ab')}${pod('abc')}${pod('xabc')}behaviors:
  - match: {pod: "a?c"}
    oomAfter: 1s
expect:
  - at: 1s
    pods: {where: {reason: OOMKilled}}
    count: 1
    all: {metadata: {name: abc}}
`);
});

t.test('behaviors: labels: all present on the pod', async (t) => {
  await passes(t, `${H()}manifests:
${pod('a', { labels: '{app: web, tier: fe}' })}${pod('b', { labels: '{app: web}' })}behaviors:
  - match: {labels: {app: web, tier: fe}}
    oomAfter: 1s
expect:
  - at: 1s
    pods: {where: {reason: OOMKilled}}
    count: 1
    all: {metadata: {name: a}}
`);
});

t.test('behaviors: the match is taken when the pod is created (later label changes do not re-match)', async (t) => {
  await passes(t, `${H()}manifests:
${pod('a', { labels: '{app: web}' })}behaviors:
  - match: {labels: {app: crash}}
    oomAfter: 1s
events:
  - {at: 5s, label: {pod: a, labels: {app: crash}}}
expect:
  - at: 1m
    pod: a
    restarts: 0
`);
});

t.test('behaviors: pull is the duration of each image pull (default 0s)', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p')}${pod('q', { image: 'busybox:1.36' })}behaviors:
  - match: {pod: p}
    pull: 5s
expect:
  - at: 4999ms
    pod: p
    phase: Pending
  - at: 5s
    pod: p
    phase: Running
  - events: {reason: Pulled, object: Pod/p}
    count: 1
`);
  await passes(t, `${H()}manifests:
${pod('q', { image: 'busybox:1.36' })}expect:
  - at: 0s
    pod: q
    phase: Running
  - events: {reason: Pulled, object: Pod/q}
    count: 1
`);
});

t.test('behaviors: pullError makes each pull fail after pull with this error (ErrImagePull, ImagePullBackOff)', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p')}behaviors:
  - match: {pod: p}
    pull: 2s
    pullError: manifest unknown
expect:
  - at: 1s
    pod: p
    reason: ContainerCreating
  - at: 2s
    pod: p
    reason: ErrImagePull
  - by: 30s
    pod: p
    reason: ImagePullBackOff
  - events: {reason: Failed, object: Pod/p}
    any: {message: {$regex: "manifest unknown"}}
  - always: true
    pod: p
    phase: Pending
`);
});

t.test('behaviors: start is the time from pulled to Running, on every run', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p')}behaviors:
  - match: {pod: p}
    start: 1s
    runs: [{exitAfter: 2s}, {}]
expect:
  - at: 999ms
    pod: p
    all: {status: {containerStatuses: [{state: {running: null}}]}}
  - at: 1s
    pod: p
    all: {status: {containerStatuses: [{state: {running: {startedAt: 1s}}}]}}
  - at: 3999ms
    pod: p
    all: {status: {containerStatuses: [{state: {running: null}}]}}
  - at: 4s
    pod: p
    restarts: 1
    all: {status: {containerStatuses: [{state: {running: {startedAt: 4s}}}]}}
`);
});

t.test('behaviors: runs are successive runs of the container and the last entry repeats forever', async (t) => {
  await passes(t, `${H('3m')}manifests:
${pod('p', { spec: `      restartPolicy: OnFailure\n` })}behaviors:
  - match: {pod: p}
    runs:
      - {exitAfter: 1s, exitCode: 1}
      - {exitAfter: 1s, exitCode: 2}
expect:
  - at: 3m
    pod: p
    restarts: {min: 3}
    all: {status: {containerStatuses: [{lastState: {terminated: {exitCode: 2}}}]}}
  - never: true
    from: 1500ms
    pod: p
    all: {status: {containerStatuses: [{lastState: {terminated: {exitCode: 1}}, restartCount: {$gte: 2}}]}}
`);
});

t.test('behaviors: a run entry {} never exits; exitCode defaults to 0', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p', { spec: `      restartPolicy: Never\n` })}${pod('q')}behaviors:
  - match: {pod: p}
    runs: [{exitAfter: 3s}]
  - match: {pod: q}
    runs: [{}]
expect:
  - at: 3s
    pod: p
    phase: Succeeded
    reason: Completed
  - at: 2m
    pod: q
    phase: Running
    restarts: 0
`);
});

t.test('behaviors: after k restarts the container follows runs[k]; a new pod starts at runs[0]', async (t) => {
  await passes(t, `${H('3m')}manifests:
${(await import('./lib.js')).deploy('web', 1)}behaviors:
  - match: {pod: "web-*"}
    runs: [{exitAfter: 2s, exitCode: 7}, {}]
events:
  - {at: 1m, delete: {kind: Pod, name: "PLACEHOLDER"}}
expect:
  - at: 59s
    pods: {owner: Deployment/web}
    count: 1
    restarts: 1
  - at: 1m2s
    pods: {owner: Deployment/web}
    count: 1
    restarts: 1
    all: {status: {containerStatuses: [{lastState: {terminated: {exitCode: 7}}}]}}
`.replace('  - {at: 1m, delete: {kind: Pod, name: "PLACEHOLDER"}}', '  - {at: 1m, crash: {pod: "web-*", exitCode: 9}}').replace('at: 1m2s', 'at: 2m').replace('restarts: 1\n    all', 'restarts: 2\n    all').replace('exitCode: 7}}}]}}\n', 'exitCode: 9}}}]}}\n'));
});

t.test('behaviors: a new pod (a replacement) starts at runs[0]', async (t) => {
  await passes(t, `${H('3m')}manifests:
${(await import('./lib.js')).deploy('web', 1)}behaviors:
  - match: {pod: "web-*"}
    runs: [{exitAfter: 2s, exitCode: 7}, {}]
events:
  - {at: 1m, label: {pod: "web-*", labels: {app: gone}}}
expect:
  - at: 1m2s
    pods: {selector: {app: web}}
    count: 1
    restarts: 1
    all: {metadata: {creationTimestamp: 1m}, status: {containerStatuses: [{lastState: {terminated: {exitCode: 7}}}]}}
`);
});

t.test('behaviors: oomAfter makes every run OOMKilled (exit 137) after that time', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p')}behaviors:
  - match: {pod: p}
    oomAfter: 30s
expect:
  - at: 29999ms
    pod: p
    restarts: 0
    reason: null
  - at: 30s
    pod: p
    restarts: 1
    reason: OOMKilled
    all: {status: {containerStatuses: [{lastState: {terminated: {exitCode: 137, reason: OOMKilled}}}]}}
  - at: 1m
    pod: p
    restarts: 1
    reason: OOMKilled
    all: {status: {containerStatuses: [{state: {terminated: {exitCode: 137, reason: OOMKilled}}}]}}
  - at: 1m10s
    pod: p
    restarts: 2
`);
});

t.test('behaviors: stopAfter makes a container exit 143 that much later on SIGTERM (default 0s)', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p', { spec: `      restartPolicy: Never\n` })}${pod('q', { spec: `      restartPolicy: Never\n` })}behaviors:
  - match: {pod: p}
    stopAfter: 10s
events:
  - {at: 10s, delete: {kind: Pod, name: p}}
  - {at: 10s, delete: {kind: Pod, name: q}}
expect:
  - at: 19999ms
    pod: p
    all: {metadata: {deletionTimestamp: {$exists: true}}}
  - at: 20s
    pods: {name: p}
    count: 0
  - at: 10s
    pods: {name: q}
    count: 0
`);
});

t.test('behaviors: stopAfter exit code is 143 (observed through a SIGTERM not followed by deletion: liveness kill)', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p').replace('image: "nginx:1.27"}', 'image: "nginx:1.27", livenessProbe: {exec: {command: [x]}, periodSeconds: 1, failureThreshold: 1}}')}behaviors:
  - match: {pod: p}
    stopAfter: 2s
    probes: {liveness: {failAfter: 5s}}
expect:
  - by: 10s
    pod: p
    restarts: 1
    all: {status: {containerStatuses: [{lastState: {terminated: {exitCode: 143}}}]}}
`);
});

t.test('behaviors: stopAfter is cut by SIGKILL (137) at the grace end', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p', { spec: `      terminationGracePeriodSeconds: 3\n` }).replace('image: "nginx:1.27"}', 'image: "nginx:1.27", livenessProbe: {exec: {command: [x]}, periodSeconds: 1, failureThreshold: 1}}')}behaviors:
  - match: {pod: p}
    stopAfter: 20s
    probes: {liveness: {failAfter: 5s}}
expect:
  - by: 12s
    pod: p
    restarts: 1
    all: {status: {containerStatuses: [{lastState: {terminated: {exitCode: 137}}}]}}
`);
});

const probeSpec = (probe: string) => `image: "nginx:1.27", ${probe}: {exec: {command: [x]}, periodSeconds: 1, failureThreshold: 1}}`;

t.test('behaviors: liveness {failAfter} passes, then fails forever', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p').replace('image: "nginx:1.27"}', probeSpec('livenessProbe'))}behaviors:
  - match: {pod: p}
    probes: {liveness: {failAfter: 30s}}
expect:
  - at: 29s
    events: {reason: Unhealthy}
    count: 0
  - at: 30s
    events: {reason: Unhealthy, object: Pod/p}
    count: {min: 1}
    any: {message: {$regex: "^Liveness probe failed"}}
  - at: 30s
    events: {reason: Killing, object: Pod/p}
    count: 1
`);
});

t.test('behaviors: readiness {passAfter} fails, then passes forever', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p').replace('image: "nginx:1.27"}', probeSpec('readinessProbe'))}behaviors:
  - match: {pod: p}
    probes: {readiness: {passAfter: 10s}}
expect:
  - always: true
    until: 9999ms
    pod: p
    ready: false
  - at: 10s
    pod: p
    ready: true
  - always: true
    from: 10s
    pod: p
    ready: true
`);
});

t.test('behaviors: probe boundaries are inclusive (t ≥ failAfter fails, t ≥ passAfter passes)', async (t) => {
  // Running at 0, probe ticks at 0, 1, 2, ...: the probe at exactly 3s must fail / pass.
  await passes(t, `${H()}manifests:
${pod('p').replace('image: "nginx:1.27"}', probeSpec('livenessProbe'))}${pod('q').replace('image: "nginx:1.27"}', probeSpec('readinessProbe'))}behaviors:
  - match: {pod: p}
    probes: {liveness: {failAfter: 3s}}
  - match: {pod: q}
    probes: {readiness: {passAfter: 3s}}
expect:
  - at: 2999ms
    events: {reason: Killing, object: Pod/p}
    count: 0
  - at: 3s
    events: {reason: Killing, object: Pod/p}
    count: 1
  - at: 2999ms
    pod: q
    ready: false
  - at: 3s
    pod: q
    ready: true
`);
});

t.test('behaviors: startup with both keys fails, passes, fails', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p').replace('image: "nginx:1.27"}', probeSpec('readinessProbe'))}behaviors:
  - match: {pod: p}
    probes: {readiness: {failAfter: 20s, passAfter: 10s}}
expect:
  - at: 5s
    pod: p
    ready: false
  - at: 15s
    pod: p
    ready: true
  - at: 25s
    pod: p
    ready: false
`);
});

t.test('behaviors: a probe given as {} or absent passes', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p').replace('image: "nginx:1.27"}', 'image: "nginx:1.27", startupProbe: {exec: {command: [x]}, periodSeconds: 1, failureThreshold: 1}, readinessProbe: {exec: {command: [x]}, periodSeconds: 1}}')}behaviors:
  - match: {pod: p}
    probes: {startup: {}}
expect:
  - by: 3s
    pod: p
    ready: true
    restarts: 0
  - events: {reason: Unhealthy}
    count: 0
`);
});

t.test('behaviors: startup {passAfter} holds liveness and readiness back until it passes', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p').replace('image: "nginx:1.27"}', 'image: "nginx:1.27", startupProbe: {exec: {command: [x]}, periodSeconds: 1, failureThreshold: 100}, readinessProbe: {exec: {command: [x]}, periodSeconds: 1}}')}behaviors:
  - match: {pod: p}
    probes: {startup: {passAfter: 20s}}
expect:
  - at: 19s
    pod: p
    ready: false
  - at: 20s
    pod: p
    ready: true
    all: {status: {containerStatuses: [{started: true}]}}
`);
});

t.test('behaviors: exitAfter counts from the run start (Running), after pull and start', async (t) => {
  await passes(t, `${H()}manifests:
${pod('p', { spec: `      restartPolicy: Never\n` })}behaviors:
  - match: {pod: p}
    pull: 2s
    start: 1s
    runs: [{exitAfter: 5s, exitCode: 4}]
expect:
  - at: 7999ms
    pod: p
    phase: Running
  - at: 8s
    pod: p
    phase: Failed
    all: {status: {containerStatuses: [{state: {terminated: {exitCode: 4, reason: Error}}}]}}
`);
});

t.test('behaviors: the kubelet pulls only when the image is not on the node; pulled images stay', async (t) => {
  await passes(t, `name: b\nuntil: 1m\nnodes: [{name: n1, images: [{name: "busybox:1.36", sizeBytes: 1000}]}]\nmanifests:
${pod('p')}${pod('q', { image: 'busybox:1.36' })}behaviors:
  - match: {}
    pull: 5s
events:
  - {at: 10s, apply: {apiVersion: v1, kind: Pod, metadata: {name: r}, spec: {containers: [{name: c, image: "nginx:1.27"}]}}}
expect:
  - at: 0s
    pod: q
    phase: Running
  - at: 10s
    pod: r
    phase: Running
  - events: {reason: Pulling}
    count: 1
`);
});

t.test('behaviors: under imagePullPolicy Always the kubelet pulls at every start', async (t) => {
  await passes(t, `name: b\nuntil: 1m\nnodes: [{name: n1, images: [{name: "nginx:1.27"}]}]\nmanifests:
${pod('p').replace('image: "nginx:1.27"}', 'image: "nginx:1.27", imagePullPolicy: Always}')}behaviors:
  - match: {pod: p}
    pull: 1s
    runs: [{exitAfter: 1s, exitCode: 1}, {}]
expect:
  - at: 2500ms
    pod: p
    phase: Running
    all: {status: {containerStatuses: [{state: {waiting: {}}}]}}
  - at: 3s
    pod: p
    restarts: 1
    all: {status: {containerStatuses: [{state: {running: {}}}]}}
  - events: {reason: Pulling, object: Pod/p}
    count: 2
`);
});
