/**
 * One pod on one kubelet: the pod worker (k/k pkg/kubelet/pod_workers.go) running `SyncPod`
 * (kuberuntime_manager.go) as a sequence of timed steps, the containers' runtime life from the scenario's
 * behaviors, the probe workers (prober/worker.go) and graceful termination (kuberuntime_container.go).
 * Deterministic model of kubernetes-behavior.md §4: jitter factors 1, PLEG delay 0.
 */
import type { KObject } from '../../k8s/types.js';
import type { Behavior } from '../../scenario/types.js';
import type { SimContext } from '../context.js';
import type { TimerId } from '../kernel.js';
import { setPodCondition } from '../apiserver.js';
import { toTime } from '../../k8s/time.js';
import { formatDuration } from '../../k8s/duration.js';
import { qosClass } from '../../k8s/resources.js';
import { appended, deepEqual } from '../../k8s/util.js';
import {
  getPhase, initializedCondition, containersReadyCondition, isSidecar, normalizeImage, type ContainerStatus,
} from './status.js';
import { ProbeWorker, type ProbeType } from './probes.js';
import type { Kubelet } from './kubelet.js';
import { memoize } from '../../k8s/util.js';
import { volumeSetUpError, missingPullSecrets } from './references.js';

/** One run of a container. */
export interface Instance {
  id: string;
  /** Restart count of this instance (0 for the first). */
  run: number;
  startedAt: number;
  finishedAt?: number;
  exitCode?: number;
  reason?: string;
  imageRef: string;
}

/** A container of the pod, as the runtime and the kubelet see it. */
export interface Ctr {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec: Record<string, any>;
  kind: 'init' | 'sidecar' | 'regular';
  behavior: Behavior | undefined;
  instances: Instance[];
  running: Instance | undefined;
  exitTimer: TimerId | undefined;
  /** Planned exit (code, reason) of the running instance when its timer fires. */
  planned: { code: number; reason: string } | undefined;
  /** When the planned exit fires. */
  plannedAt: number | undefined;
  /** Stop in progress: SIGTERM already sent. */
  stopping: boolean;
  /** reasonCache: the waiting reason the previous sync recorded. */
  waiting: { reason: string; message: string } | undefined;
  /** Started by the sync that is running or just ended: the next sync's readiness trigger is lost (§4.3 (a)). */
  justStarted: boolean;
  probes: Map<ProbeType, ProbeWorker>;
  /** probeFail overrides: until ms (Infinity: until the instance ends), bound to an instance id. */
  overrides: Map<ProbeType, { until: number; instance: string | undefined }>;
  /** The container status last built and what it was built from (see `containerStatus`), for reuse by the next sync. */
  status: ContainerStatus | undefined;
  statusKey: number;
  statusWaiting: { reason: string; message: string } | undefined;
}

type SyncError = { kind: 'crashloop'; remaining: number } | { kind: 'other' };

/** The init containers of a pod without any (shared, read only). */
const NO_CTRS: Ctr[] = [];
/** The probes of a container without probe workers: one shared empty map, replaced by its own on the first add. */
const NO_PROBES: Map<ProbeType, ProbeWorker> = new Map();
/** The probeFail overrides of a container without any (shared, like NO_PROBES). */
const NO_OVERRIDES: Map<ProbeType, { until: number; instance: string | undefined }> = new Map();

const NO_VOLUMES: Array<Record<string, unknown>> = [];
/** A volume whose SetUp reads ConfigMaps or Secrets (references.ts); other kinds mount at once. */
const mountsObjects = (v: Record<string, unknown>): boolean => !!(v.configMap || v.secret || v.projected);

/** The kubelet's worker for one pod. */
export class PodWorker {
  readonly uid: string;
  readonly ctrs: Ctr[];
  readonly initCtrs: Ctr[];
  readonly regular: Ctr[];
  private sandbox = false;
  private podIP: string | undefined;
  private startTime: number | undefined;
  private busy = false;
  private queued = false;
  private pending = false;
  private requeueTimer: TimerId | undefined;
  private runnerTimer: TimerId | undefined;
  private runner: Generator<number, void> | undefined;
  private deadlineTimer: TimerId | undefined;
  private deadlineExceeded = false;
  /** Terminal: containers stopped for good (pod finished, failed or deleted). */
  private finished = false;
  private terminating = false;
  private removed = false;
  private deleteSent = false;
  /** The runner waits for a container exit (a stop in progress). */
  private waitingForExit = false;
  private probesStarted = false;
  private readyToStart = false;
  private whatText: string | undefined;
  /** The pod spec `qos` was computed from. */
  private qosSpec: unknown;
  private qos = '';
  /** What the last writeStatus saw: the pod's resourceVersion after it, statusInputs() and the node IP. */
  private statusRv: string | undefined;
  private statusFp = -1;
  private statusHost: string | undefined;
  /** What the kubelet last saw of the pod (deletion, activeDeadlineSeconds, grace): other changes need no sync. */
  seenDel = false;
  seenAds: unknown;
  seenGrace: unknown;
  /** Volumes mounted (the volume manager's actual state), the next mount attempt and its back-off. */
  private mounted: Set<string> | undefined;
  private mountTimer: TimerId | undefined;
  private mountBackoff = 0;
  /** SyncPod is waiting for the volumes (WaitForAttachAndMount) since this instant. */
  private mountWaitFrom: number | undefined;
  /** The re-queue timer's callback (one per worker: a timer is pending for nearly the whole life of the pod). */
  private readonly onRequeue = (): void => { this.requeueTimer = undefined; this.requestSync(); };

  constructor(private readonly ctx: SimContext, private readonly kubelet: Kubelet, public pod: KObject) {
    this.uid = pod.metadata.uid ?? '';
    const mk = (spec: Record<string, unknown>, kind: Ctr['kind']): Ctr => ({
      name: spec.name as string, spec, kind,
      behavior: ctx.behaviorFor(pod, spec.name as string, spec.image as string),
      instances: [], running: undefined, exitTimer: undefined, planned: undefined, plannedAt: undefined, stopping: false,
      waiting: undefined, justStarted: false, probes: NO_PROBES, overrides: NO_OVERRIDES, status: undefined, statusKey: -1,
      statusWaiting: undefined,
    });
    const inits: Array<Record<string, unknown>> = pod.spec?.initContainers ?? [];
    this.initCtrs = inits.length > 0 ? inits.map((c) => mk(c, isSidecar(c) ? 'sidecar' : 'init')) : NO_CTRS;
    this.regular = (pod.spec?.containers ?? []).map((c: Record<string, unknown>) => mk(c, 'regular'));
    // Never mutated: without init containers the list of all is the list of regular ones.
    this.ctrs = this.initCtrs.length > 0 ? [...this.initCtrs, ...this.regular] : this.regular;
  }

