import t from 'tap';
import { harness, fakeKubelet } from './harness.js';
import { startControllers, validateCronSchedule } from '../../../src/sim/controllers/index.js';
import { parseCronSchedule } from '../../../src/k8s/cron.js';

function hello(extra: Record<string, any> = {}): any {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'hello' },
    spec: {
      schedule: '* * * * *',
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'hello', image: 'busybox:1.28' }] } } } },
      ...extra,
    },
  };
}

t.test('schedules follow robfig rules: macros, names, ? and DOM/DOW OR-ing', async (t) => {
  const next = (e: string, after = 0, tz?: string) => { const r = parseCronSchedule(e, tz); if (!r.ok) throw new Error(r.error); return r.schedule.next(after); };
  t.equal(next('@hourly'), 3600_000);
  t.equal(next('@daily'), 86400_000);
  t.equal(next('@weekly'), 6 * 86400_000, 'next Sunday');
  t.equal(next('0 0 ? * MON', 0), 7 * 86400_000);
  t.equal(next('0 0 13 * FRI'), 4 * 86400_000, 'Friday Jan 5 before the 13th');
  t.equal(next('*/15 * * * *', 60_000), 900_000);
  t.equal(next('0 9 * * *', 0, 'Europe/Berlin'), 8 * 3600_000);
});

t.test('malformed schedules are reported', async (t) => {
  t.equal(validateCronSchedule('* * * *'), 'spec.schedule: Invalid value: "* * * *": expected exactly 5 fields, found 4: [* * * *]');
  t.equal(validateCronSchedule('61 * * * *'), 'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61');
  t.equal(validateCronSchedule('* * * * *', 'Mars/Olympus'), 'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus');
  t.equal(validateCronSchedule('TZ=UTC * * * * *'), 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
  t.equal(validateCronSchedule('@every 1h'), undefined);
});

t.test('a CronJob creates a Job named by the scheduled minute 100ms after each tick', async (t) => {
  const h = harness();
  const k = fakeKubelet(h);
  startControllers(h.ctx);
  h.ctx.api.apply(hello());
  h.runUntil(59_000);
  t.equal(h.ctx.store.list('Job').length, 0);
  h.runUntil(60_100);
  const jobs = h.ctx.store.list('Job');
  t.equal(jobs.length, 1);
  t.equal(jobs[0]!.metadata.name, `hello-${(Date.UTC(2024, 0, 1) / 1000 + 60) / 60}`);
  t.equal(jobs[0]!.metadata.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2024-01-01T00:01:00Z');
  const cj = h.get('CronJob', 'hello')!;
  t.equal(cj.status.lastScheduleTime, '2024-01-01T00:01:00Z');
  t.equal(cj.status.active.length, 1);
  t.ok(h.events('hello').includes(`SuccessfulCreate: Created job ${jobs[0]!.metadata.name}`));
  h.runUntil(61_000);
  k.finish(h.pods()[0]!, 'Succeeded');
  h.runUntil(70_000);
  t.equal(cj.status.active, undefined);
  t.equal(cj.status.lastSuccessfulTime, '2024-01-01T00:01:01Z');
  t.ok(h.events('hello').includes(`SawCompletedJob: Saw completed job: ${jobs[0]!.metadata.name}, status: Complete`));
});

t.test('Forbid skips ticks while a Job is active and history limits delete old Jobs', async (t) => {
  const h = harness();
  const k = fakeKubelet(h);
  startControllers(h.ctx);
  h.ctx.api.apply(hello({ concurrencyPolicy: 'Forbid' }));
  h.runUntil(150_000);
  t.equal(h.ctx.store.list('Job').length, 1);
  t.ok(h.events('hello').includes('JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid'));
  const h2 = harness();
  const k2 = fakeKubelet(h2);
  startControllers(h2.ctx);
  h2.ctx.store.watch('Pod', (type, p) => { if (type === 'ADDED') h2.ctx.kernel.after(1000, () => k2.finish(p, 'Succeeded')); });
  h2.ctx.api.apply(hello());
  h2.runUntil(6 * 60_000 + 10_000);
  t.equal(h2.ctx.store.list('Job').length, 3, 'successfulJobsHistoryLimit 3');
  t.ok(h2.events('hello').some((e) => e.startsWith('SuccessfulDelete: Deleted job hello-')));
  void k;
});

t.test('Replace deletes the running Job before starting the next', async (t) => {
  const h = harness();
  fakeKubelet(h);
  startControllers(h.ctx);
  h.ctx.api.apply(hello({ concurrencyPolicy: 'Replace' }));
  h.runUntil(121_000);
  const jobs = h.ctx.store.list('Job');
  t.equal(jobs.length, 1);
  t.ok(jobs[0]!.metadata.name.endsWith(String((Date.UTC(2024, 0, 1) / 1000 + 120) / 60)));
});

t.test('a suspended CronJob creates nothing', async (t) => {
  const h = harness();
  startControllers(h.ctx);
  h.ctx.api.apply(hello({ suspend: true }));
  h.runUntil(300_000);
  t.equal(h.ctx.store.list('Job').length, 0);
});

t.test('the scheduled-timestamp annotation is written in the CronJob time zone (getJobFromTemplate2)', async (t) => {
  const h = harness();
  startControllers(h.ctx);
  h.ctx.api.apply(hello({ timeZone: 'America/New_York' }));
  h.runUntil(60_100);
  const jobs = h.ctx.store.list('Job');
  t.equal(jobs[0]!.metadata.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2023-12-31T19:01:00-05:00');
  const h2 = harness();
  startControllers(h2.ctx);
  h2.ctx.api.apply(hello({ timeZone: 'Etc/UTC' }));
  h2.runUntil(60_100);
  t.equal(h2.ctx.store.list('Job')[0]!.metadata.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2024-01-01T00:01:00Z', 'offset 0 is Z');
});

t.test('a Job the history limit deletes in the same sync gets no SawCompletedJob (cleanup runs first)', async (t) => {
  const h = harness();
  const k = fakeKubelet(h);
  startControllers(h.ctx);
  h.ctx.store.watch('Pod', (type, p) => { if (type === 'ADDED') h.ctx.kernel.after(1000, () => k.finish(p, 'Succeeded')); });
  h.ctx.api.apply(hello({ successfulJobsHistoryLimit: 0 }));
  h.runUntil(90_000);
  const ev = h.events('hello');
  t.ok(ev.some((e) => e.startsWith('SuccessfulDelete: Deleted job hello-')), 'deleted');
  t.notOk(ev.some((e) => e.startsWith('SawCompletedJob')), 'not seen as completed');
  t.equal(h.get('CronJob', 'hello')!.status.active, undefined);
});

t.test('more than 100 missed ticks: TooManyMissedTimes without a count', async (t) => {
  const h = harness();
  startControllers(h.ctx);
  h.ctx.api.apply(hello({ suspend: true }));
  h.runUntil(2 * 3600_000);
  const cj = h.get('CronJob', 'hello')!;
  cj.spec.suspend = false;
  h.ctx.api.apply(cj);
  h.runUntil(2 * 3600_000 + 1000);
  t.ok(h.events('hello').includes('TooManyMissedTimes: too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew'));
});
