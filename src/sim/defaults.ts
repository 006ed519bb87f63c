/**
 * Every default number and version-dependent behaviour switch of the simulation, each with its upstream
 * source, selected by the scenario's `kubernetes:` field ("1.29".."1.37", default "1.37").
 * Rows mirror ../shared/kubernetes-behavior.md section 0; numbers that do not change in the range are
 * listed once. Components read `ctx.defaults`, never literals.
 */

/** Supported minor versions. */
export const VERSIONS = ['1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36', '1.37'] as const;
/** A supported Kubernetes minor version. */
export type KubeVersion = (typeof VERSIONS)[number];
/** The default version. */
export const DEFAULT_VERSION: KubeVersion = '1.37';

/** Whether a string is a supported version. */
export function isKubeVersion(v: unknown): v is KubeVersion {
  return typeof v === 'string' && (VERSIONS as readonly string[]).includes(v);
}

/** The minor number of a version ("1.32" -> 32). */
export function minorOf(v: KubeVersion): number {
  return Number(v.split('.')[1]);
}

/** Version-selected defaults. Times are in ms. */
export interface Defaults {
  version: KubeVersion;
  minor: number;
  // --- Node heartbeats and lifecycle (§1) ---
  /** kubelet nodeStatusUpdateFrequency 10s (k/k pkg/kubelet/apis/config/v1beta1/defaults.go). */
  nodeStatusUpdateFrequency: number;
  /** kubelet nodeStatusReportFrequency 5m (same file). */
  nodeStatusReportFrequency: number;
  /** kubelet nodeStatusMaxImages 50: node status lists at most this many images, largest first (same file). */
  nodeStatusMaxImages: number;
  /**
   * The kubelet's image list cache is refreshed from the runtime every 30s, first at start (k/k
   * pkg/kubelet/images/image_gc_manager.go Start: `wait.Until(..., 30*time.Second, ...)`); node status reads the
   * cache, so a pulled image reaches `status.images` at the first status sync after the next refresh.
   */
  imageCacheUpdatePeriod: number;
  /** Lease renew interval: nodeLeaseDurationSeconds 40 × 0.25 = 10s (k/k pkg/kubelet/kubelet.go). */
  leaseRenewInterval: number;
  /** nodeLeaseDurationSeconds 40. */
  nodeLeaseDurationSeconds: number;
  /** --node-monitor-period 5s (nodelifecycle config). */
  nodeMonitorPeriod: number;
  /** --node-monitor-grace-period: 40s ≤1.31, 50s 1.32+ (PR #126287). */
  nodeMonitorGracePeriod: number;
  /** --node-startup-grace-period 60s. */
  nodeStartupGracePeriod: number;
  /** unreachable:NoExecute taint in the same monitor pass as Ready→Unknown: 1.34+ (PR #120816). */
  taintInSamePass: boolean;
  /** DefaultTolerationSeconds admission: 300s (plugin/pkg/admission/defaulttolerationseconds). */
  defaultTolerationSeconds: number;
  /** PodGC period 20s, orphan grace 40s, terminated threshold 12500 (k/k pkg/controller/podgc). */
  podGCPeriod: number;
  podGCOrphanGrace: number;
  terminatedPodGCThreshold: number;
  // --- Scheduler (§3) ---
  /** podInitialBackoffSeconds 1 (k/k pkg/scheduler/apis/config/v1/defaults.go). */
  podInitialBackoff: number;
  /** podMaxBackoffSeconds 10 (same file). */
  podMaxBackoff: number;
  /** DefaultPodMaxInUnschedulablePodsDuration 5m (k/k pkg/scheduler/internal/queue). */
  podMaxInUnschedulablePodsDuration: number;
  /** Unschedulable-pods leftover flush 30s; backoff flush 1s (unverified, §3.1). */
  unschedulableFlushPeriod: number;
  backoffFlushPeriod: number;
  /** QueueingHints on: 1.32+ (website PR #48406; GA 1.34 PR #131973). */
  queueingHints: boolean;
  /**
   * Without QueueingHints (1.29–1.31) a bound pod's add/update only requeues unschedulable pods whose required
   * pod-affinity term matches it (`getUnschedulablePodsWithMatchingAffinityTerm`); from 1.31 also pods
   * PodTopologySpread rejected in the same namespace (`getUnschedulablePodsWithCrossTopologyTerm`,
   * PR #122627, CHANGELOG-1.31 "stuck in Pending state for 5 min"). With hints every pod is offered.
   */
  assignedPodRequeuesSpread: boolean;
  /** SchedulerPopFromBackoffQ: 1.33+ (PR #130772). */
  popFromBackoffQ: boolean;
  /** From 1.34 only unschedulable attempts lengthen backoff (PR #128748). */
  backoffCountsOnlyUnschedulable: boolean;
  /** Default plugin weights (k/k pkg/scheduler/apis/config/v1/default_plugins.go). */
  scoreWeights: Readonly<Record<string, number>>;
  /** In-tree EBSLimits/GCEPDLimits/AzureDiskLimits in the default profile: ≤1.30 (PR #124500). */
  inTreeVolumeLimitPlugins: boolean;
  /** DynamicResources in the default profile: 1.34+ (PR #132706). */
  dynamicResourcesPlugin: boolean;
  /** `no new claims to deallocate, ` before `preemption:`: 1.34–1.36 (§3.5). */
  draNoNewClaimsText: boolean;
  /** After a PreFilter rejection the PostFilter text is ` not found` (1.34+) instead of a preemption FitError. */
  preFilterRejectNotFound: boolean;
  /** TaintToleration reason names the taint `{K: V}` (≤1.34) or says `untolerated taint(s)` (1.35+, PR #134740). */
  taintReasonNamesTaint: boolean;
  /** NodeResourcesFit: request above node total allocatable is UnschedulableAndUnresolvable (1.34+, PR #131345). */
  fitUnresolvableAboveAllocatable: boolean;
  /** VolumeBinding PV node affinity reason text changed in 1.33 (PR #129887). */
  volumeNodeAffinityReason: string;
  /** Nodes outside a PreFilterResult counted as `didn't satisfy plugin(s) [P]` (1.30+, PR #119779). */
  preFilterResultCounted: boolean;
  /** FailedScheduling ends `..` after a preemption message in 1.29 (issue #123301). */
  doublePeriodAfterPreemption: boolean;
  /** Successful preemption appends `preemption: found a potential placement…` (1.37, PR #140180). */
  preemptionSuccessText: boolean;
  /** API server clears nominatedNodeName at binding (1.35+, PR #135103). */
  clearNominatedAtBinding: boolean;
  /** BalancedAllocation skips BestEffort pods (1.33+, PR #130260). */
  balancedSkipsBestEffort: boolean;
  /** BalancedAllocation formula: 'std' (≤1.35) or 'delta' 75+Δ/2 (1.36+, PR #135573). */
  balancedFormula: 'std' | 'delta';
  /** ImageLocality counts init and sidecar images (1.30+, PR #123366). */
  imageLocalityInitContainers: boolean;
  /** NodePorts counts sidecar hostPorts (1.34+, PR #132040). */
  nodePortsSidecars: boolean;
  /** Zone/region labels copied to pod at binding (1.35+, PR #135158). */
  topologyLabelsAtBinding: boolean;
  /** Non-zero request defaults for scoring: 100m CPU, 200Mi (k/k pkg/scheduler/util). */
  defaultMilliCPURequest: number;
  defaultMemoryRequest: number;
  /** percentageOfNodesToScore adaptive: 50 − N/125, floor 5; min feasible 100 (schedule_one.go). */
  minFeasibleNodesToFind: number;
  minFeasibleNodesPercentageToFind: number;
  /** DefaultPreemption minCandidateNodesPercentage 10 / absolute 100. */
  minCandidateNodesPercentage: number;
  minCandidateNodesAbsolute: number;
  /** InterPodAffinity hardPodAffinityWeight 1. */
  hardPodAffinityWeight: number;
  /** SchedulerAsyncPreemption: 1.33+ (PR #130550). */
  asyncPreemption: boolean;
  // --- Kubelet (§4) ---
  /** Container restart backoff: 10s initial, cap 300s (kuberuntime_manager.go; flowcontrol backoff). */
  crashLoopInitialBackoff: number;
  crashLoopMaxBackoff: number;
  /** Backoff entry expires after 2 × max (10 min) of calm. */
  crashLoopResetAfter: number;
  /** Pod worker re-sync after a back-off error: 10s (pod_workers.go backOffPeriod; jitter factor 1). */
  podWorkerBackOffPeriod: number;
  /** Controllers' failed syncs are retried after 5ms, doubling to 1000s (client-go workqueue default_rate_limiters.go). */
  workqueueBaseDelay: number;
  workqueueMaxDelay: number;
  /** The Job controller's queue: 1s doubling to 60s (job_controller.go DefaultJobApiBackOff, MaxJobApiBackOff). */
  jobApiBackOff: number;
  jobMaxApiBackOff: number;
  /**
   * SyncPod waits for the pod's volumes at most 2m3s, polling every 300ms (volumemanager/volume_manager.go
   * podAttachAndMountTimeout, podAttachAndMountRetryInterval).
   */
  podAttachAndMountTimeout: number;
  podAttachAndMountRetryInterval: number;
  /**
   * A failed mount is retried after 500ms, doubling up to 2m2s (nestedpendingoperations.go
   * initialDurationBeforeRetry, maxDurationBeforeRetry; the reconciler's 100ms loop taken as 0).
   */
  volumeMountInitialBackoff: number;
  volumeMountMaxBackoff: number;
  /** 1.35+ re-queue after the remaining window, clamped to syncFrequency (PR #133066). */
  crashLoopRequeueRemaining: boolean;
  /** kubelet syncFrequency 1m. */
  syncFrequency: number;
  /** Image pull backoff 10s doubling to MaxImageBackOff 300s; entry forgotten 600s after last failure. */
  imagePullInitialBackoff: number;
  imagePullMaxBackoff: number;
  /** `Pulled` appends ` Image size: N bytes.` (1.30+, PR #121719). */
  pulledImageSize: boolean;
  /** ImagePullBackOff waiting message carries the pull error (1.32+, PR #127918). */
  imagePullBackOffMessageHasCause: boolean;
  /** Probe defaults (k/k pkg/apis/core/v1/defaults.go SetDefaults_Probe). */
  probePeriodSeconds: number;
  probeTimeoutSeconds: number;
  probeSuccessThreshold: number;
  probeFailureThreshold: number;
  /** Readiness ticker restarts at each triggered run (1.32+, PR #119089). */
  readinessTickerRestarts: boolean;
  /** Startup worker put on hold after success (1.32+, PR #121206). */
  startupWorkerHold: boolean;
  /** terminationGracePeriodSeconds default 30 (DefaultTerminationGracePeriodSeconds). */
  terminationGracePeriodSeconds: number;
  /** minimumGracePeriodInSeconds 2 (kuberuntime_container.go). */
  minimumGracePeriodSeconds: number;
  /** maxPods 110 (kubelet defaults). */
  maxPods: number;
  /** Sidecar containers available (beta on 1.29, GA 1.33). */
  sidecarContainers: boolean;
  /** PodReadyToStartContainers true at sandbox creation (1.36+, PR #134660). */
  readyToStartAtSandbox: boolean;
  /** Pod metadata.generation set by the API server (1.33+, PR #130181). */
  podGeneration: boolean;
  /** Pod status.observedGeneration (beta on 1.34, GA 1.35). */
  podObservedGeneration: boolean;
  /** ContainerRestartRules (beta on 1.35+). */
  containerRestartRules: boolean;
  /** preStop/postStart sleep action (beta on 1.30+). */
  sleepAction: boolean;
  /** sleep seconds 0 accepted (beta on 1.33+). */
  sleepAllowZero: boolean;
  /** In-place resize (beta on 1.33+). */
  inPlaceResize: boolean;
  /** PodLevelResources (beta on 1.34+). */
  podLevelResources: boolean;
  // --- Controllers (§6) ---
  /** ScalingReplicaSet text: 'to N from M' (≤1.31) or 'from M to N' (1.32+, PR #125118). */
  scalingMessageFromTo: boolean;
  /** Job Failed/Complete only after all pods terminal (1.31+, PR #125510). */
  jobTerminalAfterPodsTerminal: boolean;
  /** Job Complete reason CompletionsReached (1.31+). */
  jobCompleteReason: boolean;
  /** Job pod failure back-off 10s doubling, cap 10 min (backoff_utils.go). */
  jobPodFailureInitialBackoff: number;
  jobPodFailureMaxBackoff: number;
  /** Job controller batches syncs by 1s. */
  jobSyncBatchPeriod: number;
  /** Job successPolicy (β 1.31+), managedBy (β 1.32+), backoffLimitPerIndex (β/GA all). */
  jobSuccessPolicy: boolean;
  jobManagedBy: boolean;
  /** From 1.35 a suspended Job's startTime is cleared (PR #135104). */
  jobClearStartTimeOnSuspend: boolean;
  /**
   * A suspended Job's pod template may change its containers' resources (MutablePodResourcesForSuspendedJobs:
   * alpha off 1.35, beta on 1.36, PR #135965). Scheduling directives (labels, annotations, nodeSelector, node
   * affinity, tolerations) are mutable in every version while the Job is suspended and has not started (batch
   * validation `AllowMutableSchedulingDirectives`, pkg/registry/batch/job/strategy.go).
   */
  jobSuspendedMutableResources: boolean;
  /** Deployment/RS status.terminatingReplicas (1.35+, PR #133087). */
  terminatingReplicas: boolean;
  /** StatefulSet minReadySeconds honoured in rolling update (1.34+, PR #130909). */
  statefulSetMinReadyInUpdate: boolean;
  /** MaxUnavailableStatefulSet: on 1.35, off 1.36, on 1.37 (PR #133153, #137904, #139466). */
  statefulSetMaxUnavailable: boolean;
  /** Endpoints labelled endpoints.kubernetes.io/managed-by (1.33+, PR #130564). */
  endpointsManagedByLabel: boolean;
  /** Deployment defaults (k/k pkg/apis/apps/v1/defaults.go). */
  deploymentRevisionHistoryLimit: number;
  deploymentProgressDeadlineSeconds: number;
  /** Job backoffLimit 6. */
  jobBackoffLimit: number;
  /** CronJob history limits 3 / 1; requeue +100ms; missed-start limit 100. */
  cronSuccessfulJobsHistoryLimit: number;
  cronFailedJobsHistoryLimit: number;
  cronRequeueDelay: number;
  cronCheckPeriod: number;
  /** kubectl drain retry after a 429: 5s. */
  drainRetryPeriod: number;
  /** Services: NodePort range, Service CIDR (kubeadm), cluster CIDR. */
  nodePortRange: readonly [number, number];
  serviceCIDR: string;
  clusterCIDR: string;
  largeClusterCIDR: string;
  firstNodeIP: string;
  /** EndpointSlice max endpoints per slice 100; Endpoints truncated at 1000. */
  maxEndpointsPerSlice: number;
  maxEndpointsPerEndpoints: number;
  // --- Kubelet / node lifecycle additions ---
  /** kubelet sync loop tick 1s (k/k pkg/kubelet/kubelet.go syncLoop `syncTicker`); activeDeadlineSeconds is checked on it. */
  kubeletSyncTick: number;
  /** Size of an image pulled by the simulation when the node does not declare it (kubedrill choice, not upstream). */
  pulledImageSizeBytes: number;
  /** Status code a failing simulated httpGet probe answers (kubedrill choice; text from k/k pkg/probe/http). */
  failingHttpProbeStatus: number;
  /** --node-eviction-rate 0.1 nodes/s: one NoExecute tainting per zone per 10s (nodelifecycle config). */
  nodeEvictionInterval: number;
  /**
   * 1 / --secondary-node-eviction-rate (0.01 nodes/s): the NoExecute tainting interval of a zone larger than
   * --large-cluster-size-threshold in PartialDisruption (node lifecycle controller ReducedQPSFunc).
   */
  secondaryNodeEvictionInterval: number;
  /** --unhealthy-zone-threshold 0.55, --large-cluster-size-threshold 50 (nodelifecycle config). */
  unhealthyZoneThreshold: number;
  largeClusterSizeThreshold: number;
  // --- Workload controllers, services, disruption (controllers/) ---
  /** ReplicaSet/DaemonSet burstReplicas 500 per sync (k/k pkg/controller/replicaset BurstReplicas). */
  replicaSetBurstReplicas: number;
  /** Job MaxPodCreateDeletePerSync 500 (k/k pkg/controller/job/job_controller.go). */
  jobMaxPodCreateDeletePerSync: number;
  /** CronJob: more than 100 missed start times raises TooManyMissedTimes (k/k pkg/controller/cronjob/utils.go). */
  cronMaxMissedStarts: number;
  /** The `kubernetes` Service's ClusterIP: the first address of the Service CIDR (kubeadm 10.96.0.1). */
  kubernetesServiceIP: string;
  /** The `kubernetes` Service port 443 -> the API server's secure port 6443 (kubeadm). */
  apiServerSecurePort: number;
  /** Deployment revision-history annotation limit: 2000 characters (deployment_util.go MaxRevHistoryLengthInChars). */
  deploymentMaxRevHistoryChars: number;
}


