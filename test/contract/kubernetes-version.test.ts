/** Contract: scenario-format.md "Kubernetes version". */
import t from 'tap';
import { invalid, passes, pod, run } from './helpers.js';

const S = 'Kubernetes version: ';

t.test(`${S}kubernetes: is a quoted string, "1.29" to "1.37"`, async (t) => {
  for (let minor = 29; minor <= 37; minor++) {
    const r = await run(`kubernetes: "1.${minor}"
until: 1s
nodes: [{name: n}]
expect:
  - nodes: {name: n}
    match: {status: {nodeInfo: {kubeletVersion: v1.${minor}.0}}}
`);
    passes(t, r);
  }
});

t.test(`${S}default "1.37"`, async (t) => {
  passes(t, await run(`until: 1s
nodes: [{name: n}]
manifests:
${pod('p')}expect:
  - nodes: {name: n}
    match: {status: {nodeInfo: {kubeletVersion: v1.37.0}}}
  - events: {object: Pod/p, reason: Created}
    count: 1
    message: Container created
`));
});

t.test(`${S}unquoted 1.30 is a number: an error`, async (t) => {
  const r = await run('kubernetes: 1.30\nuntil: 1s\n');
  invalid(t, r, 's.yaml:4:13: kubernetes: expected a quoted string, got the number 1.30; write kubernetes: "1.30"');
  invalid(t, await run('kubernetes: 1.3\n'), /s\.yaml:4:13: kubernetes: expected a quoted string/);
});

t.test(`${S}a version outside "1.29".."1.37" is an error`, async (t) => {
  for (const v of ['"1.28"', '"1.38"', '"v1.30"', '"1.30.2"']) {
    invalid(t, await run(`kubernetes: ${v}\n`), /s\.yaml:4:13: kubernetes: unsupported version/);
  }
});

t.test(`${S}it selects the behaviour of the newest patch release of that minor version wherever releases differ`, async (t) => {
  const body = (v: string, created: string, grace: string) => `kubernetes: "${v}"
until: 2m
nodes: [{name: n}]
manifests:
${pod('p')}events:
  - at: 1s
    nodeDown: n
expect:
  - events: {object: Pod/p, reason: Created}
    message: ${JSON.stringify(created)}
    count: 1
  - name: the node-monitor grace period of the version
    never: true
    until: ${grace}
    nodes: {name: n}
    ready: unknown
  - by: 1m30s
    nodes: {name: n}
    ready: unknown
`;
  passes(t, await run(body('1.29', 'Created container c', '40s')));
  passes(t, await run(body('1.33', 'Created container: c', '50s')));
  passes(t, await run(body('1.35', 'Container created', '50s')));
});
