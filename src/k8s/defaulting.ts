/**
 * API-server defaulting for the simulated kinds (k/k pkg/apis/<group>/v1/defaults.go), applied to every object
 * the simulated API server creates or updates, whether it comes from a scenario or a controller.
 * OWNER: k8s-objects helper — this first cut covers Pod basics only.
 */
import type { KObject } from './types.js';
import type { Defaults } from '../sim/defaults.js';

/** Applies defaults in place. */
export function defaultObject(obj: KObject, d: Defaults): void {
  if (obj.kind === 'Pod') defaultPodSpec(obj.spec ?? (obj.spec = {}), d);
}

/** Defaults a PodSpec in place (also used for templates). */
export function defaultPodSpec(spec: Record<string, any>, d: Defaults): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= d.terminationGracePeriodSeconds;
  spec.schedulerName ??= 'default-scheduler';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    const img: string = c.image ?? '';
    const tagless = !/:[^/]+$/.test(img.split('@')[0] ?? '') && !img.includes('@');
    c.imagePullPolicy ??= tagless || img.endsWith(':latest') ? 'Always' : 'IfNotPresent';
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.resources ??= {};
  }
}
