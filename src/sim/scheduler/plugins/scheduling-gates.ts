/** SchedulingGates (k/k framework/plugins/schedulinggates): a pod with `spec.schedulingGates` waits outside the active queue. */
import type { KObject } from '../../../k8s/types.js';
import { Code, Status, SUCCESS, type PreEnqueuePlugin } from '../framework.js';

/** The SchedulingGates plugin. */
export class SchedulingGates implements PreEnqueuePlugin {
  readonly name = 'SchedulingGates';
  /** UnschedulableAndUnresolvable while gates remain. */
  preEnqueue(pod: KObject): Status {
    const gates: Array<{ name: string }> = pod.spec?.schedulingGates ?? [];
    if (gates.length === 0) return SUCCESS;
    return new Status(Code.UnschedulableAndUnresolvable, [`waiting for scheduling gates: [${gates.map((g) => g.name).join(' ')}]`]);
  }
}
