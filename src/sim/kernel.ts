/**
 * The discrete-event kernel: an integer-millisecond virtual clock, a binary heap of timers ordered by
 * (time, priority, sequence) and a FIFO of reactions that run at the current instant. Nothing here reads
 * the wall clock.
 *
 * Timers live in slots of parallel arrays (time and order key in Float64Arrays, callback and label in
 * plain arrays) and the heap is an Int32Array of slot numbers, so scheduling and firing a timer allocates
 * nothing but the caller's closure. Freed slots are reused; a TimerId names a slot and the sequence number
 * it was issued with, so cancelling a fired (or reused) timer is a no-op.
 */

/** Priorities at one instant: scenario events before everything else (time model step 2 before 3). */
export const PRIORITY = { scenario: 0, timer: 10 } as const;

/** A handle to cancel a timer. */
export type TimerId = number;

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

/** Slots per TimerId: id = seq * SLOTS + slot. */
const SLOTS = 2 ** 22;
/** Sequence numbers per priority in the order key: key = priority * SEQS + seq. */
const SEQS = 2 ** 40;

function noop(): void { /* freed slot */ }

/** The simulation clock and event queue. */
export class Kernel {
  /** Current virtual time in ms. */
  now = 0;
  /** Reactions allowed per instant before the run ends with an error. */
  stepLimit: number;
  private seq = 0;
  // Timer slots.
  private cap = 1024;
  private tTime = new Float64Array(this.cap);
  private tKey = new Float64Array(this.cap);
  private tSeq = new Float64Array(this.cap);
  private tCancelled = new Uint8Array(this.cap);
  private tFn: Array<() => void> = new Array<() => void>(this.cap).fill(noop);
  private tLabel: string[] = new Array<string>(this.cap).fill('');
  private free = new Int32Array(this.cap);
  private freeTop = 0;
  private used = 0;
  // Heap of slots.
  private heap = new Int32Array(this.cap);
  private size = 0;
  // Reactions (FIFO in two parallel arrays).
  private rFn: Array<() => void> = [];
  private rLabel: string[] = [];
  private reactionHead = 0;
  private stepsThisInstant = 0;
  /** Total timers fired (for figures). */
  fired = 0;

  /** Creates a kernel; `stepLimit` bounds the work of one instant. */
  constructor(stepLimit = 1_000_000) {
    this.stepLimit = stepLimit;
  }

  /** Schedules `fn` at absolute time `time` (ms, not before now); `priority` is a small non-negative integer. */
  at(time: number, fn: () => void, label = 'timer', priority: number = PRIORITY.timer): TimerId {
    const seq = ++this.seq;
    let slot: number;
    if (this.freeTop > 0) slot = this.free[--this.freeTop]!;
    else {
      if (this.used === this.cap) this.grow();
      slot = this.used++;
    }
    this.tTime[slot] = time > this.now ? time : this.now;
    this.tKey[slot] = priority * SEQS + seq;
    this.tSeq[slot] = seq;
    this.tCancelled[slot] = 0;
    this.tFn[slot] = fn;
    this.tLabel[slot] = label;
    this.push(slot);
    return seq * SLOTS + slot;
  }

  /** Schedules `fn` `delay` ms from now. */
  after(delay: number, fn: () => void, label = 'timer', priority: number = PRIORITY.timer): TimerId {
    return this.at(this.now + (delay > 0 ? Math.round(delay) : 0), fn, label, priority);
  }

  /** Cancels a timer; a no-op for fired or unknown ones. */
  cancel(id: TimerId | undefined): void {
    if (id === undefined) return;
    const slot = id % SLOTS;
    const seq = (id - slot) / SLOTS;
    if (slot < this.used && this.tSeq[slot] === seq) {
      this.tCancelled[slot] = 1;
      this.tSeq[slot] = 0;
    }
  }

  /** Queues a reaction at the current instant; reactions run first in, first out. */
  react(fn: () => void, label = 'reaction'): void {
    this.rFn.push(fn);
    this.rLabel.push(label);
  }

  /** Runs queued reactions (and the reactions they queue) until none is left. */
  drain(): void {
    const fns = this.rFn;
    if (this.reactionHead >= fns.length) return;
    while (this.reactionHead < fns.length) {
      const i = this.reactionHead++;
      const fn = fns[i]!;
      if (++this.stepsThisInstant > this.stepLimit) throw new StepLimitError(this.stepLimit, this.rLabel[i]!);
      fns[i] = noop;
      fn();
    }
    fns.length = 0;
    this.rLabel.length = 0;
    this.reactionHead = 0;
  }

