/**
 * The Endpoints controller (k/k pkg/controller/endpoint/endpoints_controller.go): for each Service with a
 * selector, an Endpoints object named after it listing the selected pods that have an IP, are not terminal
 * and not being deleted (ready pods in `addresses`, others in `notReadyAddresses`, all in `addresses` with
 * `publishNotReadyAddresses`), with the Service's labels (+ the 1.33+ managed-by label and the headless label).
 */
import type { SimContext } from '../context.js';
import type { KObject } from '../../k8s/types.js';
import { selectorMatches } from '../../k8s/match.js';
import { deepEqual } from '../../k8s/util.js';
import { toTime } from '../../k8s/time.js';
import { WorkQueue, isPodReady, isPodTerminal, keyOf, splitKey } from './common.js';

const COMPONENT = 'endpoint-controller';
/** Label of Endpoints written by this controller (1.33+). */
export const ENDPOINTS_MANAGED_BY = 'endpoints.kubernetes.io/managed-by';
/** Annotation with the time of the last pod change that triggered a sync. */
export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
/** Label of headless Services' endpoints. */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

/** Queues every Service of a pod's namespace whose selector matches the pod (old or new labels). */
export function watchServicePods(ctx: SimContext, queue: WorkQueue): void {
  const lastLabels = new Map<string, Record<string, string> | undefined>();
  // Copies are never written, so pods with the same labels (a ReplicaSet's, created one after another)
  // share the last one made.
  let lastCopy: Record<string, string> | undefined;
  ctx.store.watch('Service', (_t, svc) => queue.add(keyOf(svc)));
  ctx.store.watch('Pod', (type, pod) => {
    const uid = pod.metadata.uid!;
    const prev = lastLabels.get(uid);
    if (type === 'DELETED') lastLabels.delete(uid);
    else {
      // A copy of the labels as they are now (the previous copy when they did not change).
      const labels: Record<string, string> | undefined = pod.metadata.labels;
      if (!labels) lastLabels.set(uid, undefined);
      else if (!(prev && sameLabels(prev, labels))) {
        if (!(lastCopy && sameLabels(lastCopy, labels))) lastCopy = { ...labels };
        lastLabels.set(uid, lastCopy);
      }
    }
    const ns = pod.metadata.namespace;
    for (const svc of ctx.store.values('Service')) {
      if (ns !== undefined && svc.metadata.namespace !== ns) continue;
      const sel = svc.spec?.selector;
      if (!sel || Object.keys(sel).length === 0) continue;
      if (selectorMatches({ matchLabels: sel }, pod.metadata.labels) || (prev && selectorMatches({ matchLabels: sel }, prev))) queue.add(keyOf(svc));
    }
  });
}

/** Whether two label maps hold the same keys and values. */
function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  let n = 0;
  for (const k in b) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) continue;
    if (!Object.prototype.hasOwnProperty.call(a, k) || a[k] !== b[k]) return false;
    n++;
  }
  let m = 0;
  for (const k in a) if (Object.prototype.hasOwnProperty.call(a, k)) m++;
  return n === m;
}

/** The pods a Service selects (a scan of its namespace). */
export function servicePods(ctx: SimContext, svc: KObject): KObject[] {
  const sel: Record<string, string> | undefined = svc.spec?.selector;
  if (!sel || Object.keys(sel).length === 0) return [];
  return ctx.store.list('Pod', svc.metadata.namespace).filter((p) => selectorMatches({ matchLabels: sel }, p.metadata.labels));
}

/** FindPort (k/k pkg/api/v1/pod): a numeric targetPort, or the named container port. */
export function findPort(pod: KObject, port: Record<string, any>): number | undefined {
  const tp = port.targetPort ?? port.port;
  if (typeof tp === 'number') return tp;
  if (/^\d+$/.test(String(tp))) return Number(tp);
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])] as any[]) {
    for (const cp of c.ports ?? []) if (cp.name === tp && (cp.protocol ?? 'TCP') === (port.protocol ?? 'TCP')) return cp.containerPort;
  }
  return undefined;
}

