/**
 * Wires one scenario into a running cluster: kernel, store, API server, controllers, scheduler and
 * kubelets; applies the nodes and manifests at t=0 and the timed events; runs until `until`, calling an
 * observer with the settled state at every instant where anything happened and at every checkpoint.
 */
import type { Scenario, Behavior } from '../scenario/types.js';
import type { KObject, SourcePos } from '../k8s/types.js';
import { Kernel, PRIORITY, StepLimitError } from './kernel.js';
import { Store } from './store.js';
import { Prng } from './prng.js';
import { Trace } from './trace.js';
import { EventRecorder, type RecordedEvent } from './events.js';
import { defaultsFor } from './defaults.js';
import { messagesFor } from './messages.js';
import { ApiServer, rejectedByValidation, type ApiResult } from './apiserver.js';
import type { SchedulerHandle, SimContext } from './context.js';
import { applyScenarioEvent, ActionError, describe } from './faults.js';
import { globMatch } from '../k8s/match.js';
import { nodeObject } from '../k8s/node.js';
import { clone } from '../k8s/util.js';
import { formatDuration } from '../k8s/duration.js';
import { Scheduler } from './scheduler/scheduler.js';
import { KubeletManager } from './kubelet/fleet.js';
import { NodeLifecycleController } from './controllers/node-lifecycle.js';
import { TaintEvictionController } from './controllers/taint-eviction.js';
import { PodGCController } from './controllers/pod-gc.js';
import { startControllers } from './controllers/index.js';
import { checkInvariants, installInvariantWatches } from './invariants.js';

/** The settled state at one instant, as the assertion engine reads it. */
export interface StateView {
  readonly now: number;
  readonly store: Store;
  readonly events: readonly RecordedEvent[];
  /** The scheduler (for the `explain` diagnostic of a failed `node` check). */
  readonly scheduler?: SchedulerHandle;
}

/** Options of one run. */
export interface SimulationOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Stop after this instant instead of `until` (state --at). */
  stopAt?: number;
  /** Check invariants after every instant (debug). */
  checkInvariants?: boolean;
  /** Bound on work at one instant (reactions + timers). */
  stepLimit?: number;
  /** Asked between instants; returns a message to stop the run (wall-time limit, kept outside src/sim). */
  interrupt?: () => string | undefined;
  /** Keep every write in the trace (default true). */
  verboseTrace?: boolean;
  /**
   * Keep the scheduler's per-node rows of every attempt for `kubedrill explain` (default true). They grow
   * with pods × nodes; large runs that never explain turn them off.
   */
  explainRows?: boolean;
}

/** How a run ended. */
export interface RunOutcome {
  /** Set when an action failed, a limit was reached, or an instant never settled. */
  error?: { message: string; pos?: SourcePos };
  /** Last instant simulated. */
  endedAt: number;
}

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** A simulation of one scenario. */
export class Simulation {
  readonly kernel: Kernel;
  readonly store: Store;
  readonly trace: Trace;
  readonly recorder: EventRecorder;
  readonly api: ApiServer;
  readonly ctx: SimContext;
  readonly seed: number;
  /** Per pod uid, the behavior decided for each container: [name, behavior or null, name, ...]. */
  private readonly behaviorCache = new Map<string, Array<string | Behavior | null>>();
  private started = false;

