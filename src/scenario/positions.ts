/**
 * YAML documents with source positions: conversion of a parsed `yaml` Document into plain JSON-like data
 * (prototype-safe, alias- and depth-bounded) and lookup of the file:line:col of any value by its path.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node as YNode } from 'yaml';
import type { SourcePos } from '../k8s/types.js';
import type { Problem } from './types.js';
import { ALIAS_EXPANSION_FACTOR, limitMessage, type Limits } from './limits.js';

/** A path into a document: map keys and list indexes. */
export type Path = ReadonlyArray<string | number>;

/** Defines an own, enumerable data property (never triggers a setter such as `__proto__`). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Whether `obj` has `key` as an own property. */
export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Renders a path as `expect[1].pods.where`, the form messages use. */
export function formatPath(path: Path): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else if (/^[A-Za-z_$][\w$.\-/]*$/.test(p)) s += (s ? '.' : '') + p;
    else s += `[${JSON.stringify(p)}]`;
  }
  return s;
}

/** The string form of a scalar map key, or undefined for a collection key. */
function keyString(k: unknown): string | undefined {
  if (isScalar(k)) {
    const v = k.value;
    if (v === null || v === undefined) return k.source === '' || k.source === undefined ? 'null' : String(k.source);
    if (typeof v === 'object') return undefined;
    return String(v);
  }
  return undefined;
}

/** A parsed YAML document of one file, with position lookup. */
export class SourceDoc {
  constructor(
    readonly file: string,
    readonly doc: Document.Parsed,
    readonly lc: LineCounter,
    /** The file's whole text. */
    readonly text: string,
  ) {}

  /** The position of a character offset. */
  posOf(offset: number): SourcePos {
    const lp = this.lc.linePos(offset);
    return { file: this.file, line: lp.line, col: lp.col };
  }

  /** The position of a node's start (its first character). */
  nodePos(n: YNode | null | undefined): SourcePos {
    const off = n?.range?.[0];
    return off === undefined ? this.posOf(this.doc.contents?.range?.[0] ?? 0) : this.posOf(off);
  }

  /** The position where the document's content starts. */
  rootPos(): SourcePos {
    return this.nodePos(this.doc.contents);
  }

  /**
   * The position of the value at `path` (`which: 'value'`) or of its key (`'key'`, for map entries). When the
   * path leaves the document, the position of the deepest node reached (its key when it has one).
   */
  locate(path: Path, which: 'key' | 'value' = 'value'): SourcePos {
    let node: unknown = this.doc.contents;
    let best: SourcePos = this.rootPos();
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      node = this.deref(node);
      const last = i === path.length - 1;
      if (isMap(node) && typeof seg === 'string') {
        const pair = node.items.find((p) => keyString(p.key) === seg);
        if (!pair) return best;
        const keyPos = this.nodePos(pair.key as YNode);
        if (last && which === 'key') return keyPos;
        best = keyPos;
        node = pair.value;
        const vp = (node as YNode | null)?.range?.[0];
        if (vp !== undefined && !(last && which === 'key')) best = this.posOf(vp);
        if (vp === undefined) return keyPos;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (item === undefined) return best;
        node = item;
        best = this.nodePos(item as YNode);
      } else if (isMap(node) && typeof seg === 'number') {
        return best;
      } else {
        return best;
      }
    }
    return best;
  }

  /** The YAML node at `path`, if there is one (aliases resolved). */
  nodeAt(path: Path): YNode | undefined {
    let node: unknown = this.doc.contents;
    for (const seg of path) {
      node = this.deref(node);
      if (isMap(node) && typeof seg === 'string') node = node.items.find((p) => keyString(p.key) === seg)?.value;
      else if (isSeq(node) && typeof seg === 'number') node = node.items[seg];
      else return undefined;
    }
    return (this.deref(node) ?? undefined) as YNode | undefined;
  }

  /** The source text of the scalar at `path` as written (`1.30` for a number), if it is a scalar. */
  sourceText(path: Path): string | undefined {
    const n = this.nodeAt(path);
    if (!isScalar(n)) return undefined;
    const tok = (n as { srcToken?: { source?: string } }).srcToken;
    if (tok?.source !== undefined) return tok.source;
    const r = n.range;
    return r ? this.text.slice(r[0], r[1]) : undefined;
  }

  private deref(node: unknown): unknown {
    let n = node;
    for (let i = 0; i < 100 && isAlias(n); i++) n = n.resolve(this.doc);
    return n;
  }
}

