/**
 * Pod resource arithmetic shared by the scheduler, the kubelet and admission: effective requests
 * (max(sum of app containers + sidecars, largest init container) + overhead), the scheduler's non-zero
 * requests, and the QoS class (k/k pkg/apis/core/v1/helper/qos).
 */
import type { KObject } from './types.js';
import { milliValue, value } from './quantity.js';

/** Resource amounts: cpu in millicores, everything else in whole units (bytes, count). */
export type ResourceList = Record<string, number>;

/** Whether a resource is measured in milli-units (cpu). */
export function isMilliResource(name: string): boolean {
  return name === 'cpu';
}

/** Converts a `{cpu: "500m", memory: "1Gi"}` map into amounts (cpu millicores, others whole units). */
export function toResourceList(q: Record<string, unknown> | undefined): ResourceList {
  const out: ResourceList = {};
  for (const [k, v] of Object.entries(q ?? {})) out[k] = isMilliResource(k) ? milliValue(v) : value(v);
  return out;
}

function addInto(a: ResourceList, b: ResourceList): void {
  for (const [k, v] of Object.entries(b)) a[k] = (a[k] ?? 0) + v;
}

function maxInto(a: ResourceList, b: ResourceList): void {
  for (const [k, v] of Object.entries(b)) a[k] = Math.max(a[k] ?? 0, v);
}

function containerRequests(c: Record<string, any>): ResourceList {
  // API defaulting copies limits into missing requests; do the same for objects not yet defaulted.
  const req = toResourceList(c.resources?.requests);
  const lim = toResourceList(c.resources?.limits);
  for (const [k, v] of Object.entries(lim)) if (req[k] === undefined) req[k] = v;
  return req;
}

/**
 * The pod's effective request (k/k pkg/api/v1/resource PodRequests): sidecars add to the running total,
 * an ordinary init container needs its own request on top of the sidecars started before it.
 */
export function podRequests(pod: KObject, opts: { podLevelResources?: boolean } = {}): ResourceList {
  const spec = pod.spec ?? {};
  if (opts.podLevelResources && spec.resources?.requests) {
    const r = toResourceList(spec.resources.requests);
    addInto(r, toResourceList(spec.overhead));
    return r;
  }
  const apps: ResourceList = {};
  for (const c of spec.containers ?? []) addInto(apps, containerRequests(c));
  const sidecars: ResourceList = {};
  const initMax: ResourceList = {};
  for (const c of spec.initContainers ?? []) {
    const r = containerRequests(c);
    if (c.restartPolicy === 'Always') {
      addInto(sidecars, r);
      addInto(apps, r);
    } else {
      const need = { ...r };
      addInto(need, sidecars);
      maxInto(initMax, need);
    }
  }
  const total = { ...apps };
  maxInto(total, initMax);
  addInto(total, toResourceList(spec.overhead));
  return total;
}

/**
 * The scheduler's non-zero requests for scoring: a container missing a cpu or memory request counts as
 * `defaultMilliCPU` / `defaultMemory` (k/k pkg/scheduler/util GetNonzeroRequests).
 */
export function podNonZeroRequests(pod: KObject, defaultMilliCPU: number, defaultMemory: number): { cpu: number; memory: number } {
  const spec = pod.spec ?? {};
  const nz = (c: Record<string, any>) => {
    const r = containerRequests(c);
    return { cpu: r.cpu ?? defaultMilliCPU, memory: r.memory ?? defaultMemory };
  };
  let cpu = 0, memory = 0, sideCpu = 0, sideMem = 0, initCpu = 0, initMem = 0;
  for (const c of spec.containers ?? []) { const r = nz(c); cpu += r.cpu; memory += r.memory; }
  for (const c of spec.initContainers ?? []) {
    const r = nz(c);
    if (c.restartPolicy === 'Always') { sideCpu += r.cpu; sideMem += r.memory; cpu += r.cpu; memory += r.memory; }
    else { initCpu = Math.max(initCpu, r.cpu + sideCpu); initMem = Math.max(initMem, r.memory + sideMem); }
  }
  const o = toResourceList(spec.overhead);
  return { cpu: Math.max(cpu, initCpu) + (o.cpu ?? 0), memory: Math.max(memory, initMem) + (o.memory ?? 0) };
}

/**
 * The pod's QoS class (k/k pkg/apis/core/v1/helper/qos ComputePodQOS): only cpu and memory quantities above
 * zero count; requests and limits are summed over the containers and init containers (or taken from the
 * pod-level `resources` when set); Guaranteed needs every container (or the pod level) to limit both cpu and
 * memory and the summed requests to equal the summed limits; nothing counted is BestEffort.
 */
export function qosClass(pod: KObject): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const spec = pod.spec ?? {};
  const requests: ResourceList = {}, limits: ResourceList = {};
  let guaranteed = true;
  const take = (res: Record<string, any> | undefined) => {
    const r = toResourceList(res?.requests), l = toResourceList(res?.limits);
    for (const k of ['cpu', 'memory']) if ((r[k] ?? 0) > 0) requests[k] = (requests[k] ?? 0) + r[k]!;
    let found = 0;
    for (const k of ['cpu', 'memory']) if ((l[k] ?? 0) > 0) { limits[k] = (limits[k] ?? 0) + l[k]!; found++; }
    if (found < 2) guaranteed = false;
  };
  const podLevel = spec.resources;
  if (podLevel && typeof podLevel === 'object') {
    const r = toResourceList(podLevel.requests);
    for (const k of ['cpu', 'memory']) if ((r[k] ?? 0) > 0) requests[k] = r[k]!;
    if (podLevel.limits && Object.keys(podLevel.limits).length > 0) {
      const l = toResourceList(podLevel.limits);
      let found = 0;
      for (const k of ['cpu', 'memory']) if ((l[k] ?? 0) > 0) { limits[k] = l[k]!; found++; }
      if (found < 2) guaranteed = false;
    }
  } else {
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) take(c.resources);
  }
  const nReq = Object.keys(requests).length, nLim = Object.keys(limits).length;
  if (nReq === 0 && nLim === 0) return 'BestEffort';
  if (guaranteed) for (const k of Object.keys(requests)) if (limits[k] !== requests[k]) { guaranteed = false; break; }
  return guaranteed && nReq === nLim ? 'Guaranteed' : 'Burstable';
}