/** Labels of generated endpoint objects: the Service's plus `extra`, plus the headless label. */
export function endpointLabels(svc: KObject, extra: Record<string, string>): Record<string, string> {
  const l: Record<string, string> = { ...(svc.metadata.labels ?? {}), ...extra };
  if (svc.spec?.clusterIP === 'None') l[HEADLESS_LABEL] = '';
  return l;
}

function compareIp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Starts the Endpoints controller. */
export function startEndpointsController(ctx: SimContext): WorkQueue {
  const queue = new WorkQueue(ctx, COMPONENT, (key) => syncEndpoints(ctx, key), { endOfInstant: true });
  watchServicePods(ctx, queue);
  return queue;
}

/** Reconciles the Endpoints of one Service. */
export function syncEndpoints(ctx: SimContext, key: string): void {
  const { namespace, name } = splitKey(key);
  const svc = ctx.store.get('Service', namespace, name);
  const ep = ctx.store.get('Endpoints', namespace, name);
  if (!svc) {
    if (ep) ctx.api.delete(ep, { by: COMPONENT });
    return;
  }
  const sel = svc.spec?.selector;
  if (!sel || Object.keys(sel).length === 0 || svc.spec?.type === 'ExternalName') return;
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, { ports: any[]; addresses: any[]; notReadyAddresses: any[] }>();
  let total = 0;
  for (const pod of servicePods(ctx, svc)) {
    const ip: string | undefined = pod.status?.podIP;
    // ShouldPodBeInEndpoints(pod, includeTerminating = publishNotReadyAddresses)
    if (!ip || isPodTerminal(pod) || (pod.metadata.deletionTimestamp && !publishNotReady)) continue;
    if (total >= ctx.defaults.maxEndpointsPerEndpoints) break;
    total++;
    const addr: Record<string, any> = { ip };
    if (pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name) addr.hostname = pod.spec.hostname;
    if (pod.spec?.nodeName) addr.nodeName = pod.spec.nodeName;
    addr.targetRef = { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid };
    const ports: any[] = [];
    for (const sp of (svc.spec?.ports ?? []) as any[]) {
      const p = findPort(pod, sp);
      if (p === undefined) continue;
      const ep: Record<string, any> = {};
      if (sp.name) ep.name = sp.name;
      ep.port = p;
      ep.protocol = sp.protocol ?? 'TCP';
      if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
      ports.push(ep);
    }
    if (!(svc.spec?.ports ?? []).length && svc.spec?.clusterIP !== 'None') continue;
    const k = JSON.stringify(ports);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { ports, addresses: [], notReadyAddresses: [] }));
    if (publishNotReady || isPodReady(pod)) g.addresses.push(addr);
    else g.notReadyAddresses.push(addr);
  }
  const subsets: any[] = [];
  for (const g of groups.values()) {
    const s: Record<string, any> = {};
    if (g.addresses.length) s.addresses = g.addresses.sort((a, b) => compareIp(a.ip, b.ip));
    if (g.notReadyAddresses.length) s.notReadyAddresses = g.notReadyAddresses.sort((a, b) => compareIp(a.ip, b.ip));
    if (g.ports.length) s.ports = g.ports;
    subsets.push(s);
  }
  const labels = endpointLabels(svc, ctx.defaults.endpointsManagedByLabel ? { [ENDPOINTS_MANAGED_BY]: COMPONENT } : {});
  if (!ep) {
    const obj: KObject = {
      apiVersion: 'v1', kind: 'Endpoints',
      metadata: { name, namespace, labels, annotations: { [LAST_CHANGE_TRIGGER_TIME]: svc.metadata.creationTimestamp ?? toTime(ctx.now()) } },
    };
    if (subsets.length) obj.subsets = subsets;
    ctx.api.create(obj, { by: COMPONENT });
    return;
  }
  const cur = ep.subsets ?? [];
  if (deepEqual(cur, subsets) && deepEqual(ep.metadata.labels ?? {}, labels)) return;
  if (subsets.length) ep.subsets = subsets;
  else delete ep.subsets;
  ep.metadata.labels = labels;
  ep.metadata.annotations = { ...(ep.metadata.annotations ?? {}), [LAST_CHANGE_TRIGGER_TIME]: toTime(ctx.now()) };
  ctx.store.update(ep);
}