/** Conversion state: alias and depth accounting for one document. */
interface ConvertState {
  aliases: number;
  expanded: number;
  inAlias: number;
  stopped: boolean;
  problems: Problem[];
}

/**
 * Converts a document to plain JSON-like data: maps become plain objects whose keys are own data properties
 * (`__proto__` stays data), scalar keys become strings, aliases are expanded as copies. Aliases beyond
 * `limits.maxAliases` (nested ones counted) and nesting beyond `limits.maxDepth` are problems; so are
 * collection keys.
 */
export function toPlain(src: SourceDoc, limits: Limits): { value: unknown; problems: Problem[] } {
  const st: ConvertState = { aliases: 0, expanded: 0, inAlias: 0, stopped: false, problems: [] };
  const value = conv(src, src.doc.contents, 1, st, limits);
  return { value, problems: st.problems };
}

function conv(src: SourceDoc, node: unknown, depth: number, st: ConvertState, limits: Limits): unknown {
  if (st.stopped) return null;
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    st.aliases++;
    if (st.aliases > limits.maxAliases) {
      st.problems.push({ pos: src.nodePos(node), message: limitMessage('maxAliases', 'the number of YAML alias expansions', limits.maxAliases) });
      st.stopped = true;
      return null;
    }
    const target = node.resolve(src.doc);
    if (!target) return null;
    st.inAlias++;
    try {
      return conv(src, target, depth, st, limits);
    } finally {
      st.inAlias--;
    }
  }
  if (isScalar(node)) {
    const v = node.value;
    return typeof v === 'bigint' ? Number(v) : v instanceof Uint8Array ? src.text.slice(node.range?.[0] ?? 0, node.range?.[1] ?? 0) : v;
  }
  if (isMap(node) || isSeq(node)) {
    if (depth > limits.maxDepth) {
      st.problems.push({ pos: src.nodePos(node as YNode), message: limitMessage('maxDepth', 'the YAML nesting depth', limits.maxDepth) });
      st.stopped = true;
      return null;
    }
    if (st.inAlias > 0) {
      st.expanded += node.items.length + 1;
      if (st.expanded > limits.maxAliases * ALIAS_EXPANSION_FACTOR) {
        st.problems.push({ pos: src.nodePos(node as YNode), message: limitMessage('maxAliases', `the size of YAML alias expansions (more than ${limits.maxAliases * ALIAS_EXPANSION_FACTOR} values, ${ALIAS_EXPANSION_FACTOR} per allowed alias)`, limits.maxAliases) });
        st.stopped = true;
        return null;
      }
    }
    if (isSeq(node)) return node.items.map((it) => conv(src, it, depth + 1, st, limits));
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = keyString(pair.key);
      if (k === undefined) {
        st.problems.push({ pos: src.nodePos(pair.key as YNode), message: 'a map key must be a string, not a list or map' });
        continue;
      }
      setOwn(out, k, conv(src, pair.value, depth + 1, st, limits));
    }
    return out;
  }
  return null;
}

/**
 * A cheap upper bound of nesting per line (flow brackets open across lines, plus compact `- - ` entries), used
 * to refuse pathological nesting before the YAML parser sees it. Returns the 0-based offset where `max` is
 * first exceeded, or -1.
 */
export function scanNesting(text: string, max: number): number {
  let flow = 0;
  let quote: string | null = null;
  let lineStart = true;
  let dashes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) { lineStart = true; dashes = 0; if (quote === "'" || quote === '"') { /* multi-line quoted scalar */ } continue; }
    if (quote) {
      if (quote === '"' && c === 92) { i++; continue; }
      if (text[i] === quote) quote = null;
      continue;
    }
    if (lineStart) {
      if (c === 32 || c === 9) continue;
      if (c === 45 && (text.charCodeAt(i + 1) === 32 || text.charCodeAt(i + 1) === 10)) {
        dashes++;
        if (flow + dashes > max) return i;
        continue;
      }
      lineStart = false;
    }
    if (c === 35 && (i === 0 || text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) {
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10) i++;
      continue;
    }
    if (c === 91 || c === 123) {
      flow++;
      if (flow + dashes > max) return i;
    } else if (c === 93 || c === 125) {
      if (flow > 0) flow--;
    } else if ((c === 34 || c === 39) && (flow > 0 || /[\s:,[{]/.test(text[i - 1] ?? ' '))) {
      quote = text[i]!;
    }
  }
  return -1;
}
