/**
 * Starts the workload, service, disruption, storage and admission controllers of the simulated
 * kube-controller-manager and API server plugins (the node lifecycle, taint eviction and pod GC controllers
 * are started elsewhere), and exports what scenario actions and the kubelet call.
 */
import type { SimContext } from '../context.js';
import { startReplicaSetController } from './replicaset.js';
import { startDeploymentController } from './deployment.js';
import { startGarbageCollector } from './garbage-collector.js';
import { startJobController } from './job.js';
import { startDaemonSetController } from './daemonset.js';
import { startServiceAllocation } from './service.js';
import { startEndpointsController } from './endpoints.js';
import { startEndpointSliceController } from './endpointslice.js';
import { startDisruptionController } from './disruption.js';
import { startStatefulSetController } from './statefulset.js';
import { startCronJobController } from './cronjob.js';
import { startNamespaceController } from './namespace.js';
import { startQuotaControllers } from './quota.js';
import { startVolumeControllers } from './volumes.js';

export { rollbackDeployment } from './deployment.js';
export { startDrain, type DrainSpec, type DrainOutcome } from './drain.js';
export { validateCronSchedule } from './cronjob.js';

/**
 * Constructs and starts every controller of this directory; called once at t=0 before nodes and manifests.
 * Admission plugins are registered first, in upstream order (NamespaceLifecycle/defaults, LimitRanger,
 * DefaultStorageClass + StorageObjectInUseProtection, ResourceQuota runs with LimitRanger, Service allocation).
 */
export function startControllers(ctx: SimContext): void {
  startNamespaceController(ctx);
  startQuotaControllers(ctx);
  startVolumeControllers(ctx);
  startServiceAllocation(ctx);
  startGarbageCollector(ctx);
  startReplicaSetController(ctx);
  startDeploymentController(ctx);
  startJobController(ctx);
  startDaemonSetController(ctx);
  startStatefulSetController(ctx);
  startCronJobController(ctx);
  startEndpointsController(ctx);
  startEndpointSliceController(ctx);
  startDisruptionController(ctx);
}
