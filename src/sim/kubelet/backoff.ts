/**
 * client-go's `flowcontrol.Backoff` as the kubelet uses it for container restarts and image pulls
 * (k8s.io/client-go/util/flowcontrol/backoff.go), without jitter: per key an entry {backoff, lastUpdate};
 * `next` starts at `initial` or doubles up to `max`; an entry expires when an event comes more than
 * 2 × max after its last update.
 */

interface Entry {
  backoff: number;
  lastUpdate: number;
}

/** A per-key exponential back-off on virtual ms. */
export class Backoff {
  private readonly entries = new Map<string, Entry>();

  /** `initial` and `max` in ms. */
  constructor(private readonly initial: number, private readonly max: number) {}

  private expired(eventTime: number, lastUpdate: number): boolean {
    return eventTime - lastUpdate > 2 * this.max;
  }

  /** `IsInBackOffSince`: whether `now` lies inside the window that started at `eventTime`. */
  isInBackOffSince(key: string, eventTime: number, now: number): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    if (this.expired(eventTime, e.lastUpdate)) return false;
    return now - eventTime < e.backoff;
  }

  /** `IsInBackOffSinceUpdate`: whether `now` lies inside the window that started at the last update. */
  isInBackOffSinceUpdate(key: string, now: number): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    if (this.expired(now, e.lastUpdate)) return false;
    return now - e.lastUpdate < e.backoff;
  }

  /** `Next`: starts or doubles the entry, stamping `now`. */
  next(key: string, eventTime: number, now: number): void {
    const e = this.entries.get(key);
    if (!e || this.expired(eventTime, e.lastUpdate)) this.entries.set(key, { backoff: this.initial, lastUpdate: now });
    else {
      e.backoff = Math.min(e.backoff * 2, this.max);
      e.lastUpdate = now;
    }
  }

  /** The current window of a key in ms (0 without an entry). */
  get(key: string): number {
    return this.entries.get(key)?.backoff ?? 0;
  }

  /** Forgets a key. */
  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every key starting with `prefix` (a pod's entries when it goes). */
  resetPrefix(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}