  private get d() { return this.ctx.defaults; }
  private get now() { return this.ctx.now(); }
  /** `Pod ns/name` (trace records, timer labels), built once: a pod's name and namespace never change. */
  private get what(): string {
    return this.whatText ??= `Pod ${this.pod.metadata.namespace}/${this.pod.metadata.name}`;
  }

  /** Whether the pod's worker has finished everything (terminal and, if deleted, removed). */
  get done(): boolean {
    return this.finished && (this.removed || !this.pod.metadata.deletionTimestamp);
  }

  // ---------------------------------------------------------------- scheduling of syncs

  /** Asks for a sync at this instant (coalesced; after the running sync when busy). */
  requestSync(): void {
    if (!this.kubelet.up || (this.removed && this.finished)) return;
    if (this.busy) { this.pending = true; return; }
    if (this.queued) return;
    this.queued = true;
    this.ctx.kernel.react(() => { this.queued = false; this.startSync(); }, `kubelet sync ${this.what}`);
  }

  private setRequeue(delay: number): void {
    this.ctx.kernel.cancel(this.requeueTimer);
    this.requeueTimer = this.ctx.kernel.after(delay, this.onRequeue, `kubelet resync ${this.what}`);
  }

  private startSync(): void {
    if (!this.kubelet.up || this.busy) return;
    if (this.finished && (this.deleteSent || this.removed || !this.pod.metadata.deletionTimestamp)) return;
    this.busy = true;
    this.ctx.kernel.cancel(this.requeueTimer);
    this.requeueTimer = undefined;
    this.runner = this.syncPod();
    this.step();
  }

  private step(): void {
    this.runnerTimer = undefined;
    const gen = this.runner;
    if (!gen) return;
    for (;;) {
      const r = gen.next();
      if (r.done) break;
      if (r.value < 0) { this.waitingForExit = true; return; }
      if (r.value > 0) {
        this.runnerTimer = this.ctx.kernel.after(r.value, () => this.step(), `kubelet ${this.what}`);
        return;
      }
    }
    this.runner = undefined;
    this.busy = false;
    if (this.pending) { this.pending = false; this.requestSync(); }
  }

  /** Stops the kubelet side (node down): syncs, probes, timers; the runtime keeps running. */
  freeze(): void {
    this.ctx.kernel.cancel(this.runnerTimer);
    this.ctx.kernel.cancel(this.requeueTimer);
    this.ctx.kernel.cancel(this.deadlineTimer);
    this.ctx.kernel.cancel(this.mountTimer);
    this.runnerTimer = this.requeueTimer = this.deadlineTimer = this.mountTimer = undefined;
    this.mountWaitFrom = undefined;
    this.mountBackoff = 0;
    this.runner?.return(undefined);
    this.runner = undefined;
    this.busy = this.queued = this.pending = this.waitingForExit = false;
    for (const c of this.ctrs) for (const w of c.probes.values()) w.stop();
    this.probesStarted = false;
  }

  /** Kubelet (re)start: probe workers anew, deadline timer, a sync. */
  resume(): void {
    this.terminating = false;
    this.startProbes();
    this.armDeadline();
    this.requestSync();
  }

  /** The pod object changed (deletion, spec update) or went away from the store. */
  podUpdated(pod: KObject, deleted: boolean): void {
    this.pod = pod;
    if (deleted) this.removed = true;
    this.armDeadline();
    if (this.terminating && this.runner) {
      // A shorter grace (force delete) restarts the termination with it.
      if (deleted || pod.metadata.deletionTimestamp) { this.restartTermination(); return; }
    }
    // Deletion cancels the sync's context, which ends WaitForAttachAndMount: termination starts at once.
    if (this.mountWaitFrom !== undefined && this.runner && (deleted || pod.metadata.deletionTimestamp)) {
      this.mountWaitFrom = undefined;
      this.restartTermination();
      return;
    }
    this.requestSync();
  }

  private restartTermination(): void {
    if (!this.kubelet.up) return;
    this.ctx.kernel.cancel(this.runnerTimer);
    this.runner?.return(undefined);
    this.runner = undefined;
    this.busy = false;
    this.waitingForExit = false;
    this.terminating = false;
    this.requestSync();
  }

  // ---------------------------------------------------------------- SyncPod

