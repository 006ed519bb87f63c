/**
 * Per-node data laid out by `NodeInfo.idx` (a column per image), for the Score loops that visit every
 * scored node: reading one array that stays in cache beats a hash lookup in each node's own map.
 * Holds the same facts as the NodeInfos' `imageSizes` (the snapshot's ImageStateSummary numNodes too).
 */

/** `a` itself when it has at least `length` entries, else a copy doubled in size until it has (new entries 0). */
export function atLeast<T extends Float64Array | Int32Array>(a: T, length: number): T {
  if (length <= a.length) return a;
  let n = Math.max(1, a.length);
  while (n < length) n *= 2;
  const grown = new (a.constructor as new (size: number) => T)(n);
  grown.set(a);
  return grown;
}

/** Image sizes by node slot, and the number of nodes holding each image. */
export class ImageColumns {
  private readonly cols = new Map<string, Float64Array>();
  private readonly counts = new Map<string, number>();
  private cap = 64;

  /** Sizes of an image by node slot (0 where the node does not hold it), or undefined when no node ever did. */
  sizes(image: string): Float64Array | undefined {
    return this.cols.get(image);
  }

  /** Number of nodes holding the image. */
  numNodes(image: string): number {
    return this.counts.get(image) ?? 0;
  }

  /** Replaces the images of the node in slot `idx` (`before` what it held, `after` what it holds now). */
  setNode(idx: number, before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): void {
    for (const img of before.keys()) {
      this.counts.set(img, (this.counts.get(img) ?? 1) - 1);
      this.cols.get(img)![idx] = 0;
    }
    if (idx >= this.cap) {
      while (idx >= this.cap) this.cap *= 2;
      for (const [img, col] of this.cols) this.cols.set(img, atLeast(col, this.cap));
    }
    for (const [img, size] of after) {
      this.counts.set(img, (this.counts.get(img) ?? 0) + 1);
      let col = this.cols.get(img);
      if (!col) this.cols.set(img, (col = new Float64Array(this.cap)));
      col[idx] = size;
    }
  }
}

/**
 * A label key's values as small integers by node slot: `ids[slot]` is 0 where the node lacks the label (or the
 * slot is free), else an index into `values`. Ids are never reused; `ids` is replaced when it grows.
 */
export class ValueIds {
  ids = new Int32Array(64);
  readonly values: string[] = [''];
  private readonly byValue = new Map<string, number>();

  /** The id of a value (a new one the first time). */
  idOf(v: string): number {
    let id = this.byValue.get(v);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(v);
      this.byValue.set(v, id);
    }
    return id;
  }

  set(idx: number, v: string | undefined): void {
    this.ids = atLeast(this.ids, idx + 1);
    this.ids[idx] = v === undefined ? 0 : this.idOf(v);
  }
}

/** Node label values by node slot, one column per label key asked for (built on first use, then kept up to date). */
export class LabelColumns {
  private readonly cols = new Map<string, Array<string | undefined>>();
  private readonly idCols = new Map<string, ValueIds>();

  /** `nodes` lists the current nodes (to build a new column). */
  constructor(private readonly nodes: () => Iterable<{ idx: number; labels: Record<string, string> }>) {}

  /** The values of label `key` by node slot (undefined where the node lacks it or the slot is free). */
  column(key: string): ReadonlyArray<string | undefined> {
    let col = this.cols.get(key);
    if (!col) {
      col = [];
      for (const n of this.nodes()) col[n.idx] = n.labels[key];
      this.cols.set(key, col);
    }
    return col;
  }

  /** The values of label `key` as ids by node slot (see ValueIds). */
  ids(key: string): ValueIds {
    let vc = this.idCols.get(key);
    if (!vc) {
      vc = new ValueIds();
      for (const n of this.nodes()) vc.set(n.idx, n.labels[key]);
      this.idCols.set(key, vc);
    }
    return vc;
  }

  /** Records the labels of the node in slot `idx` (undefined: the node is gone). */
  setNode(idx: number, labels: Record<string, string> | undefined): void {
    for (const [key, col] of this.cols) col[idx] = labels?.[key];
    for (const [key, vc] of this.idCols) vc.set(idx, labels?.[key]);
  }
}
