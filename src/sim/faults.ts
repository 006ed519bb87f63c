/**
 * Scenario events -> actions on the simulated cluster, as kubectl or a failing machine would do them.
 * An action that cannot be carried out (no or several matching pods, a missing object, an API rejection)
 * raises ActionError, which ends the run.
 */
import type { SimContext } from './context.js';
import type { ScenarioEvent } from '../scenario/types.js';
import type { KObject } from '../k8s/types.js';
import { isClusterScoped } from '../k8s/types.js';
import { globMatch } from '../k8s/match.js';
import { formatDuration } from '../k8s/duration.js';
import { toTime } from '../k8s/time.js';
import { nodeObject } from '../k8s/node.js';
import { rollbackDeployment, startDrain } from './controllers/index.js';
import { rejectedByValidation, type ApiResult, type Propagation } from './apiserver.js';

/** A scenario action that could not be carried out. */
export class ActionError extends Error {
  constructor(readonly event: ScenarioEvent, message: string) {
    super(`${describe(event)}: ${message}`);
  }
}

/** `events[i] <action> at <t>` */
export function describe(ev: ScenarioEvent): string {
  return `events[${ev.index}] ${ev.action} at ${formatDuration(ev.at)}`;
}

function ns(v: { namespace?: string } | undefined): string {
  return v?.namespace ?? 'default';
}

/** The one pod a name or glob designates, or an ActionError naming the candidates. */
export function resolvePod(ctx: SimContext, ev: ScenarioEvent, pattern: string, namespace: string): KObject {
  const pods = ctx.store.list('Pod', namespace).filter((p) => globMatch(pattern, p.metadata.name));
  if (pods.length === 1) return pods[0]!;
  if (pods.length === 0) {
    const names = ctx.store.list('Pod', namespace).map((p) => p.metadata.name);
    throw new ActionError(ev, `pod "${pattern}" matches no pod in namespace ${namespace}` +
      (names.length ? ` (pods: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', ...' : ''})` : ' (no pods)'));
  }
  throw new ActionError(ev, `pod "${pattern}" matches ${pods.length} pods in namespace ${namespace}: ` +
    pods.slice(0, 20).map((p) => p.metadata.name).join(', '));
}

function getNode(ctx: SimContext, ev: ScenarioEvent, name: string): KObject {
  const n = ctx.store.get('Node', undefined, name);
  if (!n) {
    const names = ctx.store.list('Node').map((x) => x.metadata.name);
    throw new ActionError(ev, `node "${name}" not found (nodes: ${names.slice(0, 20).join(', ') || 'none'})`);
  }
  return n;
}

function getObject(ctx: SimContext, ev: ScenarioEvent, kind: string, namespace: string, name: string): KObject {
  const o = ctx.store.get(kind, isClusterScoped(kind) ? undefined : namespace, name);
  if (!o) throw new ActionError(ev, `${kind} "${name}" not found${isClusterScoped(kind) ? '' : ` in namespace ${namespace}`}`);
  return o;
}

function check(ev: ScenarioEvent, r: ApiResult): KObject {
  if (!r.ok) throw new ActionError(ev, `the API server rejected it: ${r.error.message}`);
  return r.value;
}

function containerName(ev: ScenarioEvent, pod: KObject, given: string | undefined): string {
  if (given) {
    const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
    if (!all.some((c: { name: string }) => c.name === given)) {
      throw new ActionError(ev, `pod ${pod.metadata.name} has no container "${given}" (containers: ${all.map((c: { name: string }) => c.name).join(', ')})`);
    }
    return given;
  }
  const cs = pod.spec?.containers ?? [];
  if (cs.length !== 1) throw new ActionError(ev, `pod ${pod.metadata.name} has ${cs.length} containers; say which with "container"`);
  return cs[0].name as string;
}

