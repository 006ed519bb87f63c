/**
 * The Job controller (k/k pkg/controller/job/job_controller.go, backoff_utils.go, pod_failure_policy.go,
 * indexed_job_utils.go) and the TTL-after-finished controller (k/k pkg/controller/ttlafterfinished).
 * Pods carry the `batch.kubernetes.io/job-tracking` finalizer until counted; syncs caused by pod changes are
 * batched by 1s; failed pods are replaced after 10s × 2^(n−1) (cap 10 min); backoffLimit, podFailurePolicy,
 * activeDeadlineSeconds, suspend, Indexed completion and ttlSecondsAfterFinished behave as upstream, with
 * FailureTarget / SuccessCriteriaMet first from 1.31.
 */
import type { SimContext } from '../context.js';
import type { KObject } from '../../k8s/types.js';
import { fromTime } from '../../k8s/time.js';
import { deepEqual } from '../../k8s/util.js';
import { selectorMatches } from '../../k8s/match.js';
import {
  WorkQueue, claimObjects, getCondition, getControllerOf, intOr, isPodTerminal, keyOf, podFromTemplate, splitKey, ts,
  isPodReady, type Condition,
} from './common.js';
import { createInBatches } from './replicaset.js';

const COMPONENT = 'job-controller';
/** The Job tracking finalizer. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** The completion index annotation/label of Indexed Jobs. */
export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
const MANAGED_BY_DEFAULT = 'kubernetes.io/job-controller';

interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

/** Per-Job memory that upstream keeps in the controller (backoff records, pods deleted on purpose). */
interface JobState {
  backoff: BackoffRecord;
  /** uids of pods deleted by the controller (suspend, deadline, excess): not counted as failures. */
  deliberate: Set<string>;
}

/** Handle of the running Job controller. */
export interface JobController {
  queue: WorkQueue;
}

/** Starts the Job controller and the TTL-after-finished controller. */
export function startJobController(ctx: SimContext): JobController {
  const state = new Map<string, JobState>();
  const queue = new WorkQueue(ctx, COMPONENT, (key) => syncJob(ctx, key, queue, state));
  ctx.store.watch('Job', (type, job) => {
    if (type === 'DELETED') {
      state.delete(job.metadata.uid!);
      return;
    }
    queue.add(keyOf(job));
  });
  ctx.store.watch('Pod', (type, pod) => {
    const ref = getControllerOf(pod);
    if (ref) {
      if (ref.kind !== 'Job') return;
      const key = `${pod.metadata.namespace}/${ref.name}`;
      // Pod changes are batched by syncJobBatchPeriod; a pod going away re-syncs at once.
      if (type === 'DELETED') queue.add(key);
      else queue.addAfter(key, ctx.defaults.jobSyncBatchPeriod);
      return;
    }
    if (type === 'DELETED') return;
    for (const job of ctx.store.list('Job', pod.metadata.namespace)) {
      if (selectorMatches(job.spec?.selector, pod.metadata.labels)) queue.addAfter(keyOf(job), ctx.defaults.jobSyncBatchPeriod);
    }
  });
  startTTLAfterFinished(ctx);
  return { queue };
}

function finishedCondition(job: KObject): Condition | undefined {
  for (const t of ['Complete', 'Failed']) {
    const c = getCondition(job.status, t);
    if (c?.status === 'True') return c;
  }
  return undefined;
}

/** Whether a Job has finished (Complete or Failed True). */
export function isJobFinished(job: KObject): boolean {
  return finishedCondition(job) !== undefined;
}

/** The Job's finish time and type, when finished. */
export function jobFinish(job: KObject): { type: 'Complete' | 'Failed'; at: number } | undefined {
  const c = finishedCondition(job);
  if (!c) return undefined;
  return { type: c.type as 'Complete' | 'Failed', at: fromTime(c.lastTransitionTime ?? '') ?? 0 };
}

