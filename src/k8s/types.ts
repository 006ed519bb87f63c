/**
 * Kubernetes objects as the simulation stores them: plain JSON shaped like `kubectl get -o yaml`.
 * Bodies are loosely typed on purpose: the strict field lists come from the generated JSON Schemas
 * (schemas/k8s/), and every component reads only the fields it models.
 */

/** Anything JSON-like. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** An owner reference, as in metadata.ownerReferences. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** metadata of any stored object. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [k: string]: unknown;
}

/** A stored Kubernetes object. */
export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  status?: any;
  [k: string]: unknown;
}

/** A source position in a scenario file (1-based line and column). */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

/** `file:line:col` of a position. */
export function formatPos(p: SourcePos): string {
  return `${p.file}:${p.line}:${p.col}`;
}

/** The key a store uses for an object: `kind/namespace/name` (namespace empty for cluster-scoped kinds). */
export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

/** Kinds that are cluster-scoped (no namespace). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'ClusterRole',
  'ClusterRoleBinding', 'CustomResourceDefinition', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'CSINode',
  'VolumeAttachment', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'APIService',
  'CertificateSigningRequest', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'FlowSchema',
  'PriorityLevelConfiguration', 'ComponentStatus', 'DeviceClass', 'ResourceSlice', 'StorageVersionMigration',
  'VolumeAttributesClass', 'IPAddress', 'ServiceCIDR',
]);

/** Whether a kind is cluster-scoped. */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/** `namespace/name` or `name` for cluster-scoped objects. */
export function displayName(o: KObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}
