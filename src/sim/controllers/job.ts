/**
 * The Job controller (k/k pkg/controller/job/job_controller.go, backoff_utils.go, pod_failure_policy.go,
 * indexed_job_utils.go) and the TTL-after-finished controller (k/k pkg/controller/ttlafterfinished).
 * Pods carry the `batch.kubernetes.io/job-tracking` finalizer until counted; syncs caused by pod changes are
 * batched by 1s; failed pods are replaced after 10s × 2^(n−1) (cap 10 min); backoffLimit, podFailurePolicy,
 * activeDeadlineSeconds, suspend, Indexed completion, backoffLimitPerIndex / maxFailedIndexes (per-index
 * back-off, failedIndexes), successPolicy and ttlSecondsAfterFinished behave as upstream, with FailureTarget /
 * SuccessCriteriaMet first from 1.31.
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
  // updateJob: a write that leaves the generation as it was (a status update) is batched by syncJobBatchPeriod;
  // a new Job or a spec change syncs at once.
  const generations = new Map<string, unknown>();
  ctx.store.watch('Job', (type, job) => {
    const uid = job.metadata.uid!;
    if (type === 'DELETED') {
      state.delete(uid);
      generations.delete(uid);
      return;
    }
    const gen = job.metadata.generation;
    const same = type === 'MODIFIED' && generations.has(uid) && generations.get(uid) === gen;
    generations.set(uid, gen);
    if (same) queue.addAfter(keyOf(job), ctx.defaults.jobSyncBatchPeriod);
    else queue.add(keyOf(job));
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
    // orderedIntervals.String: a run of two is written `3,4`, longer runs `3-5`.
    parts.push(i === j ? `${s[i]}` : j === i + 1 ? `${s[i]},${s[j]}` : `${s[i]}-${s[j]}`);
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
      // matchOnExitCodes: the regular containers first, then the init containers.
      const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])] as any[];
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

/** The per-index failure count annotations (batch.kubernetes.io/job-index-failure-count, …-ignored-…). */
export const INDEX_FAILURE_COUNT = 'batch.kubernetes.io/job-index-failure-count';
export const INDEX_IGNORED_FAILURE_COUNT = 'batch.kubernetes.io/job-index-ignored-failure-count';

/** backoffLimitPerIndex when the Job uses it (Indexed only; the field is beta-on or GA in every version). */
function backoffLimitPerIndex(job: KObject): number | undefined {
  const v = job.spec?.backoffLimitPerIndex;
  return job.spec?.completionMode === 'Indexed' && typeof v === 'number' ? v : undefined;
}

/** parseInt32 of an annotation (indexed_job_utils.go): not a number, negative or above int32 → 0. */
function annotationCount(p: KObject, key: string): number {
  const v = p.metadata.annotations?.[key];
  if (typeof v !== 'string' || !/^[+-]?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n < 0 || n > 2147483647 ? 0 : n;
}

/** Whether a failed pod counts (podFailurePolicy `Ignore` does not; no policy or no match does). */
function countsAsFailure(ctx: SimContext, job: KObject, p: KObject): boolean {
  if (!job.spec?.podFailurePolicy) return true;
  return matchPodFailurePolicy(ctx, job, p)?.action !== 'Ignore';
}

/** isIndexFailed: a FailIndex rule matched, or the index used up backoffLimitPerIndex with this failure. */
function isIndexFailed(ctx: SimContext, job: KObject, p: KObject, limit: number): boolean {
  if (!isPodFailedForJob(p, job)) return false;
  if (job.spec?.podFailurePolicy) {
    const o = matchPodFailurePolicy(ctx, job, p);
    if (o?.action === 'FailIndex') return true;
    if (o?.action === 'Ignore') return false;
  }
  return annotationCount(p, INDEX_FAILURE_COUNT) >= limit;
}

/** matchSuccessPolicy (success_policy.go): `Matched rules at index N` for the first rule met. */
function matchSuccessPolicy(job: KObject, completions: number, succeeded: Set<number>): number | undefined {
  const rules: any[] = job.spec?.successPolicy?.rules ?? [];
  if (succeeded.size === 0) return undefined;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    if (typeof r.succeededIndexes === 'string') {
      const required = parseIndexes(r.succeededIndexes).filter((x) => x < completions);
      if (required.length === 0) continue;
      let contains = 0;
      for (const x of required) if (succeeded.has(x)) contains++;
      if (contains === required.length || (typeof r.succeededCount === 'number' && contains >= r.succeededCount)) return i;
    } else if (typeof r.succeededCount === 'number' && succeeded.size >= r.succeededCount) return i;
  }
  return undefined;
}