/** Carries out one scenario event at the current instant. */
export function applyScenarioEvent(ctx: SimContext, ev: ScenarioEvent): void {
  const v = ev.value;
  ctx.trace.add('action', `${ev.action} ${summarize(ev)}`);
  switch (ev.action) {
    case 'nodeDown': {
      getNode(ctx, ev, v);
      if (!ctx.kubelets!.nodeDown(v)) ctx.trace.add('action', `node ${v} is already down: nothing to do`);
      return;
    }
    case 'nodeUp': {
      getNode(ctx, ev, v);
      if (!ctx.kubelets!.nodeUp(v)) ctx.trace.add('action', `node ${v} is already up: nothing to do`);
      return;
    }
    case 'cordon':
    case 'uncordon': {
      const node = getNode(ctx, ev, v);
      const want = ev.action === 'cordon';
      if (!!node.spec?.unschedulable === want) {
        ctx.trace.add('action', `node ${v} is already ${want ? 'cordoned' : 'uncordoned'}: nothing to do`);
        return;
      }
      check(ev, ctx.api.patch(node, (o) => {
        o.spec ??= {};
        if (want) o.spec.unschedulable = true; else delete o.spec.unschedulable;
      }));
      return;
    }
    case 'drain': {
      getNode(ctx, ev, v.node);
      startDrain(ctx, {
        node: v.node,
        ignoreDaemonSets: v.ignoreDaemonSets ?? true,
        deleteEmptyDirData: v.deleteEmptyDirData ?? false,
        force: v.force ?? false,
        timeoutMs: v.timeoutMs ?? 0,
      }, (outcome) => ctx.trace.add('drain', outcome.message, `Node ${v.node}`));
      return;
    }
    case 'probeFail': {
      const pod = resolvePod(ctx, ev, v.pod, ns(v));
      const c = containerName(ev, pod, v.container);
      ctx.kubelets!.probeFail(pod, c, v.probe, v.forMs === undefined ? undefined : ev.at + v.forMs);
      return;
    }
    case 'crash': {
      const pod = resolvePod(ctx, ev, v.pod, ns(v));
      const c = containerName(ev, pod, v.container);
      if (!ctx.kubelets!.crash(pod, c, v.exitCode ?? 1)) ctx.trace.add('action', `container ${c} of ${pod.metadata.name} is not running: nothing to do`);
      return;
    }
    case 'apply': {
      for (const { object, invalid } of ev.objects ?? []) check(ev, invalid !== undefined ? rejectedByValidation(invalid) : ctx.api.apply(object, 'kubectl apply'));
      return;
    }
    case 'delete': {
      const obj = getObject(ctx, ev, v.kind, ns(v), v.name);
      const cascade: string = v.cascade ?? 'background';
      const propagation: Propagation = cascade === 'foreground' ? 'Foreground' : cascade === 'orphan' ? 'Orphan' : 'Background';
      const opts: { propagation: Propagation; by: string; gracePeriodSeconds?: number } = { propagation, by: 'kubectl delete' };
      if (v.force) opts.gracePeriodSeconds = 0;
      check(ev, ctx.api.delete(obj, opts));
      return;
    }
    case 'scale': {
      const obj = getObject(ctx, ev, v.kind, ns(v), v.name);
      if (!['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'].includes(v.kind)) {
        throw new ActionError(ev, `${v.kind} cannot be scaled (kubectl scale takes Deployment, ReplicaSet, StatefulSet)`);
      }
      if (obj.spec?.replicas === v.replicas) {
        ctx.trace.add('action', `${v.kind} ${v.name} already has ${v.replicas} replicas: nothing to do`);
        return;
      }
      check(ev, ctx.api.patch(obj, (o) => { o.spec.replicas = v.replicas; }, 'kubectl scale'));
      return;
    }
    case 'setImage': {
      const obj = getObject(ctx, ev, v.kind, ns(v), v.name);
      const podSpec = obj.kind === 'Pod' ? obj.spec : obj.kind === 'CronJob' ? obj.spec?.jobTemplate?.spec?.template?.spec : obj.spec?.template?.spec;
      if (!podSpec) throw new ActionError(ev, `${v.kind} ${v.name} has no pod template`);
      const all = [...(podSpec.containers ?? []), ...(podSpec.initContainers ?? [])] as Array<{ name: string; image: string }>;
      const targets = v.container ? all.filter((c) => c.name === v.container) : (podSpec.containers ?? []);
      if (targets.length === 0) throw new ActionError(ev, `${v.kind} ${v.name} has no container "${v.container}" (containers: ${all.map((c) => c.name).join(', ')})`);
      const names = new Set(targets.map((c: { name: string }) => c.name));
      check(ev, ctx.api.patch(obj, (o) => {
        const ps = o.kind === 'Pod' ? o.spec : o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec;
        for (const c of [...(ps.containers ?? []), ...(ps.initContainers ?? [])]) if (names.has(c.name)) c.image = v.image;
      }, 'kubectl set image'));
      return;
    }
    case 'rollback': {
      getObject(ctx, ev, 'Deployment', ns(v), v.name);
      check(ev, rollbackDeployment(ctx, ns(v), v.name, v.toRevision));
      return;
    }
    case 'addNode': {
      for (const decl of ev.nodes ?? []) {
        if (ctx.store.get('Node', undefined, decl.name)) throw new ActionError(ev, `node "${decl.name}" already exists`);
        check(ev, ctx.api.create(nodeObject(decl), { by: 'addNode' }));
      }
      return;
    }
    case 'removeNode': {
      const node = getNode(ctx, ev, v);
      ctx.kubelets!.nodeDown(v);
      check(ev, ctx.api.delete(node, { by: 'removeNode' }));
      return;
    }
    case 'taint': {
      const node = getNode(ctx, ev, v.node);
      const taints: Array<{ key: string; value?: string; effect: string }> = node.spec?.taints ?? [];
      const existing = taints.find((t) => t.key === v.key && t.effect === v.effect);
      if (existing && (existing.value ?? '') === (v.value ?? '')) {
        ctx.trace.add('action', `node ${v.node} already has taint ${v.key}:${v.effect}: nothing to do`);
        return;
      }
      check(ev, ctx.api.patch(node, (o) => {
        o.spec ??= {};
        const list: Array<Record<string, unknown>> = (o.spec.taints ?? []).filter((t: { key: string; effect: string }) => !(t.key === v.key && t.effect === v.effect));
        const nt: Record<string, unknown> = { key: v.key, effect: v.effect };
        if (v.value !== undefined && v.value !== null) nt.value = String(v.value);
        if (v.effect === 'NoExecute') nt.timeAdded = toTime(ctx.now());
        list.push(nt);
        o.spec.taints = list;
      }, 'kubectl taint'));
      return;
    }
    case 'untaint': {
      const node = getNode(ctx, ev, v.node);
      const taints: Array<{ key: string; effect: string }> = node.spec?.taints ?? [];
      const keep = taints.filter((t) => !(t.key === v.key && (v.effect === undefined || t.effect === v.effect)));
      if (keep.length === taints.length) {
        ctx.trace.add('action', `node ${v.node} has no taint ${v.key}${v.effect ? ':' + v.effect : ''}: nothing to do`);
        return;
      }
      check(ev, ctx.api.patch(node, (o) => {
        if (keep.length) o.spec.taints = keep; else delete o.spec.taints;
      }, 'kubectl taint'));
      return;
    }
    case 'label': {
      const target = v.node !== undefined ? getNode(ctx, ev, v.node) : resolvePod(ctx, ev, v.pod, ns(v));
      const labels: Record<string, string | null> = v.labels ?? {};
      const cur = target.metadata.labels ?? {};
      const changes = Object.entries(labels).filter(([k, val]) => (val === null ? k in cur : cur[k] !== String(val)));
      if (changes.length === 0) {
        ctx.trace.add('action', 'labels already as asked: nothing to do');
        return;
      }
      check(ev, ctx.api.patch(target, (o) => {
        const l: Record<string, string> = { ...(o.metadata.labels ?? {}) };
        for (const [k, val] of changes) {
          if (val === null) delete l[k];
          else Object.defineProperty(l, k, { value: String(val), enumerable: true, writable: true, configurable: true });
        }
        o.metadata.labels = l;
      }, 'kubectl label'));
      return;
    }
    default: {
      const never: never = ev.action;
      throw new ActionError(ev, `unknown action ${String(never)}`);
    }
  }
}

function summarize(ev: ScenarioEvent): string {
  const v = ev.value;
  if (typeof v === 'string') return v;
  if (ev.action === 'apply') return (ev.objects ?? []).map((o) => `${o.object.kind}/${o.object.metadata?.name ?? o.object.metadata?.generateName ?? ''}`).join(', ');
  if (ev.action === 'addNode') return (ev.nodes ?? []).map((n) => n.name).join(', ');
  try { return JSON.stringify(v); } catch { return ''; }
}
