/**
 * The CronJob controller (k/k pkg/controller/cronjob/cronjob_controllerv2.go, utils.go): at each schedule
 * tick (requeued at the next tick + 100ms) creates the Job `<cronjob>-<minutes since epoch>` of the most recent
 * unmet tick, honouring suspend, startingDeadlineSeconds (MissSchedule), concurrencyPolicy Allow / Forbid
 * (JobAlreadyActive) / Replace, more than 100 missed ticks (TooManyMissedTimes), keeps status.active,
 * lastScheduleTime and lastSuccessfulTime, and deletes finished Jobs beyond the history limits.
 */
import type { SimContext } from '../context.js';
import type { KObject } from '../../k8s/types.js';
import { fromTime, rfc3339In, toTime } from '../../k8s/time.js';
import { clone, deepEqual } from '../../k8s/util.js';
import { parseCronSchedule, formatRFC1123Z, unixSeconds, type CronSchedule } from '../../k8s/cron.js';
import { WorkQueue, controllerRef, getControllerOf, intOr, keyOf, splitKey } from './common.js';
import { jobFinish } from './job.js';

const COMPONENT = 'cronjob-controller';
/** Annotation with the scheduled time on Jobs created by a CronJob (1.28+). */
export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/**
 * Checks a schedule (and time zone) as the API server's CronJob validation does; the error message, or
 * undefined when valid. For the scenario loader.
 */
export function validateCronSchedule(expr: string, timeZone?: string): string | undefined {
  if (/(^|\s)(CRON_)?TZ=/.test(expr)) return 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead';
  const r = parseCronSchedule(expr, timeZone);
  if (r.ok) return undefined;
  if (r.error.startsWith('unknown time zone')) return `spec.timeZone: Invalid value: "${timeZone}": ${r.error}`;
  return `spec.schedule: Invalid value: "${expr}": ${r.error}`;
}

/** Starts the CronJob controller. */
export function startCronJobController(ctx: SimContext): WorkQueue {
  const cache = new Map<string, { expr: string; tz: string | undefined; schedule: CronSchedule | undefined }>();
  const scheduleOf = (cj: KObject): CronSchedule | undefined => {
    const expr: string = cj.spec?.schedule ?? '';
    const tz: string | undefined = cj.spec?.timeZone;
    const c = cache.get(cj.metadata.uid!);
    if (c && c.expr === expr && c.tz === tz) return c.schedule;
    const r = parseCronSchedule(expr, tz);
    const schedule = r.ok ? r.schedule : undefined;
    cache.set(cj.metadata.uid!, { expr, tz, schedule });
    return schedule;
  };
  const queue: WorkQueue = new WorkQueue(ctx, COMPONENT, (key) => syncCronJob(ctx, key, queue, scheduleOf));
  ctx.store.watch('CronJob', (type, cj) => {
    if (type === 'DELETED') cache.delete(cj.metadata.uid!);
    else queue.add(keyOf(cj));
  });
  ctx.store.watch('Job', (_t, job) => {
    const ref = getControllerOf(job);
    if (ref?.kind === 'CronJob') queue.add(`${job.metadata.namespace}/${ref.name}`);
  });
  return queue;
}

/**
 * mostRecentScheduleTime: the latest tick in (earliest, now] and how many ticks were missed, or undefined.
 */
function mostRecentScheduleTime(schedule: CronSchedule, earliest: number, now: number): { time: number; missed: number } | undefined {
  const t1 = schedule.next(earliest);
  if (t1 === undefined || t1 > now) return undefined;
  let last = t1, missed = 1;
  for (;;) {
    const t = schedule.next(last);
    if (t === undefined || t > now) break;
    last = t;
    missed++;
  }
  return { time: last, missed };
}

