/**
 * Kernel figures: the same timeout-heavy workload (1,000 processes each waiting random delays, 1M
 * timeouts) in kubedrill's kernel, in a bare binary-heap loop (the practical limit) and in SimPy 2.3.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Kernel } from '../src/sim/kernel.js';
import { Prng } from '../src/sim/prng.js';

/** Events per second of kubedrill's kernel on the workload. */
export function kernelEventsPerSecond(n: number, procs = 1000): number {
  const k = new Kernel(Number.MAX_SAFE_INTEGER);
  const rng = new Prng(1);
  let count = 0;
  const wait = () => {
    if (++count >= n) return;
    k.after(1 + rng.int(10_000), wait, 'wait');
  };
  for (let i = 0; i < procs; i++) k.after(1 + rng.int(10_000), wait, 'wait');
  const t0 = process.hrtime.bigint();
  while (count < n && k.runInstant() !== undefined) { /* run */ }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return count / s;
}

/** Events per second of a bare binary heap of (time, seq) in typed arrays: push/pop, no closures. */
export function bareHeapEventsPerSecond(n: number, procs = 1000): number {
  const cap = procs + 16;
  const time = new Float64Array(cap);
  const seq = new Float64Array(cap);
  const proc = new Int32Array(cap);
  let size = 0;
  let s = 0;
  const rng = new Prng(1);
  const less = (a: number, b: number) => time[a]! < time[b]! || (time[a] === time[b] && seq[a]! < seq[b]!);
  const swap = (a: number, b: number) => {
    let t = time[a]!; time[a] = time[b]!; time[b] = t;
    t = seq[a]!; seq[a] = seq[b]!; seq[b] = t;
    const p = proc[a]!; proc[a] = proc[b]!; proc[b] = p;
  };
  const push = (t: number, p: number) => {
    let i = size++;
    time[i] = t; seq[i] = ++s; proc[i] = p;
    while (i > 0) { const q = (i - 1) >> 1; if (!less(i, q)) break; swap(i, q); i = q; }
  };
  const pop = () => {
    const t = time[0]!; const p = proc[0]!;
    size--;
    time[0] = time[size]!; seq[0] = seq[size]!; proc[0] = proc[size]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < size && less(l, m)) m = l;
      if (r < size && less(r, m)) m = r;
      if (m === i) break;
      swap(i, m); i = m;
    }
    return [t, p] as const;
  };
  for (let i = 0; i < procs; i++) push(1 + rng.int(10_000), i);
  let count = 0;
  const t0 = process.hrtime.bigint();
  while (count < n) {
    const [t, p] = pop();
    count++;
    push(t + 1 + rng.int(10_000), p);
  }
  return count / (Number(process.hrtime.bigint() - t0) / 1e9);
}

/** Events per second of SimPy 2.3 on the workload, or undefined when SimPy is not installed. */
export function simpyEventsPerSecond(n: number, script: string): number | undefined {
  const py = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const r = spawnSync(py, [script, String(n)], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const [count, secs] = r.stdout.trim().split(/\s+/).map(Number);
  return count && secs ? count / secs : undefined;
}
