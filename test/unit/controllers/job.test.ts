import t from 'tap';
import { harness, fakeKubelet } from './harness.js';
import { startControllers } from '../../../src/sim/controllers/index.js';
import { formatIndexes, parseIndexes } from '../../../src/sim/controllers/job.js';

function pi(extra: Record<string, any> = {}, tmpl: Record<string, any> = {}): any {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34.0' }], ...tmpl } }, backoffLimit: 4, ...extra },
  };
}

function setup(version?: '1.30' | '1.37') {
  const h = harness(version ? { version } : {});
  const k = fakeKubelet(h);
  startControllers(h.ctx);
  return { h, k };
}

t.test('completed indexes format as intervals', async (t) => {
  t.equal(formatIndexes([4, 0, 1, 2]), '0-2,4');
  t.same(parseIndexes('0-2,4'), [0, 1, 2, 4]);
  // orderedIntervals.String writes a run of two as `a,b` (the docs' `completedIndexes: 1,3,5,7,9`, `0,1`).
  t.equal(formatIndexes([0, 1, 3, 4, 5, 7]), '0,1,3-5,7');
  t.equal(formatIndexes([]), '');
});

t.test('a Job pod succeeds and the Job completes with SuccessCriteriaMet then Complete', async (t) => {
  const { h, k } = setup();
  h.ctx.api.apply(pi());
  h.runUntil(0);
  const pods = h.pods('pi-');
  t.equal(pods.length, 1);
  t.same(pods[0]!.metadata.finalizers, ['batch.kubernetes.io/job-tracking']);
  t.equal(pods[0]!.metadata.labels!['job-name'], 'pi');
  h.ctx.kernel.at(10_000, () => k.finish(pods[0]!, 'Succeeded'));
  h.runUntil(12_000);
  const job = h.get('Job', 'pi')!;
  t.match(job.status, { succeeded: 1, startTime: '2024-01-01T00:00:00Z', completionTime: '2024-01-01T00:00:11Z', ready: 0, terminating: 0 });
  t.match(job.status.conditions, [
    { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached' },
    { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
  ]);
  t.same(pods[0]!.metadata.finalizers, undefined);
  t.ok(h.events('pi').includes('Completed: Job completed'));
});

t.test('failed pods are replaced with exponential back-off and the Job fails past backoffLimit', async (t) => {
  const { h, k } = setup();
  h.ctx.store.watch('Pod', (type, p) => {
    if (type === 'ADDED') h.ctx.kernel.after(1000, () => k.finish(p, 'Failed', 1));
  });
  h.ctx.api.apply(pi({ backoffLimit: 2 }));
  const created: number[] = [];
  h.ctx.store.watch('Pod', (type) => { if (type === 'ADDED') created.push(h.ctx.now()); });
  h.runUntil(300_000);
  // pod 1 at 0, fails at 1s; replacement 10s after the failure; then 20s after the next one
  t.same(created, [0, 11_000, 32_000]);
  const job = h.get('Job', 'pi')!;
  t.equal(job.status.failed, 3);
  t.match(job.status.conditions, [
    { type: 'FailureTarget', reason: 'BackoffLimitExceeded' },
    { type: 'Failed', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
  ]);
  t.ok(h.events('pi').includes('BackoffLimitExceeded: Job has reached the specified backoff limit'));
});

t.test('in 1.30 Failed is set without FailureTarget', async (t) => {
  const { h, k } = setup('1.30');
  h.ctx.store.watch('Pod', (type, p) => { if (type === 'ADDED') h.ctx.kernel.after(1000, () => k.finish(p, 'Failed', 1)); });
  h.ctx.api.apply(pi({ backoffLimit: 0 }));
  h.runUntil(60_000);
  const job = h.get('Job', 'pi')!;
  t.same(job.status.conditions.map((c: any) => c.type), ['Failed']);
});

t.test('activeDeadlineSeconds fails the Job with DeadlineExceeded and kills active pods', async (t) => {
  const { h } = setup();
  h.ctx.api.apply(pi({ activeDeadlineSeconds: 30 }));
  h.runUntil(40_000);
  const job = h.get('Job', 'pi')!;
  t.match(job.status.conditions, [{ type: 'FailureTarget', reason: 'DeadlineExceeded' }, { type: 'Failed', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' }]);
  t.equal(h.pods('pi-').filter((p) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running').length, 0);
  // trackJobStatusAndRemoveFinalizers: "When the job is considered finished, every non-terminated pod is
  // considered failed" (upstream TestSyncJobPastDeadline: one active pod, expectedFailed 1).
  t.equal(job.status.failed, 1);
});

t.test('a FailJob rule of podFailurePolicy fails the Job at the first matching exit code', async (t) => {
  const { h, k } = setup();
  h.ctx.store.watch('Pod', (type, p) => { if (type === 'ADDED') h.ctx.kernel.after(1000, () => k.finish(p, 'Failed', 42)); });
  h.ctx.api.apply(pi({ podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'pi', operator: 'In', values: [42] } }] } }));
  h.runUntil(10_000);
  const job = h.get('Job', 'pi')!;
  const pod = h.pods('pi-')[0]!;
  t.match(job.status.conditions[1], { type: 'Failed', reason: 'PodFailurePolicy', message: `Container pi for pod default/${pod.metadata.name} failed with exit code 42 matching FailJob rule at index 0` });
});

t.test('an Indexed Job creates one pod per index with the completion index', async (t) => {
  const { h, k } = setup();
  h.ctx.api.apply(pi({ completions: 3, parallelism: 3, completionMode: 'Indexed' }));
  h.runUntil(0);
  const pods = h.pods('pi-');
  t.equal(pods.length, 3);
  t.same(pods.map((p) => p.metadata.annotations!['batch.kubernetes.io/job-completion-index']).sort(), ['0', '1', '2']);
  for (const p of pods) t.match(p.metadata.name, new RegExp(`^pi-${p.metadata.labels!['batch.kubernetes.io/job-completion-index']}-[a-z0-9]{5}$`));
  for (const p of pods) k.finish(p, 'Succeeded');
  h.runUntil(5000);
  t.equal(h.get('Job', 'pi')!.status.completedIndexes, '0-2');
});

t.test('suspending a Job deletes its active pods and resuming recreates them', async (t) => {
  const { h } = setup();
  h.ctx.api.apply(pi({ parallelism: 2, completions: 4 }));
  h.runUntil(1000);
  t.equal(h.pods('pi-').length, 2);
  const job = h.get('Job', 'pi')!;
  h.ctx.api.patch(job, (o) => { o.spec.suspend = true; });
  h.runUntil(5000);
  t.equal(h.pods('pi-').length, 0);
  t.match(job.status.conditions, [{ type: 'Suspended', status: 'True', reason: 'JobSuspended' }]);
  t.equal(job.status.failed, undefined);
  h.ctx.api.patch(job, (o) => { o.spec.suspend = false; });
  h.runUntil(10_000);
  t.equal(h.pods('pi-').length, 2);
  t.match(job.status.conditions, [{ type: 'Suspended', status: 'False', reason: 'JobResumed' }]);
});

t.test('ttlSecondsAfterFinished deletes the finished Job and its pods', async (t) => {
  const { h, k } = setup();
  h.ctx.api.apply(pi({ ttlSecondsAfterFinished: 100 }));
  h.runUntil(0);
  k.finish(h.pods('pi-')[0]!, 'Succeeded');
  h.runUntil(50_000);
  t.ok(h.get('Job', 'pi'));
  h.runUntil(102_000);
  t.notOk(h.get('Job', 'pi'));
  t.equal(h.pods('pi-').length, 0);
});

t.test('podFailurePolicy onExitCodes checks the regular containers before the init containers (matchOnExitCodes)', async (t) => {
  const { h } = setup();
  h.ctx.api.apply(pi({ podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [3, 5] } }] } }));
  h.runUntil(0);
  const p = h.pods('pi-')[0]!;
  p.status = { ...p.status, phase: 'Failed',
    initContainerStatuses: [{ name: 'init', state: { terminated: { exitCode: 5, reason: 'Error' } } }],
    containerStatuses: [{ name: 'pi', state: { terminated: { exitCode: 3, reason: 'Error' } } }] };
  h.ctx.store.update(p);
  h.runUntil(2_000);
  const job = h.get('Job', 'pi')!;
  t.match(job.status.conditions.find((c: any) => c.type === 'FailureTarget')?.message, /^Container pi for pod default\/pi-\w+ failed with exit code 3 matching FailJob rule at index 0$/);
});

t.test('a Job whose pods are forbidden retries on its queue\'s 1s-doubling back-off', async (t) => {
  const { h } = setup();
  h.ctx.api.apply(pi({}, { priorityClassName: 'high' }));
  h.runUntil(20_000);
  t.equal(h.pods().length, 0);
  const ev = h.ctx.recorder.events.filter((e) => e.reason === 'FailedCreate');
  t.equal(ev.length, 1);
  t.equal(ev[0]!.message, 'Error creating: pods "pi-" is forbidden: no PriorityClass with name high was found');
  // 0s, then 1s doubling: 1, 3, 7, 15 s (the status write at 0s keeps the generation, so it is batched, not a resync).
  t.equal(ev[0]!.count, 5);
  t.equal(ev[0]!.lastMs, 15_000);
  h.ctx.api.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
  h.runUntil(90_000);
  t.equal(h.pods().length, 1, 'created at a later retry (capped at 60s)');
});
