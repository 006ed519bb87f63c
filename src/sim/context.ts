/**
 * What every simulated component receives: the kernel, the store, the API server, the event recorder,
 * the trace, the version's defaults and message catalogue, and a named PRNG stream. Components talk to
 * each other only through the store (watches) and the narrow interfaces below.
 */
import type { Kernel } from './kernel.js';
import type { Store } from './store.js';
import type { Trace } from './trace.js';
import type { EventRecorder } from './events.js';
import type { Defaults } from './defaults.js';
import type { Messages } from './messages.js';
import type { Prng } from './prng.js';
import type { Scenario, Behavior } from '../scenario/types.js';
import type { KObject } from '../k8s/types.js';
import type { ApiServer } from './apiserver.js';

/** The kubelets of all nodes, as scenario actions and the node lifecycle controller see them. */
export interface KubeletFleet {
  /** Stops the node's kubelet and heartbeats; false when it was already down. */
  nodeDown(node: string): boolean;
  /** Restarts the node's kubelet; false when it was already up. */
  nodeUp(node: string): boolean;
  /** Whether the node's kubelet runs. */
  isUp(node: string): boolean;
  /** Makes a running container exit now with `exitCode`; false when it was not running. */
  crash(pod: KObject, container: string, exitCode: number): boolean;
  /** Forces a probe of a container to fail until `untilMs` (undefined: until this container instance ends). */
  probeFail(pod: KObject, container: string, probe: 'liveness' | 'readiness' | 'startup', untilMs: number | undefined): void;
}

/** A scheduler's answer for `kubedrill explain`: one row per node of its last attempt at or before T. */
export interface ExplainRow {
  node: string;
  /** The filter plugin that rejected the node and its reasons, when rejected. */
  rejectedBy?: string;
  reasons?: string[];
  /** Plugin -> { score (normalized 0-100), weight, weighted }, when scored. */
  scores?: Record<string, { score: number; weight: number; weighted: number }>;
  total?: number;
  winner?: boolean;
}

/** One scheduling attempt of a pod, kept for explain. */
export interface ExplainAttempt {
  at: number;
  pod: string;
  rows: ExplainRow[];
  /** The FailedScheduling message, when the attempt failed. */
  message?: string;
  /** The chosen node, when it succeeded. */
  node?: string;
}

/** The scheduler as other parts see it. */
export interface SchedulerHandle {
  /** Attempts of a pod (`namespace/name`), oldest first. */
  attempts(podKey: string): readonly ExplainAttempt[];
}

/** Everything a component needs. */
export interface SimContext {
  readonly kernel: Kernel;
  readonly store: Store;
  readonly api: ApiServer;
  readonly trace: Trace;
  readonly recorder: EventRecorder;
  readonly defaults: Defaults;
  readonly msg: Messages;
  readonly scenario: Scenario;
  /** A PRNG stream for a named component (stable across runs with one seed). */
  rng(component: string): Prng;
  /** Current simulated ms. */
  now(): number;
  /** The behavior of a container, decided when its pod is created (first matching entry), or undefined. */
  behaviorFor(pod: KObject, container: string, image: string): Behavior | undefined;
  /** Filled in by the simulation once the components exist. */
  kubelets?: KubeletFleet;
  scheduler?: SchedulerHandle;
  /** Debug mode: check invariants after every instant. */
  readonly checkInvariants: boolean;
}