type Finish = { type: 'Failed' | 'Complete'; reason?: string; message?: string };

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
  const perIndex = backoffLimitPerIndex(job);
  const events: Array<[type: 'Normal' | 'Warning', reason: string, msg: string]> = [];

  // Already finished: drop finalizers of remaining pods, nothing else.
  if (finishedCondition(job)) {
    for (const p of pods) if (p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER)) ctx.api.removeFinalizer(p, JOB_TRACKING_FINALIZER);
    return;
  }

  // 1. Terminated pods that still carry the tracking finalizer (getNewFinishedPods); pods the controller
  //    deleted on purpose (suspend, excess) lose the finalizer uncounted, as deleteJobPods removes it first.
  const validIndex = (p: KObject): number | undefined => {
    const ix = indexOf(p);
    return ix !== undefined && completions !== undefined && ix < completions ? ix : undefined;
  };
  const newSucceeded: KObject[] = [];
  const newFailed: KObject[] = [];
  for (const p of pods) {
    if (!p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER)) continue;
    if (indexed && validIndex(p) === undefined && (p.status?.phase === 'Succeeded' || isPodFailedForJob(p, job))) {
      ctx.api.removeFinalizer(p, JOB_TRACKING_FINALIZER);
      continue;
    }
    if (p.status?.phase === 'Succeeded') newSucceeded.push(p);
    else if (isPodFailedForJob(p, job)) {
      if (st.deliberate.has(p.metadata.uid!)) {
        if (isPodTerminal(p) || !onlyReplaceFailed(job)) ctx.api.removeFinalizer(p, JOB_TRACKING_FINALIZER);
        continue;
      }
      newFailed.push(p);
    }
  }
  let failJob: { reason: string; message: string } | undefined;
  const counted = new Set<KObject>();
  for (const p of newFailed) {
    if (spec.podFailurePolicy && p.status?.phase === 'Failed') {
      const o = matchPodFailurePolicy(ctx, job, p);
      if (o?.action === 'Ignore') continue;
      if (o?.action === 'FailJob' && !failJob) failJob = { reason: 'PodFailurePolicy', message: o.message };
    }
    counted.add(p);
  }
  const completed = new Set(parseIndexes(status.completedIndexes).filter((x) => completions === undefined || x < completions));
  for (const p of newSucceeded) {
    const ix = validIndex(p);
    if (indexed && ix !== undefined) completed.add(ix);
  }
  const succeeded = indexed ? completed.size : intOr(status.succeeded, 0) + newSucceeded.length;
  const failedForLimit = intOr(status.failed, 0) + counted.size;
  // The pod-failure back-off record (newBackoffRecord): every new failure counts, ignored ones too.
  if (newSucceeded.length > 0) {
    const lastSuccess = newSucceeded.reduce((m, p) => Math.max(m, podFinishedAt(p)), -Infinity);
    st.backoff = { failuresAfterLastSuccess: 0 };
    for (const p of newFailed) {
      const t = podFinishedAt(p);
      if (t <= lastSuccess) continue;
      st.backoff.failuresAfterLastSuccess++;
      st.backoff.lastFailureTime = Math.max(st.backoff.lastFailureTime ?? 0, t);
    }
  } else if (newFailed.length > 0) {
    st.backoff.failuresAfterLastSuccess += newFailed.length;
    st.backoff.lastFailureTime = newFailed.reduce((m, p) => Math.max(m, podFinishedAt(p)), -Infinity);
  }

  const activeNow = pods.filter((p) => !isPodTerminal(p) && !p.metadata.deletionTimestamp);

  // Per-index back-off: failed indexes, and the last failed pod of each index still to be retried, whose
  // finalizer stays until its replacement exists (getPodsWithDelayedDeletionPerIndex).
  let failedIndexes: Set<number> | undefined;
  const delayed = new Map<number, KObject>();
  if (perIndex !== undefined) {
    failedIndexes = new Set(parseIndexes(status.failedIndexes).filter((x) => completions === undefined || x < completions));
    for (const p of newFailed) {
      const ix = validIndex(p);
      if (ix !== undefined && isIndexFailed(ctx, job, p, perIndex)) failedIndexes.add(ix);
    }
    const activeIdx = new Set(activeNow.map(indexOf));
    for (const p of newFailed) {
      const ix = validIndex(p)!;
      if (completed.has(ix) || failedIndexes.has(ix) || activeIdx.has(ix)) continue;
      const prev = delayed.get(ix);
      const abs = (x: KObject) => annotationCount(x, INDEX_FAILURE_COUNT) + annotationCount(x, INDEX_IGNORED_FAILURE_COUNT);
      if (!prev || (abs(prev) <= abs(p) && podFinishedAt(p) >= podFinishedAt(prev))) delayed.set(ix, p);
    }
  }

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

  // 2. Failure and success criteria, in syncJob's order.
  const failureTarget = getCondition(status, 'FailureTarget');
  const successMet = getCondition(status, 'SuccessCriteriaMet');
  let finish: Finish | undefined;
  if (successMet?.status === 'True') finish = { type: 'Complete', reason: successMet.reason, message: successMet.message };
  else if (failureTarget?.status === 'True') finish = { type: 'Failed', reason: failureTarget.reason ?? '', message: failureTarget.message ?? '' };
  if (!finish) {
    const backoffLimit = intOr(spec.backoffLimit, d.jobBackoffLimit);
    const deadline = spec.activeDeadlineSeconds;
    const start = status.startTime ? fromTime(status.startTime) : undefined;
    if (failJob) finish = { type: 'Failed', ...failJob };
    else if (failedForLimit > backoffLimit || pastBackoffLimitOnFailure(job, pods, backoffLimit)) {
      finish = { type: 'Failed', reason: 'BackoffLimitExceeded', message: ctx.msg.jobBackoffLimitExceeded };
    } else if (typeof deadline === 'number' && start !== undefined && !suspended && now - start >= deadline * 1000) {
      finish = { type: 'Failed', reason: 'DeadlineExceeded', message: ctx.msg.jobDeadlineExceeded };
    } else if (failedIndexes && typeof spec.maxFailedIndexes === 'number' && failedIndexes.size > spec.maxFailedIndexes) {
      finish = { type: 'Failed', reason: 'MaxFailedIndexesExceeded', message: ctx.msg.jobMaxFailedIndexesExceeded };
    } else if (failedIndexes && failedIndexes.size > 0 && failedIndexes.size + completed.size >= (completions ?? 0)) {
      finish = { type: 'Failed', reason: 'FailedIndexes', message: ctx.msg.jobFailedIndexes };
    } else {
      const rule = indexed && d.jobSuccessPolicy && spec.successPolicy ? matchSuccessPolicy(job, completions ?? 0, completed) : undefined;
      if (rule !== undefined) finish = { type: 'Complete', reason: 'SuccessPolicy', message: ctx.msg.jobSuccessPolicy(rule) };
      else {
        const done = completions === undefined ? succeeded > 0 && activeNow.length === 0 : succeeded >= completions;
        if (done) finish = d.jobCompleteReason ? { type: 'Complete', reason: 'CompletionsReached', message: ctx.msg.jobCompletionsReached } : { type: 'Complete' };
      }
    }
    if (finish && d.jobTerminalAfterPodsTerminal) {
      const interim = finish.type === 'Failed' ? 'FailureTarget' : 'SuccessCriteriaMet';
      setJobCondition(status, newJobCondition(now, interim, 'True', finish.reason, finish.message));
    } else if (finish?.type === 'Failed' && failJob && !d.jobTerminalAfterPodsTerminal) {
      setJobCondition(status, newJobCondition(now, 'FailureTarget', 'True', finish.reason, finish.message));
    }
    if (!finish && typeof deadline === 'number' && start !== undefined && !suspended) {
      queue.addAfter(key, start + deadline * 1000 - now);
    }
  }

  // 3. Count the finished pods and drop their finalizers (trackJobStatusAndRemoveFinalizers); while the Job
  //    runs, the last failed pod of an index waiting for its retry keeps its finalizer (canRemoveFinalizer).
  let failed = intOr(status.failed, 0);
  for (const p of newSucceeded) ctx.api.removeFinalizer(p, JOB_TRACKING_FINALIZER);
  for (const p of newFailed) {
    const ix = validIndex(p);
    if (!finish && ix !== undefined && delayed.get(ix) === p) continue;
    if (counted.has(p)) failed++;
    ctx.api.removeFinalizer(p, JOB_TRACKING_FINALIZER);
  }

  // 4. Manage pods.
  let active = activeNow.filter((p) => ctx.store.getByUid(p.metadata.uid!));
  const live = pods.filter((p) => ctx.store.getByUid(p.metadata.uid!));
  const terminating = live.filter((p) => !isPodTerminal(p) && p.metadata.deletionTimestamp);
  if (finish || suspended) {
    for (const p of active) {
      st.deliberate.add(p.metadata.uid!);
      // A suspended Job's pods lose the finalizer uncounted before the delete (deleteJobPods); a finished
      // Job's are deleted first and then counted, as failed unless it succeeded (deleteActivePods, then
      // trackJobStatusAndRemoveFinalizers: "every non-terminated pod is considered failed").
      if (!finish) ctx.api.removeFinalizer(p, JOB_TRACKING_FINALIZER);
      const r = ctx.api.delete(p, { by: COMPONENT });
      if (r.ok) events.push(['Normal', 'SuccessfulDelete', ctx.msg.deletedPod(p.metadata.name)]);
      if (finish?.type === 'Failed') failed++;
      if (finish) ctx.api.removeFinalizer(p, JOB_TRACKING_FINALIZER);
    }
    active = [];
  } else {
    // manageJob: without completions, once a pod succeeded the others are left to finish.
    const want = completions === undefined ? (succeeded > 0 ? active.length : parallelism)
      : Math.max(0, Math.min(parallelism, completions - succeeded));
    if (active.length > want) {
      const extra = active.slice(want).reverse();
      for (const p of extra.slice(0, active.length - want)) {
        st.deliberate.add(p.metadata.uid!);
        ctx.api.removeFinalizer(p, JOB_TRACKING_FINALIZER);
        const r = ctx.api.delete(p, { by: COMPONENT });
        if (r.ok) events.push(['Normal', 'SuccessfulDelete', ctx.msg.deletedPod(p.metadata.name)]);
      }
      active = active.slice(0, want);
    } else {
      const diff = want - (onlyReplaceFailed(job) ? terminating.length : 0) - active.length;
      let toAdd: number[] = [];
      if (indexed && diff > 0) {
        // firstPendingIndexes: not succeeded, active, failed, nor (replacing only failed pods) terminating.
        const busy = new Set(active.map(indexOf));
        if (onlyReplaceFailed(job)) for (const p of terminating) busy.add(indexOf(p));
        for (let i = 0; i < (completions ?? 0) && toAdd.length < diff; i++) {
          if (!completed.has(i) && !busy.has(i) && !failedIndexes?.has(i)) toAdd.push(i);
        }
      }
      let wait = perIndex === undefined && st.backoff.failuresAfterLastSuccess > 0 ? backoffRemaining(ctx, st.backoff) : 0;
      if (perIndex !== undefined && toAdd.length > 0) {
        // getPodCreationInfoForIndependentIndexes: each index waits out its own back-off.
        let minWait = Infinity;
        toAdd = toAdd.filter((ix) => {
          const w = indexBackoffRemaining(ctx, delayed.get(ix));
          if (w > 0) minWait = Math.min(minWait, w);
          return w <= 0;
        });
        wait = toAdd.length === 0 ? minWait : 0;
      }
      const n = Math.min(indexed ? toAdd.length : diff, d.jobMaxPodCreateDeletePerSync);
      if (diff > 0 && wait > 0) {
        queue.addAfter(key, wait);
      } else if (n > 0) {
        const created: KObject[] = [];
        let k = 0;
        const createErr = createInBatches(n, () => {
          const ix = indexed ? toAdd[k++] : undefined;
          const pod = newJobPod(ctx, job, ix, perIndex !== undefined && ix !== undefined ? delayed.get(ix) ?? null : undefined);
          const r = ctx.api.create(pod, { by: COMPONENT });
          if (!r.ok) {
            events.push(['Warning', 'FailedCreate', ctx.msg.errorCreating(r.error.message)]);
            return r.error.message;
          }
          created.push(r.value);
          events.push(['Normal', 'SuccessfulCreate', ctx.msg.createdPod(r.value.metadata.name)]);
          return undefined;
        });
        // A failed create fails the sync: the Job queue's rate limiter retries it after 1s, doubling to 60s.
        if (createErr !== undefined) queue.addRateLimited(key, d.jobApiBackOff, d.jobMaxApiBackOff);
        else queue.forget(key);
        active = [...active, ...created];
      }
    }
  }

  // 5. Terminal conditions once every pod is terminal (1.31+) or at once (earlier).
  const nonTerminal = live.filter((p) => ctx.store.getByUid(p.metadata.uid!) && !isPodTerminal(p)).length;
  if (finish && (!d.jobTerminalAfterPodsTerminal || nonTerminal === 0)) {
    if (finish.type === 'Complete') {
      setJobCondition(status, newJobCondition(now, 'Complete', 'True', finish.reason, finish.message));
      status.completionTime = ts(now);
      events.push(['Normal', 'Completed', ctx.msg.jobCompleted]);
    } else {
      setJobCondition(status, newJobCondition(now, 'Failed', 'True', finish.reason, finish.message));
      events.push(['Warning', finish.reason ?? '', finish.message ?? '']);
    }
  }

  // 6. Status.
  const next: any = {};
  for (const k of ['conditions', 'startTime', 'completionTime']) if (status[k] !== undefined) next[k] = status[k];
  const activeCount = active.filter((p) => ctx.store.getByUid(p.metadata.uid!) && !p.metadata.deletionTimestamp).length;
  if (activeCount) next.active = activeCount;
  if (succeeded) next.succeeded = succeeded;
  if (failed) next.failed = failed;
  if (indexed && completed.size) next.completedIndexes = formatIndexes(completed);
  if (failedIndexes) next.failedIndexes = formatIndexes(failedIndexes);
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

