/**
 * From a schema-checked document to the typed, defaulted Scenario of ./types.ts: defaults, durations and
 * instants against `until`, node expansion, event values, expectations (time modes, targets, checks), the
 * Kind references, Kubernetes object checks (src/k8s/schema.ts) and the declared-size limits. Every problem
 * carries the file:line:col of what caused it. The code is defensive: values the schema already rejected are
 * skipped, so each mistake is reported once.
 */
import { z } from 'zod';
import type { KObject, SourcePos } from '../k8s/types.js';
import { isClusterScoped } from '../k8s/types.js';
import { parseDuration, formatDuration } from '../k8s/duration.js';
import { parseQuantity } from '../k8s/quantity.js';
import { DEFAULT_VERSION, isKubeVersion, type KubeVersion } from '../sim/defaults.js';
import { checkObject, checkPartial, crdKinds } from '../k8s/schema.js';
import { invalidMessage } from '../k8s/validation.js';
import type { ActionName, AppliedObject, Behavior, Expectation, NodeDecl, Problem, ProbeAnswer, RunDecl, Scenario, ScenarioEvent, Target, TimeMode } from './types.js';
import { formatPath, hasOwn, setOwn, type Path, type SourceDoc } from './positions.js';
import { pathKey } from './validate.js';
import { limitMessage, type Limits } from './limits.js';
import { regexProblem } from '../assert/match.js';
import { validateCronSchedule } from '../sim/controllers/cronjob.js';
import { didYouMean } from './suggest.js';

type Rec = Record<string, unknown>;

/** Kinds the simulation models (and stores), plus the ones it always creates. */
export const SIMULATED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'Pod', 'ReplicaSet', 'Deployment', 'DaemonSet', 'StatefulSet', 'Job', 'CronJob', 'Service',
  'Endpoints', 'EndpointSlice', 'ConfigMap', 'Secret', 'PersistentVolume', 'PersistentVolumeClaim', 'StorageClass',
  'PodDisruptionBudget', 'PriorityClass', 'ResourceQuota', 'LimitRange', 'Event', 'Lease',
]);

