/**
 * API validation by version (src/k8s/validation.ts): the sleep action's bounds (PodLifecycleSleepAction,
 * PodLifecycleSleepActionAllowZero) and what a suspended Job's template may change.
 */
import t from 'tap';
import { validateObject } from '../../../src/k8s/validation.js';
import { defaultObject } from '../../../src/k8s/defaulting.js';
import { defaultsFor, type KubeVersion } from '../../../src/sim/defaults.js';
import type { KObject } from '../../../src/k8s/types.js';

function errors(obj: KObject, v: KubeVersion, old?: KObject): string[] {
  const d = defaultsFor(v);
  defaultObject(obj, d);
  if (old) defaultObject(old, d);
  return validateObject(obj, d, old).map((e) => `${e.path.join('.')}: ${e.message}`);
}

const sleepPod = (seconds: number): KObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'i', lifecycle: { preStop: { sleep: { seconds } } } }] },
}) as KObject;

t.test('sleep: 0 s is refused before 1.33, with the gate hint in 1.32; over the grace period always; 1.29 drops it', async (t) => {
  t.same(errors(sleepPod(0), '1.29'), ['spec.containers.0.lifecycle.preStop: Required value: must specify a handler type'],
    '1.29: the sleep action is off, the API server drops it (and the handler is left empty)');
  t.same(errors(sleepPod(0), '1.31'), ['spec.containers.0.lifecycle.preStop.sleep: Invalid value: 0: must be greater than 0 and less than terminationGracePeriodSeconds (30)']);
  t.same(errors(sleepPod(0), '1.32'), ['spec.containers.0.lifecycle.preStop.sleep: Invalid value: 0: must be greater than 0 and less than terminationGracePeriodSeconds (30). Please enable PodLifecycleSleepActionAllowZero feature gate if you need a sleep of zero duration.']);
  t.same(errors(sleepPod(0), '1.33'), []);
  t.same(errors(sleepPod(30), '1.37'), [], 'equal to the grace period passes');
  t.same(errors(sleepPod(31), '1.37'), ['spec.containers.0.lifecycle.preStop.sleep: Invalid value: 31: must be non-negative and less than terminationGracePeriodSeconds (30)']);
});

const job = (o: { suspend: boolean; cpu?: string; nodeSelector?: Record<string, string>; image?: string; started?: boolean }): KObject => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'default', uid: 'u1' },
  spec: {
    suspend: o.suspend,
    template: { spec: { restartPolicy: 'Never', ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}), containers: [{ name: 'c', image: o.image ?? 'i', resources: { requests: { cpu: o.cpu ?? '100m' } } }] } },
  },
  ...(o.started ? { status: { startTime: '2024-01-01T00:00:00Z' } } : {}),
}) as KObject;
const immutable = ['spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable'];

t.test('a suspended Job: scheduling directives mutable until it starts; resources from 1.36; the rest never', async (t) => {
  t.same(errors(job({ suspend: true, nodeSelector: { a: 'b' } }), '1.29', job({ suspend: true })), [], 'nodeSelector of a suspended, never-started Job');
  t.same(errors(job({ suspend: true, nodeSelector: { a: 'b' } }), '1.29', job({ suspend: true, started: true })), immutable, 'not once it has started');
  t.same(errors(job({ suspend: true, cpu: '200m' }), '1.35', job({ suspend: true })), immutable, 'resources: not before 1.36');
  t.same(errors(job({ suspend: true, cpu: '200m' }), '1.36', job({ suspend: true })), [], 'resources from 1.36');
  t.same(errors(job({ suspend: true, image: 'j' }), '1.37', job({ suspend: true })), immutable, 'an image change never');
  t.same(errors(job({ suspend: false, nodeSelector: { a: 'b' } }), '1.37', job({ suspend: false })), immutable, 'nothing while running');
  const withAffinity = (aff: Record<string, unknown>) => { const j = job({ suspend: true }); j.spec.template.spec.affinity = aff; return j; };
  const nodeAff = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'z', operator: 'In', values: ['a'] }] }] } } };
  const podAnti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { a: 'b' } } }] } };
  t.same(errors(withAffinity(nodeAff), '1.29', job({ suspend: true })), [], 'node affinity may be added');
  t.same(errors(withAffinity(podAnti), '1.37', job({ suspend: true })), immutable, 'pod anti-affinity may not');
  const gated = job({ suspend: true });
  gated.spec.template.spec.schedulingGates = [{ name: 'example.com/wait' }];
  t.same(errors(gated, '1.29', job({ suspend: true })), [], 'scheduling gates may change (validatePodTemplateUpdate)');
});

const indexedJob = (spec: Record<string, unknown>, rules?: unknown[]): KObject => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'default', uid: 'u1' },
  spec: {
    ...spec,
    ...(rules ? { podFailurePolicy: { rules } } : {}),
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i' }] } },
  },
}) as KObject;