/**
 * getFinishedTime (backoff_utils.go): the latest finishedAt when every container (and sidecar) has
 * terminated, else the time Ready turned False, else the deletion time less the grace period, else creation.
 */
function podFinishedAt(p: KObject): number {
  const sidecars = new Set<string>();
  for (const c of p.spec?.initContainers ?? []) if (c.restartPolicy === 'Always') sidecars.add(c.name);
  const statuses = [...(p.status?.containerStatuses ?? []),
    ...((p.status?.initContainerStatuses ?? []) as any[]).filter((cs: any) => sidecars.has(cs.name))] as any[];
  let last: number | undefined;
  let all = statuses.length > 0;
  for (const cs of statuses) {
    const f = cs.state?.terminated?.finishedAt;
    const v = typeof f === 'string' ? fromTime(f) : undefined;
    if (v === undefined) { all = false; break; }
    if (last === undefined || v > last) last = v;
  }
  if (all && last !== undefined) return last;
  const ready = (p.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  const rt = ready?.status === 'False' && typeof ready.lastTransitionTime === 'string' ? fromTime(ready.lastTransitionTime) : undefined;
  if (rt !== undefined) return rt;
  const del = p.metadata.deletionTimestamp ? fromTime(p.metadata.deletionTimestamp) : undefined;
  if (del !== undefined) return del - intOr(p.metadata.deletionGracePeriodSeconds, 0) * 1000;
  return fromTime(p.metadata.creationTimestamp ?? '') ?? 0;
}

/** pastBackoffLimitOnFailure: the restarts of every Running or Pending pod of the Job (terminating ones too). */
function pastBackoffLimitOnFailure(job: KObject, pods: KObject[], backoffLimit: number): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const cs of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])] as any[]) restarts += intOr(cs.restartCount, 0);
  }
  if (backoffLimit === 0) return restarts > 0;
  return restarts >= backoffLimit;
}

