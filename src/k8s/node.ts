/**
 * Node objects as a kubelet registers them: labels, capacity and allocatable, taints, images and nodeInfo.
 * Conditions, addresses and heartbeats are written by the simulated kubelet and API server, not here.
 */
import type { KObject } from './types.js';
import type { Defaults } from '../sim/defaults.js';
import type { NodeDecl } from '../scenario/types.js';
import { isPlainObject } from './util.js';

/** Registration (`initialNode` / `updateDefaultLabels`): the kubelet's labels, explicit values winning. */
export function addKubeletLabels(obj: KObject): void {
  obj.metadata.labels = { ...kubeletLabels(obj.metadata?.name ?? ''), ...(obj.metadata.labels ?? {}) };
}

/** Capacity every node has unless its declaration says otherwise (scenario format, `nodes`). */
export const DEFAULT_NODE_CAPACITY: Readonly<Record<string, string>> = {
  cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi',
};

/** The kubelet version a node of this minor version reports: `v1.NN.0` (patch releases are not modelled). */
export function kubeletVersion(version: string): string {
  return `v${version}.0`;
}

/** Labels a kubelet puts on its Node (k/k pkg/kubelet/kubelet_node_status.go `initialNode`). */
export function kubeletLabels(name: string): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
  };
}

function quantityString(v: unknown): string {
  return String(v);
}

/** The `status.nodeInfo` a kind/kubeadm node with containerd reports. */
function nodeInfo(version: string): Record<string, string> {
  return {
    architecture: 'amd64',
    bootID: '',
    containerRuntimeVersion: 'containerd://1.7.24',
    kernelVersion: '6.8.0-generic',
    kubeProxyVersion: '',
    kubeletVersion: kubeletVersion(version),
    machineID: '',
    operatingSystem: 'linux',
    osImage: 'Debian GNU/Linux 12 (bookworm)',
    systemUUID: '',
  };
}

/** Builds the Node object (apiVersion v1) a scenario `nodes` entry declares, before the API server sees it. */
export function nodeObject(decl: NodeDecl, version?: string): KObject {
  const capacity: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...DEFAULT_NODE_CAPACITY, ...decl.capacity })) capacity[k] = quantityString(v);
  const allocatable: Record<string, string> = { ...capacity };
  for (const [k, v] of Object.entries(decl.allocatable ?? {})) allocatable[k] = quantityString(v);
  const spec: Record<string, unknown> = {};
  if (decl.taints.length > 0) spec.taints = decl.taints.map((t) => ({ ...t }));
  if (decl.unschedulable) spec.unschedulable = true;
  // Without a version, nodeInfo is left to API defaulting (defaultNode), which knows the scenario's version.
  const status: Record<string, unknown> = { capacity, allocatable };
  if (version !== undefined) status.nodeInfo = nodeInfo(version);
  if (decl.images.length > 0) status.images = decl.images.map((i) => ({ names: [i.name], sizeBytes: i.sizeBytes }));
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: decl.name, labels: { ...kubeletLabels(decl.name), ...decl.labels } },
    spec,
    status,
  };
}

/**
 * Defaults a Node given in full in manifests the way `nodes` entries are: capacity defaults (cpu 4, memory
 * 16Gi, pods 110, ephemeral-storage 100Gi), allocatable = capacity per missing resource, nodeInfo. Explicit
 * values win. The kubelet labels are added at registration only ({@link addKubeletLabels}), so a later
 * `kubectl label node N kubernetes.io/arch-` removes the label for good, as on a cluster.
 */
export function defaultNode(obj: KObject, d: Defaults): void {
  obj.spec ??= {};
  obj.status ??= {};
  const st = obj.status as Record<string, unknown>;
  const cap: Record<string, unknown> = isPlainObject(st.capacity) ? { ...st.capacity } : {};
  for (const [k, v] of Object.entries(DEFAULT_NODE_CAPACITY)) if (cap[k] === undefined) cap[k] = v;
  const alloc: Record<string, unknown> = isPlainObject(st.allocatable) ? { ...st.allocatable } : {};
  for (const [k, v] of Object.entries(cap)) if (alloc[k] === undefined) alloc[k] = v;
  st.capacity = cap;
  st.allocatable = alloc;
  st.nodeInfo = { ...nodeInfo(d.version), ...(isPlainObject(st.nodeInfo) ? st.nodeInfo : {}) };
}
