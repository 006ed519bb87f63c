import t from 'tap';
import { harness, fakeKubelet } from './harness.js';
import { startControllers } from '../../../src/sim/controllers/index.js';

function svc(name: string, spec: Record<string, any> = {}): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, labels: { app: 'web' } }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }], ...spec } };
}
function pod(name: string): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'nginx' }] } };
}

t.test('the kubernetes Service holds 10.96.0.1 from the start', async (t) => {
  const h = harness();
  startControllers(h.ctx);
  const k = h.get('Service', 'kubernetes')!;
  t.match(k.spec, { clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', port: 443, targetPort: 6443, protocol: 'TCP' }] });
});

t.test('ClusterIPs are drawn from 10.96.0.0/12 and an explicit taken IP is rejected', async (t) => {
  const h = harness();
  startControllers(h.ctx);
  const r = h.ctx.api.apply(svc('web'));
  t.ok(r.ok);
  const ip: string = h.get('Service', 'web')!.spec.clusterIP;
  t.match(ip, /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
  t.ok(h.ctx.api.apply(svc('dns', { clusterIP: '10.96.0.10' })).ok);
  const bad = h.ctx.api.apply(svc('dns2', { clusterIP: '10.96.0.10' }));
  t.match(bad, { ok: false, error: { code: 422, message: 'Service "dns2" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated' } });
  t.ok(h.ctx.api.apply(svc('headless', { clusterIP: 'None' })).ok);
  t.same(h.get('Service', 'headless')!.spec.clusterIPs, ['None']);
});

t.test('NodePorts come from 30000-32767 and conflicts are rejected', async (t) => {
  const h = harness();
  startControllers(h.ctx);
  h.ctx.api.apply(svc('np', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
  const r = h.ctx.api.apply(svc('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
  t.match(r, { ok: false, error: { message: 'Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated' } });
  h.ctx.api.apply(svc('np3', { type: 'NodePort' }));
  const p = h.get('Service', 'np3')!.spec.ports[0].nodePort;
  t.ok(p >= 30000 && p <= 32767);
});

t.test('Endpoints list ready and not-ready pod IPs and slices mark terminating pods', async (t) => {
  const h = harness();
  const k = fakeKubelet(h, { readyAfter: (p) => (p.metadata.name === 'b' ? undefined : 0), stopAfter: 10_000 });
  startControllers(h.ctx);
  h.ctx.api.apply(svc('web'));
  h.runUntil(0);
  let slices = h.ctx.store.list('EndpointSlice');
  t.equal(slices.length, 1);
  t.equal(slices[0]!.endpoints, null);
  t.equal(slices[0]!.ports, null);
  t.match(slices[0]!.metadata.name, /^web-[a-z0-9]{5}$/);
  t.notOk(h.get('Endpoints', 'web')!.subsets);
  h.ctx.api.create(pod('a'));
  h.ctx.api.create(pod('b'));
  h.runUntil(1);
  k.ready(h.get('Pod', 'b')!, false);
  h.runUntil(2);
  const ep = h.get('Endpoints', 'web')!;
  t.match(ep.metadata.labels, { app: 'web', 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' });
  t.equal(ep.subsets.length, 1);
  t.same(ep.subsets[0].ports, [{ port: 8080, protocol: 'TCP' }]);
  t.equal(ep.subsets[0].addresses.length, 1);
  t.equal(ep.subsets[0].notReadyAddresses.length, 1);
  t.match(ep.subsets[0].addresses[0], { nodeName: 'node-1', targetRef: { kind: 'Pod', name: 'a' } });
  slices = h.ctx.store.list('EndpointSlice');
  t.equal(slices.length, 1);
  t.match(slices[0]!.metadata.labels, { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
  t.equal(slices[0]!.endpoints.length, 2);
  h.ctx.api.delete(h.get('Pod', 'a')!);
  h.runUntil(3);
  t.equal(h.get('Endpoints', 'web')!.subsets[0].addresses, undefined);
  const term = h.ctx.store.list('EndpointSlice')[0]!.endpoints.find((e: any) => e.targetRef.name === 'a');
  t.same(term.conditions, { ready: false, serving: true, terminating: true });
});

t.test('publishNotReadyAddresses: slices keep serving = readiness and mark every endpoint ready; Endpoints keep terminating pods', async (t) => {
  const h = harness();
  const k = fakeKubelet(h, { readyAfter: (p) => (p.metadata.name === 'b' ? undefined : 0), stopAfter: 10_000 });
  startControllers(h.ctx);
  h.ctx.api.apply(svc('web', { clusterIP: 'None', publishNotReadyAddresses: true }));
  h.ctx.api.create(pod('a'));
  h.ctx.api.create(pod('b'));
  h.runUntil(1);
  k.ready(h.get('Pod', 'b')!, false);
  h.runUntil(2);
  h.ctx.api.delete(h.get('Pod', 'a')!);
  h.runUntil(3);
  const eps = h.ctx.store.list('EndpointSlice')[0]!.endpoints;
  t.same(eps.find((e: any) => e.targetRef.name === 'a').conditions, { ready: true, serving: true, terminating: true }, 'terminating: still ready');
  t.same(eps.find((e: any) => e.targetRef.name === 'b').conditions, { ready: true, serving: false, terminating: false }, 'unready: ready, not serving');
  const addrs = h.get('Endpoints', 'web')!.subsets[0].addresses.map((a: any) => a.targetRef.name).sort();
  t.same(addrs, ['a', 'b'], 'Endpoints list the terminating and the unready pod as addresses');
});
