/**
 * The typed, defaulted scenario the loader produces and the simulation and assertion engine consume.
 * Durations are integer ms; every entry keeps its source position for error messages.
 */
import type { KObject, SourcePos } from '../k8s/types.js';
import type { KubeVersion } from '../sim/defaults.js';

/** A problem found in an input file. */
export interface Problem {
  pos: SourcePos;
  message: string;
}

/** One node as declared (after `count` expansion). */
export interface NodeDecl {
  name: string;
  /** Resource name -> quantity string, after defaults (cpu 4, memory 16Gi, pods 110, ephemeral-storage 100Gi). */
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  labels: Record<string, string>;
  taints: Array<{ key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }>;
  unschedulable: boolean;
  images: Array<{ name: string; sizeBytes: number }>;
  pos: SourcePos;
}

/** A probe answer: fails when t ≥ failAfter, passes when t ≥ passAfter (both: fails, passes, fails). */
export interface ProbeAnswer {
  failAfter?: number;
  passAfter?: number;
}

/** One run of a container: never exits (`{}`) or exits after `exitAfter` with `exitCode`. */
export interface RunDecl {
  exitAfter?: number;
  exitCode: number;
}

/** A `behaviors` entry. */
export interface Behavior {
  match: { pod?: string; container?: string; image?: string; namespace?: string; labels?: Record<string, string> };
  pull: number;
  pullError?: string;
  start: number;
  runs?: RunDecl[];
  oomAfter?: number;
  stopAfter: number;
  probes: { liveness?: ProbeAnswer; readiness?: ProbeAnswer; startup?: ProbeAnswer };
  pos: SourcePos;
}

/** Names of scenario event actions. */
export type ActionName =
  | 'nodeDown' | 'nodeUp' | 'cordon' | 'uncordon' | 'drain' | 'probeFail' | 'crash' | 'apply' | 'delete'
  | 'scale' | 'setImage' | 'rollback' | 'addNode' | 'removeNode' | 'taint' | 'untaint' | 'label';

/** An object of `manifests` or of an `apply` event. */
export interface AppliedObject {
  object: KObject;
  pos: SourcePos;
  /**
   * Set when the API server's validation rejects the object (its 422 message): applying it is an action error
   * that stops the run there.
   */
  invalid?: string;
}

/** A timed action. `value` is typed per action (see the model's zod schemas). */
export interface ScenarioEvent {
  at: number;
  action: ActionName;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  value: any;
  /** For `apply`: the objects, defaulted but not yet admitted. */
  objects?: AppliedObject[];
  /** For `addNode`: the node(s). */
  nodes?: NodeDecl[];
  index: number;
  pos: SourcePos;
}

/** Expectation time modes. */
export type TimeMode =
  | { kind: 'at'; at: number }
  | { kind: 'by'; from: number; by: number }
  | { kind: 'always'; from: number; until: number }
  | { kind: 'never'; from: number; until: number };

/** Expectation targets. */
export type Target =
  | { kind: 'pods'; namespace: string; selector?: Record<string, unknown>; name?: string; node?: string | null; hasNode: boolean; owner?: string; where?: Record<string, unknown> }
  | { kind: 'pod'; namespace: string; name: string }
  | { kind: 'nodes'; selector?: Record<string, unknown>; name?: string; where?: Record<string, unknown> }
  | { kind: 'object'; kind_: string; name?: string; namespace?: string }
  | { kind: 'events'; namespace: string; object?: string; reason?: unknown; type?: unknown; message?: unknown };

/** One `expect` entry: one TAP point. */
export interface Expectation {
  index: number;
  name: string;
  mode: TimeMode;
  target: Target;
  /** Checks as written: count, all, any, none, match, distinctNodes, and shorthands. */
  checks: Record<string, unknown>;
  /** The entry as written (for diagnostics), and positions of its keys. */
  raw: Record<string, unknown>;
  pos: SourcePos;
  /** Positions of check keys, for code frames. */
  keyPos: Record<string, SourcePos>;
}

/** A loaded, validated, defaulted scenario. */
export interface Scenario {
  name: string;
  description?: string;
  seed: number;
  kubernetes: KubeVersion;
  until: number;
  /** Raw scheduler configuration (validated against the schema). */
  scheduler?: Record<string, unknown>;
  nodes: NodeDecl[];
  manifests: AppliedObject[];
  behaviors: Behavior[];
  events: ScenarioEvent[];
  expect: Expectation[];
  file: string;
  pos: SourcePos;
  /** The document's source text (for --record and code frames). */
  source?: string;
  /** 0-based index of the document in its file. */
  docIndex: number;
}