  private *syncPod(): Generator<number, void> {
    const errors: SyncError[] = [];
    if (!this.probesStarted) this.startProbes();
    if (this.startTime === undefined) this.startTime = Math.floor(this.now / 1000) * 1000;
    this.armDeadline();
    const deleting = this.removed || !!this.pod.metadata.deletionTimestamp;
    if (this.finished) {
      this.writeStatus();
      if (deleting) this.finalizeDelete();
      return;
    }
    if (deleting || this.deadlineExceeded) {
      yield* this.terminate();
      return;
    }
    this.writeStatus();
    this.triggerReadiness();
    // Exited instances as the sync's snapshot saw them (doBackOff reads these).
    const lastExited: Array<Instance | undefined> = new Array(this.ctrs.length);
    for (let k = 0; k < this.ctrs.length; k++) lastExited[k] = lastFinished(this.ctrs[k]!);

    // WaitForAttachAndMount: the volume manager mounts in the background; SyncPod waits at most 2m3s.
    if (!this.volumesMounted()) {
      this.mountWaitFrom = this.now;
      yield this.d.podAttachAndMountTimeout;
      this.mountWaitFrom = undefined;
      if (!this.volumesMounted()) { this.setRequeue(this.d.podWorkerBackOffPeriod); return; }
    }
    const noPullSecrets = this.pod.spec?.imagePullSecrets ? missingPullSecrets(this.ctx, this.pod) : [];
    if (noPullSecrets.length > 0) this.recordEvent('Warning', 'FailedToRetrieveImagePullSecret', this.ctx.msg.pullSecretsMissing(noPullSecrets));

    if (!this.sandbox) {
      this.sandbox = true;
      this.podIP = this.pod.spec?.hostNetwork ? this.kubelet.nodeIP : this.kubelet.ipam?.allocate();
      if (this.ctx.trace.keeps('kubelet')) this.ctx.trace.add('kubelet', `sandbox created${this.podIP ? ', IP ' + this.podIP : ''}`, this.what);
      if (this.d.readyToStartAtSandbox) { this.readyToStart = true; this.writeStatus(); }
      this.pending = true; // the sandbox's PLEG event
    }

    // Containers failing liveness/startup are killed first (computePodActions).
    const never = this.pod.spec?.restartPolicy === 'Never';
    const toKill: Ctr[] = [];
    for (const c of this.ctrs) {
      if (!c.running || c.stopping) continue;
      const lv = c.probes.get('liveness'), st = c.probes.get('startup');
      let probe: 'liveness' | 'startup' | undefined;
      if (lv && lv.resultFor(c.running.id) === 'failure') probe = 'liveness';
      else if (st && st.resultFor(c.running.id) === 'failure') probe = 'startup';
      if (!probe) continue;
      const restart = c.kind === 'sidecar' || !never;
      this.event(c, 'Normal', 'Killing', c.kind === 'sidecar' ? this.ctx.msg.killingProbeSidecar(c.name, probe) : this.ctx.msg.killingProbe(c.name, probe, restart));
      const w = c.probes.get(probe)!;
      toKill.push(c);
      const grace = w.spec.terminationGracePeriodSeconds ?? this.pod.spec?.terminationGracePeriodSeconds ?? this.d.terminationGracePeriodSeconds;
      this.stopContainer(c, grace);
    }
    if (toKill.length > 0) {
      while (toKill.some((c) => c.running)) yield this.nextExitDelay(toKill);
    }

    // Init containers, then regular containers (computeInitContainerActions / computePodActions).
    const toStart: Ctr[] = [];
    const anyRegularStarted = this.regular.some((c) => c.instances.length > 0);
    let initDone = true;
    let podFailed = false;
    for (const c of this.initCtrs) {
      const last = c.instances[c.instances.length - 1];
      if (c.kind === 'sidecar') {
        if (c.running) {
          if (!anyRegularStarted && !this.isStarted(c)) { initDone = false; break; }
          continue;
        }
        toStart.push(c);
        if (!anyRegularStarted) { initDone = false; break; }
        continue;
      }
      if (anyRegularStarted) continue;
      if (c.running) { initDone = false; break; }
      if (last && last.exitCode === 0) continue;
      if (last && never) { podFailed = true; initDone = false; break; }
      toStart.push(c);
      initDone = false;
      break;
    }
    if (initDone && !podFailed) {
      for (const c of this.regular) {
        if (c.running) continue;
        const last = c.instances[c.instances.length - 1];
        if (last) {
          const pol = this.pod.spec?.restartPolicy ?? 'Always';
          if (pol === 'Never') continue;
          if (pol === 'OnFailure' && last.exitCode === 0) continue;
        }
        toStart.push(c);
      }
    }
    // A pod whose regular containers are all done for good (or whose init failed under Never) is terminal.
    if (podFailed || (initDone && this.regular.length > 0 && toStart.filter((c) => c.kind === 'regular').length === 0 &&
      this.regular.every((c) => !c.running && c.instances.length > 0))) {
      yield* this.finishPod();
      return;
    }

    for (const c of toStart) {
      const prev = lastExited[this.ctrs.indexOf(c)];
      const key = `${this.uid}/${c.name}`;
      if (prev && prev.finishedAt !== undefined) {
        const bo = this.kubelet.crashBackoff;
        if (bo.isInBackOffSince(key, prev.finishedAt, this.now)) {
          const window = bo.get(key);
          this.event(c, 'Warning', 'BackOff', this.ctx.msg.backOffRestart(c.name, this.pod.metadata.name, this.pod.metadata.namespace ?? 'default', this.uid));
          c.waiting = {
            reason: 'CrashLoopBackOff',
            message: this.ctx.msg.crashLoopWaiting(formatDuration(window), c.name, this.pod.metadata.name, this.pod.metadata.namespace ?? 'default', this.uid),
          };
          errors.push({ kind: 'crashloop', remaining: prev.finishedAt + window - this.now });
          continue;
        }
        bo.next(key, prev.finishedAt, this.now);
      }
      const img = yield* this.ensureImage(c);
      if (!img.ok) {
        c.waiting = { reason: img.reason, message: img.message };
        errors.push({ kind: 'other' });
        continue;
      }
      this.event(c, 'Normal', 'Created', this.ctx.msg.created(c.name));
      const start = c.behavior?.start ?? 0;
      if (start > 0) yield start;
      this.runContainer(c);
      this.event(c, 'Normal', 'Started', this.ctx.msg.started(c.name));
      c.waiting = undefined;
      this.pending = true; // PLEG: ContainerStarted
      // An ordinary init container blocks the next one: the sync ends here (the PLEG sync continues).
      if (c.kind !== 'regular') break;
    }

    // Up to 1.35 PodReadyToStartContainers follows the sandbox status read by the next sync.
    if (this.sandbox) this.readyToStart = true;
    // completeWork: re-queue.
    if (errors.length > 0) {
      const cl = errors.find((e) => e.kind === 'crashloop');
      if (cl && cl.kind === 'crashloop' && this.d.crashLoopRequeueRemaining) {
        this.setRequeue(Math.min(Math.max(cl.remaining, 0), this.d.syncFrequency));
      } else this.setRequeue(this.d.podWorkerBackOffPeriod);
    } else this.setRequeue(this.d.syncFrequency);
  }

  /** Yielded by the runner to wait for the next container exit (woken by `containerExited`). */
  private nextExitDelay(_list: Ctr[]): number {
    return -1;
  }

  // ---------------------------------------------------------------- volumes (volumemanager)

  /**
   * Whether every ConfigMap / Secret / projected volume of the pod is mounted; starts the volume manager's
   * mount attempts the first time. Other volume kinds mount at once (claims are bound before scheduling).
   */
  private volumesMounted(): boolean {
    const vols: Array<Record<string, unknown>> = this.pod.spec?.volumes ?? NO_VOLUMES;
    if (!vols.some(mountsObjects)) return true;
    const all = () => vols.every((v) => this.mounted!.has(v.name as string) || !mountsObjects(v));
    this.mounted ??= new Set();
    // The first sync, or the first after a kubelet restart (no attempt pending).
    if (this.mountTimer === undefined && !all()) this.mountAttempt();
    return all();
  }