  /** Builds the cluster's components (nothing runs until `run`). */
  constructor(readonly scenario: Scenario, private readonly opts: SimulationOptions = {}) {
    this.seed = (opts.seed ?? scenario.seed) >>> 0;
    const root = new Prng(this.seed);
    this.kernel = new Kernel(opts.stepLimit ?? 2_000_000);
    const now = () => this.kernel.now;
    this.store = new Store(now, root.fork('uids'));
    this.trace = new Trace(now);
    this.trace.verbose = opts.verboseTrace ?? true;
    this.recorder = new EventRecorder(now, root.fork('events'), this.trace);
    const d = defaultsFor(scenario.kubernetes);
    const declaredNodes = scenario.nodes.length + scenario.events.reduce((n, e) => n + (e.nodes?.length ?? 0), 0) +
      scenario.manifests.filter((m) => m.object.kind === 'Node').length;
    this.api = new ApiServer(this.store, d, root.fork('apiserver'), this.trace, now, declaredNodes > 256);
    const behaviors = this.behaviorCache;
    const ctx: SimContext = {
      kernel: this.kernel,
      store: this.store,
      api: this.api,
      trace: this.trace,
      recorder: this.recorder,
      defaults: d,
      msg: messagesFor(d),
      scenario,
      rng: (name: string) => root.fork(`component:${name}`),
      now,
      behaviorFor: (pod: KObject, container: string, image: string) => {
        // Without behaviors nothing can match: nothing to decide or remember.
        if (scenario.behaviors.length === 0) return undefined;
        const uid = String(pod.metadata.uid);
        let decided = behaviors.get(uid);
        if (decided !== undefined) {
          for (let i = 0; i < decided.length; i += 2) if (decided[i] === container) return (decided[i + 1] as Behavior | null) ?? undefined;
        }
        const b = matchBehavior(scenario.behaviors, pod, container, image) ?? null;
        decided = decided === undefined ? [container, b] : [...decided, container, b];
        behaviors.set(uid, decided);
        return b ?? undefined;
      },
      checkInvariants: !!opts.checkInvariants,
    };
    this.ctx = ctx;
    if (opts.checkInvariants) installInvariantWatches(ctx);
    // Behaviors are decided when a pod is created (its labels then).
    this.store.watch('Pod', (type, pod) => {
      if (type !== 'ADDED') return;
      for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) ctx.behaviorFor(pod, c.name, c.image);
    });
  }

  /**
   * Runs to `until` (or `stopAt`). `observe` sees the settled state at every instant where anything
   * happened and at each checkpoint, in increasing time order, each instant once.
   */
  run(observe?: (view: StateView) => void, checkpoints: readonly number[] = []): RunOutcome {
    if (this.started) throw new Error('a simulation runs once');
    this.started = true;
    const sc = this.scenario;
    const until = Math.min(this.opts.stopAt ?? sc.until, sc.until);
    const cps = [...new Set(checkpoints.filter((t) => t >= 0 && t <= until))].sort((a, b) => a - b);
    let cpi = 0;
    let lastObserved = -1;
    const view = (t: number): StateView => ({ now: t, store: this.store, events: this.recorder.events, ...(this.ctx.scheduler ? { scheduler: this.ctx.scheduler } : {}) });
    const emit = (t: number) => {
      if (t <= lastObserved) return;
      lastObserved = t;
      if (this.ctx.checkInvariants) checkInvariants(this.ctx);
      observe?.(view(t));
    };
    let endedAt = 0;
    try {
      this.bootstrap();
      for (;;) {
        const next = this.kernel.peekTime();
        const stop = next === undefined || next > until;
        // Checkpoints before the next instant see the state as it stands.
        while (cpi < cps.length && (stop || cps[cpi]! < next!)) {
          this.kernel.setNow(Math.max(this.kernel.now, cps[cpi]!));
          emit(cps[cpi++]!);
        }
        if (stop) break;
        const msg = this.opts.interrupt?.();
        if (msg) return { error: { message: msg }, endedAt };
        const t = this.kernel.runInstant()!;
        endedAt = t;
        if (cpi < cps.length && cps[cpi] === t) cpi++;
        emit(t);
      }
    } catch (e) {
      if (e instanceof ActionError) {
        this.trace.add('error', e.message);
        return { error: { message: e.message, pos: e.event.pos }, endedAt: this.kernel.now };
      }
      if (e instanceof StepLimitError) {
        const message = `the instant ${formatDuration(this.kernel.now)} never settled: ${e.message}; raise it with --max-steps`;
        this.trace.add('error', message);
        return { error: { message }, endedAt: this.kernel.now };
      }
      throw e;
    }
    return { endedAt };
  }

  /** Time model step 1 at t=0: namespaces, controllers, nodes, manifests; then schedules the events. */
  private bootstrap(): void {
    const ctx = this.ctx;
    this.kernel.setNow(0);
    for (const name of SYSTEM_NAMESPACES) {
      this.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { by: 'cluster bootstrap' });
    }
    startControllers(ctx);
    ctx.kubelets = new KubeletManager(ctx);
    new NodeLifecycleController(ctx);
    new TaintEvictionController(ctx);
    new PodGCController(ctx);
    const scheduler = new Scheduler(ctx);
    scheduler.keepExplainRows = this.opts.explainRows ?? true;
    ctx.scheduler = scheduler;
    for (const decl of this.scenario.nodes) {
      const r = this.api.create(nodeObject(decl), { by: 'nodes' });
      if (!r.ok) throw new ActionError(fakeEvent(decl.pos, 'addNode'), `node ${decl.name}: ${r.error.message}`);
    }
    this.scenario.manifests.forEach((m, i) => {
      const r: ApiResult = m.invalid !== undefined ? rejectedByValidation(m.invalid) : this.api.apply(clone(m.object), 'manifests');
      if (!r.ok) {
        const ev = fakeEvent(m.pos, 'apply');
        throw Object.assign(new ActionError(ev, r.error.message), { message: `manifests[${i}] ${m.object.kind}/${m.object.metadata?.name ?? ''}: the API server rejected it: ${r.error.message}` });
      }
    });
    for (const ev of this.scenario.events) {
      this.kernel.at(ev.at, () => applyScenarioEvent(ctx, ev), describe(ev), PRIORITY.scenario);
    }
    // Make sure t=0 is an instant even without events (reactions to step 1 run there).
    this.kernel.at(0, () => undefined, 'bootstrap');
  }
}

function fakeEvent(pos: SourcePos, action: 'apply' | 'addNode') {
  return { at: 0, action, value: undefined, index: -1, pos } as const;
}

/** The first behavior whose `match` holds for a container of a pod, or undefined. */
export function matchBehavior(behaviors: readonly Behavior[], pod: KObject, container: string, image: string): Behavior | undefined {
  const labels = pod.metadata.labels ?? {};
  return behaviors.find((b) => {
    const m = b.match;
    if (m.pod !== undefined && !globMatch(m.pod, pod.metadata.name)) return false;
    if (m.container !== undefined && !globMatch(m.container, container)) return false;
    if (m.image !== undefined && !globMatch(m.image, image)) return false;
    if (m.namespace !== undefined && !globMatch(m.namespace, pod.metadata.namespace ?? 'default')) return false;
    if (m.labels) for (const [k, v] of Object.entries(m.labels)) if (labels[k] !== String(v)) return false;
    return true;
  });
}

/** Creates a simulation of a scenario. */
export function createSimulation(scenario: Scenario, opts: SimulationOptions = {}): Simulation {
  return new Simulation(scenario, opts);
}
