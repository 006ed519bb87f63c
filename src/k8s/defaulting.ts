/**
 * API-server defaulting for the simulated kinds (k/k pkg/apis/<group>/v1/defaults.go and the registry
 * strategies' PrepareForCreate), applied to every object the simulated API server creates or updates, whether
 * it comes from a scenario or a controller, so objects read back as `kubectl get -o yaml` shows them.
 * Admission (Priority, DefaultTolerationSeconds) and allocation (clusterIP, nodePort, uid) live elsewhere.
 */
import type { KObject } from './types.js';
import type { Defaults } from '../sim/defaults.js';
import { isPlainObject } from './util.js';
import { defaultNode } from './node.js';
import { qosClass } from './resources.js';
import { imageTag } from './images.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

/** Applies defaults in place; `obj.kind` selects the kind's rules (unknown kinds are left alone). */
export function defaultObject(obj: KObject, d: Defaults): void {
  const spec = (): Obj => (isPlainObject(obj.spec) ? obj.spec : (obj.spec = {})) as Obj;
  switch (obj.kind) {
    case 'Pod': defaultPod(obj, d); break;
    case 'ReplicaSet':
      spec().replicas ??= 1;
      defaultTemplate(spec(), d);
      break;
    case 'Deployment': defaultDeployment(spec(), d); break;
    case 'DaemonSet': {
      const s = spec();
      s.updateStrategy ??= {};
      s.updateStrategy.type ??= 'RollingUpdate';
      if (s.updateStrategy.type === 'RollingUpdate') {
        s.updateStrategy.rollingUpdate ??= {};
        s.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
        s.updateStrategy.rollingUpdate.maxSurge ??= 0;
      }
      s.revisionHistoryLimit ??= 10;
      defaultTemplate(s, d);
      break;
    }
    case 'StatefulSet': defaultStatefulSet(spec(), d); break;
    case 'Job': defaultJob(obj, d); break;
    case 'CronJob': {
      const s = spec();
      s.concurrencyPolicy ??= 'Allow';
      s.suspend ??= false;
      s.successfulJobsHistoryLimit ??= d.cronSuccessfulJobsHistoryLimit;
      s.failedJobsHistoryLimit ??= d.cronFailedJobsHistoryLimit;
      if (isPlainObject(s.jobTemplate) && isPlainObject(s.jobTemplate.spec)) {
        defaultJobSpecFields(s.jobTemplate.spec as Obj);
        defaultTemplate(s.jobTemplate.spec as Obj, d);
      }
      break;
    }
    case 'Service': defaultService(spec()); break;
    case 'Endpoints':
      for (const ss of arr(obj.subsets)) for (const p of arr(ss.ports)) p.protocol ??= 'TCP';
      break;
    case 'EndpointSlice':
      for (const p of arr(obj.ports)) { p.protocol ??= 'TCP'; p.name ??= ''; }
      break;
    case 'PersistentVolumeClaim':
      defaultPVC(obj);
      break;
    case 'PersistentVolume': {
      const s = spec();
      s.persistentVolumeReclaimPolicy ??= 'Retain';
      s.volumeMode ??= 'Filesystem';
      if (isPlainObject(s.hostPath)) (s.hostPath as Obj).type ??= '';
      obj.status ??= {};
      obj.status.phase ??= 'Pending';
      break;
    }
    case 'StorageClass':
      (obj as Obj).reclaimPolicy ??= 'Delete';
      (obj as Obj).volumeBindingMode ??= 'Immediate';
      break;
    case 'PriorityClass':
      (obj as Obj).preemptionPolicy ??= 'PreemptLowerPriority';
      break;
    case 'Namespace': {
      const s = spec();
      s.finalizers ??= ['kubernetes'];
      obj.status ??= {};
      obj.status.phase ??= 'Active';
      // SetDefaults_Namespace: the immutable name label (1.21+).
      if (obj.metadata?.name) obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
      break;
    }
    case 'Secret': {
      const o = obj as Obj;
      o.type ??= 'Opaque';
      // Convert_v1_Secret_To_core_Secret: `stringData` is merged into `data` (base64, overwriting) and never stored.
      if (isPlainObject(o.stringData)) {
        const data: Obj = isPlainObject(o.data) ? { ...o.data } : {};
        for (const [k, v] of Object.entries(o.stringData as Obj)) if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
        o.data = data;
        delete o.stringData;
      }
      break;
    }
    case 'LimitRange':
      for (const item of arr(spec().limits)) defaultLimitRangeItem(item);
      break;
    case 'Node': defaultNode(obj, d); break;
    default: break;
  }
}