  /**
   * One reconciler pass over the unmounted volumes: SetUp each; a failure records `FailedMount`
   * (`MountVolume.SetUp failed for volume "v" : <error>`) and is retried after the operation's exponential
   * back-off (500ms doubling to 2m2s). A pod being deleted or finished needs no mounts.
   */
  private mountAttempt(): void {
    this.mountTimer = undefined;
    if (this.deleting || this.finished || !this.kubelet.up) return;
    let failed = false;
    for (const v of (this.pod.spec?.volumes ?? []) as Array<Record<string, unknown>>) {
      const name = v.name as string;
      if (this.mounted!.has(name) || !mountsObjects(v)) continue;
      const err = volumeSetUpError(this.ctx, this.pod, v);
      if (err === undefined) { this.mounted!.add(name); continue; }
      failed = true;
      this.recordEvent('Warning', 'FailedMount', this.ctx.msg.mountSetUpFailed(name, err));
    }
    if (failed) {
      this.mountBackoff = this.mountBackoff === 0 ? this.d.volumeMountInitialBackoff : Math.min(this.mountBackoff * 2, this.d.volumeMountMaxBackoff);
      this.mountTimer = this.ctx.kernel.after(this.mountBackoff, () => this.mountAttempt(), `kubelet mount ${this.what}`);
      return;
    }
    // Mounted: a SyncPod waiting in WaitForAttachAndMount sees it at its next 300ms poll.
    const from = this.mountWaitFrom;
    if (from !== undefined && this.runner && this.runnerTimer !== undefined) {
      const poll = this.d.podAttachAndMountRetryInterval;
      const at = from + Math.ceil((this.now - from) / poll) * poll;
      this.ctx.kernel.cancel(this.runnerTimer);
      this.runnerTimer = this.ctx.kernel.at(at, () => this.step(), `kubelet ${this.what}`);
    }
  }

  // ---------------------------------------------------------------- images (image_manager.go)

  private *ensureImage(c: Ctr): Generator<number, { ok: true } | { ok: false; reason: string; message: string }> {
    const image: string = c.spec.image ?? '';
    const policy: string = c.spec.imagePullPolicy ?? 'IfNotPresent';
    const present = this.kubelet.hasImage(image);
    const b = c.behavior;
    if (policy === 'Never' && !present) {
      const m = this.ctx.msg.errImageNeverPull(image);
      this.event(c, 'Warning', 'ErrImageNeverPull', m);
      this.event(c, 'Warning', 'Failed', 'Error: ErrImageNeverPull');
      return { ok: false, reason: 'ErrImageNeverPull', message: m };
    }
    if (policy !== 'Always' && present) {
      this.event(c, 'Normal', 'Pulled', this.ctx.msg.alreadyPresent(image));
      return { ok: true };
    }
    const key = `${this.uid}_${image}`;
    const bo = this.kubelet.imageBackoff;
    if (bo.isInBackOffSinceUpdate(key, this.now)) {
      this.event(c, 'Normal', 'BackOff', this.ctx.msg.backOffPull(image));
      this.event(c, 'Warning', 'Failed', this.ctx.msg.errImagePullBackOff);
      return { ok: false, reason: 'ImagePullBackOff', message: this.ctx.msg.imagePullBackOffWaiting(image, this.kubelet.lastPullError.get(key) ?? '') };
    }
    this.event(c, 'Normal', 'Pulling', this.ctx.msg.pulling(image));
    const requested = this.now;
    const pullMs = b?.pull ?? 0;
    const startAt = Math.max(requested, this.kubelet.pullFreeAt);
    this.kubelet.pullFreeAt = startAt + pullMs;
    if (startAt + pullMs > this.now) yield startAt + pullMs - this.now;
    if (b?.pullError !== undefined) {
      this.event(c, 'Warning', 'Failed', this.ctx.msg.failedPull(image, b.pullError));
      this.event(c, 'Warning', 'Failed', this.ctx.msg.errImagePull);
      bo.next(key, this.now, this.now);
      this.kubelet.lastPullError.set(key, b.pullError);
      return { ok: false, reason: 'ErrImagePull', message: b.pullError };
    }
    const size = this.kubelet.addImage(image);
    this.event(c, 'Normal', 'Pulled', this.ctx.msg.pulled(image, formatDuration(pullMs), formatDuration(this.now - requested), size));
    return { ok: true };
  }

  // ---------------------------------------------------------------- runtime

  private runContainer(c: Ctr): void {
    const run = c.instances.length;
    const inst: Instance = {
      id: this.kubelet.newContainerId(), run, startedAt: this.now, imageRef: normalizeImage(c.spec.image ?? ''),
    };
    c.instances = appended(c.instances, inst);
    c.running = inst;
    c.stopping = false;
    c.justStarted = true;
    if (this.ctx.trace.keeps('kubelet')) this.ctx.trace.add('kubelet', `container ${c.name} started (run ${run})`, this.what);
    const b = c.behavior;
    let after: number | undefined, code = 0, reason = 'Completed';
    if (b?.oomAfter !== undefined) { after = b.oomAfter; code = 137; reason = 'OOMKilled'; }
    else if (b?.runs && b.runs.length > 0) {
      const r = b.runs[Math.min(run, b.runs.length - 1)]!;
      if (r.exitAfter !== undefined) { after = r.exitAfter; code = r.exitCode ?? 0; reason = code === 0 ? 'Completed' : 'Error'; }
    } else if (!b && c.kind === 'init') { after = 0; code = 0; reason = 'Completed'; }
    if (after !== undefined) this.planExit(c, this.now + after, code, reason);
  }

  private planExit(c: Ctr, at: number, code: number, reason: string): void {
    this.ctx.kernel.cancel(c.exitTimer);
    c.planned = { code, reason };
    c.plannedAt = at;
    c.exitTimer = this.ctx.kernel.at(at, () => { c.exitTimer = undefined; this.containerExited(c, code, reason); }, `container exit ${this.what} ${c.name}`);
  }