const BASE: Omit<Defaults, 'version' | 'minor'> = {
  nodeStatusUpdateFrequency: 10_000,
  nodeStatusReportFrequency: 300_000,
  nodeStatusMaxImages: 50,
  imageCacheUpdatePeriod: 30_000,
  leaseRenewInterval: 10_000,
  nodeLeaseDurationSeconds: 40,
  nodeMonitorPeriod: 5_000,
  nodeMonitorGracePeriod: 50_000,
  nodeStartupGracePeriod: 60_000,
  taintInSamePass: true,
  defaultTolerationSeconds: 300,
  podGCPeriod: 20_000,
  podGCOrphanGrace: 40_000,
  terminatedPodGCThreshold: 12_500,
  podInitialBackoff: 1_000,
  podMaxBackoff: 10_000,
  podMaxInUnschedulablePodsDuration: 300_000,
  unschedulableFlushPeriod: 30_000,
  backoffFlushPeriod: 1_000,
  queueingHints: true,
  assignedPodRequeuesSpread: true,
  popFromBackoffQ: true,
  backoffCountsOnlyUnschedulable: true,
  scoreWeights: {
    TaintToleration: 3, NodeAffinity: 2, NodeResourcesFit: 1, PodTopologySpread: 2, InterPodAffinity: 2,
    NodeResourcesBalancedAllocation: 1, ImageLocality: 1, VolumeBinding: 1,
  },
  inTreeVolumeLimitPlugins: false,
  dynamicResourcesPlugin: true,
  draNoNewClaimsText: false,
  preFilterRejectNotFound: true,
  taintReasonNamesTaint: false,
  fitUnresolvableAboveAllocatable: true,
  volumeNodeAffinityReason: "node(s) didn't match PersistentVolume's node affinity",
  preFilterResultCounted: true,
  doublePeriodAfterPreemption: false,
  preemptionSuccessText: true,
  clearNominatedAtBinding: true,
  balancedSkipsBestEffort: true,
  balancedFormula: 'delta',
  imageLocalityInitContainers: true,
  nodePortsSidecars: true,
  topologyLabelsAtBinding: true,
  defaultMilliCPURequest: 100,
  defaultMemoryRequest: 200 * 1024 * 1024,
  minFeasibleNodesToFind: 100,
  minFeasibleNodesPercentageToFind: 5,
  minCandidateNodesPercentage: 10,
  minCandidateNodesAbsolute: 100,
  hardPodAffinityWeight: 1,
  asyncPreemption: true,
  crashLoopInitialBackoff: 10_000,
  crashLoopMaxBackoff: 300_000,
  crashLoopResetAfter: 600_000,
  podWorkerBackOffPeriod: 10_000,
  workqueueBaseDelay: 5,
  workqueueMaxDelay: 1_000_000,
  jobApiBackOff: 1_000,
  jobMaxApiBackOff: 60_000,
  podAttachAndMountTimeout: 123_000,
  podAttachAndMountRetryInterval: 300,
  volumeMountInitialBackoff: 500,
  volumeMountMaxBackoff: 122_000,
  crashLoopRequeueRemaining: true,
  syncFrequency: 60_000,
  imagePullInitialBackoff: 10_000,
  imagePullMaxBackoff: 300_000,
  pulledImageSize: true,
  imagePullBackOffMessageHasCause: true,
  probePeriodSeconds: 10,
  probeTimeoutSeconds: 1,
  probeSuccessThreshold: 1,
  probeFailureThreshold: 3,
  readinessTickerRestarts: true,
  startupWorkerHold: true,
  terminationGracePeriodSeconds: 30,
  minimumGracePeriodSeconds: 2,
  maxPods: 110,
  sidecarContainers: true,
  readyToStartAtSandbox: true,
  podGeneration: true,
  podObservedGeneration: true,
  containerRestartRules: true,
  sleepAction: true,
  sleepAllowZero: true,
  inPlaceResize: true,
  podLevelResources: true,
  scalingMessageFromTo: true,
  jobTerminalAfterPodsTerminal: true,
  jobCompleteReason: true,
  jobPodFailureInitialBackoff: 10_000,
  jobPodFailureMaxBackoff: 600_000,
  jobSyncBatchPeriod: 1_000,
  jobSuccessPolicy: true,
  jobManagedBy: true,
  jobClearStartTimeOnSuspend: true,
  jobSuspendedMutableResources: true,
  terminatingReplicas: true,
  statefulSetMinReadyInUpdate: true,
  statefulSetMaxUnavailable: true,
  endpointsManagedByLabel: true,
  deploymentRevisionHistoryLimit: 10,
  deploymentProgressDeadlineSeconds: 600,
  jobBackoffLimit: 6,
  cronSuccessfulJobsHistoryLimit: 3,
  cronFailedJobsHistoryLimit: 1,
  cronRequeueDelay: 100,
  cronCheckPeriod: 10_000,
  drainRetryPeriod: 5_000,
  nodePortRange: [30000, 32767],
  serviceCIDR: '10.96.0.0/12',
  clusterCIDR: '10.244.0.0/16',
  largeClusterCIDR: '100.64.0.0/10',
  firstNodeIP: '172.18.0.2',
  maxEndpointsPerSlice: 100,
  maxEndpointsPerEndpoints: 1000,
  kubeletSyncTick: 1_000,
  pulledImageSizeBytes: 50_000_000,
  failingHttpProbeStatus: 500,
  nodeEvictionInterval: 10_000,
  secondaryNodeEvictionInterval: 100_000,
  unhealthyZoneThreshold: 0.55,
  largeClusterSizeThreshold: 50,
  replicaSetBurstReplicas: 500,
  jobMaxPodCreateDeletePerSync: 500,
  cronMaxMissedStarts: 100,
  kubernetesServiceIP: '10.96.0.1',
  apiServerSecurePort: 6443,
  deploymentMaxRevHistoryChars: 2000,
};


