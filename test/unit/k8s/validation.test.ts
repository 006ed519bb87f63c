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
