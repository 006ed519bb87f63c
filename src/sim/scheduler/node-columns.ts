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

/** Node label values by node slot, one column per label key asked for (built on first use, then kept up to date). */
export class LabelColumns {
  private readonly cols = new Map<string, Array<string | undefined>>();

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

  /** Records the labels of the node in slot `idx` (undefined: the node is gone). */
  setNode(idx: number, labels: Record<string, string> | undefined): void {
    for (const [key, col] of this.cols) col[idx] = labels?.[key];
  }
}
