/** `kubedrill state <file> --at T`: the stored objects at an instant, like kubectl get. */
import { stringify } from 'yaml';
import { parseArgs, UsageError } from '../args.js';
import { FILE_SPEC, loadOne, runOptionsFrom, instantOption } from './common.js';
import { runScenario } from '../../runner.js';
import { SIMULATED_KINDS, unknownKindMessage } from '../../scenario/model.js';
import type { KObject } from '../../k8s/types.js';
import type { Store } from '../../sim/store.js';
import { EventRecorder } from '../../sim/events.js';
import { fromTime } from '../../k8s/time.js';
import { formatDuration } from '../../k8s/duration.js';
import { podRestarts } from '../../assert/shorthands.js';

/** kubectl's STATUS column for a pod (k/k pkg/printers/internalversion/printers.go, simplified). */
export function podStatusColumn(pod: KObject): string {
  const st = pod.status ?? {};
  let reason: string = st.reason ?? st.phase ?? 'Pending';
  const inits: Array<Record<string, any>> = st.initContainerStatuses ?? [];
  const initSpecs: Array<Record<string, any>> = pod.spec?.initContainers ?? [];
  let initializing = false;
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i]!;
    const sidecar = initSpecs[i]?.restartPolicy === 'Always';
    if (c.state?.terminated && c.state.terminated.exitCode === 0) continue;
    if (sidecar && c.started) continue;
    if (c.state?.terminated) reason = c.state.terminated.reason ? `Init:${c.state.terminated.reason}` : `Init:ExitCode:${c.state.terminated.exitCode}`;
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
    break;
  }
  if (!initializing) {
    let hasRunning = false;
    const cs: Array<Record<string, any>> = st.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i]!;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
      else if (c.state?.terminated) reason = c.state.terminated.signal ? `Signal:${c.state.terminated.signal}` : `ExitCode:${c.state.terminated.exitCode}`;
      else if (c.ready && c.state?.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) reason = 'Running';
  }
  if (pod.metadata.deletionTimestamp) reason = st.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

function age(obj: KObject, now: number): string {
  const c = fromTime(obj.metadata.creationTimestamp ?? '') ?? 0;
  const d = Math.max(0, now - c);
  const s = Math.floor(d / 1000);
  if (s < 120) return `${s}s`;
  if (s < 600) return `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}`;
  if (s < 3 * 3600) return `${Math.floor(s / 60)}m`;
  if (s < 48 * 3600) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.length); });
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('').trimEnd()).join('\n') + '\n';
}