/** Default node capacity (per resource). */
export const DEFAULT_CAPACITY: Readonly<Record<string, string>> = Object.freeze({ cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' });

const ACTIONS: readonly ActionName[] = [
  'nodeDown', 'nodeUp', 'cordon', 'uncordon', 'drain', 'probeFail', 'crash', 'apply', 'delete', 'scale', 'setImage',
  'rollback', 'addNode', 'removeNode', 'taint', 'untaint', 'label',
];
const TIME_MODES = ['at', 'by', 'always', 'never'] as const;
const TARGETS = ['pods', 'pod', 'nodes', 'object', 'events'] as const;
const POD_SHORTHANDS = ['phase', 'qosClass', 'ready', 'node', 'restarts', 'reason', 'distinctNodes'];
const NODE_SHORTHANDS = ['ready', 'schedulable', 'taints'];
const EVENT_SHORTHANDS = ['message'];
const COMMON_CHECKS = ['count', 'all', 'any', 'none', 'match'];
const ALL_CHECKS = new Set([...COMMON_CHECKS, ...POD_SHORTHANDS, ...NODE_SHORTHANDS, ...EVENT_SHORTHANDS]);
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes object read from the scenario or from a `{file}`, with where it was written. */
export interface LoadedObject {
  object: KObject;
  src: SourceDoc;
  /** Path of the object inside `src`. */
  path: Path;
  pos: SourcePos;
}

/** Reads `{file: ref}` relative to the scenario file (confined, bounded); `at` is the position of the ref. */
export type ObjectLoader = (ref: string, at: SourcePos) => { objects: LoadedObject[]; problems: Problem[] };

/** What the model needs besides the document. */
export interface ModelInput {
  src: SourceDoc;
  data: Rec;
  docIndex: number;
  /** Paths (as `/a/0/b`) the schema already reported. */
  flagged: ReadonlySet<string>;
  limits: Limits;
  loadFile: ObjectLoader;
}

/** The model's result; `scenario` is present even with problems (callers drop it). */
export interface ModelResult {
  scenario: Scenario;
  problems: Problem[];
  warnings: string[];
}

const quantitySchema = z.union([z.string(), z.number()]).refine((v) => parseQuantity(v) !== undefined);

class Ctx {
  problems: Problem[] = [];
  warnings: string[] = [];
  constructor(readonly src: SourceDoc, readonly flagged: ReadonlySet<string>, readonly limits: Limits) {}

  /** Whether the schema already reported `path` or something inside it. */
  hasFlaggedWithin(path: Path): boolean {
    const k = pathKey(path);
    for (const f of this.flagged) if (f === k || f.startsWith(k + '/')) return true;
    return false;
  }

  report(path: Path, message: string, which: 'key' | 'value' = 'value', src: SourceDoc = this.src): void {
    this.problems.push({ pos: src.locate(path, which), message });
  }

  pos(path: Path, which: 'key' | 'value' = 'value'): SourcePos {
    return this.src.locate(path, which);
  }

  /** A duration at `path` in ms, or undefined (absent, or already reported). */
  duration(obj: Rec, key: string, path: Path): number | undefined {
    if (!hasOwn(obj, key)) return undefined;
    const p = [...path, key];
    const r = parseDuration(obj[key]);
    if (r.ok) return r.ms;
    if (!this.flagged.has(pathKey(p))) this.report(p, `${formatPath(p)}: ${r.message}`);
    return undefined;
  }
}

const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function plainCopy(v: Rec): Rec {
  const out: Rec = {};
  for (const k of Object.keys(v)) setOwn(out, k, v[k]);
  return out;
}

/** Builds the Scenario of one document. */
export function buildScenario(input: ModelInput): ModelResult {
  const { src, data } = input;
  const cx = new Ctx(src, input.flagged, input.limits);

  const name = str(data['name']) ?? '';
  const version: KubeVersion = isKubeVersion(data['kubernetes']) ? data['kubernetes'] : DEFAULT_VERSION;
  const seed = typeof data['seed'] === 'number' && Number.isInteger(data['seed']) ? data['seed'] : 1;
  let until = cx.duration(data, 'until', []) ?? 600_000;
  if (until > input.limits.maxSpan) {
    cx.report(['until'], limitMessage('maxSpan', `until (${formatDuration(until)})`, formatDuration(input.limits.maxSpan)));
    until = input.limits.maxSpan;
  }

  // scheduler
  let scheduler: Rec | undefined;
  if (isRec(data['scheduler'])) {
    scheduler = data['scheduler'];
    if (Array.isArray(scheduler['profiles']) && (hasOwn(scheduler, 'plugins') || hasOwn(scheduler, 'pluginConfig'))) {
      cx.report(['scheduler', 'profiles'], 'scheduler: write plugins and pluginConfig either at the top level or in the one profile, not both', 'key');
    }
  }

  // nodes
  const nodes: NodeDecl[] = [];
  const nodeNames = new Map<string, SourcePos>();
  let nodeTotal = 0;
  let nodeLimitHit = false;
  const countNodes = (n: number, path: Path, where: SourceDoc = src): void => {
    nodeTotal += n;
    if (nodeTotal > input.limits.maxNodes && !nodeLimitHit) {
      nodeLimitHit = true;
      cx.report(path, limitMessage('maxNodes', `the number of nodes (${nodeTotal})`, input.limits.maxNodes), 'value', where);
    }
  };
  const nodeList = Array.isArray(data['nodes']) ? data['nodes'] : [];
  nodeList.forEach((entry, i) => {
    const path = ['nodes', i];
    const decls = expandNode(cx, entry, path, countNodes);
    for (const d of decls) {
      const prev = nodeNames.get(d.name);
      if (prev) cx.report(path, `duplicate node name "${d.name}" (also declared at line ${prev.line})`);
      else nodeNames.set(d.name, d.pos);
      nodes.push(d);
    }
  });

  // manifests
  // Every object with when it is applied (-1: manifests at t=0, before the events).
  const allObjects: Array<{ lo: LoadedObject; where: Path; entry: AppliedObject; at: number }> = [];
  const manifests: Scenario['manifests'] = [];
  const manifestList = Array.isArray(data['manifests']) ? data['manifests'] : [];
  manifestList.forEach((entry, i) => {
    for (const lo of objectsOf(cx, entry, ['manifests', i], input.loadFile)) {
      const e: AppliedObject = { object: lo.object, pos: lo.pos };
      manifests.push(e);
      allObjects.push({ lo, where: ['manifests', i], entry: e, at: -1 });
    }
  });

  // behaviors
  const behaviors: Behavior[] = [];
  const behaviorList = Array.isArray(data['behaviors']) ? data['behaviors'] : [];
  behaviorList.forEach((entry, i) => {
    const b = buildBehavior(cx, entry, ['behaviors', i]);
    if (b) behaviors.push(b);
  });

  // events
  const events: ScenarioEvent[] = [];
  const eventList = Array.isArray(data['events']) ? data['events'] : [];
  if (eventList.length > input.limits.maxEvents) {
    cx.report(['events', input.limits.maxEvents], limitMessage('maxEvents', `the number of events (${eventList.length})`, input.limits.maxEvents));
  }
  const scaleReplicas: Array<{ n: number; path: Path }> = [];
  eventList.slice(0, input.limits.maxEvents).forEach((entry, i) => {
    const ev = buildEvent(cx, entry, ['events', i], i, until, input.loadFile, countNodes);
    if (!ev) return;
    events.push(ev);
    (ev.loaded ?? []).forEach((lo, k) => allObjects.push({ lo, where: ['events', i, 'apply'], entry: ev.objects![k]!, at: ev.at }));
    delete ev.loaded;
    if (ev.action === 'scale' && typeof ev.value?.replicas === 'number') scaleReplicas.push({ n: ev.value.replicas, path: ['events', i, 'scale', 'replicas'] });
  });

  // Kubernetes objects: strict checks, limits, kinds
  const knownKinds = new Set(SIMULATED_KINDS);
  const crdScope = new Map<string, string>();
  let objectCount = 0;
  let objLimitHit = false;
  let podTotal = 0;
  let podLimitHit = false;
  const daemonSets: Path[] = [];
  const countPods = (n: number, path: Path, src: SourceDoc): void => {
    podTotal += n;
    if (podTotal > input.limits.maxPods && !podLimitHit) {
      podLimitHit = true;
      cx.report(path, limitMessage('maxPods', `the number of declared pods (${podTotal})`, input.limits.maxPods), 'value', src);
    }
  };
  // A custom resource needs its CRD applied before it (kubectl: `no matches for kind`): objects are checked in
  // the order the run applies them (manifests, then events by instant, same-instant ones in file order).
  const extraKinds = new Set<string>();
  const inApplyOrder = allObjects.map((x, i) => ({ x, i })).sort((a, b) => a.x.at - b.x.at || a.i - b.i).map(({ x }) => x);
  for (const { lo, entry } of inApplyOrder) {
    objectCount++;
    if (objectCount > input.limits.maxObjects && !objLimitHit) {
      objLimitHit = true;
      cx.problems.push({ pos: lo.pos, message: limitMessage('maxObjects', `the number of Kubernetes objects (${objectCount})`, input.limits.maxObjects) });
    }
    // What the API server's validation rejects is an action error when the run applies the object (the run
    // stops there); a warning now tells where.
    const rejected: Array<{ pos: SourcePos; message: string }> = [];
    for (const issue of safeCheck(() => checkObject(lo.object, version, extraKinds))) {
      const pos = lo.src.locate([...lo.path, ...issue.path], /^unknown field/.test(issue.message) ? 'key' : 'value');
      const msg = issue.message;
      if (issue.severity === 'warning') cx.warnings.push(`${pos.file}:${pos.line}:${pos.col}: ${msg}`);
      else if (issue.severity === 'invalid') rejected.push({ pos, message: msg });
      else cx.problems.push({ pos, message: msg });
    }
    const o = lo.object;
    for (const k of crdKinds([o])) extraKinds.add(k);
    if (typeof o.kind === 'string') knownKinds.add(o.kind);
    if (o.kind === 'CustomResourceDefinition' && isRec(o.spec) && isRec(o.spec.names) && typeof o.spec.names.kind === 'string') {
      knownKinds.add(o.spec.names.kind);
      crdScope.set(o.spec.names.kind, String(o.spec.scope ?? 'Namespaced'));
    }
    if (o.kind === 'Node') countNodes(1, lo.path, lo.src);
    const spec = isRec(o.spec) ? o.spec : {};
    if (o.kind === 'CronJob' && typeof spec.schedule === 'string') {
      const bad = validateCronSchedule(spec.schedule, typeof spec.timeZone === 'string' ? spec.timeZone : undefined);
      if (bad) {
        const message = bad.startsWith('spec.') ? bad : `spec.schedule: Invalid value: ${JSON.stringify(spec.schedule)}: ${bad}`;
        rejected.push({ pos: lo.src.locate([...lo.path, 'spec', bad.startsWith('spec.timeZone') ? 'timeZone' : 'schedule']), message });
      }
    }
    if (rejected.length > 0) {
      const md: Rec = isRec(o.metadata) ? o.metadata : {};
      entry.invalid = invalidMessage(String(o.kind), String(md.name ?? md.generateName ?? ''), rejected.map((r) => r.message));
      for (const r of rejected) cx.warnings.push(`${r.pos.file}:${r.pos.line}:${r.pos.col}: ${r.message} (the API server rejects this object: the run stops when it is applied)`);
    }
    const num = (v: unknown, d: number): number => (typeof v === 'number' && v >= 0 ? v : d);
    switch (o.kind) {
      case 'Pod': countPods(1, lo.path, lo.src); break;
      case 'Deployment': case 'ReplicaSet': case 'StatefulSet': case 'ReplicationController':
        countPods(num(spec.replicas, 1), [...lo.path, ...(hasOwn(spec, 'replicas') ? ['spec', 'replicas'] : [])], lo.src); break;
      case 'Job': countPods(num(spec.completions, num(spec.parallelism, 1)), [...lo.path, 'spec'], lo.src); break;
      case 'DaemonSet': daemonSets.push(lo.path); break;
      default: break;
    }
  }
  for (const s of scaleReplicas) countPods(s.n, s.path, src);
  for (const p of daemonSets) countPods(Math.max(nodeTotal, 1), p, src);

  // expect
  const expect: Expectation[] = [];
  const expectList = Array.isArray(data['expect']) ? data['expect'] : [];
  expectList.forEach((entry, i) => {
    const e = buildExpectation(cx, entry, ['expect', i], i, until, knownKinds, crdScope);
    if (e) expect.push(e);
  });

  // Kinds referenced by events
  events.forEach((ev) => {
    if ((ev.action === 'delete' || ev.action === 'setImage' || ev.action === 'scale') && typeof ev.value?.kind === 'string' && !knownKinds.has(ev.value.kind)) {
      cx.report(['events', ev.index, ev.action, 'kind'], `${formatPath(['events', ev.index, ev.action, 'kind'])}: ${unknownKindMessage(ev.value.kind, knownKinds)}`);
    }
  });

  // Nodes referenced by events: a name declared nowhere (nodes, a Node object, an addNode event) is an error
  // now; one declared but absent at that instant (added later, removed before) is an action error at run time.
  const declaredNodes = new Set(nodeNames.keys());
  for (const { lo } of allObjects) {
    const o = lo.object as Rec;
    if (o['kind'] === 'Node' && isRec(o['metadata']) && typeof o['metadata']['name'] === 'string') declaredNodes.add(o['metadata']['name']);
  }
  for (const ev of events) for (const d of ev.nodes ?? []) declaredNodes.add(d.name);
  // Past the node limit the declarations were not expanded: which names exist is unknown, so say nothing.
  if (!nodeLimitHit) events.forEach((ev) => {
    const direct = ev.action === 'nodeDown' || ev.action === 'nodeUp' || ev.action === 'cordon' || ev.action === 'uncordon' || ev.action === 'removeNode';
    const viaKey = ev.action === 'drain' || ev.action === 'taint' || ev.action === 'untaint' || (ev.action === 'label' && isRec(ev.value) && hasOwn(ev.value, 'node'));
    if (!direct && !viaKey) return;
    const nodeName: unknown = direct ? ev.value : isRec(ev.value) ? ev.value['node'] : undefined;
    if (typeof nodeName !== 'string' || declaredNodes.has(nodeName)) return;
    const p: Path = direct ? ['events', ev.index, ev.action] : ['events', ev.index, ev.action, 'node'];
    if (cx.hasFlaggedWithin(p)) return;
    const hint = declaredNodes.size <= 1000 ? didYouMean(nodeName, [...declaredNodes]) : undefined;
    const list = [...declaredNodes].slice(0, 10).join(', ') + (declaredNodes.size > 10 ? ', ...' : '');
    cx.report(p, `${formatPath(p)}: node "${nodeName}" is not declared in nodes, a Node object or an addNode event${hint ? ` (did you mean "${hint}"?)` : ` (nodes: ${list || 'none'})`}`);
  });

  const docRange = src.doc.range;
  const scenario: Scenario = {
    name,
    seed,
    kubernetes: version,
    until,
    nodes,
    manifests,
    behaviors,
    events,
    expect,
    file: src.file,
    pos: src.rootPos(),
    source: src.text.slice(docRange[0], docRange[2]),
    docIndex: input.docIndex,
  };
  if (typeof data['description'] === 'string') scenario.description = data['description'];
  if (scheduler) scenario.scheduler = scheduler;
  return { scenario, problems: cx.problems, warnings: cx.warnings };
}

function safeCheck<T>(f: () => T[]): T[] {
  try {
    return f();
  } catch {
    return [];
  }
}

/** Why a Kind is refused, with a hint when it differs from a known one only in case or a plural `s`. */
export function unknownKindMessage(kind: string, known: ReadonlySet<string>): string {
  const k0 = kind.toLowerCase();
  const lower = [...known].find((k) => k.toLowerCase() === k0);
  const plural = lower ? undefined : [...known].find((k) => `${k.toLowerCase()}s` === k0);
  return `unknown kind "${kind}": neither simulated nor among the scenario's objects${lower ? ` (kinds are case-sensitive: did you mean "${lower}"?)`
    : plural ? ` (kinds are singular and case-sensitive: did you mean "${plural}"?)` : ''}`;
}

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Why a label (or taint) key is not a Kubernetes qualified name, or undefined when it is. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    return 'a key prefix must be a lowercase DNS subdomain (such as example.com/)';
  }
  if (name.length > 63 || !LABEL_NAME.test(name)) {
    return 'a key name must be at most 63 characters of alphanumerics, \'-\', \'_\' or \'.\', starting and ending alphanumeric';
  }
  return undefined;
}

