/**
 * Kubelet pod admission (k/k pkg/kubelet/lifecycle/predicate.go `predicateAdmitHandler.Admit`): before a pod
 * bound to the node gets a worker, the kubelet checks it against the node and the pods it already admitted
 * (`scheduler.AdmissionCheck`: resources, required node affinity, node name, host ports; then untolerated
 * NoExecute taints). A rejected pod is written Failed with the first failure as its reason (`rejectPod`).
 * Pods the scheduler bound pass (it checked the same things against at least these pods); pods created with
 * `spec.nodeName` are where this bites.
 */
import type { KObject } from '../../k8s/types.js';
import type { ResourceList } from '../../k8s/resources.js';
import { taintTolerated, type Taint } from '../../k8s/match.js';
import type { Messages } from '../messages.js';
import { ERR_REASON_POD, requiredNodeAffinityMatches } from '../scheduler/plugins/node-affinity.js';
import { ERR_REASON_NODE_PORTS } from '../scheduler/plugins/node-ports.js';
import { ERR_REASON_NOT_MATCH } from '../scheduler/plugins/taint-toleration.js';
import type { HostPort } from '../scheduler/node-info.js';

/** A rejection: the Event reason and the message (status.message adds `Pod was rejected: `). */
export interface Rejection {
  reason: string;
  message: string;
}

/** What the admitted, still active pods of the node hold (the NodeInfo `NewNodeInfo(otherPods...)` builds). */
export interface Admitted {
  pods: () => number;
  requested: ResourceList;
  ports: () => HostPort[];
}

/** fitsRequest's order after the pod count; scalar resources follow, sorted. */
const CORE_RESOURCES: readonly string[] = ['cpu', 'memory', 'ephemeral-storage'];

/** The reason of an insufficient resource (predicate.go: `OutOfcpu`, `OutOfmemory`, … `OutOf<name>`). */
function outOf(resource: string): string {
  return `OutOf${resource}`;
}

/** IsExtendedResourceName: not native (no `/`, or a `kubernetes.io/` name) and not a quota `requests.` name. */
function isExtended(name: string): boolean {
  return name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.');
}

/** HostPortInfo conflict: same protocol and port, and the same IP or either on 0.0.0.0. */
function conflicts(a: HostPort, b: HostPort): boolean {
  return a.protocol === b.protocol && a.port === b.port && (a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0');
}

/**
 * Admit: undefined when the pod may run on `node`, else the first failure. `request` is the pod's effective
 * request (podRequests), `ports` its host ports, `alloc` the node's allocatable as amounts.
 */
export function admit(pod: KObject, request: ResourceList, ports: readonly HostPort[], node: KObject, alloc: ResourceList, others: Admitted,
  msg: Pick<Messages, 'admissionInsufficient' | 'admissionPredicate' | 'admissionOSLabel'>): Rejection | undefined {
  // rejectPodAdmissionBasedOnOSSelector: the simulated kubelets run on linux.
  const os = pod.metadata.labels?.['kubernetes.io/os'];
  if (os !== undefined && os !== 'linux') return { reason: 'PodOSSelectorNodeLabelDoesNotMatch', message: msg.admissionOSLabel };
  // noderesources.Fits (fitsRequest): pods first, then cpu, memory, ephemeral-storage, then the scalar resources.
  const allowedPods = alloc.pods ?? 0;
  const podCount = others.pods();
  if (podCount + 1 > allowedPods) return { reason: outOf('pods'), message: msg.admissionInsufficient('pods', 1, podCount, allowedPods) };
  let names = CORE_RESOURCES;
  for (const k in request) {
    if (k !== 'pods' && !CORE_RESOURCES.includes(k)) { names = [...CORE_RESOURCES, ...Object.keys(request).filter((x) => x !== 'pods' && !CORE_RESOURCES.includes(x)).sort()]; break; }
  }
  for (const k of names) {
    const q = request[k] ?? 0;
    // removeMissingExtendedResources: extended resources the node does not list are left to others.
    if (isExtended(k) && alloc[k] === undefined) continue;
    const a = alloc[k] ?? 0, used = others.requested[k] ?? 0;
    if (q > 0 && q > a - used) return { reason: outOf(k), message: msg.admissionInsufficient(k, Math.ceil(q), Math.ceil(used), Math.floor(a)) };
  }
  // AdmissionCheck's predicates, in its order (NodeName always matches: the pod is bound to this node).
  const labels: Record<string, string> = node.metadata.labels ?? {};
  if (!requiredNodeAffinityMatches(pod, { labels, name: node.metadata.name })) {
    return { reason: 'NodeAffinity', message: msg.admissionPredicate('NodeAffinity', ERR_REASON_POD) };
  }
  if (ports.length > 0) {
    const used = others.ports();
    if (ports.some((p) => used.some((u) => conflicts(p, u)))) {
      return { reason: 'NodePorts', message: msg.admissionPredicate('NodePorts', ERR_REASON_NODE_PORTS) };
    }
  }
  // Untolerated NoExecute taints (the kubelet only looks at those).
  const taints: Taint[] = node.spec?.taints ?? [];
  const tols = pod.spec?.tolerations ?? [];
  for (const t of taints) {
    if (t.effect === 'NoExecute' && !taintTolerated(tols, t)) {
      return { reason: 'TaintToleration', message: msg.admissionPredicate('TaintToleration', ERR_REASON_NOT_MATCH) };
    }
  }
  return undefined;
}
