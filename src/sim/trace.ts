/**
 * What happened, in order: one immutable record per notable step (scenario actions, object writes,
 * Kubernetes Events, scheduling attempts, kubelet actions). `kubedrill trace` prints it; the determinism
 * test compares two of them byte for byte.
 */

/** One trace record. */
export interface TraceRecord {
  /** Simulated ms. */
  readonly t: number;
  /** Category: action, create, update, delete, event, schedule, kubelet, node, error, ... */
  readonly type: string;
  /** Object the record is about (`Kind ns/name`), when any. */
  readonly object?: string;
  /** Human-readable detail. */
  readonly message: string;
}

/** An append-only list of trace records. */
export class Trace {
  readonly records: TraceRecord[] = [];
  /** When false, only actions, events and errors are kept (large runs). */
  verbose = true;

  constructor(private readonly now: () => number) {}

  /** Whether a record of this type is kept: callers skip building the strings of one that is not. */
  keeps(type: string): boolean {
    return this.verbose || type === 'action' || type === 'event' || type === 'error';
  }

  /** Appends a record at the current time. */
  add(type: string, message: string, object?: string): void {
    if (!this.keeps(type)) return;
    this.records.push(object === undefined ? { t: this.now(), type, message } : { t: this.now(), type, object, message });
  }

  /**
   * Appends a record built by the caller (one that reads like an `add` at its time, e.g. computing its
   * strings when read); kept under the same rule as `add` for its type.
   */
  push(record: TraceRecord): void {
    if (!this.keeps(record.type)) return;
    this.records.push(record);
  }
}
