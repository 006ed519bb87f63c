/**
 * The simulated API server's storage: objects by kind/namespace/name with uid, resourceVersion and
 * creationTimestamp from virtual time, synchronous watch handlers (which must only enqueue work), and
 * indexes by node, owner and label so that no component scans every pod.
 */
import type { KObject } from '../k8s/types.js';
import { isClusterScoped } from '../k8s/types.js';
import type { Prng } from './prng.js';
import { toTime } from '../k8s/time.js';

/** A change seen by a watch handler. */
export type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED';
/** A watch handler: called synchronously at the write; it must only enqueue work (kernel.react). */
export type WatchHandler = (type: WatchType, obj: KObject) => void;

const NO_OWNERS: Array<{ uid: string }> = [];
const NO_OBJECTS: readonly KObject[] = [];
const NO_OWNERS_UIDS: string[] = [];

/**
 * Whether the owner uids of `refs` join (with ',') to the same text as the indexed ones (`prev`), as the
 * index has always compared them; element-wise equal lists are, without building the texts.
 */
function sameOwners(refs: ReadonlyArray<{ uid: string }>, prev: readonly string[]): boolean {
  const n = refs.length;
  if (n === prev.length) {
    let i = 0;
    while (i < n && refs[i]!.uid === prev[i]) i++;
    if (i === n) return true;
  }
  return refs.map((r) => r.uid).join(',') === prev.join(',');
}

function nsName(ns: string | undefined, name: string): string {
  return ns ? `${ns}/${name}` : name;
}

/** nsName as one flat string, for keys that are kept (a template literal keeps a cons string, plus a flat copy once hashed). */
function storedNsName(ns: string | undefined, name: string): string {
  if (!ns) return name;
  return typeof name === 'string' && typeof ns === 'string' ? [ns, name].join('/') : `${ns}/${name}`;
}

/** Objects of the simulated cluster. */
export class Store {
  private byKind = new Map<string, Map<string, KObject>>();
  private byUid = new Map<string, KObject>();
  private podNode = new Map<string, string>(); // pod uid -> node name
  private podsByNode = new Map<string, Set<KObject>>();
  private byOwner = new Map<string, Set<KObject>>();
  private ownerOf = new Map<string, string[]>(); // uid -> owner uids indexed
  private handlers = new Map<string, WatchHandler[]>();
  private anyHandlers: WatchHandler[] = [];
  private rv = 0;
  /** Removals per kind (see removals). */
  private removedByKind = new Map<string, number>();
  /** Number of writes (figures, step accounting). */
  writes = 0;

  /** `now` gives the current virtual time; `rng` draws uids. */
  constructor(private readonly now: () => number, private readonly rng: Prng) {}

  /** Registers a handler for one kind, or every kind with '*'. */
  watch(kind: string, handler: WatchHandler): void {
    if (kind === '*') {
      this.anyHandlers.push(handler);
      return;
    }
    const list = this.handlers.get(kind) ?? [];
    list.push(handler);
    this.handlers.set(kind, list);
  }

  /** The stored object, or undefined. */
  get(kind: string, namespace: string | undefined, name: string): KObject | undefined {
    return this.byKind.get(kind)?.get(nsName(isClusterScoped(kind) ? undefined : namespace, name));
  }

  /** The object with this uid, or undefined. */
  getByUid(uid: string): KObject | undefined {
    return this.byUid.get(uid);
  }