/** getRemainingTimeForFailuresCount: 10s × 2^(n−1) (capped) after the last failure, less the time since. */
function remainingFor(ctx: SimContext, failures: number, lastFailure: number): number {
  if (failures <= 0) return 0;
  const d = ctx.defaults;
  const delay = Math.min(d.jobPodFailureInitialBackoff * 2 ** (failures - 1), d.jobPodFailureMaxBackoff);
  return Math.max(0, lastFailure + delay - ctx.now());
}

/** ms before a replacement may be created after the last failure (the Job-wide back-off record). */
function backoffRemaining(ctx: SimContext, b: BackoffRecord): number {
  if (!b.failuresAfterLastSuccess || b.lastFailureTime === undefined) return 0;
  return remainingFor(ctx, b.failuresAfterLastSuccess, b.lastFailureTime);
}

/** getRemainingTimePerIndex: the back-off of one index, from its last failed pod's failure counts. */
function indexBackoffRemaining(ctx: SimContext, lastFailed: KObject | undefined): number {
  if (!lastFailed) return 0;
  const failures = annotationCount(lastFailed, INDEX_FAILURE_COUNT) + annotationCount(lastFailed, INDEX_IGNORED_FAILURE_COUNT) + 1;
  return remainingFor(ctx, failures, podFinishedAt(lastFailed));
}

