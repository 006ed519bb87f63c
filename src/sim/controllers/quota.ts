/**
 * LimitRange and ResourceQuota admission (plugin/pkg/admission/limitranger, resourcequota) and the resource
 * quota controller's status (k/k pkg/controller/resourcequota): LimitRange defaults (limits, requests) applied to
 * new pods' containers with the `kubernetes.io/limit-ranger` annotation, min/max checks; quota `hard` against
 * `used` for pods, compute requests/limits, object counts and storage, with upstream error texts.
 */
import type { SimContext } from '../context.js';
import type { KObject } from '../../k8s/types.js';
import { resourceOf, type ApiError } from '../apiserver.js';
import { parseQuantity } from '../../k8s/quantity.js';
import { deepEqual } from '../../k8s/util.js';
import { WorkQueue, isPodTerminal, keyOf, splitKey } from './common.js';

const COMPONENT = 'resourcequota-controller';
const COMPUTE = ['cpu', 'memory', 'ephemeral-storage'];
const KIND_RESOURCE: Readonly<Record<string, string>> = {
  Pod: 'pods', Service: 'services', ConfigMap: 'configmaps', Secret: 'secrets', PersistentVolumeClaim: 'persistentvolumeclaims',
  ReplicationController: 'replicationcontrollers', ResourceQuota: 'resourcequotas',
};
const COUNT_NAME: Readonly<Record<string, string>> = {
  Pod: 'pods', Service: 'services', ConfigMap: 'configmaps', Secret: 'secrets', PersistentVolumeClaim: 'persistentvolumeclaims',
  Deployment: 'deployments.apps', ReplicaSet: 'replicasets.apps', StatefulSet: 'statefulsets.apps', DaemonSet: 'daemonsets.apps',
  Job: 'jobs.batch', CronJob: 'cronjobs.batch', ReplicationController: 'replicationcontrollers', ResourceQuota: 'resourcequotas',
};

/** Amount of a quantity in the unit used for comparisons (milli for cpu, base units otherwise). */
function amount(resource: string, q: unknown): number {
  const v = parseQuantity(q) ?? 0;
  return resource.endsWith('cpu') ? Math.round(v * 1000) : v;
}

