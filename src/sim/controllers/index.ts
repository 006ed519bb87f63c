/**
 * Starts the workload, service, disruption, storage and admission controllers of the simulated
 * kube-controller-manager (the node lifecycle, taint eviction and pod GC controllers are started elsewhere).
 */
import type { SimContext } from '../context.js';
import { startReplicaSetController } from './replicaset.js';
import { startDeploymentController } from './deployment.js';
import { startGarbageCollector } from './garbage-collector.js';

export { rollbackDeployment } from './deployment.js';

/** Constructs and starts every controller of this directory; called once at t=0. */
export function startControllers(ctx: SimContext): void {
  startGarbageCollector(ctx);
  startReplicaSetController(ctx);
  startDeploymentController(ctx);
}