  /** The runtime reports a container exit (PLEG). */
  containerExited(c: Ctr, code: number, reason: string): void {
    const inst = c.running;
    if (!inst) return;
    this.ctx.kernel.cancel(c.exitTimer);
    c.exitTimer = undefined;
    c.planned = undefined;
    c.plannedAt = undefined;
    inst.finishedAt = this.now;
    inst.exitCode = code;
    inst.reason = reason;
    c.running = undefined;
    c.stopping = false;
    c.justStarted = false;
    for (const [t, o] of c.overrides) if (o.instance === inst.id) c.overrides.delete(t);
    if (this.ctx.trace.keeps('kubelet')) this.ctx.trace.add('kubelet', `container ${c.name} exited with ${code} (${reason})`, this.what);
    if (this.kubelet.up) {
      for (const w of c.probes.values()) w.containerGone();
      this.requestSync();
      if (this.runner) this.pending = true;
      if (this.waitingForExit) {
        this.waitingForExit = false;
        const gen = this.runner;
        this.ctx.kernel.react(() => { if (this.runner === gen) this.step(); }, `kubelet ${this.what} stop`);
      }
    }
  }

  /** `crash` action: the running container exits now. */
  crash(name: string, exitCode: number): boolean {
    const c = this.ctrs.find((x) => x.name === name);
    if (!c?.running) return false;
    this.containerExited(c, exitCode, exitCode === 0 ? 'Completed' : 'Error');
    return true;
  }

  /** `probeFail` action. */
  probeFail(name: string, probe: ProbeType, untilMs: number | undefined): void {
    const c = this.ctrs.find((x) => x.name === name);
    if (!c) return;
    const next = { until: untilMs ?? Infinity, instance: untilMs === undefined ? c.running?.id : undefined };
    // Overlapping windows add up: one still in force that ends later already covers the new one.
    const prev = c.overrides.get(probe);
    if (prev && prev.until > this.ctx.now() && prev.until >= next.until && (prev.instance === undefined || prev.instance === c.running?.id)) return;
    if (c.overrides === NO_OVERRIDES) c.overrides = new Map();
    c.overrides.set(probe, next);
  }

  /**
   * Stops a running container (killContainer): preStop hook (sleep takes its seconds, exec/http instant),
   * then SIGTERM with max(2, grace − whole hook seconds): exit 143 after the behavior's stopAfter, else 137.
   */
  private stopContainer(c: Ctr, graceSec: number, turnAt?: number): void {
    if (!c.running || c.stopping) return;
    c.stopping = true;
    const pre = c.spec.lifecycle?.preStop;
    let hookMs = 0;
    let abandoned = false;
    if (pre && graceSec > 0) {
      if (pre.sleep && this.d.sleepAction) hookMs = Math.max(0, Number(pre.sleep.seconds ?? 0)) * 1000;
      if (hookMs >= graceSec * 1000) { hookMs = graceSec * 1000; abandoned = true; }
    }
    let termAt = this.now + hookMs;
    let left = abandoned ? 0 : graceSec - Math.floor(hookMs / 1000);
    // waitForTurn (sidecars): until `turnAt`, at most the grace left; the seconds waited are truncated.
    if (turnAt !== undefined && left > 0 && turnAt > termAt) {
      const waited = Math.min(turnAt - termAt, left * 1000);
      termAt += waited;
      left -= Math.floor(waited / 1000);
    }
    const stopGrace = Math.max(this.d.minimumGracePeriodSeconds, left);
    const stopAfter = c.behavior?.stopAfter ?? 0;
    const sigterm = stopAfter < stopGrace * 1000;
    const exitAt = sigterm ? termAt + stopAfter : termAt + stopGrace * 1000;
    // A natural exit planned before the stop wins.
    if (c.plannedAt !== undefined && c.plannedAt <= exitAt && c.planned) return;
    this.planExit(c, exitAt, sigterm ? 143 : 137, 'Error');
  }

  /** Whether a container is running and past its startup probe. */
  isStarted(c: Ctr): boolean {
    if (!c.running) return false;
    const st = c.probes.get('startup');
    return !st || st.resultFor(c.running.id) === 'success';
  }

  private isReady(c: Ctr): boolean {
    if (!this.isStarted(c)) return false;
    const rd = c.probes.get('readiness');
    return !rd || rd.resultFor(c.running!.id) === 'success';
  }

  // ---------------------------------------------------------------- probes

  private startProbes(): void {
    if (this.probesStarted || !this.kubelet.up) return;
    this.probesStarted = true;
    for (const c of this.ctrs) {
      if (c.kind === 'init') continue;
      for (const [type, field] of [['startup', 'startupProbe'], ['readiness', 'readinessProbe'], ['liveness', 'livenessProbe']] as const) {
        const spec = c.spec[field];
        if (!spec) continue;
        let w = c.probes.get(type);
        if (!w) {
          w = new ProbeWorker(this.ctx, this, c, type, spec);
          if (c.probes === NO_PROBES) c.probes = new Map();
          c.probes.set(type, w);
        }
        w.start();
      }
    }
  }

  /** A probe result changed: readiness/startup always sync, liveness on failure (kubelet syncLoop). */
  probeResultChanged(type: ProbeType, value: 'success' | 'failure' | 'unknown'): void {
    if (type === 'liveness' && value !== 'failure') return;
    // While the pod terminates no sync runs, but the status manager's SetContainerReadiness still writes the
    // new readiness (and the Ready / ContainersReady conditions) at once.
    if (type === 'readiness' && this.terminating) { this.writeStatus(); return; }
    this.requestSync();
  }

  /** UpdatePodStatus: every started container whose readiness is not Success triggers its worker. */
  private triggerReadiness(): void {
    for (const c of this.ctrs) {
      const w = c.probes.get('readiness');
      if (!w || !c.running || !this.isStarted(c)) continue;
      if (w.resultFor(c.running.id) === 'success') continue;
      if (c.justStarted) { c.justStarted = false; w.trigger(false); continue; }
      w.trigger(true);
    }
    for (const c of this.ctrs) c.justStarted = false;
  }

  /** The pod IP (probes' tcp texts). */
  get ip(): string {
    return this.podIP ?? '';
  }

  /** Whether the pod is being deleted (liveness/startup stop). */
  get deleting(): boolean {
    return this.removed || !!this.pod.metadata.deletionTimestamp;
  }

  // ---------------------------------------------------------------- activeDeadlineSeconds

