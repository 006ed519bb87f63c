/** Contract: scenario-format.md "Stored objects" (and kubernetes-behavior.md §6 names, §8 addresses). */
import t from 'tap';
import { deployment, invalid, passes, pod, run } from './helpers.js';

const S = 'Stored objects: ';
const ALPHA = '[bcdfghjklmnpqrstvwxz2456789]';

t.test(`${S}objects look as kubectl get -o yaml shows them after API-server defaulting`, async (t) => {
  passes(t, await run(`until: 1s
nodes: [{name: n}]
manifests:
${pod('p')}${deployment('web', 1)}expect:
  - pod: p
    match:
      apiVersion: v1
      kind: Pod
      metadata: {namespace: default, uid: {$regex: "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"}, resourceVersion: {$exists: true}}
      spec:
        restartPolicy: Always
        terminationGracePeriodSeconds: 30
        dnsPolicy: ClusterFirst
        schedulerName: default-scheduler
        serviceAccountName: default
        enableServiceLinks: true
        priority: 0
        containers: [{name: c, imagePullPolicy: IfNotPresent, terminationMessagePath: /dev/termination-log, terminationMessagePolicy: File}]
      status: {qosClass: BestEffort}
  - object: {kind: Deployment, name: web}
    match:
      metadata: {generation: 1}
      spec:
        revisionHistoryLimit: 10
        progressDeadlineSeconds: 600
        strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}
`));
});

t.test(`${S}simulated time 0 is 2024-01-01T00:00:00Z (a Monday)`, async (t) => {
  passes(t, await run(`until: 3m
nodes: [{name: n}]
manifests:
  - apiVersion: batch/v1
    kind: CronJob
    metadata: {name: monday}
    spec:
      schedule: "* * * * 1"
      jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}}
  - apiVersion: batch/v1
    kind: CronJob
    metadata: {name: tuesday}
    spec:
      schedule: "* * * * 2"
      jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}}
expect:
  - {at: 0s, nodes: {name: n}, match: {metadata: {creationTimestamp: "2024-01-01T00:00:00Z"}}}
  - {object: {kind: Job, name: "monday-*"}, count: {min: 1}}
  - {object: {kind: Job, name: "tuesday-*"}, count: 0}
`));
});

t.test(`${S}metav1.Time fields are RFC 3339 UTC strings truncated to the second`, async (t) => {
  passes(t, await run(`until: 2m
nodes: [{name: n}]
events:
  - at: 90500ms
    apply: {apiVersion: v1, kind: ConfigMap, metadata: {name: late}}
  - at: 90999ms
    label: {node: n, labels: {a: b}}
  - at: 100s
    apply: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: "nginx:1.27"}]}}
behaviors:
  - {pull: 2500ms}
expect:
  - pod: p
    match:
      metadata: {creationTimestamp: "2024-01-01T00:01:40Z"}
      status:
        conditions: [{type: Ready, status: "True", lastTransitionTime: "2024-01-01T00:01:42Z"}]
        containerStatuses: [{state: {running: {startedAt: "2024-01-01T00:01:42Z"}}}]
  - object: {kind: ConfigMap, name: late}
    match: {metadata: {creationTimestamp: "2024-01-01T00:01:30Z"}}
  - object: {kind: ConfigMap, name: late}
    match: {metadata: {creationTimestamp: 1m30s}}
  - nodes: {}
    all: {metadata: {creationTimestamp: {$regex: "^\\\\d{4}-\\\\d\\\\d-\\\\d\\\\dT\\\\d\\\\d:\\\\d\\\\d:\\\\d\\\\dZ$"}}}
`));
});

t.test(`${S}MicroTime fields keep six fractional digits`, async (t) => {
  passes(t, await run(`until: 1m
nodes: [{name: n}]
events:
  - {at: 2500ms, addNode: {name: late}}
expect:
  - at: 2500ms
    object: {kind: Lease, namespace: kube-node-lease, name: late}
    match: {spec: {holderIdentity: late, renewTime: "2024-01-01T00:00:02.500000Z"}}
  - object: {kind: Lease, namespace: kube-node-lease}
    count: 2
    all: {spec: {renewTime: {$regex: "^2024-01-01T00:0\\\\d:\\\\d\\\\d\\\\.\\\\d{6}Z$"}}}
`));
});

