/**
 * `kubedrill run --record`: runs a scenario and prints it with an `expect` block describing what actually
 * happened at `until` (pods' phases, nodes and restarts; nodes' readiness), ready to paste.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments, stringify } from 'yaml';
import type { Scenario } from '../../scenario/types.js';
import { runScenario } from '../../runner.js';
import type { ExecOptions } from './execute.js';
import type { KObject } from '../../k8s/types.js';
import { nodeReady, podReady, podRestarts } from '../../assert/shorthands.js';


/** The expect entries describing the state at the end of a run. */
export function describeEnd(pods: KObject[], nodes: KObject[]): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const p of pods) {
    const e: Record<string, unknown> = { name: `${p.metadata.name} is ${p.status?.phase ?? 'Pending'}`, at: 'end', pod: p.metadata.name };
    if (p.metadata.namespace !== 'default') {
      delete e.pod;
      e.pods = { namespace: p.metadata.namespace, name: p.metadata.name };
      e.count = 1;
    }
    e.phase = p.status?.phase ?? 'Pending';
    e.node = p.spec?.nodeName ?? null;
    e.restarts = podRestarts(p);
    e.ready = podReady(p);
    out.push(e);
  }
  for (const n of nodes) {
    const ready = nodeReady(n);
    out.push({ name: `node ${n.metadata.name} is ${ready === true ? 'Ready' : ready === false ? 'NotReady' : 'Unknown'}`, at: 'end', nodes: { name: n.metadata.name },
      ready, schedulable: !n.spec?.unschedulable });
  }
  return out;
}

/** The scenario's document with its expect block replaced by what happened. */
export function recordScenario(sc: Scenario, exec: ExecOptions): string {
  const run = runScenario(sc, { ...(exec.seed !== undefined ? { seed: exec.seed } : {}), verboseTrace: false });
  const store = run.simulation.store;
  const expect = describeEnd(store.list('Pod'), store.list('Node'));
  let text: string;
  try {
    const docs = parseAllDocuments(sc.source ?? readFileSync(sc.file, 'utf8'));
    const live = Array.isArray(docs) ? docs.filter((d) => d.contents !== null) : [];
    const doc = sc.source ? live[0] : live[sc.docIndex];
    if (!doc) throw new Error('document not found');
    doc.set('expect', doc.createNode(expect, { flow: false }));
    text = doc.toString();
  } catch {
    text = stringify({ apiVersion: 'kubedrill/v1', kind: 'Scenario', name: sc.name, expect });
  }
  const note = run.outcome.error ? `# note: the run stopped early: ${run.outcome.error.message}\n` : '';
  return `---\n${note}${text}`;
}