/** Why a label (or taint) value is invalid, or undefined when it is valid (empty is valid). */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !LABEL_NAME.test(value)) {
    return `value ${JSON.stringify(value)} must be at most 63 characters of alphanumerics, '-', '_' or '.', starting and ending alphanumeric`;
  }
  return undefined;
}

/** Expands a `nodes` entry (or an `addNode` value) into node declarations. */
function expandNode(cx: Ctx, entry: unknown, path: Path, countNodes: (n: number, path: Path) => void): NodeDecl[] {
  if (!isRec(entry) || typeof entry['name'] !== 'string') return [];
  const base = entry['name'];
  const count = typeof entry['count'] === 'number' && Number.isInteger(entry['count']) && entry['count'] >= 1 ? entry['count'] : undefined;
  const pos = cx.pos(path);
  countNodes(count ?? 1, count !== undefined ? [...path, 'count'] : path);
  if (count !== undefined && count > cx.limits.maxNodes) return [];
  const names = count === undefined ? [base] : Array.from({ length: count }, (_, k) => `${base}-${k + 1}`);
  const last = names[names.length - 1]!;
  if (!cx.flagged.has(pathKey([...path, 'name'])) && (last.length > 253 || !DNS1123_SUBDOMAIN.test(names[0]!) || !DNS1123_SUBDOMAIN.test(last))) {
    cx.report([...path, 'name'], `${formatPath([...path, 'name'])}: node name "${count === undefined ? base : `${base}-N`}" must be a lowercase RFC 1123 subdomain (a-z, 0-9, '-', '.', starting and ending alphanumeric)`);
  }
  // capacity / allocatable
  const capacity: Record<string, string> = { ...DEFAULT_CAPACITY };
  const readQty = (key: 'capacity' | 'allocatable', into: Record<string, string>): void => {
    const m = entry[key];
    if (!isRec(m)) return;
    for (const r of Object.keys(m)) {
      const v = m[r];
      const p = [...path, key, r];
      if (!quantitySchema.safeParse(v).success) continue; // the schema reported it
      const amount = parseQuantity(v)!;
      if (amount < 0) { cx.report(p, `${formatPath(p)}: a resource quantity must not be negative`); continue; }
      setOwn(into, r, String(v));
    }
  };
  readQty('capacity', capacity);
  const allocatable: Record<string, string> = { ...capacity };
  const alloc: Record<string, string> = {};
  readQty('allocatable', alloc);
  for (const r of Object.keys(alloc)) {
    const p = [...path, 'allocatable', r];
    if (!hasOwn(capacity, r)) { cx.report(p, `${formatPath(p)}: "${r}" is not in capacity; allocatable is per capacity resource`, 'key'); continue; }
    if ((parseQuantity(alloc[r]) ?? 0) > (parseQuantity(capacity[r]) ?? 0)) {
      cx.report(p, `${formatPath(p)}: allocatable ${alloc[r]} exceeds capacity ${capacity[r]}`);
      continue;
    }
    setOwn(allocatable, r, alloc[r]!);
  }
  const labels: Record<string, string> = {};
  if (isRec(entry['labels'])) {
    for (const [k, v] of Object.entries(entry['labels'])) {
      if (typeof v !== 'string') continue;
      const bad = labelKeyProblem(k) ?? labelValueProblem(v);
      if (bad) cx.report([...path, 'labels', k], `${formatPath([...path, 'labels'])}: label ${JSON.stringify(k)}: ${bad}`, labelKeyProblem(k) ? 'key' : 'value');
      setOwn(labels, k, v);
    }
  }
  const taints: NodeDecl['taints'] = [];
  if (Array.isArray(entry['taints'])) {
    entry['taints'].forEach((t, k) => {
      if (!isRec(t) || typeof t['key'] !== 'string' || typeof t['effect'] !== 'string') return;
      const tp = [...path, 'taints', k];
      const badKey = labelKeyProblem(t['key']);
      if (badKey) cx.report([...tp, 'key'], `${formatPath([...tp, 'key'])}: ${badKey}`);
      const badValue = typeof t['value'] === 'string' ? labelValueProblem(t['value']) : undefined;
      if (badValue) cx.report([...tp, 'value'], `${formatPath([...tp, 'value'])}: ${badValue}`);
      const taint: NodeDecl['taints'][number] = { key: t['key'], effect: t['effect'] as NodeDecl['taints'][number]['effect'] };
      if (typeof t['value'] === 'string') taint.value = t['value'];
      taints.push(taint);
    });
  }
  const images: NodeDecl['images'] = [];
  if (Array.isArray(entry['images'])) {
    for (const im of entry['images']) {
      if (isRec(im) && typeof im['name'] === 'string') images.push({ name: im['name'], sizeBytes: typeof im['sizeBytes'] === 'number' ? im['sizeBytes'] : 0 });
    }
  }
  const unschedulable = entry['unschedulable'] === true;
  return names.map((n) => ({
    name: n,
    capacity: { ...capacity },
    allocatable: { ...allocatable },
    labels: { ...labels },
    taints: taints.map((t) => ({ ...t })),
    unschedulable,
    images: images.map((im) => ({ ...im })),
    pos,
  }));
}

