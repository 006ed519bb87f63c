/**
 * Probe workers (k/k pkg/kubelet/prober/worker.go `run`/`doProbe`, prober_manager.go) in the deterministic
 * model of kubernetes-behavior.md §4.3: one worker per container × probe type started at the pod's first
 * sync (t_w), ticking on t_w + k·period; readiness also runs on triggers (and from 1.32 restarts its grid
 * there); results seeded when a worker first sees a container ID (readiness Failure, liveness Success,
 * startup Unknown); `failureThreshold`/`successThreshold` consecutive results change the cached result.
 */
import type { SimContext } from '../context.js';
import type { TimerId } from '../kernel.js';
import type { Ctr, Instance, PodWorker } from './pod-worker.js';

/** The three probe types. */
export type ProbeType = 'liveness' | 'readiness' | 'startup';
/** A cached probe result. */
export type ProbeResult = 'success' | 'failure' | 'unknown';

const TITLE: Record<ProbeType, 'Liveness' | 'Readiness' | 'Startup'> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

/** One probe worker. */
export class ProbeWorker {
  private timer: TimerId | undefined;
  private active = false;
  private seenId: string | undefined;
  private onHold = false;
  private lastResult: 'success' | 'failure' | undefined;
  private resultRun = 0;
  private cache: { id: string; value: ProbeResult } | undefined;
  private triggerQueued = false;

  constructor(
    private readonly ctx: SimContext, private readonly pw: PodWorker, private readonly c: Ctr,
    /** The probe type. */
    readonly type: ProbeType,
    /** The probe spec as stored. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    readonly spec: Record<string, any>,
  ) {}

  private get period(): number {
    return Math.max(1, Number(this.spec.periodSeconds ?? this.ctx.defaults.probePeriodSeconds)) * 1000;
  }

  /** Starts the worker now: a run at once, then a tick every period (kubelet (re)start: fresh state). */
  start(): void {
    this.stop();
    this.active = true;
    this.seenId = undefined;
    this.cache = undefined;
    this.onHold = false;
    this.lastResult = undefined;
    this.resultRun = 0;
    // doProbe at once (inside the pod's sync, before its containers start), then on the ticker.
    this.schedule(this.ctx.now() + this.period);
    this.doProbe();
  }

  /** Stops the worker. */
  stop(): void {
    this.active = false;
    this.ctx.kernel.cancel(this.timer);
    this.timer = undefined;
  }

  private schedule(at: number): void {
    this.ctx.kernel.cancel(this.timer);
    this.timer = this.ctx.kernel.at(at, () => {
      this.timer = undefined;
      if (!this.active) return;
      this.schedule(at + this.period);
      this.doProbe();
    }, `probe ${this.type} ${this.c.name}`);
  }

  /** The cached result for a container instance ('unknown' when not seen yet). */
  resultFor(id: string): ProbeResult {
    return this.cache && this.cache.id === id ? this.cache.value : 'unknown';
  }

  /** The container stopped: nothing to probe until a new ID appears. */
  containerGone(): void {
    // The worker notices at its next run; nothing to do now.
  }

  /**
   * A readiness trigger from a pod sync: runs doProbe at once (at most one pending) when `probe`,
   * and from 1.32 restarts the ticker there either way (§4.3 (a)).
   */
  trigger(probe: boolean): void {
    if (!this.active || this.type !== 'readiness') return;
    if (this.ctx.defaults.readinessTickerRestarts) this.schedule(this.ctx.now() + this.period);
    if (!probe || this.triggerQueued) return;
    this.triggerQueued = true;
    this.ctx.kernel.react(() => {
      this.triggerQueued = false;
      if (this.active) this.doProbe();
    }, `probe trigger ${this.c.name}`);
  }

  private set(id: string, value: ProbeResult): void {
    const changed = !this.cache || this.cache.id !== id || this.cache.value !== value;
    this.cache = { id, value };
    if (changed) this.pw.probeResultChanged(this.type, value);
  }

  /** One `doProbe` run. */
  doProbe(): void {
    const inst = this.c.running;
    if (!inst) return;
    if (inst.id !== this.seenId) {
      this.seenId = inst.id;
      this.onHold = false;
      this.set(inst.id, this.type === 'readiness' ? 'failure' : this.type === 'liveness' ? 'success' : 'unknown');
    }
    if (this.onHold) return;
    if (this.pw.deleting && this.type !== 'readiness') { this.set(inst.id, 'success'); return; }
    const now = this.ctx.now();
    const delay = Number(this.spec.initialDelaySeconds ?? 0);
    const elapsed = Math.floor((now - Math.floor(inst.startedAt / 1000) * 1000) / 1000);
    if (elapsed < delay) return;
    const started = this.pw.isStarted(this.c);
    if (this.type === 'startup' ? started : !started) return;
    const fail = this.fails(inst, now);
    if (fail) this.pw.containerEvent(this.c, 'Warning', 'Unhealthy', this.ctx.msg.unhealthy(TITLE[this.type], this.output()));
    const result = fail ? 'failure' : 'success';
    if (this.lastResult === result) this.resultRun++;
    else { this.lastResult = result; this.resultRun = 1; }
    const failureThreshold = Number(this.spec.failureThreshold ?? this.ctx.defaults.probeFailureThreshold);
    const successThreshold = this.type === 'readiness' ? Number(this.spec.successThreshold ?? this.ctx.defaults.probeSuccessThreshold) : 1;
    if ((fail && this.resultRun < failureThreshold) || (!fail && this.resultRun < successThreshold)) return;
    this.set(inst.id, result);
    if (fail && this.type !== 'readiness') {
      this.onHold = true;
      this.resultRun = 0;
    }
  }

  /** The behavior's answer at `now` (inclusive boundaries), or a probeFail override. */
  private fails(inst: Instance, now: number): boolean {
    const o = this.c.overrides.get(this.type);
    if (o && now < o.until && (o.instance === undefined || o.instance === inst.id)) return true;
    const ans = this.c.behavior?.probes?.[this.type];
    if (!ans) return false;
    const t = now - inst.startedAt;
    return (ans.passAfter !== undefined && t < ans.passAfter) || (ans.failAfter !== undefined && t >= ans.failAfter);
  }

  /** The prober's output text for a failure (k/k pkg/probe/{http,tcp,exec,grpc}). */
  private output(): string {
    const s = this.spec;
    const msg = this.ctx.msg;
    if (s.httpGet) return msg.httpProbeFailed(this.ctx.defaults.failingHttpProbeStatus);
    if (s.tcpSocket) {
      let port = s.tcpSocket.port;
      if (typeof port === 'string' && !/^\d+$/.test(port)) {
        const p = (this.c.spec.ports ?? []).find((x: Record<string, unknown>) => x.name === port);
        if (p) port = p.containerPort;
      }
      return msg.tcpProbeFailed(s.tcpSocket.host || this.pw.ip, port);
    }
    if (s.grpc) return msg.grpcProbeFailed;
    return '';
  }
}
