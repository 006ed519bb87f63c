/** PrioritySort (k/k framework/plugins/queuesort): higher `.spec.priority` first, then earlier enqueue. */
import type { Plugin } from '../framework.js';

/** An entry of the active queue as the sort sees it. */
export interface QueuedPodRef {
  priority: number;
  /** Time the pod was (re)added to the queue, then a sequence number. */
  timestamp: number;
  seq: number;
}

/** The PrioritySort plugin. */
export class PrioritySort implements Plugin {
  readonly name = 'PrioritySort';
  /** Whether `a` goes before `b`. */
  less(a: QueuedPodRef, b: QueuedPodRef): boolean {
    if (a.priority !== b.priority) return a.priority > b.priority;
    if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp;
    return a.seq < b.seq;
  }
}
