/**
 * The message catalogue: every Event, condition and scheduling text the simulation emits, by version.
 * Mirrors the "Message texts by version" table of ../shared/kubernetes-behavior.md. Components call these
 * functions; no component spells a user-visible text itself.
 */
import type { Defaults } from './defaults.js';

/** Texts for one version. */
export function messagesFor(d: Defaults) {
  const m = d.minor;
  return {
    // --- scheduler (default-scheduler) ---
    scheduled: (ns: string, pod: string, node: string) => `Successfully assigned ${ns}/${pod} to ${node}`,
    preempted: (preemptorUid: string, node: string) => `Preempted by pod ${preemptorUid} on node ${node}`,
    taintReason: (key: string, value: string) =>
      d.taintReasonNamesTaint ? `node(s) had untolerated taint {${key}: ${value}}` : 'node(s) had untolerated taint(s)',
    schedulingGated: 'Scheduling is blocked due to non-empty scheduling gates',
    // --- kubelet ---
    // Admission rejections (pkg/kubelet/lifecycle/predicate.go; `rejectPod` prefixes the status message).
    admissionInsufficient: (res: string, requested: number, used: number, capacity: number) =>
      `Node didn't have enough resource: ${res}, requested: ${requested}, used: ${used}, capacity: ${capacity}`,
    // PredicateFailureError.Error() names the description from 1.31 (PR #125498).
    admissionPredicate: (name: string, desc: string) => (m >= 31 ? `Predicate ${name} failed: ${desc}` : `Predicate ${name} failed`),
    admissionOSLabel: "Failed to admit pod as the `kubernetes.io/os` label doesn't match node label",
    podRejected: (message: string) => `Pod was rejected: ${message}`,
    pulling: (img: string) => `Pulling image "${img}"`,
    pulled: (img: string, dur: string, withWait: string, size: number) =>
      d.pulledImageSize
        ? `Successfully pulled image "${img}" in ${dur} (${withWait} including waiting). Image size: ${size} bytes.`
        : `Successfully pulled image "${img}" in ${dur} (${withWait} including waiting)`,
    alreadyPresent: (img: string) =>
      m >= 35 ? `Container image "${img}" already present on machine and can be accessed by the pod`
        : `Container image "${img}" already present on machine`,
    failedPull: (img: string, err: string) => `Failed to pull image "${img}": ${err}`,
    errImagePull: 'Error: ErrImagePull',
    errImagePullBackOff: 'Error: ImagePullBackOff',
    backOffPull: (img: string) => `Back-off pulling image "${img}"`,
    imagePullBackOffWaiting: (img: string, cause: string) =>
      d.imagePullBackOffMessageHasCause ? `Back-off pulling image "${img}": ErrImagePull: ${cause}` : `Back-off pulling image "${img}"`,
    errImageNeverPull: (img: string) => `Container image "${img}" is not present with pull policy of Never`,
    created: (c: string) => (m <= 32 ? `Created container ${c}` : m <= 34 ? `Created container: ${c}` : 'Container created'),
    started: (c: string) => (m <= 34 ? `Started container ${c}` : 'Container started'),
    killing: (c: string) => `Stopping container ${c}`,
    killingProbe: (c: string, probe: 'liveness' | 'startup', willRestart: boolean) =>
      `Container ${c} failed ${probe} probe${willRestart ? ', will be restarted' : ''}`,
    // computeInitContainerActions: a sidecar's (restartable init container's) text, never with the suffix.
    killingProbeSidecar: (c: string, probe: 'liveness' | 'startup') => `Init container ${c} failed ${probe} probe`,
    unhealthy: (probe: 'Liveness' | 'Readiness' | 'Startup', output: string) => `${probe} probe failed: ${output}`,
    backOffRestart: (c: string, pod: string, ns: string, uid: string) =>
      `Back-off restarting failed container ${c} in pod ${pod}_${ns}(${uid})`,
    crashLoopWaiting: (delay: string, c: string, pod: string, ns: string, uid: string) =>
      `back-off ${delay} restarting failed container=${c} pod=${pod}_${ns}(${uid})`,
    failedPreStopHook: 'PreStopHook failed',
    podDeadlineExceeded: 'Pod was active on the node longer than the specified deadline',
    // --- node lifecycle ---
    nodeNotReady: (node: string) => `Node ${node} status is now: NodeNotReady`,
    // recordNodeStatusEvent (k/k pkg/kubelet/kubelet_node_status.go): NodeReady, NodeHasSufficientMemory, …
    nodeStatusIsNow: (node: string, event: string) => `Node ${node} status is now: ${event}`,
    kubeletStarting: 'Starting kubelet.',
    // pkg/kubelet/cm node_container_manager_linux.go enforceNodeAllocatableCgroups
    nodeAllocatableEnforced: 'Updated Node Allocatable limit across pods',
    // node lifecycle controller: RecordNodeEvent's "Node %s event: %s" for added and deleted nodes
    registeredNode: (node: string) => `Node ${node} event: Registered Node ${node} in Controller`,
    removingNode: (node: string) => `Node ${node} event: Removing Node ${node} from Controller`,
    podNodeNotReady: 'Node is not ready',
    kubeletStoppedPosting: 'Kubelet stopped posting node status.',
    kubeletNeverPosted: 'Kubelet never posted node status.',
    markingForDeletion: (ns: string, pod: string) => `Marking for deletion Pod ${ns}/${pod}`,
    cancellingDeletion: (ns: string, pod: string) => `Cancelling deletion of Pod ${ns}/${pod}`,
    taintManagerDisruption: 'Taint manager: deleting due to NoExecute taint',
    // --- controllers ---
    createdPod: (pod: string) => `Created pod: ${pod}`,
    deletedPod: (pod: string) => `Deleted pod: ${pod}`,
    errorCreating: (err: string) => `Error creating: ${err}`,
    scaledUp: (rs: string, from: number, to: number) =>
      d.scalingMessageFromTo ? `Scaled up replica set ${rs} from ${from} to ${to}` : `Scaled up replica set ${rs} to ${to} from ${from}`,
    scaledDown: (rs: string, from: number, to: number) =>
      d.scalingMessageFromTo ? `Scaled down replica set ${rs} from ${from} to ${to}` : `Scaled down replica set ${rs} to ${to} from ${from}`,
    stsCreatePod: (pod: string, set: string) => `create Pod ${pod} in StatefulSet ${set} successful`,
    stsDeletePod: (pod: string, set: string) => `delete Pod ${pod} in StatefulSet ${set} successful`,
    stsRecreatingPod: (failed: boolean, ns: string, set: string, pod: string) =>
      `StatefulSet ${ns}/${set} is recreating ${failed ? 'failed' : 'terminated'} Pod ${pod}`,
    stsCreateClaim: (claim: string, pod: string, set: string) => `create Claim ${claim} Pod ${pod} in StatefulSet ${set} success`,
    jobCompleted: 'Job completed',
    jobBackoffLimitExceeded: 'Job has reached the specified backoff limit',
    jobDeadlineExceeded: 'Job was active longer than specified deadline',
    jobCompletionsReached: 'Reached expected number of succeeded pods',
    jobPodFailurePolicyExit: (c: string, ns: string, pod: string, code: number, idx: number) =>
      `Container ${c} for pod ${ns}/${pod} failed with exit code ${code} matching FailJob rule at index ${idx}`,
    jobPodFailurePolicyCondition: (ns: string, pod: string, type: string, idx: number) =>
      `Pod ${ns}/${pod} has condition ${type} matching FailJob rule at index ${idx}`,
    jobSuspended: 'Job suspended',
    jobResumed: 'Job resumed',
    cronCreatedJob: (job: string) => `Created job ${job}`,
    cronSawCompleted: (job: string, status: 'Complete' | 'Failed') => `Saw completed job: ${job}, status: ${status}`,
    cronDeletedJob: (job: string) => `Deleted job ${job}`,
    cronJobAlreadyActive: 'Not starting job because prior execution is running and concurrency policy is Forbid',
    cronMissSchedule: (rfc1123z: string) => `Missed scheduled time to start a job: ${rfc1123z}`,
    // nextScheduleTime (k/k pkg/controller/cronjob/utils.go): no count since the manyMissed enum (before 1.29).
    cronTooManyMissed: 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
    deploymentAvailable: 'Deployment has minimum availability.',
    deploymentUnavailable: 'Deployment does not have minimum availability.',
    newReplicaSetCreated: (rs: string) => `Created new replica set "${rs}"`,
    replicaSetUpdated: (rs: string) => `ReplicaSet "${rs}" is progressing.`,
    newReplicaSetAvailable: (rs: string) => `ReplicaSet "${rs}" has successfully progressed.`,
    progressDeadlineExceeded: (rs: string) => `ReplicaSet "${rs}" has timed out progressing.`,
    // --- disruption / eviction ---
    evictionPdbViolation: "Cannot evict pod as it would violate the pod's disruption budget.",
    evictionPdbCause: (pdb: string, need: number, have: number) =>
      `The disruption budget ${pdb} needs ${need} healthy pods and has ${have} currently`,
    drainRetry: (ns: string, pod: string) =>
      `error when evicting pods/"${pod}" -n "${ns}" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`,
    // --- kubelet node status (k/k pkg/kubelet/nodestatus/setters.go) ---
    nodeReadyReason: 'KubeletReady',
    nodeReadyMessage: 'kubelet is posting ready status',
    nodeMemoryReason: 'KubeletHasSufficientMemory',
    nodeMemoryMessage: 'kubelet has sufficient memory available',
    nodeDiskReason: 'KubeletHasNoDiskPressure',
    nodeDiskMessage: 'kubelet has no disk pressure',
    nodePIDReason: 'KubeletHasSufficientPID',
    nodePIDMessage: 'kubelet has sufficient PID available',
    // --- kubelet pod status (k/k pkg/kubelet/status/generate.go; Go %s of a []string) ---
    containersNotInitialized: (names: string[]) => `containers with incomplete status: [${names.join(' ')}]`,
    containersNotReady: (names: string[]) => `containers with unready status: [${names.join(' ')}]`,
    // --- probe outputs (k/k pkg/probe/http, tcp, grpc) ---
    httpProbeFailed: (code: number) => `HTTP probe failed with statuscode: ${code}`,
    tcpProbeFailed: (host: string, port: number | string) => `dial tcp ${host}:${port}: connect: connection refused`,
    grpcProbeFailed: 'service unhealthy (responded with "NOT_SERVING")',
    // --- pod GC (k/k pkg/controller/podgc/gc_controller.go) ---
    podGCNodeGone: 'PodGC: node no longer exists',
    podGCOutOfService: 'PodGC: node is out-of-service',
    podGCTerminating: 'PodGC: pod is terminating',
      // --- workload controllers, services, drain (controllers/; appended) ---
    errorDeleting: (err: string) => `Error deleting: ${err}`,
    foundNewReplicaSet: (rs: string) => `Found new replica set "${rs}"`,
    deploymentPaused: 'Deployment is paused',
    deploymentResumed: 'Deployment is resumed',
    deploymentSelectingAll: 'This deployment will select all pods. A non-empty selector is required.',
    // kubectl rollout undo (k8s.io/kubectl pkg/polymorphichelpers/rollback.go)
    rollbackPaused: (name: string) =>
      `you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${name}' and try again`,
    rollbackRevisionNotFound: (rev: number) => `unable to find specified revision ${rev} in history`,
    rollbackNoHistory: (name: string) => `no rollout history found for deployment "${name}"`,
    rollbackSkipped: (rev: number) => `skipped rollback (current template already matches revision ${rev})`,
    // Job controller (k/k pkg/controller/job/job_controller.go)
    jobTooManyActive: 'Too many active pods running after completion count reached',
    jobMaxFailedIndexesExceeded: 'Job has exceeded the specified maximal number of failed indexes',
    jobFailedIndexes: 'Job has failed indexes',
    jobSuccessPolicy: (rule: number) => `Matched rules at index ${rule}`,
    // kubectl drain (k8s.io/kubectl pkg/drain)
    drainCordoned: (node: string) => `node/${node} cordoned`,
    drainAlreadyCordoned: (node: string) => `node/${node} already cordoned`,
    drainDrained: (node: string) => `node/${node} drained`,
    drainEvicting: (ns: string, pod: string) => `evicting pod ${ns}/${pod}`,
    drainEvicted: (ns: string, pod: string) => `pod/${pod} evicted`,
    drainDaemonSetFatal: 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)',
    drainDaemonSetWarning: 'ignoring DaemonSet-managed Pods',
    drainLocalStorageFatal: 'Pods with local storage (use --delete-emptydir-data to override)',
    // kubectl ≥1.30 doubles the prefix (observed: "cannot delete cannot delete Pods that declare no controller ...")
    drainUnmanagedFatal: 'cannot delete Pods that declare no controller (use --force to override)',
    drainCannotDelete: (what: string, pods: string[]) => `cannot delete ${what}: ${pods.join(', ')}`,
    drainWarning: (groups: string[]) => `Warning: ${groups.join('; ')}`,
    drainUnmanagedWarning: 'deleting Pods that declare no controller',
    drainDaemonSetNotFound: (name: string) => `daemonsets.apps "${name}" not found`,
    drainUnable: (node: string, err: string) => `error: unable to drain node "${node}" due to error: ${err}, continuing command...`,
    drainEvictTimeout: (ns: string, pod: string, timeout: string) =>
      `error when evicting pods/"${pod}" -n "${ns}": global timeout reached: ${timeout}`,
    drainWaitTimeout: (_ns: string, pod: string, timeout: string) =>
      `error when waiting for pod "${pod}" terminating: global timeout reached: ${timeout}`,
    drainEvictError: (ns: string, pod: string, err: string) => `error when evicting pods/"${pod}" -n "${ns}": ${err}`,
    // Services (k/k pkg/registry/core/service)
    clusterIPAllocated: (svc: string, ip: string) =>
      `Service "${svc}" is invalid: spec.clusterIPs: Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: provided IP is already allocated`,
    clusterIPNotInRange: (svc: string, ip: string, cidr: string) =>
      `Service "${svc}" is invalid: spec.clusterIPs: Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: provided IP (${ip}) is not in the valid range. The range of valid IPs is ${cidr}`,
    nodePortAllocated: (svc: string, i: number, port: number) =>
      `Service "${svc}" is invalid: spec.ports[${i}].nodePort: Invalid value: ${port}: provided port is already allocated`,
    nodePortOutOfRange: (svc: string, i: number, port: number, range: string) =>
      `Service "${svc}" is invalid: spec.ports[${i}].nodePort: Invalid value: ${port}: provided port is not in the valid range. The range of valid ports is ${range}`,
    // PodDisruptionBudget status (k/k pkg/controller/disruption)
    pdbInsufficientPods: 'InsufficientPods',
    // disruption controller trySync (k/k pkg/controller/disruption/disruption.go)
    pdbNoPods: 'No matching pods found',
    pdbUnmanagedPods: (selector: string) => `Pods selected by this PodDisruptionBudget (selector: ${selector}) were found `
      + 'to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. '
      + 'To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
    pdbCountFailed: (err: string) => `Failed to calculate the number of expected pods: ${err}`,
    pdbSufficientPods: 'SufficientPods',
    pdbMultiple: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    // ResourceQuota / LimitRange admission (plugin/pkg/admission/resourcequota, limitranger)
    quotaExceeded: (kind: string, name: string, quota: string, requested: string, used: string, limited: string) =>
      `${kind} "${name}" is forbidden: exceeded quota: ${quota}, requested: ${requested}, used: ${used}, limited: ${limited}`,
    quotaMustSpecify: (kind: string, name: string, resources: string) =>
      `${kind} "${name}" is forbidden: failed quota: must specify ${resources}`,
    limitRangeMax: (name: string, res: string, kindTxt: string, max: string, value: string) =>
      `pods "${name}" is forbidden: maximum ${res} usage per ${kindTxt} is ${max}, but limit is ${value}`,
    limitRangeMin: (name: string, res: string, kindTxt: string, min: string, value: string) =>
      `pods "${name}" is forbidden: minimum ${res} usage per ${kindTxt} is ${min}, but request is ${value}`,
    // What the kubelet reads from ConfigMaps and Secrets (its watch-based managers' NotFound errors name the
    // singular resource, pkg/kubelet/util/manager; volume/configmap,
    // volume/secret MakePayload; operation_generator.go MountVolume.SetUp; kubelet_pods.go getPullSecretsForPod)
    configMapNotFound: (name: string) => `configmap "${name}" not found`,
    secretNotFound: (name: string) => `secret "${name}" not found`,
    configMapKeyMissingInVolume: (key: string) => `configmap references non-existent config key: ${key}`,
    secretKeyMissingInVolume: (key: string) => `references non-existent secret key: ${key}`,
    mountSetUpFailed: (volume: string, err: string) => `MountVolume.SetUp failed for volume "${volume}" : ${err}`,
    pullSecretsMissing: (names: string[]) => `Unable to retrieve some image pull secrets (${names.join(', ')}); attempting to pull the image may not succeed.`,
    // StatefulSet failures (k/k pkg/controller/statefulset/stateful_pod_control.go recordPodEvent/recordClaimEvent)
    stsCreatePodFailed: (pod: string, set: string, err: string) => `create Pod ${pod} in StatefulSet ${set} failed error: ${err}`,
    stsCreateClaimFailed: (claim: string, pod: string, set: string, err: string) =>
      `create Claim ${claim} for Pod ${pod} in StatefulSet ${set} failed error: ${err}`,
    // DaemonSet controller (k/k pkg/controller/daemon/daemon_controller.go)
    dsFailedDaemonPod: (ns: string, pod: string, node: string) => `Found failed daemon pod ${ns}/${pod} on node ${node}, will try to kill it`,
  };
}

/** The catalogue type. */
export type Messages = ReturnType<typeof messagesFor>;