t.test(`${S}CronJobs tick on this clock`, async (t) => {
  // 2024-01-01T00:05:00Z is 28401125 minutes after the Unix epoch: the Job is named <cronjob>-<minutes>.
  passes(t, await run(`until: 11m
nodes: [{name: n}]
manifests:
  - apiVersion: batch/v1
    kind: CronJob
    metadata: {name: hello}
    spec:
      schedule: "*/5 * * * *"
      jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}}
expect:
  - {at: 4m59s, object: {kind: Job}, count: 0}
  - {at: 5m1s, object: {kind: Job, name: hello-28401125}, count: 1}
  - {at: 10m1s, object: {kind: Job, name: hello-28401130}, count: 1}
  - object: {kind: CronJob, name: hello}
    match: {status: {lastScheduleTime: "2024-01-01T00:10:00Z"}}
`));
});

t.test(`${S}generateName gets 5 characters from bcdfghjklmnpqrstvwxz2456789 drawn from the seeded PRNG`, async (t) => {
  const body = `until: 1s
nodes: [{name: n}]
manifests:
  - {apiVersion: v1, kind: ConfigMap, metadata: {generateName: cfg-}}
  - apiVersion: v1
    kind: Pod
    metadata: {generateName: gen-}
    spec: {containers: [{name: c, image: nginx}]}
  - apiVersion: v1
    kind: Pod
    metadata: {generateName: ${'x'.repeat(70)}}
    spec: {containers: [{name: c, image: nginx}]}
expect:
  - {pods: {name: "gen-?????"}, count: 1, all: {metadata: {name: {$regex: "^gen-${ALPHA}{5}$"}, generateName: gen-}}}
  - {object: {kind: ConfigMap, name: "cfg-*"}, count: 1, all: {metadata: {name: {$regex: "^cfg-${ALPHA}{5}$"}}}}
  - name: the prefix is cut to 58 characters
    pods: {name: "xx*"}
    all: {metadata: {name: {$regex: "^x{58}${ALPHA}{5}$"}}}
`;
  const a = await run(body, { cmd: 'state', args: ['--at', '1s', '-o', 'yaml'] });
  const b = await run(body, { cmd: 'state', args: ['--at', '1s', '-o', 'yaml'] });
  const c = await run(body, { cmd: 'state', args: ['--at', '1s', '-o', 'yaml', '--seed', '2'] });
  const names = (s: string) => [...s.matchAll(/name: (gen-\S+)/g)].map((m) => m[1]);
  t.same(names(a.out), names(b.out), 'same seed, same names');
  t.not(names(a.out).join(), names(c.out).join(), 'another seed, other names');
  passes(t, await run(body));
});

t.test(`${S}a generated name is redrawn on a clash`, async (t) => {
  const first = await run(`until: 1s
manifests:
  - {apiVersion: v1, kind: ConfigMap, metadata: {generateName: cfg-}}
`, { cmd: 'state', args: ['--at', '0s', '-o', 'yaml', '--kind', 'ConfigMap'] });
  const taken = /name: (cfg-\S+)/.exec(first.out)?.[1];
  t.ok(taken, 'the first draw at seed 1');
  passes(t, await run(`until: 1s
manifests:
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: ${taken}}}
  - {apiVersion: v1, kind: ConfigMap, metadata: {generateName: cfg-}}
expect:
  - {object: {kind: ConfigMap, name: "cfg-?????"}, count: 2}
`));
});

t.test(`${S}ReplicaSet, DaemonSet and Job pods get random 5-character suffixes; pod-template-hash is deterministic`, async (t) => {
  const body = `until: 30s
nodes: [{name: n}]
manifests:
${deployment('web', 2)}  - apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: ds}
    spec:
      selector: {matchLabels: {app: ds}}
      template:
        metadata: {labels: {app: ds}}
        spec: {containers: [{name: c, image: nginx}]}
  - apiVersion: batch/v1
    kind: Job
    metadata: {name: job}
    spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}
expect:
  - {object: {kind: ReplicaSet, name: "web-*"}, count: 1, all: {metadata: {name: {$regex: "^web-${ALPHA}+$"}}}}
  - {pods: {owner: Deployment/web}, count: 2, all: {metadata: {name: {$regex: "^web-${ALPHA}+-${ALPHA}{5}$"}, labels: {pod-template-hash: {$regex: "^${ALPHA}+$"}}}}}
  - {pods: {owner: DaemonSet/ds}, count: 1, all: {metadata: {name: {$regex: "^ds-${ALPHA}{5}$"}}}}
  - {pods: {owner: Job/job}, count: 1, all: {metadata: {name: {$regex: "^job-${ALPHA}{5}$"}}}}
`;
  passes(t, await run(body));
  const a = await run(body, { cmd: 'state', args: ['--at', '1s', '--kind', 'ReplicaSet'] });
  const b = await run(body, { cmd: 'state', args: ['--at', '1s', '--kind', 'ReplicaSet', '--seed', '9'] });
  t.equal(/web-\S+/.exec(a.out)?.[0], /web-\S+/.exec(b.out)?.[0], 'the ReplicaSet name does not depend on the seed');
});