  private armDeadline(): void {
    this.ctx.kernel.cancel(this.deadlineTimer);
    this.deadlineTimer = undefined;
    const ads = this.pod.spec?.activeDeadlineSeconds;
    if (ads === undefined || ads === null || this.startTime === undefined || this.deadlineExceeded || this.finished || !this.kubelet.up) return;
    const due = this.startTime + ads * 1000;
    // The kubelet's 1-s sync tick, counted from its start.
    const base = this.kubelet.startedAt;
    const tick = this.d.kubeletSyncTick;
    const at = Math.max(this.now, base + Math.ceil((due - base) / tick) * tick);
    this.deadlineTimer = this.ctx.kernel.at(at, () => {
      this.deadlineTimer = undefined;
      this.deadlineExceeded = true;
      this.requestSync();
    }, `activeDeadlineSeconds ${this.what}`);
  }

  // ---------------------------------------------------------------- termination

  private *terminate(): Generator<number, void> {
    this.terminating = true;
    // SyncTerminatingPod: StopLivenessAndStartup first; readiness is probed until the containers have stopped
    // (probeManager.RemovePod after killPod, in finishContainers).
    for (const c of this.ctrs) for (const [type, w] of c.probes) if (type !== 'readiness') w.stop();
    const md = this.pod.metadata;
    let grace: number = this.pod.spec?.terminationGracePeriodSeconds ?? this.d.terminationGracePeriodSeconds;
    if (this.removed && !md.deletionTimestamp) grace = 0;
    else if (md.deletionTimestamp && md.deletionGracePeriodSeconds !== undefined) grace = md.deletionGracePeriodSeconds;
    if (grace < 0) grace = 1;
    if (this.deadlineExceeded && !md.deletionTimestamp) {
      this.recordEvent('Normal', 'DeadlineExceeded', this.ctx.msg.podDeadlineExceeded);
    }
    this.writeStatus();
    yield* this.killContainers(grace);
    this.finishContainers();
    if (this.deadlineExceeded && !md.deletionTimestamp) {
      this.recordEvent('Normal', 'DeadlineExceeded', this.ctx.msg.podDeadlineExceeded);
    }
    this.writeStatus();
    if (this.removed || md.deletionTimestamp) this.finalizeDelete();
  }

  /** Pod done without deletion (all regular containers finished, init failed): stop sidecars, terminal phase. */
  private *finishPod(): Generator<number, void> {
    this.terminating = true;
    const grace: number = this.pod.spec?.terminationGracePeriodSeconds ?? this.d.terminationGracePeriodSeconds;
    yield* this.killContainers(grace);
    this.finishContainers();
    this.writeStatus();
  }

  /**
   * killContainersWithSyncResult: every running container is killed at once (a `Killing` event each, then its
   * preStop hook). With sidecars, upstream's terminationOrdering makes each sidecar wait, after its hook, for
   * the regular containers and for the sidecars declared after it to exit (reverse order), at most for the
   * grace left (waitForTurn), before its SIGTERM. Returns once every container has exited.
   */
  private *killContainers(grace: number): Generator<number, void> {
    const running = [...this.regular, ...this.initCtrs.filter((c) => c.kind === 'init'), ...this.initCtrs.filter((c) => c.kind === 'sidecar').reverse()]
      .filter((c) => c.running);
    for (const c of running) this.event(c, 'Normal', 'Killing', this.ctx.msg.killing(c.name));
    let prereqDone = this.now;
    for (const c of running) {
      if (c.kind !== 'sidecar') {
        this.stopContainer(c, grace);
        if (c.kind === 'regular' && c.plannedAt !== undefined) prereqDone = Math.max(prereqDone, c.plannedAt);
      }
    }
    // Sidecars in reverse declaration order: each waits for the regular containers and the later sidecars.
    for (const c of running) {
      if (c.kind !== 'sidecar') continue;
      this.stopContainer(c, grace, prereqDone);
      if (c.plannedAt !== undefined) prereqDone = Math.max(prereqDone, c.plannedAt);
    }
    while (running.some((c) => c.running)) yield this.nextExitDelay(running);
  }

  private finishContainers(): void {
    this.finished = true;
    this.kubelet.release(this.uid);
    for (const c of this.ctrs) for (const w of c.probes.values()) w.stop();
    this.ctx.kernel.cancel(this.requeueTimer);
    this.ctx.kernel.cancel(this.deadlineTimer);
    this.requeueTimer = this.deadlineTimer = undefined;
    if (this.podIP && !this.pod.spec?.hostNetwork) this.kubelet.ipam?.release(this.podIP);
    this.kubelet.crashBackoff.resetPrefix(`${this.uid}/`);
  }

  private finalizeDelete(): void {
    if (this.deleteSent) return;
    this.deleteSent = true;
    if (this.removed) {
      this.kubelet.forget(this);
      return;
    }
    const r = this.ctx.api.delete(this.pod, { gracePeriodSeconds: 0, by: 'kubelet' });
    if (!r.ok) this.ctx.trace.add('kubelet', `final delete failed: ${r.error.message}`, this.what);
    if (!this.ctx.store.getByUid(this.uid)) { this.removed = true; this.kubelet.forget(this); }
  }

  // ---------------------------------------------------------------- status

  /**
   * The container's status, reusing the one built last time when nothing it is built from changed: the
   * instance count (instances are only appended, and a running one is always the last), whether one runs,
   * the waiting reason object, readiness, started, and whether a stopped container will restart. Nothing
   * else mutates a built status (the pod's status only ever holds it or a copy made by a patch).
   */
  private containerStatus(c: Ctr, hasInit: boolean): ContainerStatus {
    const n = c.instances.length;
    const last = c.instances[n - 1];
    const ready = c.kind === 'init' ? !!(last && !c.running && last.exitCode === 0) : this.isReady(c);
    const started = c.kind === 'init' ? !!c.running : this.isStarted(c);
    const restart = !c.running && last !== undefined && this.shouldRestart(c, last);
    const key = n * 32 + (c.running ? 16 : 0) + (ready ? 8 : 0) + (started ? 4 : 0) + (restart ? 2 : 0) + (hasInit ? 1 : 0);
    if (c.status !== undefined && c.statusKey === key && c.statusWaiting === c.waiting) return c.status;
    const s = this.buildContainerStatus(c, hasInit, ready, started);
    c.status = s;
    c.statusKey = key;
    c.statusWaiting = c.waiting;
    return s;
  }

