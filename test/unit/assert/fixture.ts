/** Hand-built cluster states for assertion tests. */
import { Store } from '../../../src/sim/store.js';
import { Prng } from '../../../src/sim/prng.js';
import type { KObject, SourcePos } from '../../../src/k8s/types.js';
import type { RecordedEvent } from '../../../src/sim/events.js';
import type { Expectation, Scenario, Target, TimeMode } from '../../../src/scenario/types.js';

export class World {
  now = 0;
  readonly store = new Store(() => this.now, new Prng(1));
  readonly events: RecordedEvent[] = [];

  view(): { now: number; store: Store; events: RecordedEvent[] } {
    return { now: this.now, store: this.store, events: this.events };
  }

  node(name: string, opts: { ready?: 'True' | 'False' | 'Unknown'; unschedulable?: boolean; taints?: unknown[]; labels?: Record<string, string> } = {}): KObject {
    return this.store.create({
      apiVersion: 'v1', kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(opts.labels ?? {}) } },
      spec: { ...(opts.unschedulable ? { unschedulable: true } : {}), ...(opts.taints ? { taints: opts.taints } : {}) },
      status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: opts.ready ?? 'True' }] },
    });
  }

  obj(kind: string, name: string, extra: Partial<KObject> = {}, owner?: KObject, namespace = 'default'): KObject {
    const o: KObject = { apiVersion: 'apps/v1', kind, metadata: { name, namespace }, spec: {}, ...extra };
    if (owner) o.metadata.ownerReferences = [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid!, controller: true }];
    return this.store.create(o);
  }

  pod(name: string, opts: { ns?: string; node?: string; labels?: Record<string, string>; phase?: string; ready?: boolean; owner?: KObject; restarts?: number; waiting?: string; last?: string; reason?: string; qos?: string } = {}): KObject {
    const p: KObject = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name, namespace: opts.ns ?? 'default', labels: opts.labels ?? {} },
      spec: { containers: [{ name: 'app', image: 'nginx' }], ...(opts.node ? { nodeName: opts.node } : {}) },
      status: {
        phase: opts.phase ?? 'Running',
        qosClass: opts.qos ?? 'BestEffort',
        ...(opts.reason ? { reason: opts.reason } : {}),
        conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
        containerStatuses: [{
          name: 'app', restartCount: opts.restarts ?? 0,
          state: opts.waiting ? { waiting: { reason: opts.waiting } } : { running: {} },
          ...(opts.last ? { lastState: { terminated: { reason: opts.last, exitCode: 137 } } } : {}),
        }],
      },
    };
    if (opts.owner) p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: opts.owner.kind, name: opts.owner.metadata.name, uid: opts.owner.metadata.uid!, controller: true }];
    return this.store.create(p);
  }

  event(involved: KObject, reason: string, message: string, count = 1, type: 'Normal' | 'Warning' = 'Normal'): RecordedEvent {
    const md = involved.metadata;
    const e: RecordedEvent = {
      name: `${md.name}.${String(this.events.length).padStart(4, '0')}`,
      namespace: md.namespace ?? 'default',
      involvedObject: { apiVersion: involved.apiVersion, kind: involved.kind, name: md.name, uid: md.uid ?? '', ...(md.namespace ? { namespace: md.namespace } : {}) },
      reason, type, message, source: { component: 'test' }, count, firstMs: this.now, lastMs: this.now,
    };
    this.events.push(e);
    return e;
  }
}

export const pos = (line: number): SourcePos => ({ file: 'scenarios/t.yaml', line, col: 5 });

let idx = 0;
export function expectation(target: Target, checks: Record<string, unknown>, mode: TimeMode = { kind: 'at', at: 600_000 }, name?: string): Expectation {
  const index = idx++;
  return { index, name: name ?? `expect[${index}]`, mode, target, checks, raw: {}, pos: pos(10 + index), keyPos: {} };
}

export function scenario(expect: Expectation[], until = 600_000): Scenario {
  idx = 0;
  return {
    name: 's', seed: 1, kubernetes: '1.37' as Scenario['kubernetes'], until, nodes: [], manifests: [], behaviors: [], events: [],
    expect: expect.map((e, i) => ({ ...e, index: i, name: e.name.startsWith('expect[') ? `expect[${i}]` : e.name, pos: pos(10 + i) })),
    file: 'scenarios/t.yaml', pos: pos(1), docIndex: 0,
  };
}

export const pods = (extra: Partial<Extract<Target, { kind: 'pods' }>> = {}): Target => ({ kind: 'pods', namespace: 'default', hasNode: false, ...extra });