t.test(`${S}the k-th node gets InternalIP 172.18.x.y counting up from 172.18.0.2 and the k-th /24 of 10.244.0.0/16`, async (t) => {
  passes(t, await run(`until: 10s
nodes:
  - {name: a}
  - {name: w, count: 2}
manifests:
  - {apiVersion: v1, kind: Node, metadata: {name: m}}
events:
  - {at: 5s, addNode: {name: late}}
expect:
  - {nodes: {name: a}, match: {spec: {podCIDR: 10.244.0.0/24, podCIDRs: [10.244.0.0/24]}, status: {addresses: [{type: InternalIP, address: 172.18.0.2}, {type: Hostname, address: a}]}}}
  - {nodes: {name: w-1}, match: {spec: {podCIDR: 10.244.1.0/24}, status: {addresses: [{type: InternalIP, address: 172.18.0.3}]}}}
  - {nodes: {name: w-2}, match: {spec: {podCIDR: 10.244.2.0/24}, status: {addresses: [{type: InternalIP, address: 172.18.0.4}]}}}
  - {nodes: {name: m}, match: {spec: {podCIDR: 10.244.3.0/24}, status: {addresses: [{type: InternalIP, address: 172.18.0.5}]}}}
  - {nodes: {name: late}, match: {spec: {podCIDR: 10.244.4.0/24}, status: {addresses: [{type: InternalIP, address: 172.18.0.6}]}}}
`));
});

t.test(`${S}the cluster CIDR is 100.64.0.0/10 when nodes and addNode events declare more than 256 nodes`, async (t) => {
  passes(t, await run(`until: 10s
nodes:
  - {name: w, count: 256}
events:
  - {at: 5s, addNode: {name: late}}
expect:
  - {nodes: {name: w-1}, match: {spec: {podCIDR: 100.64.0.0/24}}}
  - {nodes: {name: w-2}, match: {spec: {podCIDR: 100.64.1.0/24}}}
  - {nodes: {name: w-256}, match: {spec: {podCIDR: 100.64.255.0/24}, status: {addresses: [{type: InternalIP, address: 172.18.1.1}]}}}
  - {nodes: {name: late}, match: {spec: {podCIDR: 100.65.0.0/24}, status: {addresses: [{type: InternalIP, address: 172.18.1.2}]}}}
`));
  passes(t, await run(`until: 1s
nodes:
  - {name: w, count: 256}
expect:
  - {nodes: {name: w-256}, match: {spec: {podCIDR: 10.244.255.0/24}}}
`));
});

t.test(`${S}a pod gets status.podIP(s) from its node's range when its sandbox starts; .1 is the bridge`, async (t) => {
  passes(t, await run(`until: 20s
nodes: [{name: a}, {name: b}]
manifests:
${pod('p1', '\n      nodeName: b')}${pod('p2', '\n      nodeName: b')}${pod('slow', '\n      nodeName: a')}behaviors:
  - {match: {pod: slow}, pull: 10s}
expect:
  - {pod: p1, match: {status: {podIP: 10.244.1.2, podIPs: [{ip: 10.244.1.2}]}}}
  - {pod: p2, match: {status: {podIP: 10.244.1.3}}}
  - {at: 0s, pod: slow, match: {status: {podIP: 10.244.0.2}}}
  - {pods: {}, none: {status: {podIP: {$regex: "\\\\.1$"}}}}
`));
});