function onlyReplaceFailed(job: KObject): boolean {
  const p = job.spec?.podReplacementPolicy ?? (job.spec?.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed');
  return p === 'Failed';
}

function isPodFailedForJob(p: KObject, job: KObject): boolean {
  if (p.status?.phase === 'Failed') return true;
  if (onlyReplaceFailed(job)) return false;
  return !!p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded';
}

function indexOf(p: KObject): number | undefined {
  const v = p.metadata.annotations?.[COMPLETION_INDEX] ?? p.metadata.labels?.[COMPLETION_INDEX];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** Parses `1,3-5` into indexes. */
export function parseIndexes(s: string | undefined): number[] {
  const out: number[] = [];
  if (!s) return out;
  for (const part of s.split(',')) {
    const [a, b] = part.split('-');
    const x = Number(a), y = b === undefined ? x : Number(b);
    for (let i = x; i <= y; i++) out.push(i);
  }
  return out;
}

/** Formats sorted indexes as intervals (`0-2,4`). */
export function formatIndexes(ix: Iterable<number>): string {
  const s = [...new Set(ix)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length;) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    parts.push(i === j ? `${s[i]}` : `${s[i]}-${s[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

function newJobCondition(now: number, type: string, status: Condition['status'], reason?: string, message?: string): Condition {
  const c: Condition = { type, status, lastProbeTime: ts(now), lastTransitionTime: ts(now) };
  if (reason !== undefined) c.reason = reason;
  if (message !== undefined) c.message = message;
  return c;
}

/** Sets a Job condition; the transition time moves only when the status changes. */
function setJobCondition(status: any, c: Condition): void {
  const conds: Condition[] = status.conditions ?? (status.conditions = []);
  const cur = conds.find((x) => x.type === c.type);
  if (!cur) {
    conds.push(c);
    return;
  }
  if (cur.status === c.status && cur.reason === c.reason && cur.message === c.message) return;
  if (cur.status === c.status) c.lastTransitionTime = cur.lastTransitionTime;
  Object.assign(cur, c);
  if (c.reason === undefined) delete cur.reason;
  if (c.message === undefined) delete cur.message;
}

/** Defaulting the API server does for Jobs (selector and labels from the uid), done at the first sync. */
function ensureJobDefaults(ctx: SimContext, job: KObject): void {
  const spec = job.spec ?? (job.spec = {});
  if (spec.selector || spec.manualSelector) return;
  const uid = job.metadata.uid!;
  const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': job.metadata.name, 'controller-uid': uid, 'job-name': job.metadata.name };
  spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  spec.template ??= {};
  spec.template.metadata ??= {};
  spec.template.metadata.labels = { ...labels, ...(spec.template.metadata.labels ?? {}) };
  spec.backoffLimit ??= ctx.defaults.jobBackoffLimit;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  if (ctx.defaults.jobManagedBy) spec.manualSelector ??= undefined;
  ctx.store.update(job);
}

/** Result of evaluating podFailurePolicy for one failed pod. */
type PolicyOutcome = { action: 'FailJob'; message: string } | { action: 'Ignore' | 'Count' | 'FailIndex' } | undefined;

/** matchPodFailurePolicy (pod_failure_policy.go): first matching rule wins. */
export function matchPodFailurePolicy(ctx: SimContext, job: KObject, pod: KObject): PolicyOutcome {
  const rules: any[] = job.spec?.podFailurePolicy?.rules ?? [];
  const ns = pod.metadata.namespace ?? 'default';
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    if (r.onExitCodes) {
      const req = r.onExitCodes;
      const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])] as any[];
      for (const cs of statuses) {
        const term = cs.state?.terminated;
        if (!term) continue;
        if (req.containerName && req.containerName !== cs.name) continue;
        const code = intOr(term.exitCode, 0);
        if (code === 0) continue;
        const inList = (req.values ?? []).includes(code);
        if ((req.operator === 'In' && inList) || (req.operator === 'NotIn' && !inList)) {
          if (r.action === 'FailJob') return { action: 'FailJob', message: ctx.msg.jobPodFailurePolicyExit(cs.name, ns, pod.metadata.name, code, i) };
          return { action: r.action };
        }
      }
    }
    if (r.onPodConditions) {
      for (const pat of r.onPodConditions as any[]) {
        const c = (pod.status?.conditions ?? []).find((x: any) => x.type === pat.type);
        if (c && c.status === (pat.status ?? 'True')) {
          if (r.action === 'FailJob') return { action: 'FailJob', message: ctx.msg.jobPodFailurePolicyCondition(ns, pod.metadata.name, pat.type, i) };
          return { action: r.action };
        }
      }
    }
  }
  return undefined;
}

/** Reconciles one Job. */
export function syncJob(ctx: SimContext, key: string, queue: WorkQueue, states: Map<string, JobState>): void {
  const { namespace, name } = splitKey(key);
  const job = ctx.store.get('Job', namespace, name);
  if (!job) return;
  const d = ctx.defaults;
  if (d.jobManagedBy && job.spec?.managedBy && job.spec.managedBy !== MANAGED_BY_DEFAULT) return;
  ensureJobDefaults(ctx, job);
  const uid = job.metadata.uid!;
  let st = states.get(uid);
  if (!st) states.set(uid, (st = { backoff: { failuresAfterLastSuccess: 0 }, deliberate: new Set() }));
  const now = ctx.now();
  const spec = job.spec;
  const pods = claimObjects(ctx, job, 'Pod', spec.selector);
  const status: any = JSON.parse(JSON.stringify(job.status ?? {}));
  const indexed = spec.completionMode === 'Indexed';
  const completions: number | undefined = spec.completions ?? undefined;
  const parallelism = intOr(spec.parallelism, 1);
  const events: Array<[type: 'Normal' | 'Warning', reason: string, msg: string]> = [];

  // Already finished: drop finalizers of remaining pods, nothing else.
  if (finishedCondition(job)) {
    for (const p of pods) if (p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER)) ctx.api.removeFinalizer(p, JOB_TRACKING_FINALIZER);
    return;
  }

  // 1. Count terminated pods that still carry the tracking finalizer.
  let succeeded = intOr(status.succeeded, 0);
  let failed = intOr(status.failed, 0);
  const completed = new Set(parseIndexes(status.completedIndexes));
  let failJob: { reason: string; message: string } | undefined;
  for (const p of pods) {
    if (!p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER)) continue;
    const puid = p.metadata.uid!;
    if (p.status?.phase === 'Succeeded') {
      const ix = indexOf(p);
      if (indexed) {
        if (ix !== undefined && completions !== undefined && ix < completions && !completed.has(ix)) {
          completed.add(ix);
          succeeded++;
        }
      } else succeeded++;
      st.backoff = { failuresAfterLastSuccess: 0 };
      ctx.api.removeFinalizer(p, JOB_TRACKING_FINALIZER);
    } else if (isPodFailedForJob(p, job) && (isPodTerminal(p) || p.metadata.deletionTimestamp)) {
      if (st.deliberate.has(puid)) {
        if (isPodTerminal(p) || !onlyReplaceFailed(job)) ctx.api.removeFinalizer(p, JOB_TRACKING_FINALIZER);
        continue;
      }
      let count = true;
      if (spec.podFailurePolicy && p.status?.phase === 'Failed') {
        const o = matchPodFailurePolicy(ctx, job, p);
        if (o?.action === 'Ignore') count = false;
        else if (o?.action === 'FailJob' && !failJob) failJob = { reason: 'PodFailurePolicy', message: o.message };
      }
      if (count) {
        failed++;
        st.backoff.failuresAfterLastSuccess++;
        st.backoff.lastFailureTime = Math.max(st.backoff.lastFailureTime ?? 0, podFinishedAt(p) ?? now);
      }
      ctx.api.removeFinalizer(p, JOB_TRACKING_FINALIZER);
    }
  }

  const live = pods.filter((p) => ctx.store.getByUid(p.metadata.uid!));
  const terminating = live.filter((p) => !isPodTerminal(p) && p.metadata.deletionTimestamp);
  let active = live.filter((p) => !isPodTerminal(p) && !p.metadata.deletionTimestamp);

  // startTime and suspension.
  const suspended = spec.suspend === true;
  const suspCond = getCondition(status, 'Suspended');
  if (suspended) {
    if (d.jobClearStartTimeOnSuspend) delete status.startTime;
    if (suspCond?.status !== 'True') {
      setJobCondition(status, newJobCondition(now, 'Suspended', 'True', 'JobSuspended', ctx.msg.jobSuspended));
      events.push(['Normal', 'Suspended', ctx.msg.jobSuspended]);
    }
  } else {
    if (suspCond?.status === 'True') {
      setJobCondition(status, newJobCondition(now, 'Suspended', 'False', 'JobResumed', ctx.msg.jobResumed));
      events.push(['Normal', 'Resumed', ctx.msg.jobResumed]);
      status.startTime = ts(now);
    }
    status.startTime ??= ts(now);
  }

  // 2. Failure and success criteria.
  const failureTarget = getCondition(status, 'FailureTarget');
  const successMet = getCondition(status, 'SuccessCriteriaMet');
  let finish: { type: 'Failed'; reason: string; message: string } | { type: 'Complete' } | undefined;
  if (failureTarget?.status === 'True') finish = { type: 'Failed', reason: failureTarget.reason ?? '', message: failureTarget.message ?? '' };
  else if (successMet?.status === 'True') finish = { type: 'Complete' };
  if (!finish) {
    const backoffLimit = intOr(spec.backoffLimit, d.jobBackoffLimit);
    const deadline = spec.activeDeadlineSeconds;
    const start = status.startTime ? fromTime(status.startTime) : undefined;
    if (failJob) finish = { type: 'Failed', ...failJob };
    else if (failed > backoffLimit || pastBackoffLimitOnFailure(job, active, backoffLimit)) {
      finish = { type: 'Failed', reason: 'BackoffLimitExceeded', message: ctx.msg.jobBackoffLimitExceeded };
    } else if (typeof deadline === 'number' && start !== undefined && !suspended && now - start >= deadline * 1000) {
      finish = { type: 'Failed', reason: 'DeadlineExceeded', message: ctx.msg.jobDeadlineExceeded };
    } else {
      const done = completions === undefined ? succeeded > 0 && active.length === 0
        : indexed ? completed.size >= completions : succeeded >= completions;
      if (done) finish = { type: 'Complete' };
    }
    if (finish && d.jobTerminalAfterPodsTerminal) {
      if (finish.type === 'Failed') setJobCondition(status, newJobCondition(now, 'FailureTarget', 'True', finish.reason, finish.message));
      else setJobCondition(status, newJobCondition(now, 'SuccessCriteriaMet', 'True', 'CompletionsReached', ctx.msg.jobCompletionsReached));
    } else if (finish?.type === 'Failed' && failJob && !d.jobTerminalAfterPodsTerminal) {
      setJobCondition(status, newJobCondition(now, 'FailureTarget', 'True', finish.reason, finish.message));
    }
    if (!finish && typeof deadline === 'number' && start !== undefined && !suspended) {
      queue.addAfter(key, start + deadline * 1000 - now);
    }
  }

  // 3. Manage pods.
  if (finish || suspended) {
    for (const p of active) {
      st.deliberate.add(p.metadata.uid!);
      const r = ctx.api.delete(p, { by: COMPONENT });
      if (r.ok) events.push(['Normal', 'SuccessfulDelete', ctx.msg.deletedPod(p.metadata.name)]);
    }
    active = [];
  } else {
    const remainingBackoff = backoffRemaining(ctx, st.backoff);
    let want: number;
    const pendingIndexes: number[] = [];
    if (indexed) {
      const activeIdx = new Set(active.map(indexOf).filter((x): x is number => x !== undefined));
      for (let i = 0; i < (completions ?? 0); i++) if (!completed.has(i) && !activeIdx.has(i)) pendingIndexes.push(i);
      want = Math.min(parallelism, active.length + pendingIndexes.length);
    } else if (completions === undefined) {
      want = succeeded > 0 ? 0 : parallelism;
    } else want = Math.max(0, Math.min(parallelism, completions - succeeded));
    if (!onlyReplaceFailed(job)) { /* terminating pods are already replaced */ } else want = Math.max(0, want - terminating.length);
    if (active.length > want) {
      const extra = active.slice(want).reverse();
      for (const p of extra.slice(0, active.length - want)) {
        st.deliberate.add(p.metadata.uid!);
        const r = ctx.api.delete(p, { by: COMPONENT });
        if (r.ok) events.push(['Normal', 'SuccessfulDelete', ctx.msg.deletedPod(p.metadata.name)]);
      }
      active = active.slice(0, want);
    } else if (active.length < want) {
      if (remainingBackoff > 0 && st.backoff.failuresAfterLastSuccess > 0) {
        queue.addAfter(key, remainingBackoff);
      } else {
        const n = Math.min(want - active.length, d.jobMaxPodCreateDeletePerSync);
        const created: KObject[] = [];
        let k = 0;
        createInBatches(n, () => {
          const ix = indexed ? pendingIndexes[k++] : undefined;
          const pod = newJobPod(job, ix);
          const r = ctx.api.create(pod, { by: COMPONENT });
          if (!r.ok) {
            events.push(['Warning', 'FailedCreate', ctx.msg.errorCreating(r.error.message)]);
            return r.error.message;
          }
          created.push(r.value);
          events.push(['Normal', 'SuccessfulCreate', ctx.msg.createdPod(r.value.metadata.name)]);
          return undefined;
        });
        active = [...active, ...created];
      }
    }
  }

  // 4. Terminal conditions once every pod is terminal (1.31+) or at once (earlier).
  const nonTerminal = live.filter((p) => ctx.store.getByUid(p.metadata.uid!) && !isPodTerminal(p)).length;
  if (finish && (!d.jobTerminalAfterPodsTerminal || nonTerminal === 0)) {
    if (finish.type === 'Complete') {
      setJobCondition(status, d.jobCompleteReason
        ? newJobCondition(now, 'Complete', 'True', 'CompletionsReached', ctx.msg.jobCompletionsReached)
        : newJobCondition(now, 'Complete', 'True'));
      status.completionTime = ts(now);
      events.push(['Normal', 'Completed', ctx.msg.jobCompleted]);
    } else {
      setJobCondition(status, newJobCondition(now, 'Failed', 'True', finish.reason, finish.message));
      events.push(['Warning', finish.reason, finish.message]);
    }
  }

  // 5. Status.
  const next: any = {};
  for (const k of ['conditions', 'startTime', 'completionTime']) if (status[k] !== undefined) next[k] = status[k];
  const activeCount = active.filter((p) => ctx.store.getByUid(p.metadata.uid!) && !p.metadata.deletionTimestamp).length;
  if (activeCount) next.active = activeCount;
  if (succeeded) next.succeeded = succeeded;
  if (failed) next.failed = failed;
  if (indexed && completed.size) next.completedIndexes = formatIndexes(completed);
  next.terminating = live.filter((p) => ctx.store.getByUid(p.metadata.uid!) && !isPodTerminal(p) && p.metadata.deletionTimestamp).length;
  next.ready = active.filter((p) => ctx.store.getByUid(p.metadata.uid!) && isPodReady(p)).length;
  next.uncountedTerminatedPods = {};
  if (!next.conditions?.length) delete next.conditions;
  if (!deepEqual(job.status ?? {}, next)) {
    job.status = next;
    ctx.store.update(job);
  }
  for (const [type, reason, msg] of events) ctx.recorder.record(job, type, reason, msg, COMPONENT);
}

/** getFinishedTime: the latest container finishedAt, else the Ready transition, else undefined. */
function podFinishedAt(p: KObject): number | undefined {
  let last: number | undefined;
  for (const cs of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])] as any[]) {
    const f = cs.state?.terminated?.finishedAt;
    const v = typeof f === 'string' ? fromTime(f) : undefined;
    if (v !== undefined && (last === undefined || v > last)) last = v;
  }
  if (last !== undefined) return last;
  const ready = (p.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  return typeof ready?.lastTransitionTime === 'string' ? fromTime(ready.lastTransitionTime) : undefined;
}

function pastBackoffLimitOnFailure(job: KObject, active: KObject[], backoffLimit: number): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of active) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending' && p.status?.phase !== undefined) continue;
    for (const cs of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])] as any[]) restarts += intOr(cs.restartCount, 0);
  }
  if (backoffLimit === 0) return restarts > 0;
  return restarts >= backoffLimit;
}

/** ms before a replacement may be created after the last failure (10s × 2^(n−1), capped). */
function backoffRemaining(ctx: SimContext, b: BackoffRecord): number {
  if (!b.failuresAfterLastSuccess || b.lastFailureTime === undefined) return 0;
  const d = ctx.defaults;
  const delay = Math.min(d.jobPodFailureInitialBackoff * 2 ** (b.failuresAfterLastSuccess - 1), d.jobPodFailureMaxBackoff);
  return b.lastFailureTime + delay - ctx.now();
}

function newJobPod(job: KObject, index: number | undefined): KObject {
  const prefix = index === undefined ? `${job.metadata.name}-` : `${job.metadata.name}-${index}-`;
  const pod = podFromTemplate(job.spec.template, job, { generateName: prefix });
  pod.metadata.finalizers = [...(pod.metadata.finalizers ?? []), JOB_TRACKING_FINALIZER];
  if (index !== undefined) {
    pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [COMPLETION_INDEX]: String(index) };
    pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [COMPLETION_INDEX]: String(index) };
    pod.spec.hostname = `${job.metadata.name}-${index}`;
  }
  return pod;
}

/** The TTL-after-finished controller: deletes finished Jobs `ttlSecondsAfterFinished` after they finish. */
function startTTLAfterFinished(ctx: SimContext): void {
  const queue: WorkQueue = new WorkQueue(ctx, 'ttl-after-finished-controller', (key) => {
    const { namespace, name } = splitKey(key);
    const job = ctx.store.get('Job', namespace, name);
    if (!job || job.metadata.deletionTimestamp) return;
    const ttl = job.spec?.ttlSecondsAfterFinished;
    const fin = jobFinish(job);
    if (typeof ttl !== 'number' || !fin) return;
    const due = fin.at + ttl * 1000;
    if (due > ctx.now()) {
      queue.addAfter(key, due - ctx.now());
      return;
    }
    ctx.api.delete(job, { propagation: 'Foreground', by: 'ttl-after-finished-controller' });
  });
  ctx.store.watch('Job', (type, job) => {
    if (type !== 'DELETED' && typeof job.spec?.ttlSecondsAfterFinished === 'number' && isJobFinished(job)) queue.add(keyOf(job));
  });
}
