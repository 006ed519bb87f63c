/**
 * Pure pieces of the kubelet's pod status (k/k pkg/kubelet/kubelet_pods.go `getPhase`,
 * pkg/kubelet/status/generate.go): the phase from container statuses and the Initialized /
 * ContainersReady / Ready conditions.
 */
import { memoize } from '../../k8s/util.js';
import { imageKey } from '../../k8s/images.js';

/** A container status as the kubelet writes it (loosely typed like every stored object). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ContainerStatus = Record<string, any>;

/** Whether an init container spec is a sidecar (restartable init container). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function isSidecar(c: Record<string, any>): boolean {
  return c.restartPolicy === 'Always';
}

function byName(list: readonly ContainerStatus[], name: string): ContainerStatus | undefined {
  return list.find((s) => s.name === name);
}

/** `HasAnyRegularContainerStarted`: a regular container is running or has terminated. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function hasAnyRegularContainerStarted(spec: Record<string, any>, statuses: readonly ContainerStatus[]): boolean {
  for (const c of spec.containers ?? []) {
    const s = byName(statuses, c.name);
    if (s && (s.state?.running || s.state?.terminated)) return true;
  }
  return false;
}

/** `getPhase` (1.29+ with sidecars): the pod phase from its init and regular container statuses. */
export function getPhase(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec: Record<string, any>, initStatuses: readonly ContainerStatus[], statuses: readonly ContainerStatus[], podIsTerminal: boolean,
): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
  let pendingRestartable = 0, pendingRegularInit = 0, failedInit = 0;
  for (const c of spec.initContainers ?? []) {
    if (isSidecar(c)) continue;
    const s = byName(initStatuses, c.name);
    if (!s) { pendingRegularInit++; continue; }
    if (s.state?.running) pendingRegularInit++;
    else if (s.state?.terminated) { if (s.state.terminated.exitCode !== 0) failedInit++; }
    else if (s.state?.waiting) {
      if (s.lastState?.terminated) { if (s.lastState.terminated.exitCode !== 0) failedInit++; }
      else pendingRegularInit++;
    } else pendingRegularInit++;
  }
  let unknown = 0, running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const c of spec.initContainers ?? []) {
    if (!isSidecar(c)) continue;
    const s = byName(initStatuses, c.name);
    if (!s) { unknown++; continue; }
    if (s.state?.running) {
      if (!s.started) pendingRestartable++;
      running++;
    } else if (s.state?.terminated) {
      // not counted
    } else if (s.state?.waiting) {
      if (!s.lastState?.terminated) { pendingRestartable++; waiting++; }
    } else { pendingRestartable++; unknown++; }
  }
  for (const c of spec.containers ?? []) {
    const s = byName(statuses, c.name);
    if (!s) { unknown++; continue; }
    if (s.state?.running) running++;
    else if (s.state?.terminated) { stopped++; if (s.state.terminated.exitCode === 0) succeeded++; }
    else if (s.state?.waiting) { if (s.lastState?.terminated) stopped++; else waiting++; }
    else unknown++;
  }
  if (failedInit > 0 && spec.restartPolicy === 'Never') return 'Failed';
  if (pendingRegularInit > 0 || (pendingRestartable > 0 && !hasAnyRegularContainerStarted(spec, statuses)) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (spec.restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (spec.restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

/** A condition as generated (status, reason, message). */
export interface GeneratedCondition {
  status: 'True' | 'False';
  reason?: string;
  message?: string;
}

/** `GeneratePodInitializedCondition`. */
export function initializedCondition(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec: Record<string, any>, initStatuses: readonly ContainerStatus[], statuses: readonly ContainerStatus[], phase: string,
  msg: (names: string[]) => string,
): GeneratedCondition {
  const incomplete: string[] = [];
  for (const c of spec.initContainers ?? []) {
    const s = byName(initStatuses, c.name);
    if (!s) { incomplete.push(c.name); continue; }
    if (isSidecar(c)) { if (!s.started) incomplete.push(c.name); continue; }
    if (!s.state?.terminated || s.state.terminated.exitCode !== 0) incomplete.push(c.name);
  }
  if (phase === 'Succeeded') return { status: 'True', reason: 'PodCompleted' };
  if (hasAnyRegularContainerStarted(spec, statuses)) return { status: 'True' };
  if (incomplete.length > 0) return { status: 'False', reason: 'ContainersNotInitialized', message: msg(incomplete) };
  return { status: 'True' };
}

/** `GenerateContainersReadyCondition` (Ready copies it when not True). */
export function containersReadyCondition(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec: Record<string, any>, initStatuses: readonly ContainerStatus[], statuses: readonly ContainerStatus[], phase: string,
  msg: (names: string[]) => string,
): GeneratedCondition {
  const unready: string[] = [];
  for (const c of spec.initContainers ?? []) {
    if (!isSidecar(c)) continue;
    const s = byName(initStatuses, c.name);
    if (!s || !s.ready) unready.push(c.name);
  }
  for (const c of spec.containers ?? []) {
    const s = byName(statuses, c.name);
    if (!s || !s.ready) unready.push(c.name);
  }
  if (phase === 'Succeeded') return { status: 'False', reason: 'PodCompleted' };
  // "If the pod phase is failed, explicitly set the ready condition to false" (generateContainersReady-
  // ConditionForTerminalPhase): reason PodFailed, no message.
  if (phase === 'Failed') return { status: 'False', reason: 'PodFailed' };
  if (unready.length > 0) return { status: 'False', reason: 'ContainersNotReady', message: msg(unready) };
  return { status: 'True' };
}

/** The runtime's image reference: `nginx:1.27` -> `docker.io/library/nginx:1.27`. */
export const normalizeImage: (image: string) => string = memoize((image: string): string => {
  let img = image;
  const base = img.split('@')[0] ?? img;
  if (!img.includes('@') && !/:[^/]+$/.test(base)) img += ':latest';
  const first = img.split('/')[0] ?? '';
  const hasRegistry = img.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return img;
  return img.includes('/') ? `docker.io/${img}` : `docker.io/library/${img}`;
});

/** Image name as nodes list it and compare it: a reference without tag or digest means `:latest`. */
export { imageKey };
