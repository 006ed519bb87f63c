/**
 * A hand-built cluster for kubelet and node-lifecycle tests: kernel, store, API server, recorder, the
 * kubelet fleet, node lifecycle, taint eviction and PodGC controllers; no scheduler (pods are created with
 * spec.nodeName).
 */
import { Kernel, PRIORITY } from '../../../src/sim/kernel.js';
import { Store } from '../../../src/sim/store.js';
import { Prng } from '../../../src/sim/prng.js';
import { Trace } from '../../../src/sim/trace.js';
import { EventRecorder } from '../../../src/sim/events.js';
import { defaultsFor, type KubeVersion } from '../../../src/sim/defaults.js';
import { messagesFor } from '../../../src/sim/messages.js';
import { ApiServer } from '../../../src/sim/apiserver.js';
import type { SimContext } from '../../../src/sim/context.js';
import type { Behavior, Scenario } from '../../../src/scenario/types.js';
import type { KObject } from '../../../src/k8s/types.js';
import { globMatch } from '../../../src/k8s/match.js';
import { nodeObject } from '../../../src/k8s/node.js';
import { KubeletManager } from '../../../src/sim/kubelet/fleet.js';
import { NodeLifecycleController } from '../../../src/sim/controllers/node-lifecycle.js';
import { TaintEvictionController } from '../../../src/sim/controllers/taint-eviction.js';
import { PodGCController } from '../../../src/sim/controllers/pod-gc.js';

/** A behavior with format defaults. */
export function beh(match: Behavior['match'], b: Partial<Omit<Behavior, 'match' | 'pos'>> = {}): Behavior {
  return { match, pull: 0, start: 0, stopAfter: 0, probes: {}, pos: { file: 't', line: 1, col: 1 }, ...b };
}

/** A test cluster. */
export interface Cluster {
  ctx: SimContext;
  kernel: Kernel;
  fleet: KubeletManager;
  /** Runs every instant up to and including `t` (ms). */
  runTo(t: number): void;
  /** Schedules `fn` as a scenario event at `t`. */
  at(t: number, fn: () => void): void;
  pod(name: string, ns?: string): KObject | undefined;
  node(name: string): KObject;
  /** Events (reason filter) as [ms, message] pairs of first occurrence, and total count. */
  events(reason: string, object?: string): Array<{ first: number; last: number; count: number; message: string; type: string }>;
  /** Trace records of a type whose message matches. */
  times(type: string, re: RegExp): number[];
  /** Creates a pod bound to a node (no scheduler). */
  createPod(pod: Partial<KObject> & { metadata: KObject['metadata'] }, node?: string): KObject;
}

/** Builds a cluster of `nodes` on `version`. */
export function cluster(opts: { version?: KubeVersion; nodes?: string[]; behaviors?: Behavior[] } = {}): Cluster {
  const kernel = new Kernel();
  const now = () => kernel.now;
  const root = new Prng(1);
  const store = new Store(now, root.fork('uids'));
  const trace = new Trace(now);
  const recorder = new EventRecorder(now, root.fork('events'), trace);
  const d = defaultsFor(opts.version ?? '1.37');
  const api = new ApiServer(store, d, root.fork('apiserver'), trace, now, false);
  const behaviors = opts.behaviors ?? [];
  const ctx: SimContext = {
    kernel, store, api, trace, recorder, defaults: d, msg: messagesFor(d),
    scenario: { behaviors } as unknown as Scenario,
    rng: (name: string) => root.fork(`component:${name}`),
    now,
    behaviorFor: (pod, container, image) => behaviors.find((b) => {
      const m = b.match;
      if (m.pod !== undefined && !globMatch(m.pod, pod.metadata.name)) return false;
      if (m.container !== undefined && !globMatch(m.container, container)) return false;
      if (m.image !== undefined && !globMatch(m.image, image)) return false;
      return true;
    }),
    checkInvariants: false,
  };
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  const fleet = new KubeletManager(ctx);
  ctx.kubelets = fleet;
  new NodeLifecycleController(ctx);
  new TaintEvictionController(ctx);
  new PodGCController(ctx);
  for (const n of opts.nodes ?? ['node-1']) {
    api.create(nodeObject({ name: n, capacity: {}, allocatable: {}, labels: {}, taints: [], unschedulable: false, images: [], pos: { file: 't', line: 1, col: 1 } }));
  }
  kernel.at(0, () => undefined);
  const c: Cluster = {
    ctx, kernel, fleet,
    runTo(t) {
      for (;;) {
        const n = kernel.peekTime();
        if (n === undefined || n > t) break;
        kernel.runInstant();
      }
    },
    at(t, fn) { kernel.at(t, fn, 'test event', PRIORITY.scenario); },
    pod: (name, ns = 'default') => store.get('Pod', ns, name),
    node: (name) => store.get('Node', undefined, name)!,
    events(reason, object) {
      return recorder.events.filter((e) => e.reason === reason && (!object || `${e.involvedObject.kind}/${e.involvedObject.name}` === object))
        .map((e) => ({ first: e.firstMs, last: e.lastMs, count: e.count, message: e.message, type: e.type }));
    },
    times: (type, re) => trace.records.filter((r) => r.type === type && re.test(r.message)).map((r) => r.t),
    createPod(pod, node = 'node-1') {
      const obj = { apiVersion: 'v1', kind: 'Pod', ...pod } as KObject;
      obj.spec ??= { containers: [{ name: 'main', image: 'busybox:1.36' }] };
      obj.spec.nodeName = node;
      const r = api.create(obj);
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    },
  };
  return c;
}

/** The first container status of a pod. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function cs(pod: KObject | undefined, i = 0): Record<string, any> {
  return pod?.status?.containerStatuses?.[i] ?? {};
}

/** A pod condition's status. */
export function cond(pod: KObject | undefined, type: string): string | undefined {
  return (pod?.status?.conditions ?? []).find((c: Record<string, unknown>) => c.type === type)?.status;
}