t.test(`${S}pod IPs: the next free address after the last one handed out, wrapping, as host-local IPAM does`, async (t) => {
  const pods = Array.from({ length: 253 }, (_, i) => `  - {apiVersion: v1, kind: Pod, metadata: {name: p${i + 2}}, spec: {nodeName: n, containers: [{name: c, image: nginx}]}}\n`).join('');
  passes(t, await run(`until: 30s
nodes: [{name: n, capacity: {pods: 300}}]
manifests:
${pods.split('\n').slice(0, 10).join('\n')}
events:
  - {at: 5s, delete: {kind: Pod, name: p5}}
  - {at: 10s, apply: {apiVersion: v1, kind: Pod, metadata: {name: next}, spec: {nodeName: n, containers: [{name: c, image: nginx}]}}}
expect:
  - {pod: p11, match: {status: {podIP: 10.244.0.11}}}
  - {pod: next, match: {status: {podIP: 10.244.0.12}}}
`));
  passes(t, await run(`until: 30s
nodes: [{name: n, capacity: {pods: 300}}]
manifests:
${pods}events:
  - {at: 5s, delete: {kind: Pod, name: p5}}
  - {at: 5s, delete: {kind: Pod, name: p9}}
  - {at: 10s, apply: {apiVersion: v1, kind: Pod, metadata: {name: wrap1}, spec: {nodeName: n, containers: [{name: c, image: nginx}]}}}
  - {at: 11s, apply: {apiVersion: v1, kind: Pod, metadata: {name: wrap2}, spec: {nodeName: n, containers: [{name: c, image: nginx}]}}}
expect:
  - {pod: p254, match: {status: {podIP: 10.244.0.254}}}
  - {pod: wrap1, match: {status: {podIP: 10.244.0.5}}}
  - {pod: wrap2, match: {status: {podIP: 10.244.0.9}}}
`));
});

t.test(`${S}status.hostIP is its node's; hostNetwork pods take the node's IP`, async (t) => {
  passes(t, await run(`until: 5s
nodes: [{name: a}, {name: b}]
manifests:
${pod('p', '\n      nodeName: b')}${pod('h', '\n      nodeName: b\n      hostNetwork: true')}expect:
  - {pod: p, match: {status: {hostIP: 172.18.0.3, hostIPs: [{ip: 172.18.0.3}], podIP: 10.244.1.2}}}
  - {pod: h, match: {status: {hostIP: 172.18.0.3, podIP: 172.18.0.3, podIPs: [{ip: 172.18.0.3}]}}}
`));
});

t.test(`${S}the kubernetes Service in default is present from t=0 and holds 10.96.0.1`, async (t) => {
  passes(t, await run(`until: 1s
expect:
  - at: 0s
    object: {kind: Service, name: kubernetes}
    match: {metadata: {namespace: default, labels: {component: apiserver, provider: kubernetes}}, spec: {clusterIP: 10.96.0.1, clusterIPs: [10.96.0.1], type: ClusterIP, ports: [{name: https, port: 443, protocol: TCP}]}}
  - {at: 0s, object: {kind: Service, namespace: "*"}, count: 1}
`));
});

t.test(`${S}other Services get ClusterIPs from 10.96.0.0/12 drawn from the seeded PRNG`, async (t) => {
  const body = `until: 1s
manifests:
  - {apiVersion: v1, kind: Service, metadata: {name: a}, spec: {selector: {app: a}, ports: [{port: 80}]}}
  - {apiVersion: v1, kind: Service, metadata: {name: b}, spec: {selector: {app: b}, ports: [{port: 80}]}}
expect:
  - object: {kind: Service, name: "?"}
    count: 2
    all: {spec: {clusterIP: {$regex: "^10\\\\.(9[6-9]|10[0-9]|11[01])\\\\.\\\\d+\\\\.\\\\d+$", $ne: 10.96.0.1}}}
`;
  passes(t, await run(body));
  const ips = async (seed: string) => (await run(body, { cmd: 'state', args: ['--at', '1s', '-o', 'yaml', '--kind', 'Service', '--seed', seed] })).out.match(/clusterIP: \S+/g)?.join();
  t.equal(await ips('1'), await ips('1'), 'same seed, same addresses');
  t.not(await ips('1'), await ips('2'), 'another seed, other addresses');
});