/** Renders an amount as a canonical quantity (`500m`, `2`, `1Gi`). */
export function formatAmount(resource: string, v: number): string {
  if (resource.endsWith('cpu')) return v % 1000 === 0 ? String(v / 1000) : `${v}m`;
  if (/memory|storage/.test(resource)) {
    const units: Array<[string, number]> = [['Ei', 2 ** 60], ['Pi', 2 ** 50], ['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];
    for (const [u, n] of units) if (v !== 0 && v % n === 0) return `${v / n}${u}`;
    return String(v);
  }
  return String(v);
}

function containerValue(c: any, field: 'requests' | 'limits', r: string): number | undefined {
  const q = c.resources?.[field]?.[r] ?? (field === 'requests' ? c.resources?.limits?.[r] : undefined);
  return q === undefined ? undefined : amount(r, q);
}

/** The usage an object adds to a namespace, by quota resource name. */
export function usageOf(obj: KObject): Record<string, number> {
  const u: Record<string, number> = {};
  const add = (k: string, v: number) => { u[k] = (u[k] ?? 0) + v; };
  const countName = COUNT_NAME[obj.kind];
  if (countName) add(`count/${countName}`, 1);
  const res = KIND_RESOURCE[obj.kind];
  if (res) add(res, 1);
  if (obj.kind === 'Pod') {
    if (isPodTerminal(obj)) return {};
    const containers: any[] = obj.spec?.containers ?? [];
    const inits: any[] = obj.spec?.initContainers ?? [];
    for (const field of ['requests', 'limits'] as const) {
      for (const r of COMPUTE) {
        let total = 0, any = false;
        for (const c of containers) { const v = containerValue(c, field, r); if (v !== undefined) { total += v; any = true; } }
        for (const c of inits) { const v = containerValue(c, field, r); if (v !== undefined) { total = Math.max(total, v); any = true; } }
        if (!any) continue;
        add(`${field}.${r}`, total);
        if (field === 'requests') add(r, total);
      }
    }
  } else if (obj.kind === 'Service') {
    const type = obj.spec?.type ?? 'ClusterIP';
    if (type === 'NodePort' || type === 'LoadBalancer') add('services.nodeports', (obj.spec?.ports ?? []).length);
    if (type === 'LoadBalancer') add('services.loadbalancers', 1);
  } else if (obj.kind === 'PersistentVolumeClaim') {
    const s = obj.spec?.resources?.requests?.storage;
    if (s !== undefined) {
      add('requests.storage', amount('storage', s));
      const sc = obj.spec?.storageClassName;
      if (sc) {
        add(`${sc}.storageclass.storage.k8s.io/requests.storage`, amount('storage', s));
        add(`${sc}.storageclass.storage.k8s.io/persistentvolumeclaims`, 1);
      }
    }
  }
  return u;
}

function namespaceUsage(ctx: SimContext, ns: string, resources: string[]): Record<string, number> {
  const used: Record<string, number> = {};
  for (const r of resources) used[r] = 0;
  const kinds = new Set<string>(['Pod', 'Service', 'ConfigMap', 'Secret', 'PersistentVolumeClaim', 'ReplicationController', 'ResourceQuota']);
  for (const r of resources) {
    const m = /^count\/(.+)$/.exec(r);
    if (m) for (const [k, v] of Object.entries(COUNT_NAME)) if (v === m[1]) kinds.add(k);
  }
  for (const kind of kinds) {
    for (const o of ctx.store.list(kind, ns)) {
      if (kind === 'Pod' && o.metadata.deletionTimestamp) continue;
      for (const [k, v] of Object.entries(usageOf(o))) if (k in used) used[k] = used[k]! + v;
    }
  }
  return used;
}

const joinKV = (m: Array<[string, string]>) => m.map(([k, v]) => `${k}=${v}`).join(',');

function checkQuota(ctx: SimContext, obj: KObject): ApiError | undefined {
  const ns = obj.metadata.namespace ?? 'default';
  const quotas = ctx.store.list('ResourceQuota', ns);
  if (!quotas.length) return undefined;
  const res = resourceOf(obj.kind);
  const delta = usageOf(obj);
  for (const q of quotas) {
    const hard: Record<string, unknown> = q.spec?.hard ?? {};
    const names = Object.keys(hard).sort();
    // must specify: a pod without requests/limits a quota constrains.
    if (obj.kind === 'Pod') {
      const missing: string[] = [];
      for (const r of names) {
        const mm = /^(requests|limits)\.(cpu|memory|ephemeral-storage)$/.exec(r) ?? (/^(cpu|memory|ephemeral-storage)$/.test(r) ? [r, 'requests', r] : null);
        if (!mm) continue;
        const field = mm[1] as 'requests' | 'limits';
        const rr = mm[2]!;
        const lacking = ((obj.spec?.containers ?? []) as any[]).filter((c) => containerValue(c, field, rr) === undefined).map((c) => c.name);
        if (lacking.length) missing.push(`${r} for: ${lacking.join(',')}`);
      }
      if (missing.length) {
        return { code: 403, reason: 'Forbidden', message: `${res} "${obj.metadata.name}" is forbidden: failed quota: ${q.metadata.name}: must specify ${missing.join('; ')}` };
      }
    }
    const relevant = names.filter((r) => delta[r] !== undefined);
    if (!relevant.length) continue;
    const used = namespaceUsage(ctx, ns, relevant);
    const failed = relevant.filter((r) => used[r]! + delta[r]! > amount(r, hard[r]));
    if (failed.length) {
      const req = joinKV(failed.map((r) => [r, formatAmount(r, delta[r]!)]));
      const u = joinKV(failed.map((r) => [r, formatAmount(r, used[r]!)]));
      const lim = joinKV(failed.map((r) => [r, formatAmount(r, amount(r, hard[r]))]));
      return { code: 403, reason: 'Forbidden', message: `${res} "${obj.metadata.name}" is forbidden: exceeded quota: ${q.metadata.name}, requested: ${req}, used: ${u}, limited: ${lim}` };
    }
  }
  return undefined;
}

/** LimitRanger: defaults and min/max per Container (and Pod) on pod creation. */
function applyLimitRanges(ctx: SimContext, pod: KObject): ApiError | undefined {
  const ranges = ctx.store.list('LimitRange', pod.metadata.namespace);
  if (!ranges.length) return undefined;
  const setReq = new Map<string, string[]>(), setLim = new Map<string, string[]>();
  const errors: string[] = [];
  for (const lr of ranges) {
    for (const item of (lr.spec?.limits ?? []) as any[]) {
      if ((item.type ?? 'Container') !== 'Container') continue;
      const def: Record<string, unknown> = item.default ?? item.max ?? {};
      const defReq: Record<string, unknown> = item.defaultRequest ?? item.default ?? item.max ?? {};
      for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])] as any[]) {
        c.resources ??= {};
        for (const [r, q] of Object.entries(def)) {
          if (c.resources.limits?.[r] !== undefined) continue;
          c.resources.limits = { ...(c.resources.limits ?? {}), [r]: q };
          setLim.set(c.name, [...(setLim.get(c.name) ?? []), r]);
        }
        for (const [r, q] of Object.entries(defReq)) {
          if (c.resources.requests?.[r] !== undefined) continue;
          c.resources.requests = { ...(c.resources.requests ?? {}), [r]: c.resources.limits?.[r] !== undefined && !item.defaultRequest ? c.resources.limits[r] : q };
          setReq.set(c.name, [...(setReq.get(c.name) ?? []), r]);
        }
        for (const [r, q] of Object.entries((item.min ?? {}) as Record<string, unknown>)) {
          const v = containerValue(c, 'requests', r);
          if (v !== undefined && v < amount(r, q)) errors.push(`minimum ${r} usage per Container is ${String(q)}, but request is ${formatAmount(r, v)}`);
        }
        for (const [r, q] of Object.entries((item.max ?? {}) as Record<string, unknown>)) {
          const v = containerValue(c, 'limits', r);
          if (v !== undefined && v > amount(r, q)) errors.push(`maximum ${r} usage per Container is ${String(q)}, but limit is ${formatAmount(r, v)}`);
        }
      }
    }
  }
  if (errors.length) {
    const body = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
    return { code: 403, reason: 'Forbidden', message: `pods "${pod.metadata.name}" is forbidden: ${body}` };
  }
  const parts: string[] = [];
  for (const [c, rs] of setReq) parts.push(`${rs.join(', ')} request for container ${c}`);
  for (const [c, rs] of setLim) parts.push(`${rs.join(', ')} limit for container ${c}`);
  if (parts.length) {
    pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), 'kubernetes.io/limit-ranger': `LimitRanger plugin set: ${parts.join('; ')}` };
  }
  return undefined;
}

