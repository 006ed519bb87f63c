/**
 * ConfigMap, Secret and PersistentVolumeClaim presence gating of pod start, as the kubelet checks it before
 * creating containers (k/k pkg/kubelet/kubelet_pods.go makeEnvironmentVariables, volume manager): the
 * kubelet calls `missingPodDependencies` and keeps the pod waiting with these messages.
 */
import type { SimContext } from '../context.js';
import type { KObject } from '../../k8s/types.js';

/**
 * What a pod still lacks to start, in the kubelet's words: `configmap "x" not found`, `secret "x" not found`,
 * `persistentvolumeclaim "x" not found`, `persistentvolumeclaim "x" not bound`. Optional references are skipped.
 * Empty when the pod can start.
 */
export function missingPodDependencies(ctx: SimContext, pod: KObject): string[] {
  const ns = pod.metadata.namespace ?? 'default';
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (m: string) => { if (!seen.has(m)) { seen.add(m); out.push(m); } };
  const cm = (name: string | undefined, optional: unknown) => {
    if (!name || optional === true) return;
    if (!ctx.store.get('ConfigMap', ns, name)) add(ctx.msg.configMapNotFound(name));
  };
  const secret = (name: string | undefined, optional: unknown) => {
    if (!name || optional === true) return;
    if (!ctx.store.get('Secret', ns, name)) add(ctx.msg.secretNotFound(name));
  };
  for (const v of (pod.spec?.volumes ?? []) as any[]) {
    if (v.configMap) cm(v.configMap.name, v.configMap.optional);
    if (v.secret) secret(v.secret.secretName, v.secret.optional);
    for (const src of (v.projected?.sources ?? []) as any[]) {
      if (src.configMap) cm(src.configMap.name, src.configMap.optional);
      if (src.secret) secret(src.secret.name, src.secret.optional);
    }
    const claim: string | undefined = v.persistentVolumeClaim?.claimName;
    if (claim) {
      const pvc = ctx.store.get('PersistentVolumeClaim', ns, claim);
      if (!pvc) add(ctx.msg.pvcNotFound(claim));
      else if (pvc.status?.phase !== 'Bound' && !pvc.spec?.volumeName) add(ctx.msg.pvcNotBound(claim));
    }
  }
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])] as any[];
  for (const c of containers) {
    for (const e of (c.env ?? []) as any[]) {
      const vf = e.valueFrom;
      if (vf?.configMapKeyRef) cm(vf.configMapKeyRef.name, vf.configMapKeyRef.optional);
      if (vf?.secretKeyRef) secret(vf.secretKeyRef.name, vf.secretKeyRef.optional);
    }
    for (const e of (c.envFrom ?? []) as any[]) {
      if (e.configMapRef) cm(e.configMapRef.name, e.configMapRef.optional);
      if (e.secretRef) secret(e.secretRef.name, e.secretRef.optional);
    }
  }
  return out;
}