  private buildContainerStatus(c: Ctr, hasInit: boolean, ready: boolean, started: boolean): ContainerStatus {
    const image: string = c.spec.image ?? '';
    const last = c.instances[c.instances.length - 1];
    const term = (i: Instance) => ({
      terminated: {
        containerID: `containerd://${i.id}`, exitCode: i.exitCode ?? 0, finishedAt: toTime(i.finishedAt ?? this.now),
        reason: i.reason ?? 'Error', startedAt: toTime(i.startedAt),
      },
    });
    let lastState: Record<string, unknown> = {};
    let state: Record<string, unknown>;
    if (c.running) {
      state = { running: { startedAt: toTime(c.running.startedAt) } };
      const p = c.instances[c.instances.length - 2];
      if (p) lastState = term(p);
    } else if (last) {
      state = term(last);
      const p = c.instances[c.instances.length - 2];
      if (p) lastState = term(p);
      const willRestart = this.shouldRestart(c, last);
      if (willRestart && c.waiting) {
        lastState = state;
        state = { waiting: { reason: c.waiting.reason, message: c.waiting.message } };
      }
    } else if (c.waiting) {
      state = { waiting: { reason: c.waiting.reason, message: c.waiting.message } };
    } else {
      state = { waiting: { reason: hasInit ? 'PodInitializing' : 'ContainerCreating' } };
    }
    // Built whole, in the key order status has always had (containerID only once there is an instance).
    const restartCount = Math.max(0, c.instances.length - 1);
    if (last) {
      return {
        name: c.name, image: last.imageRef, imageID: imageIdOf(last.imageRef), containerID: `containerd://${last.id}`,
        lastState, ready, restartCount, started, state,
      };
    }
    return { name: c.name, image, imageID: '', lastState, ready, restartCount, started, state };
  }

  private shouldRestart(c: Ctr, last: Instance): boolean {
    if (this.finished) return false;
    if (c.kind === 'sidecar') return true;
    const pol = this.pod.spec?.restartPolicy ?? 'Always';
    if (c.kind === 'init') return last.exitCode !== 0 && pol !== 'Never';
    if (pol === 'Never') return false;
    if (pol === 'OnFailure') return last.exitCode !== 0;
    return true;
  }

  /** Writes the pod status (generateAPIPodStatus) when anything changed. */
  writeStatus(): void {
    const pod = this.pod;
    if (this.removed || this.ctx.store.getByUid(this.uid) !== pod) return;
    // Change tracking instead of a copy of the status: every field written here is compared as it is set.
    let changed = pod.status === undefined;
    const st = pod.status ?? (pod.status = {});
    const hasInit = this.initCtrs.length > 0;
    // The stored lists themselves when every status in them is the one built again (nothing changed).
    const init = hasInit ? this.statusList(this.initCtrs, st.initContainerStatuses, hasInit) : NO_STATUSES;
    const regs = this.statusList(this.regular, st.containerStatuses, hasInit);
    // Nothing written since the last call (same resourceVersion), the same container statuses and the same
    // worker state: the status would come out as it is.
    const hostIP = this.kubelet.nodeIP;
    const fp = this.statusInputs();
    if (!changed && pod.metadata.resourceVersion === this.statusRv && this.statusRv !== undefined && fp === this.statusFp &&
      hostIP === this.statusHost && regs === st.containerStatuses && (init.length === 0 || init === st.initContainerStatuses)) return;
    let phase: string;
    const prevPhase = st.phase;
    if (prevPhase === 'Succeeded' || prevPhase === 'Failed') phase = prevPhase;
    else if (this.deadlineExceeded) phase = 'Failed';
    else phase = getPhase(pod.spec ?? {}, init, regs, this.finished);
    changed = put(st, 'phase', phase, changed);
    const now = this.now;
    const msg = this.ctx.msg;
    // From 1.34 the kubelet's conditions carry the generation its sync saw (KEP-5067).
    const og: number | undefined = this.d.podObservedGeneration && typeof pod.metadata.generation === 'number' ? pod.metadata.generation : undefined;
    if (setPodCondition(pod, 'PodReadyToStartContainers', this.readyToStart && !this.finished ? 'True' : 'False', undefined, undefined, now, og)) changed = true;
    const ic = initializedCondition(pod.spec ?? {}, init, regs, phase, msg.containersNotInitialized);
    if (setPodCondition(pod, 'Initialized', ic.status, ic.reason, ic.message, now, og)) changed = true;
    const cr = containersReadyCondition(pod.spec ?? {}, init, regs, phase, msg.containersNotReady);
    if (setPodCondition(pod, 'Ready', cr.status, cr.reason, cr.message, now, og)) changed = true;
    if (setPodCondition(pod, 'ContainersReady', cr.status, cr.reason, cr.message, now, og)) changed = true;
    if (kubeletConditionOrder(st, now, og)) changed = true;
    if (this.d.podObservedGeneration && pod.metadata.generation !== undefined) changed = put(st, 'observedGeneration', pod.metadata.generation, changed);
    if (hostIP) { changed = put(st, 'hostIP', hostIP, changed); changed = putIPs(st, 'hostIPs', hostIP, changed); }
    if (this.podIP) { changed = put(st, 'podIP', this.podIP, changed); changed = putIPs(st, 'podIPs', this.podIP, changed); }
    if (this.startTime !== undefined) changed = put(st, 'startTime', toTime(this.startTime), changed);
    if (init.length > 0) changed = put(st, 'initContainerStatuses', init, changed);
    changed = put(st, 'containerStatuses', regs, changed);
    // qosClass reads only the spec's resources, which no update may change (validation): once per spec object.
    if (this.qosSpec !== pod.spec || this.qosSpec === undefined) { this.qos = qosClass(pod); this.qosSpec = pod.spec; }
    changed = put(st, 'qosClass', this.qos, changed);
    if (this.deadlineExceeded) { changed = put(st, 'reason', 'DeadlineExceeded', changed); changed = put(st, 'message', msg.podDeadlineExceeded, changed); }
    if (changed) this.ctx.store.update(pod);
    this.statusRv = pod.metadata.resourceVersion;
    this.statusFp = fp;
    this.statusHost = hostIP;
  }

  /** The worker state the pod status is generated from, besides the containers (see writeStatus). */
  private statusInputs(): number {
    return (this.readyToStart ? 1 : 0) | (this.finished ? 2 : 0) | (this.deadlineExceeded ? 4 : 0) |
      (this.podIP !== undefined ? 8 : 0) | (this.startTime !== undefined ? 16 : 0);
  }

