/**
 * The Kubernetes Event recorder: core/v1 Events with reason, type, message, involvedObject, source,
 * count and first/last timestamps. Identical repeats (object, type, reason, message, source) fold into one
 * Event with a rising count; none expire.
 */
import type { KObject } from '../k8s/types.js';
import { isClusterScoped } from '../k8s/types.js';
import type { Prng } from './prng.js';
import type { Trace, TraceRecord } from './trace.js';
import { toTime } from '../k8s/time.js';

/** A recorded Event. */
export interface RecordedEvent {
  name: string;
  namespace: string;
  involvedObject: { apiVersion: string; kind: string; name: string; namespace?: string; uid: string; fieldPath?: string };
  reason: string;
  type: 'Normal' | 'Warning';
  message: string;
  source: { component: string; host?: string };
  count: number;
  firstMs: number;
  lastMs: number;
}

/** Up to this many Events per involved object are scanned linearly; beyond, they are grouped by message. */
const LINEAR_LIMIT = 16;

type Bucket = RecordedEvent[] | Map<string, RecordedEvent | RecordedEvent[]>;

/**
 * The fold index: Events by involved-object uid, then (for objects with many Events, like a ReplicaSet's
 * SuccessfulCreate per pod) by message. A match is the same type, reason, message, component, host and
 * fieldPath (an absent host or fieldPath equals an empty one). No key string is built per Event.
 */
export class EventFoldIndex {
  private readonly byUid = new Map<string, Bucket>();

  /** The Event with these fields about `uid`, if one was added. */
  find(uid: string, type: string, reason: string, message: string, component: string, host: string, fieldPath: string): RecordedEvent | undefined {
    const b = this.byUid.get(uid);
    if (b === undefined) return undefined;
    if (Array.isArray(b)) return scan(b, type, reason, message, component, host, fieldPath);
    const m = b.get(message);
    if (m === undefined) return undefined;
    if (!Array.isArray(m)) return matches(m, type, reason, message, component, host, fieldPath) ? m : undefined;
    return scan(m, type, reason, message, component, host, fieldPath);
  }

  /** Adds an Event about `uid` (not already matched by `find`). */
  add(uid: string, ev: RecordedEvent): void {
    const b = this.byUid.get(uid);
    if (b === undefined) { this.byUid.set(uid, [ev]); return; }
    if (Array.isArray(b)) {
      if (b.length < LINEAR_LIMIT) {
        // A copy of exactly the new length: push would grow the short list to 17+ slots.
        const n = b.length, nb = new Array<RecordedEvent>(n + 1);
        for (let i = 0; i < n; i++) nb[i] = b[i]!;
        nb[n] = ev;
        this.byUid.set(uid, nb);
        return;
      }
      const m = new Map<string, RecordedEvent | RecordedEvent[]>();
      for (const e of b) addByMessage(m, e);
      addByMessage(m, ev);
      this.byUid.set(uid, m);
      return;
    }
    addByMessage(b, ev);
  }

  /** Number of involved objects with Events (tests). */
  get objects(): number {
    return this.byUid.size;
  }
}

function addByMessage(m: Map<string, RecordedEvent | RecordedEvent[]>, ev: RecordedEvent): void {
  const prev = m.get(ev.message);
  if (prev === undefined) m.set(ev.message, ev);
  else if (Array.isArray(prev)) prev.push(ev);
  else m.set(ev.message, [prev, ev]);
}

function matches(e: RecordedEvent, type: string, reason: string, message: string, component: string, host: string, fieldPath: string): boolean {
  return e.type === type && e.reason === reason && e.message === message && e.source.component === component &&
    (e.source.host ?? '') === host && (e.involvedObject.fieldPath ?? '') === fieldPath;
}

function scan(list: readonly RecordedEvent[], type: string, reason: string, message: string, component: string, host: string,
  fieldPath: string): RecordedEvent | undefined {
  for (let i = 0; i < list.length; i++) {
    const e = list[i]!;
    if (matches(e, type, reason, message, component, host, fieldPath)) return e;
  }
  return undefined;
}

/** `Kind ns/name` of an involved object, as trace records name objects. */
function involvedWhat(o: RecordedEvent['involvedObject']): string {
  return `${o.kind} ${o.namespace ? o.namespace + '/' : ''}${o.name}`;
}

/**
 * The trace record of an Event, built from the recorded Event when read: `event` / `Kind ns/name` /
 * `<type> <reason>: <message>`, like the record `Trace.add` would keep, without holding those strings.
 */