t.test(`${S}an explicit clusterIP is honoured`, async (t) => {
  passes(t, await run(`until: 1s
manifests:
  - {apiVersion: v1, kind: Service, metadata: {name: a}, spec: {clusterIP: 10.100.0.10, selector: {app: a}, ports: [{port: 80}]}}
  - {apiVersion: v1, kind: Service, metadata: {name: h}, spec: {clusterIP: None, selector: {app: a}, ports: [{port: 80}]}}
expect:
  - {object: {kind: Service, name: a}, match: {spec: {clusterIP: 10.100.0.10, clusterIPs: [10.100.0.10]}}}
  - {object: {kind: Service, name: h}, match: {spec: {clusterIP: None}}}
`));
});

t.test(`${S}an explicit clusterIP is rejected if taken`, async (t) => {
  const r = await run(`until: 1s
manifests:
  - {apiVersion: v1, kind: Service, metadata: {name: a}, spec: {clusterIP: 10.96.0.1, ports: [{port: 80}]}}
expect:
  - {object: {kind: Service}, count: 1}
`);
  t.equal(r.code, 1);
  t.match(r.out, /not ok 1 - expect\[0\]/);
  t.match(r.out, /error: .*provided IP is already allocated/);
  t.match(r.out, /source: s\.yaml:6:5/);
  const ev = await run(`until: 10s
manifests:
  - {apiVersion: v1, kind: Service, metadata: {name: a}, spec: {clusterIP: 10.100.0.10, ports: [{port: 80}]}}
events:
  - {at: 5s, apply: {apiVersion: v1, kind: Service, metadata: {name: b}, spec: {clusterIP: 10.100.0.10, ports: [{port: 80}]}}}
`);
  t.equal(ev.code, 1);
  t.match(ev.out, /not ok 1 - run/);
  t.match(ev.out, /already allocated/);
  const bad = await run('manifests:\n  - {apiVersion: v1, kind: Service, metadata: {name: a}, spec: {clusterIP: 10.200.0.1, ports: [{port: 80}]}}\n');
  t.equal(bad.code, 1);
  t.match(bad.out, /not in the valid range/);
});

t.test(`${S}Endpoints and EndpointSlices list pod IPs`, async (t) => {
  passes(t, await run(`until: 10s
nodes: [{name: n}]
manifests:
${deployment('web', 2)}  - {apiVersion: v1, kind: Service, metadata: {name: web}, spec: {selector: {app: web}, ports: [{port: 80}]}}
expect:
  - object: {kind: Endpoints, name: web}
    match: {subsets: [{addresses: [{ip: 10.244.0.2}, {ip: 10.244.0.3}]}]}
  - object: {kind: EndpointSlice, name: "web-*"}
    count: 1
    all: {addressType: IPv4, endpoints: [{addresses: [10.244.0.2]}, {addresses: [10.244.0.3]}], metadata: {labels: {kubernetes.io/service-name: web}}}
`));
});

t.test(`${S}metadata.generation appears where kubectl get -o yaml shows it `, async (t) => {
  passes(t, await run(`until: 5s
nodes: [{name: n}]
manifests:
${deployment('web', 1)}  - {apiVersion: v1, kind: Service, metadata: {name: web}, spec: {selector: {app: web}, ports: [{port: 80}]}}
  - {apiVersion: v1, kind: ResourceQuota, metadata: {name: q}, spec: {hard: {pods: "10"}}}
  - {apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: np}, spec: {podSelector: {}}}
events:
  - {at: 1s, apply: {apiVersion: v1, kind: Service, metadata: {name: web}, spec: {selector: {app: web}, ports: [{port: 81}]}}}
  - {at: 2s, scale: {kind: Deployment, name: web, replicas: 2}}
expect:
  - {nodes: {}, all: {metadata: {generation: {$exists: false}}}}
  - {object: {kind: Namespace}, all: {metadata: {generation: {$exists: false}}}}
  - {object: {kind: Service}, count: 2, all: {metadata: {generation: {$exists: false}}}}
  - {object: {kind: ResourceQuota}, all: {metadata: {generation: {$exists: false}}}}
  - {object: {kind: Lease, namespace: kube-node-lease}, all: {metadata: {generation: {$exists: false}}}}
  - {object: {kind: Deployment, name: web}, match: {metadata: {generation: 2}, status: {observedGeneration: 2}}}
  - {object: {kind: NetworkPolicy}, match: {metadata: {generation: 1}}}
`));
});