  /** Time of the next live timer, or undefined. */
  peekTime(): number | undefined {
    this.dropCancelled();
    return this.size > 0 ? this.tTime[this.heap[0]!] : undefined;
  }

  /**
   * Advances to the next instant and runs everything due then: each timer in order, each followed by the
   * reactions it caused. Returns the instant, or undefined when nothing is scheduled.
   */
  runInstant(): number | undefined {
    this.dropCancelled();
    if (this.size === 0) return undefined;
    // (The arrays are re-read after every callback: scheduling can grow them.)
    const t = this.tTime[this.heap[0]!]!;
    this.now = t;
    this.stepsThisInstant = 0;
    // Step 2: the scenario's events due now, in file order, before anything reacts.
    const scenarioKeyLimit = (PRIORITY.scenario + 1) * SEQS;
    for (;;) {
      this.dropCancelled();
      if (this.size === 0) break;
      const top = this.heap[0]!;
      if (this.tTime[top] !== t || this.tKey[top]! >= scenarioKeyLimit) break;
      this.fire();
    }
    // Step 3: reactions to them (and to step 1 at t=0), then every other timer due now, each followed by
    // the reactions it caused.
    this.drain();
    for (;;) {
      this.dropCancelled();
      if (this.size === 0 || this.tTime[this.heap[0]!] !== t) break;
      this.fire();
      this.drain();
    }
    return t;
  }

  /** Pops the top timer, frees its slot and runs it. */
  private fire(): void {
    const slot = this.pop();
    const fn = this.tFn[slot]!;
    const label = this.tLabel[slot]!;
    this.release(slot);
    if (++this.stepsThisInstant > this.stepLimit) throw new StepLimitError(this.stepLimit, label);
    this.fired++;
    fn();
  }

  /** Sets the clock (used before the first instant). */
  setNow(t: number): void {
    this.now = t;
  }

  private release(slot: number): void {
    this.tSeq[slot] = 0;
    this.tFn[slot] = noop;
    // A fired or cancelled timer's label is not kept alive until its slot is reused.
    this.tLabel[slot] = '';
    this.free[this.freeTop++] = slot;
  }

  private dropCancelled(): void {
    while (this.size > 0 && this.tCancelled[this.heap[0]!] === 1) this.release(this.pop());
  }

  private grow(): void {
    const cap = this.cap * 2;
    if (cap > SLOTS) throw new Error(`more than ${SLOTS} timers pending`);
    const f64 = (a: Float64Array) => { const b = new Float64Array(cap); b.set(a); return b; };
    this.tTime = f64(this.tTime);
    this.tKey = f64(this.tKey);
    this.tSeq = f64(this.tSeq);
    const c = new Uint8Array(cap); c.set(this.tCancelled); this.tCancelled = c;
    const fr = new Int32Array(cap); fr.set(this.free); this.free = fr;
    const h = new Int32Array(cap); h.set(this.heap); this.heap = h;
    for (let i = this.cap; i < cap; i++) { this.tFn.push(noop); this.tLabel.push(''); }
    this.cap = cap;
  }

  private push(slot: number): void {
    const h = this.heap, tt = this.tTime, tk = this.tKey;
    const time = tt[slot]!, key = tk[slot]!;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const ps = h[p]!;
      const pt = tt[ps]!;
      if (pt < time || (pt === time && tk[ps]! < key)) break;
      h[i] = ps;
      i = p;
    }
    h[i] = slot;
  }

  private pop(): number {
    const h = this.heap, tt = this.tTime, tk = this.tKey;
    const top = h[0]!;
    const n = --this.size;
    if (n > 0) {
      const last = h[n]!;
      const time = tt[last]!, key = tk[last]!;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        let cs = h[c]!;
        let ct = tt[cs]!;
        const r = c + 1;
        if (r < n) {
          const rs = h[r]!;
          const rt = tt[rs]!;
          if (rt < ct || (rt === ct && tk[rs]! < tk[cs]!)) { c = r; cs = rs; ct = rt; }
        }
        if (time < ct || (time === ct && key < tk[cs]!)) break;
        h[i] = cs;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