/** Installs LimitRanger and ResourceQuota admission and starts the quota status controller. */
export function startQuotaControllers(ctx: SimContext): WorkQueue {
  ctx.api.registerAdmission((op, obj) => {
    if (op !== 'create' || !obj.metadata.namespace) return undefined;
    if (obj.kind === 'Pod') {
      const e = applyLimitRanges(ctx, obj);
      if (e) return e;
    }
    return checkQuota(ctx, obj);
  });
  const queue = new WorkQueue(ctx, COMPONENT, (key) => syncQuota(ctx, key), { endOfInstant: true });
  ctx.store.watch('ResourceQuota', (_t, q) => queue.add(keyOf(q)));
  ctx.store.watch('*', (_t, o) => {
    if (ctx.store.count('ResourceQuota') === 0) return;
    if (!o.metadata.namespace || o.kind === 'ResourceQuota' || (!COUNT_NAME[o.kind] && !KIND_RESOURCE[o.kind])) return;
    for (const q of ctx.store.list('ResourceQuota', o.metadata.namespace)) queue.add(keyOf(q));
  });
  return queue;
}

/** Recomputes a quota's status (hard, used). */
export function syncQuota(ctx: SimContext, key: string): void {
  const { namespace, name } = splitKey(key);
  const q = ctx.store.get('ResourceQuota', namespace, name);
  if (!q) return;
  const hard: Record<string, unknown> = q.spec?.hard ?? {};
  const names = Object.keys(hard).sort();
  const used = namespaceUsage(ctx, namespace ?? 'default', names);
  const st = {
    hard: Object.fromEntries(names.map((r) => [r, hard[r]])),
    used: Object.fromEntries(names.map((r) => [r, formatAmount(r, used[r] ?? 0)])),
  };
  if (!deepEqual(q.status ?? {}, st)) {
    q.status = st;
    ctx.store.update(q);
  }
}
