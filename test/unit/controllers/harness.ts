/**
 * A hand-built SimContext for controller unit tests, with an optional fake kubelet that binds, runs and
 * readies pods and finishes their deletion, since the real kubelet and scheduler are not part of these tests.
 */
import { Kernel } from '../../../src/sim/kernel.js';
import { Store } from '../../../src/sim/store.js';
import { ApiServer, setPodCondition } from '../../../src/sim/apiserver.js';
import { EventRecorder } from '../../../src/sim/events.js';
import { Trace } from '../../../src/sim/trace.js';
import { Prng } from '../../../src/sim/prng.js';
import { defaultsFor, type KubeVersion } from '../../../src/sim/defaults.js';
import { messagesFor } from '../../../src/sim/messages.js';
import type { SimContext } from '../../../src/sim/context.js';
import type { KObject } from '../../../src/k8s/types.js';

export interface Harness {
  ctx: SimContext;
  /** Runs everything due up to and including `t` ms. */
  runUntil(t: number): void;
  /** Runs the reactions queued now. */
  settle(): void;
  /** Events as `reason: message` lines, optionally of one object name. */
  events(name?: string): string[];
  get(kind: string, name: string, ns?: string): KObject | undefined;
  pods(prefix?: string): KObject[];
}

/** Creates a context with the default namespaces and optional nodes. */
export function harness(opts: { version?: KubeVersion; seed?: number; nodes?: string[] } = {}): Harness {
  const d = defaultsFor(opts.version ?? '1.37');
  const kernel = new Kernel(200_000);
  const now = () => kernel.now;
  const trace = new Trace(now);
  const rng = new Prng(opts.seed ?? 1);
  const store = new Store(now, rng.fork('uids'));
  const api = new ApiServer(store, d, rng.fork('api'), trace, now, false);
  const recorder = new EventRecorder(now, rng.fork('events'), trace);
  const ctx: SimContext = {
    kernel, store, api, trace, recorder, defaults: d, msg: messagesFor(d),
    scenario: {} as SimContext['scenario'],
    rng: (n: string) => rng.fork(n),
    now,
    behaviorFor: () => undefined,
    checkInvariants: false,
  };
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  }
  for (const n of opts.nodes ?? []) {
    api.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: n, labels: { 'kubernetes.io/hostname': n } }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
  }
  const h: Harness = {
    ctx,
    settle: () => kernel.drain(),
    runUntil(t: number) {
      kernel.drain();
      for (;;) {
        const p = kernel.peekTime();
        if (p === undefined || p > t) break;
        kernel.runInstant();
      }
      if (kernel.now < t) kernel.setNow(t);
    },
    events: (name?: string) => recorder.events.filter((e) => !name || e.involvedObject.name === name)
      .map((e) => `${e.reason}: ${e.message}${e.count > 1 ? ` x${e.count}` : ''}`),
    get: (kind, name, ns = 'default') => store.get(kind, ns, name),
    pods: (prefix = '') => store.list('Pod').filter((p) => p.metadata.name.startsWith(prefix)),
  };
  return h;
}

/** Options of the fake kubelet. */
export interface FakeKubeletOptions {
  /** Node for unbound pods (round-robin over these). */
  nodes?: string[];
  /** ms from creation to Running+Ready (default 0); a function may decide per pod; undefined = never ready. */
  readyAfter?: number | ((pod: KObject) => number | undefined);
  /** ms a deleted pod takes to go (default 0). */
  stopAfter?: number;
}

/**
 * A fake kubelet + scheduler: binds new pods, after `readyAfter` sets Running, Ready and a pod IP, and
 * removes deleted pods after `stopAfter`.
 */
export function fakeKubelet(h: Harness, o: FakeKubeletOptions = {}): { ready(pod: KObject, ready: boolean): void; finish(pod: KObject, phase: 'Succeeded' | 'Failed', exitCode?: number): void } {
  const { ctx } = h;
  const nodes = o.nodes ?? ['node-1'];
  let rr = 0;
  let ip = 10;
  const seen = new Set<string>();
  const ready = (pod: KObject, r: boolean) => {
    if (!ctx.store.getByUid(pod.metadata.uid!)) return;
    pod.status ??= {};
    pod.status.phase = 'Running';
    pod.status.podIP ??= `10.244.0.${ip++}`;
    pod.status.podIPs = [{ ip: pod.status.podIP }];
    setPodCondition(pod, 'Ready', r ? 'True' : 'False', undefined, undefined, ctx.now());
    pod.status.containerStatuses = (pod.spec?.containers ?? []).map((c: any) => ({ name: c.name, ready: r, restartCount: 0, state: { running: { startedAt: '' } } }));
    ctx.store.update(pod);
  };
  const finish = (pod: KObject, phase: 'Succeeded' | 'Failed', exitCode = phase === 'Succeeded' ? 0 : 1) => {
    if (!ctx.store.getByUid(pod.metadata.uid!)) return;
    pod.status ??= {};
    pod.status.phase = phase;
    setPodCondition(pod, 'Ready', 'False', 'PodCompleted', undefined, ctx.now());
    pod.status.containerStatuses = (pod.spec?.containers ?? []).map((c: any) => ({ name: c.name, ready: false, restartCount: 0, state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error' } } }));
    ctx.store.update(pod);
  };
  ctx.store.watch('Pod', (type, pod) => {
    if (type === 'DELETED') return;
    const uid = pod.metadata.uid!;
    if (!seen.has(uid)) {
      seen.add(uid);
      ctx.kernel.react(() => {
        if (!ctx.store.getByUid(uid)) return;
        if (!pod.spec.nodeName) {
          const f = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0];
          ctx.api.bind(pod, f?.key === 'metadata.name' ? f.values[0] : nodes[rr++ % nodes.length]!);
        }
        pod.status ??= {};
        pod.status.phase ??= 'Pending';
        ctx.store.update(pod);
        const ra = typeof o.readyAfter === 'function' ? o.readyAfter(pod) : (o.readyAfter ?? 0);
        if (ra !== undefined) ctx.kernel.after(ra, () => { if (!pod.metadata.deletionTimestamp) ready(pod, true); }, 'fake-kubelet');
      }, 'fake-kubelet');
    }
    if (pod.metadata.deletionTimestamp && (pod.metadata.deletionGracePeriodSeconds ?? 0) > 0 && !seen.has(uid + '/del')) {
      seen.add(uid + '/del');
      ctx.kernel.after(o.stopAfter ?? 0, () => {
        if (!ctx.store.getByUid(uid)) return;
        pod.metadata.deletionGracePeriodSeconds = 0;
        if (pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed') pod.status.phase = 'Failed';
        if (pod.metadata.finalizers?.length) ctx.store.update(pod);
        else ctx.store.remove(pod);
      }, 'fake-kubelet');
    }
  });
  return { ready, finish };
}

/** A minimal container template. */
export function podTemplate(labels: Record<string, string>, image = 'nginx:1.14.2'): Record<string, any> {
  return { metadata: { labels }, spec: { containers: [{ name: 'app', image }] } };
}
