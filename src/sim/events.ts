/**
 * The Kubernetes Event recorder: core/v1 Events with reason, type, message, involvedObject, source,
 * count and first/last timestamps. Identical repeats (object, type, reason, message, source) fold into one
 * Event with a rising count; none expire.
 */
import type { KObject } from '../k8s/types.js';
import { isClusterScoped } from '../k8s/types.js';
import type { Prng } from './prng.js';
import type { Trace } from './trace.js';
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

/** Records and folds Events. */
export class EventRecorder {
  readonly events: RecordedEvent[] = [];
  private index = new Map<string, RecordedEvent>();

  constructor(private readonly now: () => number, private readonly rng: Prng, private readonly trace: Trace) {}

  /** Emits an Event about `obj`. */
  record(obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string, component: string,
    host?: string, fieldPath?: string): void {
    const md = obj.metadata;
    const key = `${md.uid}\u0000${type}\u0000${reason}\u0000${message}\u0000${component}\u0000${host ?? ''}\u0000${fieldPath ?? ''}`;
    const t = this.now();
    const prev = this.index.get(key);
    const what = `${obj.kind} ${md.namespace ? md.namespace + '/' : ''}${md.name}`;
    this.trace.add('event', `${type} ${reason}: ${message}`, what);
    if (prev) {
      prev.count++;
      prev.lastMs = t;
      return;
    }
    const ns = isClusterScoped(obj.kind) ? 'default' : (md.namespace ?? 'default');
    const involved: RecordedEvent['involvedObject'] = { apiVersion: obj.apiVersion, kind: obj.kind, name: md.name, uid: md.uid ?? '' };
    if (md.namespace) involved.namespace = md.namespace;
    if (fieldPath) involved.fieldPath = fieldPath;
    const ev: RecordedEvent = {
      name: `${md.name}.${this.rng.string(16, '0123456789abcdef')}`,
      namespace: ns,
      involvedObject: involved,
      reason, type, message,
      source: host ? { component, host } : { component },
      count: 1, firstMs: t, lastMs: t,
    };
    this.events.push(ev);
    this.index.set(key, ev);
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