t.test('backoffLimitPerIndex, maxFailedIndexes, FailIndex and successPolicy as batch validation words them', async (t) => {
  t.same(errors(indexedJob({ backoffLimitPerIndex: 1, maxFailedIndexes: 2 }), '1.37'), [
    'spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode',
    'spec.maxFailedIndexes: Invalid value: 2: requires indexed completion mode',
  ]);
  t.same(errors(indexedJob({ completionMode: 'Indexed', completions: 3, maxFailedIndexes: 4 }), '1.37'), [
    'spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified',
    'spec.maxFailedIndexes: Invalid value: 4: must be less than or equal to completions',
  ]);
  t.same(errors(indexedJob({ completionMode: 'Indexed', completions: 3 }, [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [1] } }]), '1.37'),
    ['spec.podFailurePolicy.rules.0.action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set']);
  t.same(errors(indexedJob({ completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 1 }, [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [1] } }]), '1.37'), []);
  t.same(errors(indexedJob({ completions: 3, successPolicy: { rules: [] } }), '1.37'),
    ['spec.successPolicy: Invalid value: batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{}}: requires indexed completion mode']);
  t.same(errors(indexedJob({ completionMode: 'Indexed', completions: 3, successPolicy: { rules: [] } }), '1.37'),
    ['spec.successPolicy.rules: Required value: at least one rules must be specified when the successPolicy is specified']);
  t.same(errors(indexedJob({ completionMode: 'Indexed', completions: 3, successPolicy: { rules: [{}, { succeededIndexes: '0-5' }, { succeededIndexes: '0,1', succeededCount: 3 }] } }), '1.37'), [
    'spec.successPolicy.rules.0: Required value: at least one of succeededCount or succeededIndexes must be specified',
    'spec.successPolicy.rules.1.succeededIndexes: Invalid value: "0-5": error parsing succeededIndexes: too large index: "5"',
    'spec.successPolicy.rules.2.succeededCount: Invalid value: 3: must be less than or equal to 2 (the number of indexes in the specified succeededIndexes field)',
  ]);
  t.same(errors(indexedJob({ completionMode: 'Indexed', completions: 5, successPolicy: { rules: [{ succeededIndexes: '3,1' }, { succeededIndexes: '1-2-3' }] } }), '1.37'), [
    'spec.successPolicy.rules.0.succeededIndexes: Invalid value: "3,1": error parsing succeededIndexes: non-increasing order, previous: 3, current: 1',
    'spec.successPolicy.rules.1.succeededIndexes: Invalid value: "1-2-3": error parsing succeededIndexes: the fragment "1-2-3" violates the requirement that an index interval can have at most two parts separated by \'-\'',
  ]);
  const old = indexedJob({ completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 1 });
  t.same(errors(indexedJob({ completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 2 }), '1.37', old),
    ['spec.backoffLimitPerIndex: Invalid value: 2: field is immutable'], 'backoffLimitPerIndex is immutable');
  const withPolicy = indexedJob({ completionMode: 'Indexed', completions: 3, successPolicy: { rules: [{ succeededCount: 1 }] } });
  defaultObject(withPolicy, defaultsFor('1.30'));
  t.equal(withPolicy.spec.successPolicy, undefined, '1.30: successPolicy is alpha (off) and dropped');
  t.same(withPolicy.spec.backoffLimit, 6);
  const perIndex = indexedJob({ completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 1 });
  defaultObject(perIndex, defaultsFor('1.37'));
  t.equal(perIndex.spec.backoffLimit, 2147483647, 'backoffLimit defaults to MaxInt32 with backoffLimitPerIndex');
});

t.test('lifecycle handlers name exactly one action; 1.29 drops sleep first; ordinary init containers have none', async (t) => {
  const withPreStop = (preStop: Record<string, unknown>, init = false): KObject => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' },
    spec: {
      containers: [{ name: 'c', image: 'i', ...(init ? {} : { lifecycle: { preStop } }) }],
      ...(init ? { initContainers: [{ name: 'i', image: 'i', lifecycle: { preStop } }] } : {}),
    },
  }) as KObject;
  t.same(errors(withPreStop({ sleep: { seconds: 5 } }), '1.29'), ['spec.containers.0.lifecycle.preStop: Required value: must specify a handler type'],
    '1.29: the sleep action is dropped, leaving no handler');
  t.same(errors(withPreStop({ sleep: { seconds: 5 }, exec: { command: ['x'] } }), '1.29'), [], '1.29: exec remains');
  t.same(errors(withPreStop({ sleep: { seconds: 5 } }), '1.30'), []);
  t.same(errors(withPreStop({}), '1.37'), ['spec.containers.0.lifecycle.preStop: Required value: must specify a handler type']);
  t.same(errors(withPreStop({ exec: { command: ['x'] }, sleep: { seconds: 1 } }), '1.37'),
    ['spec.containers.0.lifecycle.preStop.sleep: Forbidden: may not specify more than 1 handler type']);
  t.same(errors(withPreStop({ exec: { command: ['x'] } }, true), '1.37'),
    ['spec.initContainers.0.lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always']);
});