  /** The statuses of `ctrs`: `prev` itself when it holds exactly these status objects, else a new list. */
  private statusList(ctrs: readonly Ctr[], prev: unknown, hasInit: boolean): ContainerStatus[] {
    const n = ctrs.length;
    if (n === 0) return Array.isArray(prev) && prev.length === 0 ? prev : [];
    const old = Array.isArray(prev) && prev.length === n ? prev as ContainerStatus[] : undefined;
    let out: ContainerStatus[] | undefined = old ? undefined : new Array<ContainerStatus>(n);
    for (let i = 0; i < n; i++) {
      const s = this.containerStatus(ctrs[i]!, hasInit);
      if (out === undefined && old![i] !== s) {
        out = new Array<ContainerStatus>(n);
        for (let j = 0; j < i; j++) out[j] = old![j]!;
      }
      if (out !== undefined) out[i] = s;
    }
    return out ?? old!;
  }

  // ---------------------------------------------------------------- events

  private event(c: Ctr, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recordEvent(type, reason, message, fieldPathOf(c.kind === 'regular', c.name));
  }

  /** Records a kubelet Event about the pod. */
  recordEvent(type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void {
    this.ctx.recorder.record(this.pod, type, reason, message, 'kubelet', this.kubelet.name, fieldPath);
  }

  /** Records a probe's Event about a container. */
  containerEvent(c: Ctr, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.event(c, type, reason, message);
  }
}

/** The status list of no containers (read only). */
const NO_STATUSES: ContainerStatus[] = [];

/**
 * Sets `st[k] = v`; returns whether the status changed: `changed` already, or `k` was absent or held
 * something not deep-equal to `v`.
 */
function put(st: Record<string, unknown>, k: string, v: unknown, changed: boolean): boolean {
  if (!changed && (!Object.prototype.hasOwnProperty.call(st, k) || !deepEqual(st[k], v))) changed = true;
  st[k] = v;
  return changed;
}

/** `put(st, k, [{ ip }], changed)` without building the list when `st[k]` already is one equal to it. */
function putIPs(st: Record<string, unknown>, k: string, ip: string, changed: boolean): boolean {
  const cur = st[k];
  if (Array.isArray(cur) && cur.length === 1) {
    const e: unknown = cur[0];
    if (e !== null && typeof e === 'object' && !Array.isArray(e) && (e as { ip?: unknown }).ip === ip &&
      Object.prototype.hasOwnProperty.call(e, 'ip') && Object.keys(e).length === 1) return changed;
  }
  return put(st, k, [{ ip }], changed);
}

/** The last instance of a container that has finished, if any. */
function lastFinished(c: Ctr): Instance | undefined {
  for (let i = c.instances.length - 1; i >= 0; i--) if (c.instances[i]!.finishedAt !== undefined) return c.instances[i];
  return undefined;
}

/** imageIdOf is a pure function of the reference; its results are kept (bounded) as status is rebuilt every sync. */
const imageIdOf = memoize(computeImageId);

function computeImageId(ref: string): string {
  const repo = ref.replace(/:[^/:@]+$/, '').split('@')[0] ?? ref;
  let h = 0x811c9dc5;
  let hex = '';
  for (let round = 0; hex.length < 64; round++) {
    for (let i = 0; i < ref.length; i++) { h ^= ref.charCodeAt(i) + round; h = Math.imul(h, 0x01000193) >>> 0; }
    hex += h.toString(16).padStart(8, '0');
  }
  return `${repo}@sha256:${hex.slice(0, 64)}`;
}

/** `spec.containers{NAME}` / `spec.initContainers{NAME}`, one string per distinct path (Events keep it). */
const fieldPaths = new Map<string, string>();
function fieldPathOf(regular: boolean, name: string): string {
  const key = (regular ? 'c\u0000' : 'i\u0000') + name;
  let fp = fieldPaths.get(key);
  if (fp === undefined) {
    if (fieldPaths.size >= 4096) fieldPaths.clear();
    fp = `spec.${regular ? 'containers' : 'initContainers'}{${name}}`;
    fieldPaths.set(key, fp);
  }
  return fp;
}

/** The conditions the kubelet owns (pkg/kubelet/types PodConditionsByKubelet), in generateAPIPodStatus's order. */
const KUBELET_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

/**
 * The kubelet's PodScheduled (`Status: True`, its observedGeneration from 1.34; the transition time kept while
 * the status stays, updateLastTransitionTime) and mergePodStatus's order: the conditions others own first, as
 * they were, then the kubelet's in the order it generates them, PodScheduled last. Returns whether it changed.
 */
function kubeletConditionOrder(st: Record<string, any>, now: number, og: number | undefined): boolean {
  const conds: Array<Record<string, unknown>> = st.conditions ?? [];
  const old = conds.find((c) => c.type === 'PodScheduled');
  let scheduled = old;
  if (!old || old.status !== 'True' || old.reason !== undefined || old.message !== undefined || old.observedGeneration !== og) {
    scheduled = og !== undefined
      ? { type: 'PodScheduled', observedGeneration: og, status: 'True', lastProbeTime: null }
      : { type: 'PodScheduled', status: 'True', lastProbeTime: null };
    scheduled.lastTransitionTime = old && old.status === 'True' ? old.lastTransitionTime : toTime(now);
  }
  // Already in that order with this PodScheduled (the common case): nothing to build.
  let rank = -1, ordered = scheduled === old;
  for (let i = 0; ordered && i < conds.length; i++) {
    const r = KUBELET_CONDITIONS.indexOf(conds[i]!.type as string);
    if (r < 0 ? rank >= 0 : r <= rank) ordered = false;
    else if (r >= 0) rank = r;
  }
  if (ordered && old !== undefined) return false;
  const out: Array<Record<string, unknown>> = [];
  for (const c of conds) if (!KUBELET_CONDITIONS.includes(c.type as string)) out.push(c);
  for (const t of KUBELET_CONDITIONS) {
    const c = t === 'PodScheduled' ? scheduled : conds.find((x) => x.type === t);
    if (c) out.push(c);
  }
  if (out.length === conds.length && out.every((c, i) => c === conds[i])) return false;
  st.conditions = out;
  return true;
}