/** The defaults of a version (section 0 of the fact sheet, row by row). */
export function defaultsFor(version: KubeVersion = DEFAULT_VERSION): Defaults {
  let d = cache.get(version);
  if (!d) {
    d = Object.freeze(computeDefaults(version));
    cache.set(version, d);
  }
  return d;
}

const cache = new Map<KubeVersion, Defaults>();

function computeDefaults(version: KubeVersion): Defaults {
  const m = minorOf(version);
  return {
    ...BASE,
    version,
    minor: m,
    nodeMonitorGracePeriod: m <= 31 ? 40_000 : 50_000, // PR #126287
    taintInSamePass: m >= 34, // PR #120816
    queueingHints: m >= 32, // website PR #48406; GA PR #131973
    assignedPodRequeuesSpread: m >= 31, // PR #122627
    popFromBackoffQ: m >= 33, // PR #130772
    backoffCountsOnlyUnschedulable: m >= 34, // PR #128748
    asyncPreemption: m >= 33, // PR #130550
    inTreeVolumeLimitPlugins: m <= 30, // PR #124500
    dynamicResourcesPlugin: m >= 34, // PR #132706
    draNoNewClaimsText: m >= 34 && m <= 36, // §3.5 (1.36 assumed; 1.37 observed without)
    preFilterRejectNotFound: m >= 34, // §3.5 (inferred; observed 1.35+)
    taintReasonNamesTaint: m <= 34, // PR #134740
    fitUnresolvableAboveAllocatable: m >= 34, // PR #131345
    volumeNodeAffinityReason: m <= 32 ? 'node(s) had volume node affinity conflict'
      : "node(s) didn't match PersistentVolume's node affinity", // PR #129887
    preFilterResultCounted: m >= 30, // PR #119779
    doublePeriodAfterPreemption: m <= 29, // issue #123301
    preemptionSuccessText: m >= 37, // PR #140180
    clearNominatedAtBinding: m >= 35, // PR #135103
    balancedSkipsBestEffort: m >= 33, // PR #130260
    balancedFormula: m >= 36 ? 'delta' : 'std', // PR #135573
    imageLocalityInitContainers: m >= 30, // PR #123366
    nodePortsSidecars: m >= 34, // PR #132040
    topologyLabelsAtBinding: m >= 35, // PR #127092, #135158
    crashLoopRequeueRemaining: m >= 35, // PR #133066
    pulledImageSize: m >= 30, // PR #121719
    imagePullBackOffMessageHasCause: m >= 32, // PR #127918
    readinessTickerRestarts: m >= 32, // PR #119089
    startupWorkerHold: m >= 32, // PR #121206
    readyToStartAtSandbox: m >= 36, // PR #134660
    podGeneration: m >= 33, // PR #130181
    podObservedGeneration: m >= 34, // PR #132912
    containerRestartRules: m >= 35, // PR #134631
    sleepAction: m >= 30, // PR #132595
    sleepAllowZero: m >= 33, // PR #127094
    inPlaceResize: m >= 33, // PR #130905
    podLevelResources: m >= 34, // PR #132999
    scalingMessageFromTo: m >= 32, // PR #125118
    jobTerminalAfterPodsTerminal: m >= 31, // PR #125510
    jobCompleteReason: m >= 31, // §6.5
    jobSuccessPolicy: m >= 31, // PR #130536
    jobManagedBy: m >= 32, // PR #135080
    jobClearStartTimeOnSuspend: m >= 35, // PR #135104
    jobSuspendedMutableResources: m >= 36, // PR #135965
    terminatingReplicas: m >= 35, // PR #133087
    statefulSetMinReadyInUpdate: m >= 34, // PR #130909
    statefulSetMaxUnavailable: m === 35 || m >= 37, // PR #133153, #137904, #139466
    endpointsManagedByLabel: m >= 33, // PR #130564
  };
}
