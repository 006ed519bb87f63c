/** A hand-built SimContext for scheduler tests. */
import { Kernel } from '../../../src/sim/kernel.js';
import { Store } from '../../../src/sim/store.js';
import { ApiServer } from '../../../src/sim/apiserver.js';
import { EventRecorder } from '../../../src/sim/events.js';
import { Trace } from '../../../src/sim/trace.js';
import { Prng } from '../../../src/sim/prng.js';
import { defaultsFor, type KubeVersion } from '../../../src/sim/defaults.js';
import { messagesFor } from '../../../src/sim/messages.js';
import type { SimContext } from '../../../src/sim/context.js';
import type { KObject } from '../../../src/k8s/types.js';
import { Scheduler } from '../../../src/sim/scheduler/scheduler.js';

export interface Harness {
  ctx: SimContext;
  sched: Scheduler;
  node(name: string, o?: { cpu?: string; memory?: string; pods?: number; labels?: Record<string, string>; taints?: any[]; unschedulable?: boolean; images?: any[]; extra?: Record<string, string> }): KObject;
  pod(name: string, spec: Record<string, any>, meta?: Record<string, any>): KObject;
  run(ms?: number): void;
  events(reason: string, pod?: string): string[];
}

export function harness(version: KubeVersion = '1.37', scheduler?: Record<string, unknown>, seed = 1): Harness {
  const kernel = new Kernel();
  const now = () => kernel.now;
  const root = new Prng(seed);
  const trace = new Trace(now);
  const store = new Store(now, root.fork('store'));
  const d = defaultsFor(version);
  const api = new ApiServer(store, d, root.fork('api'), trace, now, false);
  const recorder = new EventRecorder(now, root.fork('events'), trace);
  for (const ns of ['default', 'kube-system']) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } } });
  const ctx: SimContext = {
    kernel, store, api, trace, recorder, defaults: d, msg: messagesFor(d),
    scenario: { scheduler } as any,
    rng: (c: string) => root.fork(c), now, behaviorFor: () => undefined, checkInvariants: false,
  };
  const sched = new Scheduler(ctx);
  ctx.scheduler = sched;
  const h: Harness = {
    ctx, sched,
    node(name, o = {}) {
      const cap = { cpu: o.cpu ?? '4', memory: o.memory ?? '16Gi', pods: String(o.pods ?? 110), ...(o.extra ?? {}) };
      const r = api.create({
        apiVersion: 'v1', kind: 'Node',
        metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(o.labels ?? {}) } },
        spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
        status: { capacity: cap, allocatable: cap, images: o.images ?? [] },
      });
      if (!r.ok) throw new Error(r.error.message);
      kernel.drain();
      return r.value;
    },
    pod(name, spec, meta = {}) {
      const r = api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...meta }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }], ...spec } });
      if (!r.ok) throw new Error(r.error.message);
      kernel.drain();
      return r.value;
    },
    run(ms = 0) {
      const until = kernel.now + ms;
      kernel.drain();
      while ((kernel.peekTime() ?? Infinity) <= until) kernel.runInstant();
      kernel.setNow(until);
    },
    events(reason, pod) {
      return recorder.events.filter((e) => e.reason === reason && (!pod || e.involvedObject.name === pod)).map((e) => e.message);
    },
  };
  return h;
}

/** A container with requests. */
export function req(cpu?: string, memory?: string): Record<string, any> {
  const requests: Record<string, string> = {};
  if (cpu) requests.cpu = cpu;
  if (memory) requests.memory = memory;
  return { name: 'c', image: 'busybox:1.36', resources: { requests } };
}

/** A container with requests (any resources, e.g. extended ones). */
export function reqs(requests: Record<string, string>, extra: Record<string, any> = {}): Record<string, any> {
  return { name: 'c', image: 'busybox:1.36', resources: { requests }, ...extra };
}

/** Per node, one plugin's normalised score in the pod's last attempt (only nodes that were scored). */
export function scoresOf(h: Harness, pod: string, plugin: string): Record<string, number> {
  const a = h.sched.attempts(`default/${pod}`);
  const last = a[a.length - 1];
  if (!last) throw new Error(`no attempt for ${pod}`);
  const out: Record<string, number> = {};
  for (const r of last.rows) if (r.scores?.[plugin]) out[r.node] = r.scores[plugin]!.score;
  return out;
}

/** Per node, the rejecting plugin and reasons of the pod's last attempt (feasible nodes map to 'ok'). */
export function rowsOf(h: Harness, pod: string): Record<string, string> {
  const a = h.sched.attempts(`default/${pod}`);
  const last = a[a.length - 1];
  if (!last) throw new Error(`no attempt for ${pod}`);
  const out: Record<string, string> = {};
  for (const r of last.rows) out[r.node] = r.rejectedBy ? `${r.rejectedBy}: ${(r.reasons ?? []).join(', ')}` : 'ok';
  return out;
}

/** The FailedScheduling texts of a pod. */
export function failures(h: Harness, pod: string): string[] {
  return h.events('FailedScheduling', pod);
}