class EventTraceRecord implements TraceRecord {
  constructor(readonly t: number, private readonly ev: RecordedEvent) {}
  get type(): string { return 'event'; }
  get object(): string { return involvedWhat(this.ev.involvedObject); }
  get message(): string { return `${this.ev.type} ${this.ev.reason}: ${this.ev.message}`; }
  toJSON(): { t: number; type: string; object: string; message: string } {
    return { t: this.t, type: this.type, object: this.object, message: this.message };
  }
}

/** Records and folds Events. */
export class EventRecorder {
  readonly events: RecordedEvent[] = [];
  private index = new EventFoldIndex();
  private readonly sources = new Map<string, Map<string, RecordedEvent['source']>>();
  private readonly messages = new Map<string, string>();

  constructor(private readonly now: () => number, private readonly rng: Prng, private readonly trace: Trace) {}

  /** Emits an Event about `obj`. */
  record(obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string, component: string,
    host?: string, fieldPath?: string): void {
    const md = obj.metadata;
    // String(uid): the folding key always spelled the uid out, `undefined` included.
    const uid = String(md.uid);
    const t = this.now();
    const prev = this.index.find(uid, type, reason, message, component, host ?? '', fieldPath ?? '');
    if (prev) {
      this.traceEvent(t, prev, obj);
      prev.count++;
      prev.lastMs = t;
      return;
    }
    const ns = isClusterScoped(obj.kind) ? 'default' : (md.namespace ?? 'default');
    // Built whole (same key order as adding namespace and fieldPath after uid) so that no property array is added.
    const apiVersion = obj.apiVersion, kind = obj.kind, name = md.name, iuid = md.uid ?? '', namespace = md.namespace;
    const involved: RecordedEvent['involvedObject'] = namespace
      ? (fieldPath ? { apiVersion, kind, name, uid: iuid, namespace, fieldPath } : { apiVersion, kind, name, uid: iuid, namespace })
      : (fieldPath ? { apiVersion, kind, name, uid: iuid, fieldPath } : { apiVersion, kind, name, uid: iuid });
    const ev: RecordedEvent = {
      name: this.rng.stringAfter(`${md.name}.`, 16, '0123456789abcdef'),
      namespace: ns,
      involvedObject: involved,
      reason, type, message: this.intern(message),
      source: this.source(component, host),
      count: 1, firstMs: t, lastMs: t,
    };
    this.traceEvent(t, ev, obj);
    this.events.push(ev);
    this.index.add(uid, ev);
  }

  /**
   * One string object per distinct message (most messages repeat: "Pulling image ...", "Created container
   * ..."), so that every Event does not keep its own copy. Bounded: starts over past 4096 messages.
   */
  private intern(message: string): string {
    const m = this.messages.get(message);
    if (m !== undefined) return m;
    if (this.messages.size >= 4096) this.messages.clear();
    this.messages.set(message, message);
    return message;
  }

  /** The (shared, never mutated) source of Events from `component` on `host`. */
  private source(component: string, host: string | undefined): RecordedEvent['source'] {
    let byHost = this.sources.get(component);
    if (!byHost) this.sources.set(component, (byHost = new Map()));
    const h = host || '';
    let src = byHost.get(h);
    if (!src) byHost.set(h, (src = host ? { component, host } : { component }));
    return src;
  }

  /** The `event` trace record: kept as a view of the Event when it names `obj` as `obj` names itself. */
  private traceEvent(t: number, ev: RecordedEvent, obj: KObject): void {
    const md = obj.metadata, io = ev.involvedObject;
    if (io.kind === obj.kind && io.name === md.name && (io.namespace ?? '') === (md.namespace || '')) {
      this.trace.push(new EventTraceRecord(t, ev));
    } else {
      this.trace.add('event', `${ev.type} ${ev.reason}: ${ev.message}`, `${obj.kind} ${md.namespace ? md.namespace + '/' : ''}${md.name}`);
    }
  }

  /** The Event as `kubectl get event -o yaml` shows it. */
  static toObject(e: RecordedEvent): KObject {
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: e.name, namespace: e.namespace, creationTimestamp: toTime(e.firstMs) },
      involvedObject: { ...e.involvedObject },
      reason: e.reason,
      message: e.message,
      source: { ...e.source },
      firstTimestamp: toTime(e.firstMs),
      lastTimestamp: toTime(e.lastMs),
      count: e.count,
      type: e.type,
      reportingComponent: e.source.component,
      reportingInstance: e.source.host ?? '',
    };
  }
}