/** The objects of a manifest entry: inline (a List expanded) or from `{file}`. */
function objectsOf(cx: Ctx, entry: unknown, path: Path, loadFile: ObjectLoader): LoadedObject[] {
  if (!isRec(entry)) return [];
  if (hasOwn(entry, 'file')) {
    if (typeof entry['file'] !== 'string' || entry['file'] === '' || Object.keys(entry).length !== 1) return []; // schema reported
    const r = loadFile(entry['file'], cx.pos([...path, 'file']));
    cx.problems.push(...r.problems);
    return r.objects;
  }
  return expandList({ object: entry as KObject, src: cx.src, path, pos: cx.pos(path) });
}

/** Expands a `v1` `List` into its items; other objects are returned as they are. */
export function expandList(lo: LoadedObject): LoadedObject[] {
  const o = lo.object as Rec;
  if (o['kind'] === 'List' && o['apiVersion'] === 'v1' && Array.isArray(o['items'])) {
    return (o['items'] as unknown[]).flatMap((it, k) => isRec(it)
      ? expandList({ object: it as KObject, src: lo.src, path: [...lo.path, 'items', k], pos: lo.src.locate([...lo.path, 'items', k]) })
      : []);
  }
  return [lo];
}

function buildBehavior(cx: Ctx, entry: unknown, path: Path): Behavior | undefined {
  if (!isRec(entry)) return undefined;
  const match: Behavior['match'] = {};
  if (isRec(entry['match'])) {
    const m = entry['match'];
    for (const k of ['pod', 'container', 'image', 'namespace'] as const) if (typeof m[k] === 'string') match[k] = m[k];
    if (isRec(m['labels'])) {
      const l: Record<string, string> = {};
      for (const [k, v] of Object.entries(m['labels'])) if (typeof v === 'string') setOwn(l, k, v);
      match.labels = l;
    }
  }
  const b: Behavior = {
    match,
    pull: cx.duration(entry, 'pull', path) ?? 0,
    start: cx.duration(entry, 'start', path) ?? 0,
    stopAfter: cx.duration(entry, 'stopAfter', path) ?? 0,
    probes: {},
    pos: cx.pos(path),
  };
  if (typeof entry['pullError'] === 'string') b.pullError = entry['pullError'];
  if (hasOwn(entry, 'runs') && hasOwn(entry, 'oomAfter')) {
    cx.report([...path, 'oomAfter'], `${formatPath(path)}: give either runs or oomAfter, not both`, 'key');
  }
  const oom = cx.duration(entry, 'oomAfter', path);
  if (oom !== undefined) b.oomAfter = oom;
  if (Array.isArray(entry['runs'])) {
    const runs: RunDecl[] = [];
    entry['runs'].forEach((r, k) => {
      if (!isRec(r)) return;
      const rp = [...path, 'runs', k];
      const run: RunDecl = { exitCode: typeof r['exitCode'] === 'number' ? r['exitCode'] : 0 };
      const ea = cx.duration(r, 'exitAfter', rp);
      if (ea !== undefined) run.exitAfter = ea;
      else if (hasOwn(r, 'exitCode') && !hasOwn(r, 'exitAfter')) cx.report([...rp, 'exitCode'], `${formatPath(rp)}: exitCode needs exitAfter (a run without exitAfter never exits)`, 'key');
      runs.push(run);
    });
    b.runs = runs;
  }
  if (isRec(entry['probes'])) {
    for (const kind of ['liveness', 'readiness', 'startup'] as const) {
      const p = entry['probes'][kind];
      if (!isRec(p)) continue;
      const pp = [...path, 'probes', kind];
      const ans: ProbeAnswer = {};
      const f = cx.duration(p, 'failAfter', pp);
      const s = cx.duration(p, 'passAfter', pp);
      if (f !== undefined) ans.failAfter = f;
      if (s !== undefined) ans.passAfter = s;
      b.probes[kind] = ans;
    }
  }
  return b;
}

