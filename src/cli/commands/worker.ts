/** A --jobs worker thread: runs the scenarios it is handed and posts back their report entries. */
import { parentPort, workerData } from 'node:worker_threads';
import { executeScenario, type ExecOptions } from './execute.js';
import type { Scenario } from '../../scenario/types.js';

const exec = (workerData as { exec: ExecOptions }).exec;
parentPort!.on('message', (m: { i: number; scenario: Scenario }) => {
  try {
    parentPort!.postMessage({ i: m.i, entry: executeScenario(m.scenario, exec) });
  } catch (e) {
    parentPort!.postMessage({ i: m.i, internal: (e as Error).message ?? String(e) });
  }
});
