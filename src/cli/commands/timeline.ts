/** `kubedrill timeline <file> -o run.svg|run.html`: the picture of a run. */
import { writeFileSync } from 'node:fs';
import { parseArgs, UsageError } from '../args.js';
import { FILE_SPEC, loadOne, runOptionsFrom } from './common.js';
import { createSimulation } from '../../sim/simulation.js';
import { Evaluator } from '../../assert/evaluate.js';
import { podRestarts } from '../../assert/shorthands.js';
import { renderTimelineHtml, renderTimelineSvg, type NodeOutage, type PodSegment, type TimelineMark } from '../../report/timeline.js';
import type { Scenario } from '../../scenario/types.js';

/** Runs a scenario and collects what the timeline shows. */
export function collectTimeline(sc: Scenario, seed?: number) {
  const sim = createSimulation(sc, seed !== undefined ? { seed } : {});
  const open = new Map<string, PodSegment>();
  const restarts = new Map<string, number>();
  const segments: PodSegment[] = [];
  const marks: TimelineMark[] = [];
  const close = (uid: string, t: number) => {
    const s = open.get(uid);
    if (s) {
      s.to = t;
      if (s.to > s.from) segments.push(s);
      open.delete(uid);
    }
  };
  sim.store.watch('Pod', (type, pod) => {
    const t = sim.kernel.now;
    const uid = pod.metadata.uid!;
    const node: string | undefined = pod.spec?.nodeName;
    const phase: string = pod.status?.phase ?? 'Pending';
    const terminating = !!pod.metadata.deletionTimestamp;
    const cur = open.get(uid);
    if (type === 'DELETED' || !node) {
      close(uid, t);
    } else if (!cur || cur.phase !== phase || cur.node !== node || cur.terminating !== terminating) {
      close(uid, t);
      open.set(uid, { pod: pod.metadata.name, node, phase, from: t, to: t, terminating });
    }
    const r = podRestarts(pod);
    if (r > (restarts.get(uid) ?? 0)) marks.push({ t, ...(node ? { node } : {}), kind: 'restart', label: `${pod.metadata.name} restarted (${r})` });
    restarts.set(uid, r);
  });
  const outages: NodeOutage[] = [];
  const down = new Map<string, { from: number; status: string }>();
  sim.store.watch('Node', (type, node) => {
    const t = sim.kernel.now;
    const name = node.metadata.name;
    const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready')?.status ?? 'Unknown';
    const cur = down.get(name);
    const notReady = type !== 'DELETED' && ready !== 'True';
    if (cur && (!notReady || cur.status !== ready)) {
      if (t > cur.from) outages.push({ node: name, from: cur.from, to: t, status: cur.status });
      down.delete(name);
    }
    if (notReady && !down.has(name)) down.set(name, { from: t, status: ready });
  });
  const evaluator = new Evaluator(sc);
  const outcome = sim.run((v) => evaluator.observe(v), evaluator.checkpoints());
  const end = outcome.error ? sim.kernel.now : sc.until;
  for (const uid of [...open.keys()]) close(uid, end);
  for (const [node, o] of down) outages.push({ node, from: o.from, to: end, status: o.status });
  for (const ev of sc.events) {
    if (ev.at > end) continue;
    const node = typeof ev.value === 'string' ? ev.value : ev.value?.node;
    marks.push({ t: ev.at, ...(node && ['nodeDown', 'nodeUp', 'cordon', 'uncordon', 'drain', 'taint', 'untaint', 'removeNode'].includes(ev.action) ? { node } : {}), kind: 'fault', label: `${ev.action} ${typeof ev.value === 'string' ? ev.value : ''}` });
  }
  for (const e of sim.recorder.events) {
    if (e.reason === 'TaintManagerEviction' && e.message.startsWith('Marking') || e.reason === 'Evicted' || e.reason === 'Preempted') {
      marks.push({ t: e.firstMs, kind: 'eviction', label: `${e.involvedObject.name}: ${e.message}` });
    }
  }
  for (const r of evaluator.finish(outcome.error)) if (!r.ok) marks.push({ t: r.at ?? end, kind: 'assertion', label: `failed: ${r.name}` });
  const nodes = [...new Set([...sc.nodes.map((n) => n.name), ...segments.map((s) => s.node)])];
  return { title: sc.name, until: sc.until, nodes, segments: segments.sort((a, b) => a.from - b.from), marks: marks.sort((a, b) => a.t - b.t), outages };
}

/** Runs the `timeline` command; returns the exit code. */
export function timelineCommand(argv: string[], io: { out: (s: string) => void; err: (s: string) => void }): number {
  const p = parseArgs(argv, { ...FILE_SPEC, output: { type: 'value', short: 'o' } });
  const out = p.values.output;
  if (!out || !/\.(svg|html?)$/i.test(out)) throw new UsageError('-o run.svg or -o run.html is required');
  const sc = loadOne(p, io.err);
  if (!sc) return 2;
  const data = collectTimeline(sc, runOptionsFrom(p).seed);
  writeFileSync(out, /\.svg$/i.test(out) ? renderTimelineSvg(data) : renderTimelineHtml(data));
  io.out(`wrote ${out}\n`);
  return 0;
}