function buildEvent(
  cx: Ctx, entry: unknown, path: Path, index: number, until: number, loadFile: ObjectLoader,
  countNodes: (n: number, path: Path) => void,
): (ScenarioEvent & { loaded?: LoadedObject[] }) | undefined {
  if (!isRec(entry)) return undefined;
  const actions = Object.keys(entry).filter((k) => (ACTIONS as readonly string[]).includes(k)) as ActionName[];
  if (actions.length === 0) {
    if (!cx.hasFlaggedWithin(path)) cx.report(path, `${formatPath(path)}: an event needs one action (${ACTIONS.join(', ')})`);
    return undefined;
  }
  if (actions.length > 1) {
    cx.report([...path, actions[1]!], `${formatPath(path)}: an event takes exactly one action, found ${actions.join(' and ')}; write one event per action`, 'key');
    return undefined;
  }
  const action = actions[0]!;
  const at = cx.duration(entry, 'at', path);
  if (at === undefined) return undefined;
  if (at > until) cx.report([...path, 'at'], `${formatPath([...path, 'at'])}: ${formatDuration(at)} is after until (${formatDuration(until)})`);
  const raw = entry[action];
  const vp = [...path, action];
  if (cx.flagged.has(pathKey(vp)) && action !== 'apply') return undefined;
  const ev: ScenarioEvent & { loaded?: LoadedObject[] } = { at, action, value: undefined, index, pos: cx.pos(path) };
  const ns = (v: Rec): string => (typeof v['namespace'] === 'string' ? v['namespace'] : 'default');
  switch (action) {
    case 'nodeDown': case 'nodeUp': case 'cordon': case 'uncordon': case 'removeNode':
      ev.value = raw;
      break;
    case 'drain': {
      const v = isRec(raw) ? raw : { node: raw };
      ev.value = {
        node: v['node'],
        ignoreDaemonSets: v['ignoreDaemonSets'] ?? true,
        deleteEmptyDirData: v['deleteEmptyDirData'] ?? false,
        force: v['force'] ?? false,
        timeoutMs: isRec(raw) ? cx.duration(raw, 'timeout', vp) ?? 0 : 0,
      };
      break;
    }
    case 'probeFail': {
      if (!isRec(raw)) return undefined;
      const v: Rec = { pod: raw['pod'], probe: raw['probe'], namespace: ns(raw) };
      if (typeof raw['container'] === 'string') v['container'] = raw['container'];
      const f = cx.duration(raw, 'for', vp);
      if (f !== undefined) v['forMs'] = f;
      ev.value = v;
      break;
    }
    case 'crash': {
      if (!isRec(raw)) return undefined;
      const v: Rec = { pod: raw['pod'], namespace: ns(raw), exitCode: typeof raw['exitCode'] === 'number' ? raw['exitCode'] : 1 };
      if (typeof raw['container'] === 'string') v['container'] = raw['container'];
      ev.value = v;
      break;
    }
    case 'apply': {
      const entries = Array.isArray(raw) ? raw.map((x, k) => ({ x, p: [...vp, k] })) : [{ x: raw, p: vp }];
      const loaded: LoadedObject[] = [];
      for (const { x, p } of entries) loaded.push(...objectsOf(cx, x, p, loadFile));
      ev.value = raw;
      ev.objects = loaded.map((lo) => ({ object: lo.object, pos: lo.pos }));
      ev.loaded = loaded;
      break;
    }
    case 'delete': {
      if (!isRec(raw)) return undefined;
      const kind = String(raw['kind']);
      const v: Rec = { kind, name: raw['name'], force: raw['force'] === true, cascade: raw['cascade'] ?? 'background' };
      if (!isClusterScoped(kind)) v['namespace'] = ns(raw);
      ev.value = v;
      break;
    }
    case 'scale':
      if (!isRec(raw)) return undefined;
      ev.value = { kind: raw['kind'], name: raw['name'], namespace: ns(raw), replicas: raw['replicas'] };
      break;
    case 'setImage': {
      if (!isRec(raw)) return undefined;
      const v: Rec = { kind: raw['kind'], name: raw['name'], namespace: ns(raw), image: raw['image'] };
      if (typeof raw['container'] === 'string') v['container'] = raw['container'];
      ev.value = v;
      break;
    }
    case 'rollback': {
      if (!isRec(raw)) return undefined;
      const v: Rec = { kind: 'Deployment', name: raw['name'], namespace: ns(raw) };
      if (typeof raw['toRevision'] === 'number') v['toRevision'] = raw['toRevision'];
      ev.value = v;
      break;
    }
    case 'addNode':
      ev.value = raw;
      ev.nodes = expandNode(cx, raw, vp, countNodes);
      break;
    case 'taint': case 'untaint': {
      if (!isRec(raw)) return undefined;
      const v: Rec = { node: raw['node'], key: raw['key'] };
      if (typeof raw['effect'] === 'string') v['effect'] = raw['effect'];
      if (action === 'taint' && typeof raw['value'] === 'string') v['value'] = raw['value'];
      ev.value = v;
      break;
    }
    case 'label': {
      if (!isRec(raw)) return undefined;
      const hasNode = hasOwn(raw, 'node'), hasPod = hasOwn(raw, 'pod');
      if (hasNode === hasPod) {
        cx.report(vp, `${formatPath(vp)}: give either node or pod (with namespace), ${hasNode ? 'not both' : 'one is needed'}`, 'key');
        return undefined;
      }
      if (hasNode && hasOwn(raw, 'namespace')) cx.report([...vp, 'namespace'], `${formatPath(vp)}: namespace applies to pods only; nodes are cluster-scoped`, 'key');
      const labels: Rec = {};
      if (isRec(raw['labels'])) for (const [k, v] of Object.entries(raw['labels'])) setOwn(labels, k, v);
      ev.value = hasNode ? { node: raw['node'], labels } : { pod: raw['pod'], namespace: ns(raw), labels };
      break;
    }
  }
  return ev;
}