function nodeStatus(n: KObject): string {
  const ready = (n.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  let s = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
  if (n.spec?.unschedulable) s += ',SchedulingDisabled';
  return s;
}

/** Renders objects of one kind as kubectl get would. */
export function formatKind(kind: string, objs: KObject[], now: number, wide: boolean): string {
  if (objs.length === 0) return '';
  switch (kind) {
    case 'Node':
      return table([['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', ...(wide ? ['INTERNAL-IP'] : [])],
        ...objs.map((n) => [n.metadata.name, nodeStatus(n), '<none>', age(n, now), n.status?.nodeInfo?.kubeletVersion ?? '',
          ...(wide ? [(n.status?.addresses ?? []).find((a: { type: string }) => a.type === 'InternalIP')?.address ?? '<none>'] : [])])]);
    case 'Pod':
      return table([['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', ...(wide ? ['IP', 'NODE', 'NOMINATED NODE'] : [])],
        ...objs.map((p) => {
          const cs: Array<Record<string, any>> = p.status?.containerStatuses ?? [];
          const total = (p.spec?.containers ?? []).length;
          const ready = cs.filter((c) => c.ready).length;
          const restarts = podRestarts(p);
          return [p.metadata.namespace ?? '', p.metadata.name, `${ready}/${total}`, podStatusColumn(p), String(restarts), age(p, now),
            ...(wide ? [p.status?.podIP ?? '<none>', p.spec?.nodeName ?? '<none>', p.status?.nominatedNodeName ?? '<none>'] : [])];
        })]);
    case 'Deployment':
      return table([['NAMESPACE', 'NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
        ...objs.map((d) => [d.metadata.namespace ?? '', d.metadata.name, `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
          String(d.status?.updatedReplicas ?? 0), String(d.status?.availableReplicas ?? 0), age(d, now)])]);
    case 'ReplicaSet':
      return table([['NAMESPACE', 'NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
        ...objs.map((r) => [r.metadata.namespace ?? '', r.metadata.name, String(r.spec?.replicas ?? 0), String(r.status?.replicas ?? 0),
          String(r.status?.readyReplicas ?? 0), age(r, now)])]);
    case 'Event':
      return table([['NAMESPACE', 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
        ...objs.map((e) => [e.metadata.namespace ?? '', `${formatDuration(Math.max(0, now - (fromTime(String(e.lastTimestamp)) ?? 0)))}`,
          String(e.type), String(e.reason), `${String((e.involvedObject as KObject['metadata']).kind).toLowerCase()}/${(e.involvedObject as { name: string }).name}`,
          String(e.message) + (Number(e.count) > 1 ? ` (x${e.count})` : '')])]);
    default:
      return table([['NAMESPACE', 'NAME', 'AGE'], ...objs.map((o) => [o.metadata.namespace ?? '', o.metadata.name, age(o, now)])]);
  }
}

/** The objects of a kind at this state (Events from the recorder). */
export function objectsOf(store: Store, events: readonly import('../../sim/events.js').RecordedEvent[], kind: string): KObject[] {
  if (kind === 'Event') return events.map((e) => EventRecorder.toObject(e));
  return store.list(kind);
}

/** Runs the `state` command; returns the exit code. */
export function stateCommand(argv: string[], io: { out: (s: string) => void; err: (s: string) => void }): number {
  const p = parseArgs(argv, { ...FILE_SPEC, at: { type: 'value' }, kind: { type: 'value' }, output: { type: 'value', short: 'o' } });
  const out = p.values.output;
  if (out !== undefined && out !== 'yaml' && out !== 'wide') throw new UsageError(`-o takes yaml or wide, not "${out}"`);
  const sc = loadOne(p, io.err);
  if (!sc) return 2;
  const kind = p.values.kind;
  if (kind !== undefined) {
    // As a Kind in the scenario (scenario-format, Values): simulated, or among the scenario's objects.
    const known = new Set([...SIMULATED_KINDS, ...[...sc.manifests, ...sc.events.flatMap((e) => e.objects ?? [])].map((o) => String(o.object.kind))]);
    if (!known.has(kind)) throw new UsageError(`--kind: ${unknownKindMessage(kind, known)}`);
  }
  const at = instantOption(p, 'at', sc);
  const run = runScenario(sc, { ...runOptionsFrom(p), stopAt: at, verboseTrace: false });
  const store = run.simulation.store;
  const events = run.simulation.recorder.events;
  const kinds = p.values.kind ? [p.values.kind] : ['Node', 'Pod', ...store.kinds().filter((k) => !['Node', 'Pod', 'Namespace', 'Lease', 'Event'].includes(k))];
  if (out === 'yaml') {
    const items = kinds.flatMap((k) => objectsOf(store, events, k));
    io.out(stringify({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } }));
    return 0;
  }
  const parts: string[] = [];
  for (const k of kinds) {
    const s = formatKind(k, objectsOf(store, events, k), at, out === 'wide');
    if (s) parts.push(`# ${k} at ${formatDuration(at)}\n${s}`);
  }
  io.out(parts.join('\n') || `No resources found at ${formatDuration(at)}.\n`);
  if (run.outcome.error) io.err(`error: ${run.outcome.error.message}\n`);
  return 0;
}