  /** Objects of a kind (optionally one namespace) in creation order. */
  list(kind: string, namespace?: string): KObject[] {
    const m = this.byKind.get(kind);
    if (!m) return [];
    const all = [...m.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  /** Objects of a kind in creation order, without a copy: the caller must not write the store while iterating. */
  values(kind: string): IterableIterator<KObject> {
    const m = this.byKind.get(kind);
    return m ? m.values() : NO_OBJECTS.values();
  }

  /** Names of the nodes that pods are bound to (spec.nodeName), in no particular order. */
  podNodeNames(): string[] {
    const out: string[] = [];
    for (const [node, pods] of this.podsByNode) if (pods.size > 0) out.push(node);
    return out;
  }

  /**
   * How many objects of a kind have been removed so far. Objects leave the store only by removal, so an
   * object found stored when this count was N is still stored while it is N: callers keep a looked-up
   * object and skip the lookup until the count moves.
   */
  removals(kind: string): number {
    return this.removedByKind.get(kind) ?? 0;
  }

  /** Number of stored objects of a kind. */
  count(kind: string): number {
    return this.byKind.get(kind)?.size ?? 0;
  }

  /** Kinds with at least one stored object, in first-stored order. */
  kinds(): string[] {
    return [...this.byKind.keys()].filter((k) => (this.byKind.get(k)?.size ?? 0) > 0);
  }

  /** Pods whose spec.nodeName is `node`, in binding order. */
  podsOnNode(node: string): KObject[] {
    const s = this.podsByNode.get(node);
    return s ? [...s] : [];
  }

  /** Objects that name `uid` in their ownerReferences. */
  dependents(uid: string): KObject[] {
    const s = this.byOwner.get(uid);
    return s ? [...s] : [];
  }

  /** Whether `name` is free in the namespace of a kind. */
  has(kind: string, namespace: string | undefined, name: string): boolean {
    return this.get(kind, namespace, name) !== undefined;
  }

  /** A fresh uid, for the API server to hand out before storage (Job selectors need it early). */
  newUid(): string {
    return this.rng.uuid();
  }

  /** Adds a new object: sets uid (unless the API server already did), resourceVersion, creationTimestamp; notifies watchers. */
  create(obj: KObject): KObject {
    const md = obj.metadata;
    if (isClusterScoped(obj.kind)) delete md.namespace;
    const key = storedNsName(md.namespace, md.name);
    let m = this.byKind.get(obj.kind);
    if (!m) {
      m = new Map();
      this.byKind.set(obj.kind, m);
    }
    if (m.has(key)) throw new Error(`${obj.kind} "${md.name}" already exists`);
    md.uid ??= this.rng.uuid();
    md.resourceVersion = String(++this.rv);
    md.creationTimestamp = toTime(this.now());
    m.set(key, obj);
    this.byUid.set(md.uid, obj);
    this.reindex(obj);
    this.writes++;
    this.notify('ADDED', obj);
    return obj;
  }

  /** Records an in-place change of a stored object: bumps resourceVersion and notifies watchers. */
  update(obj: KObject): KObject {
    obj.metadata.resourceVersion = String(++this.rv);
    this.reindex(obj);
    this.writes++;
    this.notify('MODIFIED', obj);
    return obj;
  }

  /** Removes an object at once (finalizers are the API server's business) and notifies watchers. */
  remove(obj: KObject): void {
    const md = obj.metadata;
    const m = this.byKind.get(obj.kind);
    const key = nsName(md.namespace, md.name);
    if (!m || m.get(key) !== obj) return;
    m.delete(key);
    this.removedByKind.set(obj.kind, (this.removedByKind.get(obj.kind) ?? 0) + 1);
    if (md.uid) this.byUid.delete(md.uid);
    this.unindex(obj);
    md.resourceVersion = String(++this.rv);
    this.writes++;
    this.notify('DELETED', obj);
  }

  private notify(type: WatchType, obj: KObject): void {
    const hs = this.handlers.get(obj.kind);
    if (hs) for (const h of hs) h(type, obj);
    for (const h of this.anyHandlers) h(type, obj);
  }

  private reindex(obj: KObject): void {
    const uid = obj.metadata.uid!;
    if (obj.kind === 'Pod') {
      const node: string | undefined = obj.spec?.nodeName || undefined;
      const prev = this.podNode.get(uid);
      if (prev !== node) {
        if (prev !== undefined) this.podsByNode.get(prev)?.delete(obj);
        if (node !== undefined) {
          let s = this.podsByNode.get(node);
          if (!s) this.podsByNode.set(node, (s = new Set()));
          s.add(obj);
          this.podNode.set(uid, node);
        } else this.podNode.delete(uid);
      }
    }
    const refs: Array<{ uid: string }> = obj.metadata.ownerReferences ?? NO_OWNERS;
    const prevOwners = this.ownerOf.get(uid) ?? NO_OWNERS_UIDS;
    if (!sameOwners(refs, prevOwners)) {
      const owners = refs.map((r) => r.uid);
      for (const o of prevOwners) this.byOwner.get(o)?.delete(obj);
      for (const o of owners) {
        let s = this.byOwner.get(o);
        if (!s) this.byOwner.set(o, (s = new Set()));
        s.add(obj);
      }
      if (owners.length) this.ownerOf.set(uid, owners);
      else this.ownerOf.delete(uid);
    }
  }

  private unindex(obj: KObject): void {
    const uid = obj.metadata.uid!;
    const prev = this.podNode.get(uid);
    if (prev !== undefined) {
      this.podsByNode.get(prev)?.delete(obj);
      this.podNode.delete(uid);
    }
    for (const o of this.ownerOf.get(uid) ?? []) this.byOwner.get(o)?.delete(obj);
    this.ownerOf.delete(uid);
  }
}