/** The instant at `obj[key]` in ms (`end` = until), checked against until; undefined when absent or bad. */
function instant(cx: Ctx, obj: Rec, key: string, path: Path, until: number): number | undefined {
  if (!hasOwn(obj, key)) return undefined;
  const v = obj[key];
  if (v === 'end') return until;
  const ms = cx.duration(obj, key, path);
  if (ms === undefined) return undefined;
  if (ms > until) cx.report([...path, key], `${formatPath([...path, key])}: ${formatDuration(ms)} is after until (${formatDuration(until)})`);
  return ms;
}

function buildExpectation(
  cx: Ctx, entry: unknown, path: Path, index: number, until: number, knownKinds: ReadonlySet<string>,
  crdScope: ReadonlyMap<string, string>,
): Expectation | undefined {
  if (!isRec(entry)) return undefined;
  const here = formatPath(path);
  let ok = true;
  const fail = (p: Path, message: string, which: 'key' | 'value' = 'key'): void => { ok = false; cx.report(p, message, which); };

  // time mode
  const modes = TIME_MODES.filter((m) => hasOwn(entry, m));
  if (modes.length > 1) fail([...path, modes[1]!], `${here}: an expectation takes one time mode (at, by, always or never), found ${modes.join(' and ')}`);
  const modeName = modes[0] ?? 'at';
  if (hasOwn(entry, 'from') && modeName === 'at') fail([...path, 'from'], `${here}: from applies to by, always and never, not at`);
  if (hasOwn(entry, 'until') && modeName !== 'always' && modeName !== 'never') fail([...path, 'until'], `${here}: until applies to always and never (by has its own end: by: T)`);
  const from = instant(cx, entry, 'from', path, until) ?? 0;
  let mode: TimeMode;
  switch (modeName) {
    case 'at': mode = { kind: 'at', at: instant(cx, entry, 'at', path, until) ?? until }; break;
    case 'by': {
      const by = instant(cx, entry, 'by', path, until) ?? until;
      if (by < from) fail([...path, 'by'], `${here}: the window ends (by: ${formatDuration(by)}) before it starts (from: ${formatDuration(from)})`, 'value');
      mode = { kind: 'by', from, by };
      break;
    }
    default: {
      const u = instant(cx, entry, 'until', path, until) ?? until;
      if (u < from) fail([...path, 'until'], `${here}: the window ends (until: ${formatDuration(u)}) before it starts (from: ${formatDuration(from)})`, 'value');
      mode = { kind: modeName, from, until: u };
    }
  }

  // target
  const targets = TARGETS.filter((t) => hasOwn(entry, t));
  if (targets.length === 0) {
    if (cx.hasFlaggedWithin(path)) return undefined;
    fail(path, `${here}: an expectation needs one target: pods, pod, nodes, object or events`, 'value');
    return undefined;
  }
  if (targets.length > 1) {
    fail([...path, targets[1]!], `${here}: an expectation takes one target, found ${targets.join(' and ')}`);
    return undefined;
  }
  const tk = targets[0]!;
  const tv = entry[tk];
  const tp = [...path, tk];
  let target: Target;
  let partialKind: string | undefined;
  let shorthands: string[];
  switch (tk) {
    case 'pods': {
      const t = isRec(tv) ? tv : {};
      target = { kind: 'pods', namespace: str(t['namespace']) ?? 'default', hasNode: hasOwn(t, 'node') };
      if (isRec(t['selector'])) target.selector = t['selector'];
      if (typeof t['name'] === 'string') target.name = t['name'];
      if (hasOwn(t, 'node')) target.node = t['node'] as string | null;
      if (typeof t['owner'] === 'string') {
        target.owner = t['owner'];
        const kind = t['owner'].split('/')[0]!;
        if (t['owner'].includes('/') && kind && !knownKinds.has(kind)) fail([...tp, 'owner'], `${formatPath([...tp, 'owner'])}: ${unknownKindMessage(kind, knownKinds)}`, 'value');
      }
      if (isRec(t['where'])) target.where = t['where'];
      partialKind = 'Pod';
      shorthands = POD_SHORTHANDS;
      break;
    }
    case 'pod':
      target = { kind: 'pod', namespace: 'default', name: String(tv) };
      partialKind = 'Pod';
      shorthands = POD_SHORTHANDS;
      if (hasOwn(entry, 'count')) fail([...path, 'count'], `${here}: pod: asserts exactly one target and takes no count; use pods: {name: ...} with count`);
      break;
    case 'nodes': {
      const t = isRec(tv) ? tv : {};
      target = { kind: 'nodes' };
      if (isRec(t['selector'])) target.selector = t['selector'];
      if (typeof t['name'] === 'string') target.name = t['name'];
      if (isRec(t['where'])) target.where = t['where'];
      partialKind = 'Node';
      shorthands = NODE_SHORTHANDS;
      break;
    }
    case 'object': {
      const t = isRec(tv) ? tv : {};
      const kind = str(t['kind']) ?? '';
      target = { kind: 'object', kind_: kind };
      if (typeof t['name'] === 'string') target.name = t['name'];
      const clusterScoped = isClusterScoped(kind) || crdScope.get(kind) === 'Cluster';
      if (!clusterScoped) target.namespace = str(t['namespace']) ?? 'default';
      if (kind && !knownKinds.has(kind)) fail([...tp, 'kind'], `${formatPath([...tp, 'kind'])}: ${unknownKindMessage(kind, knownKinds)}`, 'value');
      partialKind = kind || undefined;
      shorthands = [];
      break;
    }
    default: {
      const t = isRec(tv) ? tv : {};
      target = { kind: 'events', namespace: str(t['namespace']) ?? 'default' };
      if (typeof t['object'] === 'string') {
        target.object = t['object'];
        const kind = t['object'].split('/')[0]!;
        if (t['object'].includes('/') && kind && !knownKinds.has(kind)) fail([...tp, 'object'], `${formatPath([...tp, 'object'])}: ${unknownKindMessage(kind, knownKinds)}`, 'value');
      }
      for (const k of ['reason', 'type', 'message'] as const) if (hasOwn(t, k)) target[k] = t[k];
      partialKind = 'Event';
      shorthands = EVENT_SHORTHANDS;
    }
  }

  // checks
  const checks: Rec = {};
  const keyPos: Record<string, SourcePos> = {};
  for (const k of Object.keys(entry)) {
    setOwn(keyPos, k, cx.pos([...path, k], 'key'));
    if (!ALL_CHECKS.has(k)) continue;
    if (!COMMON_CHECKS.includes(k) && !shorthands.includes(k)) {
      const owner = POD_SHORTHANDS.includes(k) ? 'pods' : NODE_SHORTHANDS.includes(k) ? 'nodes' : 'events';
      const article = tk === 'events' || tk === 'object' ? 'an' : 'a';
      fail([...path, k], `${here}: "${k}" is a${owner === 'events' ? 'n' : ''} ${owner === 'pods' ? 'pod' : owner === 'nodes' ? 'node' : 'event'} shorthand and cannot be used with ${article} ${tk} target${tk === 'object' ? ' (use all/any/none/match with a partial object)' : ''}`);
      continue;
    }
    if (k === 'ready' && (tk === 'pods' || tk === 'pod') && entry[k] === 'unknown') {
      fail([...path, k], `${here}: ready: unknown applies to nodes; a pod's ready is true or false`, 'value');
    }
    if (k === 'distinctNodes' && tk !== 'pods') {
      fail([...path, k], `${here}: distinctNodes needs a pods target (several pods)`);
    }
    setOwn(checks, k, entry[k]);
  }
  if (!Object.keys(entry).some((k) => ALL_CHECKS.has(k)) && tk !== 'pod' && !cx.hasFlaggedWithin(path)) {
    fail(path, `${here}: an expectation needs at least one check (count, all, any, none, match or a shorthand)`, 'value');
  }
  if (isRec(checks['count']) && typeof checks['count']['min'] === 'number' && typeof checks['count']['max'] === 'number' && checks['count']['min'] > checks['count']['max']) {
    fail([...path, 'count'], `${here}: count min ${checks['count']['min']} is greater than max ${checks['count']['max']}`, 'value');
  }
  if (isRec(checks['restarts']) && typeof checks['restarts']['min'] === 'number' && typeof checks['restarts']['max'] === 'number' && checks['restarts']['min'] > checks['restarts']['max']) {
    fail([...path, 'restarts'], `${here}: restarts min ${checks['restarts']['min']} is greater than max ${checks['restarts']['max']}`, 'value');
  }
  // regular expressions
  checkRegexes(cx, entry, path, () => { ok = false; });

  // partial objects
  if (partialKind) {
    for (const k of ['all', 'any', 'none', 'match']) {
      if (isRec(entry[k])) reportPartial(cx, partialKind, entry[k], [...path, k], () => { ok = false; });
    }
    const where = isRec(tv) && isRec(tv['where']) ? tv['where'] : undefined;
    if (where && isRec(where['match'])) reportPartial(cx, partialKind, where['match'], [...tp, 'where', 'match'], () => { ok = false; });
    // The `taints` shorthand is a partial list against spec.taints: its unknown fields are errors too.
    if (partialKind === 'Node' && Array.isArray(checks['taints'])) {
      reportPartial(cx, 'Node', { spec: { taints: checks['taints'] } }, [...path, 'taints'], () => { ok = false; }, 2);
    }
  }

  const name = typeof entry['name'] === 'string' ? entry['name'] : `expect[${index}]`;
  if (!ok) return undefined;
  return { index, name, mode, target, checks, raw: plainCopy(entry), pos: cx.pos(path), keyPos };
}

