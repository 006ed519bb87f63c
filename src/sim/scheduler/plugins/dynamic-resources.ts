/**
 * DynamicResources (k/k framework/plugins/dynamicresources), in the profile from 1.34: pods without
 * ResourceClaims pass every filter; its PostFilter answers `no new claims to deallocate` (1.34–1.36 texts),
 * and after a PreFilter rejection (its own PreFilter never ran) it fails with `not found` (§3.5).
 */
import type { Defaults } from '../../defaults.js';
import { Code, Status, type CycleState, type NodeStatusMap, type PostFilterPlugin } from '../framework.js';
import type { PodInfo } from '../node-info.js';

/** The DynamicResources plugin. */
export class DynamicResources implements PostFilterPlugin {
  readonly name = 'DynamicResources';
  constructor(private readonly d: Defaults) {}

  /** Error `not found` after a PreFilter rejection; else Unschedulable with the DRA text where the version prints it. */
  postFilter(_s: CycleState, _pod: PodInfo, _m: NodeStatusMap, preFilterRejected: boolean): { status: Status } {
    if (preFilterRejected && this.d.preFilterRejectNotFound) return { status: new Status(Code.Error, ['not found']) };
    return { status: new Status(Code.Unschedulable, this.d.draNoNewClaimsText ? ['no new claims to deallocate'] : []) };
  }
}