/**
 * A new pod of the Job; Indexed pods carry their index (annotation, label, hostname, JOB_COMPLETION_INDEX
 * from the label) and, with backoffLimitPerIndex (`replacing` is then the index's last failed pod or null),
 * the index's failure counts (getNewIndexFailureCounts).
 */
function newJobPod(ctx: SimContext, job: KObject, index: number | undefined, replacing?: KObject | null): KObject {
  const prefix = index === undefined ? `${job.metadata.name}-` : `${job.metadata.name}-${index}-`;
  const pod = podFromTemplate(job.spec.template, job, { generateName: prefix });
  pod.metadata.finalizers = [...(pod.metadata.finalizers ?? []), JOB_TRACKING_FINALIZER];
  if (index !== undefined) {
    for (const key of ['initContainers', 'containers']) {
      for (const c of pod.spec?.[key] ?? []) {
        if ((c.env ?? []).some((e: any) => e.name === 'JOB_COMPLETION_INDEX')) continue;
        c.env = [...(c.env ?? []), { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.labels['${COMPLETION_INDEX}']` } } }];
      }
    }
    const annotations: Record<string, string> = { ...(pod.metadata.annotations ?? {}), [COMPLETION_INDEX]: String(index) };
    if (replacing !== undefined) {
      let failures = 0, ignored = 0;
      if (replacing) {
        failures = annotationCount(replacing, INDEX_FAILURE_COUNT);
        ignored = annotationCount(replacing, INDEX_IGNORED_FAILURE_COUNT);
        if (countsAsFailure(ctx, job, replacing)) failures++;
        else ignored++;
      }
      annotations[INDEX_FAILURE_COUNT] = String(failures);
      if (ignored > 0) annotations[INDEX_IGNORED_FAILURE_COUNT] = String(ignored);
    }
    pod.metadata.annotations = annotations;
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
