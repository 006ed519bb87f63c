/**
 * --jobs N: scenarios run in worker threads, handed out one at a time to whichever worker is idle; the
 * results are put back in file order, so the report is the same bytes as a serial run.
 */
import { Worker } from 'node:worker_threads';
import type { Scenario } from '../../scenario/types.js';
import type { ReportEntry } from '../../report/tap.js';
import type { ExecOptions } from './execute.js';

/** A scenario's entry, or the internal error that stopped it. */
export type ParallelResult = Extract<ReportEntry, { kind: 'scenario' }> | { internal: string };

/** Runs scenarios on `jobs` worker threads; results in input order. */
export async function runParallel(scenarios: Scenario[], exec: ExecOptions, jobs: number): Promise<ParallelResult[]> {
  const results: ParallelResult[] = new Array(scenarios.length);
  let next = 0;
  const url = new URL('./worker.js', import.meta.url);
  const n = Math.min(jobs, scenarios.length);
  await Promise.all(Array.from({ length: n }, () => new Promise<void>((resolve) => {
    const w = new Worker(url, { workerData: { exec } });
    const give = () => {
      if (next >= scenarios.length) {
        void w.terminate().then(() => resolve());
        return;
      }
      const i = next++;
      w.postMessage({ i, scenario: scenarios[i] });
    };
    w.on('message', (m: { i: number; entry?: ParallelResult; internal?: string }) => {
      results[m.i] = m.entry ?? { internal: m.internal ?? 'worker failed' };
      give();
    });
    w.on('error', (e) => {
      for (let i = 0; i < scenarios.length; i++) if (!results[i]) results[i] = { internal: `worker thread failed: ${e.message}` };
      next = scenarios.length;
      resolve();
    });
    give();
  })));
  return results;
}