/** Reconciles one CronJob. */
export function syncCronJob(ctx: SimContext, key: string, queue: WorkQueue, scheduleOf: (cj: KObject) => CronSchedule | undefined): void {
  const { namespace, name } = splitKey(key);
  const cj = ctx.store.get('CronJob', namespace, name);
  if (!cj) return;
  const d = ctx.defaults;
  const now = ctx.now();
  const status: any = clone(cj.status ?? {});
  const jobs = ctx.store.dependents(cj.metadata.uid!).filter((o) => o.kind === 'Job' && getControllerOf(o)?.uid === cj.metadata.uid);
  const events: Array<['Normal' | 'Warning', string, string]> = [];
  // 1. History limits first (sync: cleanupFinishedJobs before syncCronJob); a Job it deletes leaves the active
  //    list there (deleteJob), so it gets no SawCompletedJob and does not move lastSuccessfulTime.
  let active: any[] = [...(status.active ?? [])];
  const cleaned = cleanupFinishedJobs(ctx, cj, jobs, events);
  if (cleaned.size) active = active.filter((a) => !cleaned.has(a.uid));
  // 2. Active list bookkeeping.
  for (const job of jobs) {
    if (cleaned.has(job.metadata.uid!)) continue;
    const fin = jobFinish(job);
    const inActive = active.some((a) => a.uid === job.metadata.uid);
    if (inActive && fin) {
      active = active.filter((a) => a.uid !== job.metadata.uid);
      events.push(['Normal', 'SawCompletedJob', ctx.msg.cronSawCompleted(job.metadata.name, fin.type)]);
      if (fin.type === 'Complete' && job.status?.completionTime) {
        const prev = status.lastSuccessfulTime ? fromTime(status.lastSuccessfulTime) ?? 0 : -Infinity;
        const ct = fromTime(job.status.completionTime) ?? now;
        if (ct > prev) status.lastSuccessfulTime = job.status.completionTime;
      }
    } else if (!inActive && !fin && !job.metadata.deletionTimestamp) {
      active.push(jobRef(job));
    }
  }
  active = active.filter((a) => jobs.some((j) => j.metadata.uid === a.uid));
  if (active.length) status.active = active;
  else delete status.active;
  const finish = () => {
    if (!deepEqual(cj.status ?? {}, status)) {
      cj.status = status;
      ctx.store.update(cj);
    }
    for (const [t, r, m] of events) ctx.recorder.record(cj, t, r, m, COMPONENT);
  };
  if (cj.metadata.deletionTimestamp || cj.spec?.suspend === true) {
    finish();
    return;
  }
  const schedule = scheduleOf(cj);
  if (!schedule) {
    events.push(['Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(cj.spec?.schedule ?? '')} : ${validateCronSchedule(cj.spec?.schedule ?? '', cj.spec?.timeZone) ?? ''}`]);
    finish();
    return;
  }
  const requeueNext = () => {
    const n = schedule.next(now);
    if (n !== undefined) queue.addAfter(key, n - now + d.cronRequeueDelay);
  };
  const created = fromTime(cj.metadata.creationTimestamp ?? '') ?? 0;
  let earliest = status.lastScheduleTime ? fromTime(status.lastScheduleTime) ?? created : created;
  const sds = cj.spec?.startingDeadlineSeconds;
  if (typeof sds === 'number') earliest = Math.max(earliest, now - sds * 1000);
  const recent = earliest <= now ? mostRecentScheduleTime(schedule, earliest, now) : undefined;
  if (!recent) {
    finish();
    requeueNext();
    return;
  }
  if (recent.missed > d.cronMaxMissedStarts) events.push(['Warning', 'TooManyMissedTimes', ctx.msg.cronTooManyMissed]);
  const scheduled = recent.time;
  if (typeof sds === 'number' && scheduled + sds * 1000 < now) {
    events.push(['Warning', 'MissSchedule', ctx.msg.cronMissSchedule(formatRFC1123Z(scheduled))]);
    finish();
    requeueNext();
    return;
  }
  const jobName = `${cj.metadata.name}-${Math.floor(unixSeconds(scheduled) / 60)}`;
  if (active.some((a) => a.name === jobName) || ctx.store.get('Job', namespace, jobName)) {
    finish();
    requeueNext();
    return;
  }
  const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
  if (policy === 'Forbid' && active.length > 0) {
    events.push(['Normal', 'JobAlreadyActive', ctx.msg.cronJobAlreadyActive]);
    finish();
    requeueNext();
    return;
  }
  if (policy === 'Replace') {
    for (const a of active) {
      const job = ctx.store.get('Job', namespace, a.name);
      if (!job) continue;
      const r = ctx.api.delete(job, { propagation: 'Background', by: COMPONENT });
      if (r.ok) events.push(['Normal', 'SuccessfulDelete', ctx.msg.cronDeletedJob(job.metadata.name)]);
    }
    active = [];
    delete status.active;
  }
  const tpl = cj.spec?.jobTemplate ?? {};
  const job: KObject = {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: {
      name: jobName, namespace,
      labels: { ...(tpl.metadata?.labels ?? {}) },
      // getJobFromTemplate2: the scheduled time in the CronJob's time zone, RFC 3339.
      annotations: { ...(tpl.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP]: rfc3339In(scheduled, cj.spec?.timeZone) },
      ownerReferences: [controllerRef(cj)],
    },
    spec: clone(tpl.spec ?? {}),
  };
  if (Object.keys(job.metadata.labels!).length === 0) delete job.metadata.labels;
  const r = ctx.api.create(job, { by: COMPONENT });
  if (!r.ok) {
    events.push(['Warning', 'FailedCreate', `Error creating job: ${r.error.message}`]);
    finish();
    requeueNext();
    return;
  }
  events.push(['Normal', 'SuccessfulCreate', ctx.msg.cronCreatedJob(jobName)]);
  active.push(jobRef(r.value));
  status.active = active;
  status.lastScheduleTime = toTime(scheduled);
  finish();
  requeueNext();
}

function jobRef(job: KObject): Record<string, unknown> {
  return { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, namespace: job.metadata.namespace, resourceVersion: job.metadata.resourceVersion, uid: job.metadata.uid };
}

/** cleanupFinishedJobs / removeOldestJobs: the uids of the Jobs deleted. */
function cleanupFinishedJobs(ctx: SimContext, cj: KObject, jobs: KObject[], events: Array<['Normal' | 'Warning', string, string]>): Set<string> {
  const deleted = new Set<string>();
  const succ = intOr(cj.spec?.successfulJobsHistoryLimit, ctx.defaults.cronSuccessfulJobsHistoryLimit);
  const fail = intOr(cj.spec?.failedJobsHistoryLimit, ctx.defaults.cronFailedJobsHistoryLimit);
  const done = jobs.filter((j) => !j.metadata.deletionTimestamp).map((j) => ({ j, f: jobFinish(j) })).filter((x) => x.f);
  const start = (j: KObject) => fromTime(j.status?.startTime ?? j.metadata.creationTimestamp ?? '') ?? 0;
  for (const [type, limit] of [['Complete', succ], ['Failed', fail]] as const) {
    const list = done.filter((x) => x.f!.type === type).map((x) => x.j).sort((a, b) => start(a) - start(b));
    const extra = list.length - limit;
    for (let i = 0; i < extra; i++) {
      const r = ctx.api.delete(list[i]!, { propagation: 'Background', by: COMPONENT });
      if (r.ok) {
        events.push(['Normal', 'SuccessfulDelete', ctx.msg.cronDeletedJob(list[i]!.metadata.name)]);
        deleted.add(list[i]!.metadata.uid!);
      }
    }
  }
  return deleted;
}