/** Reports a partial object's problems; `skip` leading path elements of each issue are not in the file (a shorthand). */
function reportPartial(cx: Ctx, kind: string, partial: Rec, path: Path, onError: () => void, skip = 0): void {
  for (const issue of safeCheck(() => checkPartial(kind, partial))) {
    if (issue.message.includes('$regex')) continue; // checkRegexes reports those, for every kind
    const pos = cx.src.locate([...path, ...issue.path.slice(skip)], /^unknown field/.test(issue.message) ? 'key' : 'value');
    const msg = issue.message;
    if (issue.severity === 'warning') cx.warnings.push(`${pos.file}:${pos.line}:${pos.col}: ${msg}`);
    else { onError(); cx.problems.push({ pos, message: msg }); }
  }
}

/** Every `$regex` in an expectation must compile (ECMAScript, no flags). */
function checkRegexes(cx: Ctx, v: unknown, path: Path, onError: () => void, depth = 0): void {
  if (depth > 100) return;
  if (Array.isArray(v)) { v.forEach((x, i) => checkRegexes(cx, x, [...path, i], onError, depth + 1)); return; }
  if (!isRec(v)) return;
  for (const k of Object.keys(v)) {
    if (k === '$regex' && typeof v[k] === 'string') {
      const bad = regexProblem(v[k] as string);
      if (bad) {
        onError();
        cx.report([...path, k], `${formatPath([...path, k])}: ${bad}`);
      }
    } else if (k === '$regex') {
      onError();
      // The scenario schema already types the shorthands' operators; partial objects are checked here.
      if (!cx.hasFlaggedWithin([...path, k])) cx.report([...path, k], `${formatPath([...path, k])}: expected a string (a regular expression), got ${JSON.stringify(v[k])}`, 'value');
    } else checkRegexes(cx, v[k], [...path, k], onError, depth + 1);
  }
}
