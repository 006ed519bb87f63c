/**
 * `npm run bench`: prints every performance figure with its target beside it. Inputs are generated
 * with fixed seeds (bench/generate.ts); nothing is fetched. Not a test: nothing here asserts.
 *   node dist/bench/run.js [--only scale,kernel,suite,growth] [--quick] [--nodes N --pods P (scale only)]
 */
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { loadFile, DEFAULT_LIMITS } from '../src/scenario/index.js';
import { createSimulation } from '../src/sim/simulation.js';
import { Evaluator } from '../src/assert/evaluate.js';
import { scaleScenarioYaml, smallScenarioYaml } from './generate.js';
import { kernelEventsPerSecond, bareHeapEventsPerSecond, simpyEventsPerSecond } from './kernel.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const bin = join(root, 'dist', 'src', 'cli', 'bin.js');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only'));
const only = onlyArg ? new Set((onlyArg.split('=')[1] ?? args[args.indexOf(onlyArg) + 1] ?? '').split(',')) : undefined;
const want = (k: string) => !only || only.has(k);

/** Published comparison point: ClusterLoader2's load test asserts >= 100 pods/s scheduling throughput. */
const KUBE_SCHEDULER_PODS_PER_S = 100;

function line(label: string, value: string, target: string): void {
  console.log(`${label.padEnd(52)} ${value.padStart(16)}   target ${target}`);
}

function runScaleOnce(nodes: number, pods: number) {
  const dir = mkdtempSync(join(tmpdir(), 'kubedrill-bench-'));
  const file = join(dir, 'scale.yaml');
  writeFileSync(file, scaleScenarioYaml(nodes, pods));
  const limits = { ...DEFAULT_LIMITS, maxNodes: Math.max(DEFAULT_LIMITS.maxNodes, nodes), maxPods: Math.max(DEFAULT_LIMITS.maxPods, pods) };
  const loaded = loadFile(file, { allowOutside: true, limits });
  rmSync(dir, { recursive: true, force: true });
  if (loaded.problems.length) throw new Error(loaded.problems.map((p) => p.message).join('; '));
  const sc = loaded.scenarios[0]!;
  global.gc?.();
  const heap0 = getHeapStatistics().used_heap_size;
  let peak = heap0;
  let running = 0;
  let firstAllRunning: number | undefined;
  const t0 = process.hrtime.bigint();
  const sim = createSimulation(sc, { verboseTrace: false, explainRows: false, stepLimit: 1e12 });
  const ev = new Evaluator(sc);
  // Running pods are counted incrementally from the Pod watch (a scan per instant would be O(pods) each).
  const isRunning = new Set<string>();
  sim.store.watch('Pod', (type, p) => {
    const uid = p.metadata.uid!;
    if (type !== 'DELETED' && p.status?.phase === 'Running') isRunning.add(uid);
    else isRunning.delete(uid);
  });
  let n = 0;
  sim.run((v) => {
    ev.observe(v);
    if ((++n & 15) === 0) peak = Math.max(peak, getHeapStatistics().used_heap_size);
    if (firstAllRunning === undefined) {
      running = isRunning.size;
      if (running >= pods) firstAllRunning = Number(process.hrtime.bigint() - t0) / 1e9;
    }
  }, ev.checkpoints());
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  peak = Math.max(peak, getHeapStatistics().used_heap_size);
  const results = ev.finish();
  let bound = 0;
  for (const p of sim.store.list('Pod')) if (p.spec?.nodeName) bound++;
  return { wall, allRunningWall: firstAllRunning ?? wall, peakMiB: peak / 2 ** 20, bound, ok: results.every((r) => r.ok) };
}

const numArg = (name: string): number | undefined => {
  const a = args.find((x) => x.startsWith(`--${name}`));
  if (!a) return undefined;
  return Number(a.includes('=') ? a.split('=')[1] : args[args.indexOf(a) + 1]);
};

type ScaleResult = ReturnType<typeof runScaleOnce>;

/**
 * One scale run in a fresh process (its own heap, so the peak is this run's alone and earlier runs leave
 * nothing behind); `node --expose-gc` lets the child collect before it starts the clock.
 */
