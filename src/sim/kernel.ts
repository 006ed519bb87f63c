/**
 * The discrete-event kernel: an integer-millisecond virtual clock, a binary heap of timers ordered by
 * (time, priority, sequence) and a FIFO of reactions that run at the current instant. Nothing here reads
 * the wall clock.
 */

/** Priorities at one instant: scenario events before everything else (time model step 2 before 3). */
export const PRIORITY = { scenario: 0, timer: 10 } as const;

/** A handle to cancel a timer. */
export type TimerId = number;

interface Timer {
  time: number;
  priority: number;
  seq: number;
  fn: () => void;
  label: string;
  cancelled: boolean;
}

/** Raised when an instant's reactions never settle (controllers fighting). */
export class StepLimitError extends Error {
  /** What was running when the limit was reached. */
  readonly loop: string;
  constructor(limit: number, loop: string) {
    super(`reactions did not settle within ${limit} steps at one instant (last: ${loop})`);
    this.name = 'StepLimitError';
    this.loop = loop;
  }
}

/** The simulation clock and event queue. */
export class Kernel {
  /** Current virtual time in ms. */
  now = 0;
  /** Reactions allowed per instant before the run ends with an error. */
  stepLimit: number;
  private heap: Timer[] = [];
  private seq = 0;
  private byId = new Map<TimerId, Timer>();
  private reactions: Array<{ fn: () => void; label: string }> = [];
  private reactionHead = 0;
  private stepsThisInstant = 0;
  /** Total timers fired (for figures). */
  fired = 0;

  /** Creates a kernel; `stepLimit` bounds the work of one instant. */
  constructor(stepLimit = 1_000_000) {
    this.stepLimit = stepLimit;
  }

  /** Schedules `fn` at absolute time `time` (ms, not before now). */
  at(time: number, fn: () => void, label = 'timer', priority: number = PRIORITY.timer): TimerId {
    const t: Timer = { time: Math.max(time, this.now), priority, seq: ++this.seq, fn, label, cancelled: false };
    this.push(t);
    this.byId.set(t.seq, t);
    return t.seq;
  }

  /** Schedules `fn` `delay` ms from now. */
  after(delay: number, fn: () => void, label = 'timer', priority: number = PRIORITY.timer): TimerId {
    return this.at(this.now + Math.max(0, Math.round(delay)), fn, label, priority);
  }

  /** Cancels a timer; a no-op for fired or unknown ones. */
  cancel(id: TimerId | undefined): void {
    if (id === undefined) return;
    const t = this.byId.get(id);
    if (t) {
      t.cancelled = true;
      this.byId.delete(id);
    }
  }

  /** Queues a reaction at the current instant; reactions run first in, first out. */
  react(fn: () => void, label = 'reaction'): void {
    this.reactions.push({ fn, label });
  }

  /** Runs queued reactions (and the reactions they queue) until none is left. */
  drain(): void {
    while (this.reactionHead < this.reactions.length) {
      const r = this.reactions[this.reactionHead++]!;
      if (++this.stepsThisInstant > this.stepLimit) throw new StepLimitError(this.stepLimit, r.label);
      r.fn();
    }
    this.reactions.length = 0;
    this.reactionHead = 0;
  }

  /** Time of the next live timer, or undefined. */
  peekTime(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.time;
  }

  /**
   * Advances to the next instant and runs everything due then: each timer in order, each followed by the
   * reactions it caused. Returns the instant, or undefined when nothing is scheduled.
   */
  runInstant(): number | undefined {
    const t = this.peekTime();
    if (t === undefined) return undefined;
    this.now = t;
    this.stepsThisInstant = 0;
    // Step 2: the scenario's events due now, in file order, before anything reacts.
    for (;;) {
      this.dropCancelled();
      const top = this.heap[0];
      if (!top || top.time !== t || top.priority !== PRIORITY.scenario) break;
      this.fire(top);
    }
    // Step 3: reactions to them (and to step 1 at t=0), then every other timer due now, each followed by
    // the reactions it caused.
    this.drain();
    for (;;) {
      this.dropCancelled();
      const top = this.heap[0];
      if (!top || top.time !== t) break;
      this.fire(top);
      this.drain();
    }
    return t;
  }

  private fire(top: Timer): void {
    this.pop();
    this.byId.delete(top.seq);
    if (++this.stepsThisInstant > this.stepLimit) throw new StepLimitError(this.stepLimit, top.label);
    this.fired++;
    top.fn();
  }

  /** Sets the clock (used before the first instant). */
  setNow(t: number): void {
    this.now = t;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
  }

  private less(a: Timer, b: Timer): boolean {
    if (a.time !== b.time) return a.time < b.time;
    if (a.priority !== b.priority) return a.priority < b.priority;
    return a.seq < b.seq;
  }

  private push(t: Timer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Timer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
