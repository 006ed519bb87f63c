/** DefaultBinder (k/k framework/plugins/defaultbinder): the Binding subresource. */
import { Code, Status, SUCCESS, type BindPlugin, type CycleState, type PluginHandle } from '../framework.js';
import type { PodInfo } from '../node-info.js';

/** The DefaultBinder plugin. */
export class DefaultBinder implements BindPlugin {
  readonly name = 'DefaultBinder';
  constructor(private readonly h: PluginHandle) {}
  /** POST pods/binding. */
  bind(_s: CycleState, pod: PodInfo, node: string): Status {
    const r = this.h.ctx.api.bind(pod.pod, node);
    return r.ok ? SUCCESS : new Status(Code.Error, [r.error.message]);
  }
}
