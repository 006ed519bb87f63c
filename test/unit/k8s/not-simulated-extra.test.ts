import t from 'tap';
import { checkObject } from '../../../src/k8s/schema.js';

const job = (spec: Record<string, unknown>, container: Record<string, unknown> = {}) => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' },
  spec: { ...spec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36', ...container }] } } },
});
const errors = (o: unknown) => checkObject(o, '1.37').filter((i) => i.severity === 'error').map((i) => i.message);

const cases: Array<[string, unknown, string | undefined]> = [
  ['a Job backoffLimitPerIndex is simulated', job({ completionMode: 'Indexed', completions: 2, backoffLimitPerIndex: 1, maxFailedIndexes: 1 }), undefined],
  ['a Job successPolicy is simulated', job({ completionMode: 'Indexed', completions: 2, successPolicy: { rules: [{ succeededCount: 1 }] } }), undefined],
  ['a FailIndex pod failure policy action is simulated', job({ completionMode: 'Indexed', completions: 2, backoffLimitPerIndex: 1, podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [1] } }] } }), undefined],
  ['a FailJob pod failure policy is simulated', job({ podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1] } }] } }), undefined],
  ['a regular container restartPolicy is refused as not simulated', job({}, { restartPolicy: 'Always' }), 'spec.template.spec.containers[0].restartPolicy is not simulated'],
];
for (const [name, obj, msg] of cases) {
  t.test(name, async (tt) => {
    const e = errors(obj);
    if (msg) tt.ok(e.includes(msg), `${msg} in ${JSON.stringify(e)}`);
    else tt.same(e, []);
  });
}

t.test('a LimitRange maxLimitRequestRatio is refused as not simulated', async (tt) => {
  const lr = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'l' }, spec: { limits: [{ type: 'Container', maxLimitRequestRatio: { cpu: '2' } }] } };
  tt.ok(errors(lr).includes('spec.limits[0].maxLimitRequestRatio is not simulated'));
});