const scaleRuns = new Map<string, ScaleResult>();
function runScale(nodes: number, pods: number): ScaleResult {
  const done = scaleRuns.get(`${nodes}x${pods}`);
  if (done) return done; // the scale figure's run is also a row of the growth table
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--scale-child', String(nodes), String(pods)],
    { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`scale run ${nodes}x${pods} failed (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  const res = JSON.parse(r.stdout.trim().split('\n').pop()!) as ScaleResult;
  scaleRuns.set(`${nodes}x${pods}`, res);
  return res;
}

if (args[0] === '--scale-child') {
  console.log(JSON.stringify(runScaleOnce(Number(args[1]), Number(args[2]))));
  process.exit(0);
}

if (want('scale')) {
  const nodes = numArg('nodes') ?? (quick ? 1000 : 5000), pods = numArg('pods') ?? (quick ? 30000 : 150000);
  console.log(`# 1. Scale: ${nodes} nodes (3 zones, mixed sizes) x ${pods} pods from 50 Deployments`);
  const r = runScale(nodes, pods);
  line('wall time to all Running (s)', r.allRunningWall.toFixed(2), '<= 20 s');
  line('wall time of the whole 10m run (s)', r.wall.toFixed(2), '-');
  line('peak heap (MiB)', r.peakMiB.toFixed(0), '<= 2048 MiB');
  line('pods scheduled per wall second', (r.bound / r.allRunningWall).toFixed(0), '-');
  line(`ratio to kube-scheduler (${KUBE_SCHEDULER_PODS_PER_S} pods/s, ClusterLoader2)`, `${(r.bound / r.allRunningWall / KUBE_SCHEDULER_PODS_PER_S).toFixed(1)}x`, '-');
  line('all pods Running (assertion)', String(r.ok), 'true');
}

if (want('kernel')) {
  const n = quick ? 200_000 : 1_000_000;
  console.log(`# 2. Kernel: 1,000 processes waiting random delays, ${n} timeouts`);
  const ours = kernelEventsPerSecond(n);
  const bare = bareHeapEventsPerSecond(n);
  const simpy = simpyEventsPerSecond(n, join(root, 'bench', 'simpy_kernel.py'));
  line('kubedrill kernel (events/s)', ours.toFixed(0), '-');
  line('bare binary-heap loop (events/s)', bare.toFixed(0), '-');
  line('SimPy 2.3 (events/s)', simpy === undefined ? 'not installed' : simpy.toFixed(0), '-');
  line('kubedrill / SimPy', simpy === undefined ? 'n/a (apt-get install python3-simpy)' : `${(ours / simpy).toFixed(1)}x`, '>= 3x');
  line('kubedrill / bare heap loop', `${((ours / bare) * 100).toFixed(0)}%`, '>= 30%');
}

if (want('suite')) {
  const count = quick ? 200 : 1000;
  console.log(`# 3. Suite: ${count} generated small scenarios (3 nodes, 10 pods, 10 min each)`);
  const dir = mkdtempSync(join(tmpdir(), 'kubedrill-suite-'));
  for (let i = 0; i < count; i++) writeFileSync(join(dir, `s${String(i).padStart(4, '0')}.yaml`), smallScenarioYaml(i));
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [bin, 'run', dir, '--jobs', '2'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (Date.now() - t0) / 1000;
  line(`${count} scenarios with --jobs 2 (s)`, wall.toFixed(2), count === 1000 ? '<= 15 s' : '-');
  line('exit code', String(r.status), '0');
  const loaded = loadFile(join(dir, 's0000.yaml'), { allowOutside: true, limits: DEFAULT_LIMITS });
  const sc = loaded.scenarios[0]!;
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t1 = process.hrtime.bigint();
    const sim = createSimulation(sc, { verboseTrace: false });
    const ev = new Evaluator(sc);
    sim.run((v) => ev.observe(v), ev.checkpoints());
    ev.finish();
    times.push(Number(process.hrtime.bigint() - t1) / 1e6);
  }
  times.sort((a, b) => a - b);
  line('typical scenario in process (median ms)', times[10]!.toFixed(1), '<= 20 ms');
  rmSync(dir, { recursive: true, force: true });
  const cold: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t1 = process.hrtime.bigint();
    spawnSync(process.execPath, [bin, '--version']);
    cold.push(Number(process.hrtime.bigint() - t1) / 1e6);
  }
  cold.sort((a, b) => a - b);
  line('kubedrill --version cold start (median ms)', cold[3]!.toFixed(0), '<= 300 ms');
}

if (want('growth')) {
  console.log('# 4. Growth at 30 pods per node');
  console.log(`${'nodes'.padStart(6)} ${'pods'.padStart(7)} ${'wall s'.padStart(8)} ${'heap MiB'.padStart(9)} ${'µs per pod×node-scored'.padStart(24)}`);
  for (const nodes of quick ? [500, 1000] : [500, 1000, 2000, 5000]) {
    const pods = nodes * 30;
    const r = runScale(nodes, pods);
    // Nodes scored per pod follow percentageOfNodesToScore: all below 100, else max(100, N*(50-N/125)/100, 5%).
    const pct = Math.max(5, 50 - Math.floor(nodes / 125));
    const scored = nodes < 100 ? nodes : Math.max(100, Math.floor((nodes * pct) / 100));
    console.log(`${String(nodes).padStart(6)} ${String(pods).padStart(7)} ${r.allRunningWall.toFixed(2).padStart(8)} ${r.peakMiB.toFixed(0).padStart(9)} ${((r.allRunningWall * 1e6) / (pods * scored)).toFixed(3).padStart(24)}`);
  }
}