function arr(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isPlainObject) as Obj[] : [];
}

/** Pod-only defaults: PodSpec defaults plus what ServiceAccount admission and PrepareForCreate add. */
function defaultPod(pod: KObject, d: Defaults): void {
  const spec: Obj = isPlainObject(pod.spec) ? pod.spec : (pod.spec = {});
  defaultPodSpec(spec, d);
  // ServiceAccount admission (plugin/pkg/admission/serviceaccount): the `default` account.
  spec.serviceAccountName ??= 'default';
  spec.serviceAccount = spec.serviceAccountName;
  // Pod conversion (PR #115606): a negative grace period is stored as 1.
  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
    spec.terminationGracePeriodSeconds = 1;
  }
  pod.status ??= {};
  pod.status.phase ??= 'Pending';
  pod.status.qosClass ??= qosClass(pod);
}


/** Defaults the pod template of a workload spec (`spec.template.spec`). */
function defaultTemplate(spec: Obj, d: Defaults): void {
  if (!isPlainObject(spec.template)) return;
  const t = spec.template as Obj;
  if (!isPlainObject(t.spec)) t.spec = {};
  defaultPodSpec(t.spec as Obj, d);
  if (t.spec.serviceAccountName !== undefined) t.spec.serviceAccount = t.spec.serviceAccountName;
}

