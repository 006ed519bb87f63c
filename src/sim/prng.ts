/**
 * The simulation's only source of randomness: a seeded xoshiro128** generator, split per component by
 * name so that adding a component does not shift the streams of the others.
 */

/** 32-bit FNV-1a of a string. */
export function fnv1a32(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A deterministic pseudo-random generator (xoshiro128**). */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private readonly seed: number;

  /** Creates a generator from a 32-bit seed. */
  constructor(seed: number) {
    this.seed = seed >>> 0;
    const sm = splitmix32(this.seed);
    this.a = sm();
    this.b = sm();
    this.c = sm();
    this.d = sm();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** An independent generator for a named component, derived from this generator's seed only. */
  fork(name: string): Prng {
    return new Prng(fnv1a32(name, this.seed ^ 0x9e3779b9));
  }

  /** The next unsigned 32-bit value. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.b << 9) >>> 0;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    this.a >>>= 0; this.b >>>= 0; this.c >>>= 0; this.d >>>= 0;
    return result;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    if (n <= 0) return 0;
    return Math.floor(this.next() * n);
  }

  /** `prefix` followed by `string(n, alphabet)`, built as one flat string (names that are kept, like Events'). */
  stringAfter(prefix: string, n: number, alphabet: string): string {
    const len = alphabet.length;
    if (len === 0 || !(n > 0) || n > 4096 || prefix.length > 4096) return prefix + this.string(n, alphabet);
    const p = prefix.length, total = Math.ceil(n);
    const codes = new Array<number>(p + total);
    for (let i = 0; i < p; i++) codes[i] = prefix.charCodeAt(i);
    for (let i = 0; i < total; i++) codes[p + i] = alphabet.charCodeAt(this.int(len));
    return String.fromCharCode.apply(null, codes);
  }

  /** A random string of `n` characters from `alphabet`. */
  string(n: number, alphabet: string): string {
    const len = alphabet.length;
    if (len === 0) {
      // No draws (int(0) draws none); each position is `undefined`, as indexing an empty string gives.
      let s = '';
      for (let i = 0; i < n; i++) s += alphabet[0];
      return s;
    }
    const total = Math.ceil(n); // a fractional n drew ceil(n) characters
    if (!(total > 0)) return '';
    // One flat string from the drawn code units (a += loop would leave a chain of cons strings).
    let out = '';
    for (let done = 0; done < total; done += 4096) {
      const m = Math.min(4096, total - done);
      const codes = new Array<number>(m);
      for (let i = 0; i < m; i++) codes[i] = alphabet.charCodeAt(this.int(len));
      out += String.fromCharCode.apply(null, codes);
    }
    return out;
  }

  /** A version-4 UUID drawn from this generator. */
  uuid(): string {
    const a = this.nextU32(), b = this.nextU32(), c = this.nextU32(), d = this.nextU32();
    // xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx written digit by digit into one flat string.
    const codes = new Array<number>(36);
    hexInto(codes, 0, a, 8);
    codes[8] = 45;
    hexInto(codes, 9, b >>> 16, 4);
    codes[13] = 45;
    hexInto(codes, 14, ((b & 0x0fff) | 0x4000) >>> 0, 4);
    codes[18] = 45;
    hexInto(codes, 19, ((c >>> 16) & 0x3fff) | 0x8000, 4);
    codes[23] = 45;
    hexInto(codes, 24, c & 0xffff, 4);
    hexInto(codes, 28, d, 8);
    return String.fromCharCode.apply(null, codes);
  }
}

/** Writes `v` (unsigned, < 16^len) as `len` lower-case hex digits, zero-padded, at `codes[at]`. */
function hexInto(codes: number[], at: number, v: number, len: number): void {
  for (let i = len - 1; i >= 0; i--) {
    const h = v & 15;
    codes[at + i] = h < 10 ? 48 + h : 87 + h;
    v >>>= 4;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
