/**
 * The EndpointSlice controller (staging k8s.io/endpointslice reconciler.go, utils.go): for each Service with
 * a selector, IPv4 slices of at most 100 endpoints named `<svc>-<5 chars>` and owned by the Service; terminating
 * pods stay listed with ready=false (true under publishNotReadyAddresses), serving = readiness, terminating=true;
 * with no listable pod, exactly one
 * placeholder slice with `endpoints: null` and `ports: null`.
 */
import type { SimContext } from '../context.js';
import type { KObject } from '../../k8s/types.js';
import { deepEqual } from '../../k8s/util.js';
import { toTime } from '../../k8s/time.js';
import { WorkQueue, controllerRef, getControllerOf, isPodReady, isPodTerminal, splitKey } from './common.js';
import { endpointLabels, findPort, servicePods, watchServicePods, LAST_CHANGE_TRIGGER_TIME } from './endpoints.js';

const COMPONENT = 'endpointslice-controller';
/** managed-by label value of this controller. */
export const SLICE_MANAGED_BY = 'endpointslice-controller.k8s.io';
/** Label naming a slice's Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** Starts the EndpointSlice controller. */
export function startEndpointSliceController(ctx: SimContext): WorkQueue {
  const queue = new WorkQueue(ctx, COMPONENT, (key) => syncEndpointSlices(ctx, key), { endOfInstant: true });
  watchServicePods(ctx, queue);
  return queue;
}

function isPlaceholder(s: KObject): boolean {
  return s.endpoints === null || s.endpoints === undefined || (Array.isArray(s.endpoints) && s.endpoints.length === 0);
}

/** Reconciles the EndpointSlices of one Service. */
export function syncEndpointSlices(ctx: SimContext, key: string): void {
  const { namespace, name } = splitKey(key);
  const svc = ctx.store.get('Service', namespace, name);
  if (!svc) return; // the garbage collector removes owned slices
  const sel = svc.spec?.selector;
  if (!sel || Object.keys(sel).length === 0 || svc.spec?.type === 'ExternalName') return;
  const existing = ctx.store.dependents(svc.metadata.uid!).filter((o) => o.kind === 'EndpointSlice' && getControllerOf(o)?.uid === svc.metadata.uid && !o.metadata.deletionTimestamp);
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const byPorts = new Map<string, { ports: any[]; endpoints: any[] }>();
  for (const pod of servicePods(ctx, svc)) {
    const ip: string | undefined = pod.status?.podIP;
    if (!ip || isPodTerminal(pod)) continue;
    // podToEndpoint: serving is the pod's readiness; ready is publishNotReadyAddresses or (serving and not
    // terminating) ("ready should never be true if a pod is terminating, unless publishNotReadyAddresses").
    const terminating = !!pod.metadata.deletionTimestamp;
    const serving = isPodReady(pod);
    const ep: Record<string, any> = {
      addresses: [ip],
      conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
    };
    if (pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name) ep.hostname = pod.spec.hostname;
    if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
    ep.targetRef = { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid };
    const zone = pod.spec?.nodeName ? ctx.store.get('Node', undefined, pod.spec.nodeName)?.metadata.labels?.['topology.kubernetes.io/zone'] : undefined;
    if (zone) ep.zone = zone;
    const ports: any[] = [];
    for (const sp of (svc.spec?.ports ?? []) as any[]) {
      const p = findPort(pod, sp);
      if (p === undefined) continue;
      const x: Record<string, any> = { name: sp.name ?? '', port: p, protocol: sp.protocol ?? 'TCP' };
      if (sp.appProtocol) x.appProtocol = sp.appProtocol;
      ports.push(x);
    }
    const k = JSON.stringify(ports);
    let g = byPorts.get(k);
    if (!g) byPorts.set(k, (g = { ports, endpoints: [] }));
    g.endpoints.push(ep);
  }
  const desired: Array<{ ports: any[] | null; endpoints: any[] | null }> = [];
  const max = ctx.defaults.maxEndpointsPerSlice;
  for (const g of byPorts.values()) {
    for (let i = 0; i < g.endpoints.length; i += max) desired.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + max) });
  }
  const labels = endpointLabels(svc, { [SERVICE_NAME_LABEL]: svc.metadata.name, 'endpointslice.kubernetes.io/managed-by': SLICE_MANAGED_BY });
  const create = (d: { ports: any[] | null; endpoints: any[] | null }) => {
    const s: KObject = {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: {
        name: '', generateName: `${svc.metadata.name}-`, namespace, labels: { ...labels },
        annotations: { [LAST_CHANGE_TRIGGER_TIME]: svc.metadata.creationTimestamp ?? toTime(ctx.now()) },
        ownerReferences: [controllerRef(svc)],
      },
      addressType: 'IPv4',
      endpoints: d.endpoints,
      ports: d.ports,
    };
    ctx.api.create(s, { by: COMPONENT });
  };
  if (desired.length === 0) {
    const ph = existing.filter(isPlaceholder);
    if (ph.length === 1 && existing.length === 1) {
      if (!deepEqual(ph[0]!.metadata.labels ?? {}, labels)) { ph[0]!.metadata.labels = { ...labels }; ctx.store.update(ph[0]!); }
      return;
    }
    for (const s of existing) ctx.api.delete(s, { by: COMPONENT });
    create({ ports: null, endpoints: null });
    return;
  }
  const real = existing.filter((s) => !isPlaceholder(s));
  for (const s of existing) if (isPlaceholder(s)) ctx.api.delete(s, { by: COMPONENT });
  for (let i = 0; i < desired.length; i++) {
    const d = desired[i]!;
    const s = real[i];
    if (!s) { create(d); continue; }
    if (deepEqual(s.endpoints, d.endpoints) && deepEqual(s.ports, d.ports) && deepEqual(s.metadata.labels ?? {}, labels)) continue;
    s.endpoints = d.endpoints;
    s.ports = d.ports;
    s.metadata.labels = { ...labels };
    s.metadata.annotations = { ...(s.metadata.annotations ?? {}), [LAST_CHANGE_TRIGGER_TIME]: toTime(ctx.now()) };
    ctx.store.update(s);
  }
  for (const s of real.slice(desired.length)) ctx.api.delete(s, { by: COMPONENT });
}
