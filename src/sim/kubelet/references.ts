/**
 * What the kubelet reads from ConfigMaps and Secrets before a pod's containers start: volume SetUp (the volume
 * manager's mounts, which SyncPod waits for) and image pull secrets (FailedToRetrieveImagePullSecret). The
 * environment (`env`, `envFrom`) is not read: the scenario format lists `env` among the fields with no bearing
 * on the simulation.
 */
import type { SimContext } from '../context.js';
import type { KObject } from '../../k8s/types.js';

/**
 * The root CA bundle the root-ca-cert-publisher controller keeps in every namespace: the `kube-api-access-*`
 * projected volume of a pod copied from a real cluster names it. It is not stored, but counts as present.
 */
const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';

type Ref = { name?: string; optional?: boolean; items?: Array<{ key?: string }> };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** The keys of a ConfigMap (`data`, `binaryData`) or a Secret (`data`; the API server merged `stringData` into it). */
function hasKey(obj: KObject, key: string): boolean {
  const own = (m: unknown) => m !== null && typeof m === 'object' && Object.prototype.hasOwnProperty.call(m, key);
  return own(obj.data) || own(obj.binaryData);
}

/**
 * Why a volume's SetUp fails (configmap.go / secret.go / projected.go SetUpAt through the kubelet's watch-based
 * managers, whose NotFound errors name the singular resource): `configmap "x" not found`, `secret "x" not
 * found`, an `items` key missing (`configmap references non-existent config key: k`, `references non-existent
 * secret key: k`); a projected volume aggregates its sources' errors (`[a, b]` for several). Optional sources
 * are skipped. Undefined when it mounts.
 */
export function volumeSetUpError(ctx: SimContext, pod: KObject, v: Any): string | undefined {
  const ns = pod.metadata.namespace ?? 'default';
  const m = ctx.msg;
  const cm = (r: Ref | undefined, items: Ref['items']): string | undefined => {
    if (!r?.name || r.name === ROOT_CA_CONFIGMAP) return undefined;
    const o = ctx.store.get('ConfigMap', ns, r.name);
    if (!o) return r.optional === true ? undefined : m.configMapNotFound(r.name);
    if (r.optional === true) return undefined;
    for (const it of items ?? []) if (it.key !== undefined && !hasKey(o, it.key)) return m.configMapKeyMissingInVolume(it.key);
    return undefined;
  };
  const secret = (name: string | undefined, optional: unknown, items: Ref['items']): string | undefined => {
    if (!name) return undefined;
    const o = ctx.store.get('Secret', ns, name);
    if (!o) return optional === true ? undefined : m.secretNotFound(name);
    if (optional === true) return undefined;
    for (const it of items ?? []) if (it.key !== undefined && !hasKey(o, it.key)) return m.secretKeyMissingInVolume(it.key);
    return undefined;
  };
  if (v.configMap) return cm(v.configMap, v.configMap.items);
  if (v.secret) return secret(v.secret.secretName, v.secret.optional, v.secret.items);
  if (v.projected) {
    const errs: string[] = [];
    for (const src of (v.projected.sources ?? []) as Any[]) {
      const e = src.configMap ? cm(src.configMap, src.configMap.items) : src.secret ? secret(src.secret.name, src.secret.optional, src.secret.items) : undefined;
      if (e) errs.push(e);
    }
    return errs.length === 0 ? undefined : errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
  }
  return undefined;
}

/** The `imagePullSecrets` the kubelet cannot get (getPullSecretsForPod), in order. */
export function missingPullSecrets(ctx: SimContext, pod: KObject): string[] {
  const ns = pod.metadata.namespace ?? 'default';
  const out: string[] = [];
  for (const r of (pod.spec?.imagePullSecrets ?? []) as Ref[]) if (r?.name && !ctx.store.get('Secret', ns, r.name)) out.push(r.name);
  return out;
}