function defaultDeployment(s: Obj, d: Defaults): void {
  s.replicas ??= 1;
  s.strategy ??= {};
  s.strategy.type ??= 'RollingUpdate';
  if (s.strategy.type === 'RollingUpdate') {
    s.strategy.rollingUpdate ??= {};
    s.strategy.rollingUpdate.maxUnavailable ??= '25%';
    s.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  s.revisionHistoryLimit ??= d.deploymentRevisionHistoryLimit;
  s.progressDeadlineSeconds ??= d.deploymentProgressDeadlineSeconds;
  defaultTemplate(s, d);
}

function defaultStatefulSet(s: Obj, d: Defaults): void {
  s.replicas ??= 1;
  s.podManagementPolicy ??= 'OrderedReady';
  s.updateStrategy ??= {};
  s.updateStrategy.type ??= 'RollingUpdate';
  if (s.updateStrategy.type === 'RollingUpdate') {
    s.updateStrategy.rollingUpdate ??= {};
    s.updateStrategy.rollingUpdate.partition ??= 0;
    // SetDefaults_StatefulSet: maxUnavailable 1 when MaxUnavailableStatefulSet is on.
    if (d.statefulSetMaxUnavailable) s.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
  }
  s.revisionHistoryLimit ??= 10;
  s.persistentVolumeClaimRetentionPolicy ??= {};
  s.persistentVolumeClaimRetentionPolicy.whenDeleted ??= 'Retain';
  s.persistentVolumeClaimRetentionPolicy.whenScaled ??= 'Retain';
  for (const pvc of arr(s.volumeClaimTemplates)) {
    pvc.apiVersion ??= 'v1';
    pvc.kind ??= 'PersistentVolumeClaim';
    defaultPVC(pvc as KObject);
  }
  defaultTemplate(s, d);
}

function defaultPVC(pvc: KObject): void {
  const s: Obj = isPlainObject(pvc.spec) ? pvc.spec : (pvc.spec = {});
  s.volumeMode ??= 'Filesystem';
  pvc.status ??= {};
  pvc.status.phase ??= 'Pending';
}

/** The JobSpec defaults of SetDefaults_Job that do not need the Job's identity. */
function defaultJobSpecFields(s: Obj): void {
  if (s.completions === undefined && s.parallelism === undefined) {
    s.completions = 1;
    s.parallelism = 1;
  }
  s.parallelism ??= 1;
  s.completionMode ??= 'NonIndexed';
  if (s.backoffLimit === undefined) s.backoffLimit = s.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  s.suspend ??= false;
  // podReplacementPolicy (β on from 1.29, GA 1.34; PR #121491, #132173).
  s.podReplacementPolicy ??= s.podFailurePolicy !== undefined ? 'Failed' : 'TerminatingOrFailed';
  for (const r of arr(s.podFailurePolicy?.rules)) for (const c of arr(r.onPodConditions)) c.status ??= 'True';
}

function defaultJob(job: KObject, d: Defaults): void {
  const s: Obj = isPlainObject(job.spec) ? job.spec : (job.spec = {});
  defaultJobSpecFields(s);
  // dropDisabledFields: successPolicy is alpha (off) in 1.30 and managedBy in 1.30–1.31, so the API server
  // drops them.
  if (!d.jobSuccessPolicy) delete s.successPolicy;
  if (!d.jobManagedBy) delete s.managedBy;
  if (s.backoffLimit === 6) s.backoffLimit = d.jobBackoffLimit;
  defaultTemplate(s, d);
  if (job.metadata?.uid) generateJobSelector(job);
  copyTemplateLabels(job);
}

/**
 * SetDefaults_Job: a Job without labels takes its template's (`if labels != nil && len(obj.Labels) == 0`).
 * The template's generated labels reach it as well: defaulting runs again on every read from storage, so
 * `kubectl get job -o yaml` shows `batch.kubernetes.io/controller-uid`, `job-name`, … on the Job too.
 */
function copyTemplateLabels(job: KObject): void {
  const labels = job.spec?.template?.metadata?.labels;
  if (!isPlainObject(labels) || Object.keys(labels).length === 0) return;
  if (isPlainObject(job.metadata?.labels) && Object.keys(job.metadata.labels).length > 0) return;
  job.metadata.labels = { ...(labels as Record<string, string>) };
}

/**
 * The Job strategy's generated selector (k/k pkg/registry/batch/job/strategy.go `generateSelector`): unless
 * `manualSelector` is true, `spec.selector` matches `batch.kubernetes.io/controller-uid` and the template
 * carries that label, `batch.kubernetes.io/job-name` and the legacy `controller-uid` / `job-name`.
 * Needs `metadata.uid`, so the API server calls it once the uid is drawn (defaultObject calls it when set).
 */
export function generateJobSelector(job: KObject): void {
  const s: Obj = isPlainObject(job.spec) ? job.spec : (job.spec = {});
  const uid = job.metadata?.uid;
  if (!uid || s.manualSelector === true) return;
  const name = job.metadata.name;
  if (!isPlainObject(s.template)) s.template = {};
  s.template.metadata ??= {};
  const labels: Obj = { ...(s.template.metadata.labels ?? {}) };
  labels['batch.kubernetes.io/controller-uid'] ??= uid;
  labels['batch.kubernetes.io/job-name'] ??= name;
  labels['controller-uid'] ??= uid;
  labels['job-name'] ??= name;
  s.template.metadata.labels = labels;
  s.selector ??= { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  copyTemplateLabels(job);
}

function defaultService(s: Obj): void {
  s.type ??= 'ClusterIP';
  s.sessionAffinity ??= 'None';
  if (s.sessionAffinity === 'ClientIP') {
    s.sessionAffinityConfig ??= {};
    s.sessionAffinityConfig.clientIP ??= {};
    s.sessionAffinityConfig.clientIP.timeoutSeconds ??= 10800;
  }
  for (const p of arr(s.ports)) {
    p.protocol ??= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (s.type === 'NodePort' || s.type === 'LoadBalancer') s.externalTrafficPolicy ??= 'Cluster';
  if (s.type === 'LoadBalancer') s.allocateLoadBalancerNodePorts ??= true;
  if (s.type !== 'ExternalName') {
    s.internalTrafficPolicy ??= 'Cluster';
    // Registry (pkg/registry/core/service/storage): single-stack IPv4 cluster.
    s.ipFamilyPolicy ??= 'SingleStack';
    s.ipFamilies ??= ['IPv4'];
  }
}

function defaultLimitRangeItem(item: Obj): void {
  // SetDefaults_LimitRangeItem: for Container limits, default = max, defaultRequest = default.
  if (item.type !== 'Container') return;
  if (isPlainObject(item.max)) {
    item.default = { ...(item.max as Obj), ...(item.default ?? {}) };
  }
  if (isPlainObject(item.default)) {
    item.defaultRequest = { ...(item.default as Obj), ...(item.defaultRequest ?? {}) };
  }
}

/**
 * SetDefaults_Container: `Always` when parsers.ParseImageName gives the tag `latest` (an explicit `:latest`,
 * a digest beside it too, or neither tag nor digest), otherwise `IfNotPresent`; a reference it cannot parse
 * has no tag, so `IfNotPresent` too.
 */
function pullsAlways(image: string): boolean {
  return imageTag(image) === 'latest';
}

function defaultProbe(p: unknown, d: Defaults): void {
  if (!isPlainObject(p)) return;
  const probe = p as Obj;
  probe.timeoutSeconds ??= d.probeTimeoutSeconds;
  probe.periodSeconds ??= d.probePeriodSeconds;
  probe.successThreshold ??= d.probeSuccessThreshold;
  probe.failureThreshold ??= d.probeFailureThreshold;
  defaultHandler(probe);
}

function defaultHandler(h: Obj): void {
  if (isPlainObject(h.httpGet)) {
    const g = h.httpGet as Obj;
    g.path ??= '/';
    g.scheme ??= 'HTTP';
  }
  if (isPlainObject(h.grpc)) (h.grpc as Obj).service ??= '';
}

function defaultContainer(c: Obj, d: Defaults, hostNetwork: boolean): void {
  const img = typeof c.image === 'string' ? c.image : '';
  if (img) c.imagePullPolicy ??= pullsAlways(img) ? 'Always' : 'IfNotPresent';
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  if (isPlainObject(c.resources)) defaultRequestsFromLimits(c.resources as Obj);
  for (const p of arr(c.ports)) {
    p.protocol ??= 'TCP';
    if (hostNetwork && p.hostPort === undefined) p.hostPort = p.containerPort;
  }
  for (const k of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(c[k], d);
  if (isPlainObject(c.lifecycle)) {
    for (const k of ['postStart', 'preStop']) if (isPlainObject(c.lifecycle[k])) defaultHandler(c.lifecycle[k] as Obj);
  }
  for (const e of arr(c.env)) {
    if (isPlainObject(e.valueFrom?.fieldRef)) e.valueFrom.fieldRef.apiVersion ??= 'v1';
  }
}

/** SetDefaults_Pod: a request missing for a resource with a limit takes the limit. */
function defaultRequestsFromLimits(r: Obj): void {
  if (!isPlainObject(r.limits)) return;
  const req: Obj = isPlainObject(r.requests) ? r.requests : {};
  let changed = false;
  for (const [k, v] of Object.entries(r.limits as Obj)) {
    if (k === '__proto__' || k === 'constructor') continue;
    if (req[k] === undefined) { req[k] = v; changed = true; }
  }
  if (changed || isPlainObject(r.requests)) r.requests = req;
}

function defaultVolume(v: Obj): void {
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  for (const k of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    if (isPlainObject(v[k])) (v[k] as Obj).defaultMode ??= 420;
  }
  if (isPlainObject(v.hostPath)) (v.hostPath as Obj).type ??= '';
  for (const item of arr(v.downwardAPI?.items)) if (isPlainObject(item.fieldRef)) item.fieldRef.apiVersion ??= 'v1';
  for (const src of arr(v.projected?.sources)) {
    for (const item of arr(src.downwardAPI?.items)) if (isPlainObject(item.fieldRef)) item.fieldRef.apiVersion ??= 'v1';
    if (isPlainObject(src.serviceAccountToken)) src.serviceAccountToken.expirationSeconds ??= 3600;
  }
}

/** Defaults a PodSpec in place (Pods and every pod template): SetDefaults_PodSpec and its parts. */
export function defaultPodSpec(spec: Obj, d: Defaults): void {
  // dropDisabledPodLevelResources: pod-level `resources` is alpha (off) on 1.32–1.33, so the API server drops it.
  if (!d.podLevelResources) delete spec.resources;
  // dropDisabledFields: the lifecycle `sleep` action is alpha (off) on 1.29, so handlers lose it.
  if (!d.sleepAction) {
    for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) {
      if (!isPlainObject(c.lifecycle)) continue;
      for (const k of ['postStart', 'preStop']) if (isPlainObject(c.lifecycle[k])) delete (c.lifecycle[k] as Obj).sleep;
    }
  }
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= d.terminationGracePeriodSeconds;
  spec.schedulerName ??= 'default-scheduler';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  const hostNetwork = spec.hostNetwork === true;
  for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) defaultContainer(c, d, hostNetwork);
  for (const v of arr(spec.volumes)) defaultVolume(v);
  if (isPlainObject(spec.resources)) defaultRequestsFromLimits(spec.resources as Obj);
}
