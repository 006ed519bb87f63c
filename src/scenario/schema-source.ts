/**
 * The source of schemas/scenario.schema.json: the whole v1 scenario format as a JSON Schema (draft-07), with a
 * description on every key for editors. Kubernetes objects (manifests, apply, partial objects) are plain
 * `type: object` here; src/k8s/schema.ts checks them. `x-expected` annotations name the expected form in
 * error messages. `test/unit/scenario/schema.test.ts` keeps the checked-in file equal to this output
 * (`UPDATE_SCHEMA=1` rewrites it).
 */
import { VERSIONS } from '../sim/defaults.js';

type S = Record<string, unknown>;

/** Durations: a Go duration string of h/m/s/ms parts or a number of seconds. */
export const DURATION_PATTERN = '^(0|((\\d+(\\.\\d+)?|\\.\\d+)(h|ms|m|s))+)$';
/** Instants in `expect`: a duration or `end`. */
export const INSTANT_PATTERN = '^(end|0|((\\d+(\\.\\d+)?|\\.\\d+)(h|ms|m|s))+)$';
/** Kubernetes quantities. */
export const QUANTITY_PATTERN = '^[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$';

const ref = (name: string, description: string): S => ({ $ref: `#/definitions/${name}`, description });
const str = (description: string, extra: S = {}): S => ({ type: 'string', description, ...extra });
const bool = (description: string): S => ({ type: 'boolean', description });
const int = (description: string, min = 0, max?: number): S => ({ type: 'integer', minimum: min, ...(max !== undefined ? { maximum: max } : {}), description });
const dur = (description: string): S => ref('duration', description);
const obj = (description: string, properties: S, required: string[] = [], extra: S = {}): S => ({
  type: 'object', description, properties, additionalProperties: false, ...(required.length ? { required } : {}), ...extra,
});
const arr = (description: string, items: S, extra: S = {}): S => ({ type: 'array', description, items, ...extra });
/** A shorthand value: `base`, or an operator map ({$in: [...]}). */
const opOr = (description: string, base: S, expected: string): S => ({
  description,
  'x-expected': `${expected}, or an operator map such as {$in: [...]}`,
  if: { type: 'object' }, then: { $ref: '#/definitions/operators' }, else: base,
});

const NAME_ONE_LINE = '^[^\\r\\n]+$';
const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];
const QOS = ['Guaranteed', 'Burstable', 'BestEffort'];
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** In-tree scheduler plugins of kube-scheduler 1.29..1.37. */
export const SCHEDULER_PLUGINS = [
  'PrioritySort', 'SchedulingGates', 'NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts',
  'NodeResourcesFit', 'VolumeRestrictions', 'EBSLimits', 'GCEPDLimits', 'NodeVolumeLimits', 'AzureDiskLimits',
  'VolumeBinding', 'VolumeZone', 'PodTopologySpread', 'InterPodAffinity', 'DefaultPreemption',
  'NodeResourcesBalancedAllocation', 'ImageLocality', 'DefaultBinder', 'DynamicResources',
];
const EXTENSION_POINTS: Record<string, string> = {
  multiPoint: 'plugins enabled or disabled at every extension point they implement',
  preEnqueue: 'PreEnqueue plugins (gates before a pod enters the active queue)',
  queueSort: 'the QueueSort plugin (one only)',
  preFilter: 'PreFilter plugins',
  filter: 'Filter plugins',
  postFilter: 'PostFilter plugins (preemption)',
  preScore: 'PreScore plugins',
  score: 'Score plugins, with their weights',
  reserve: 'Reserve plugins',
  permit: 'Permit plugins',
  preBind: 'PreBind plugins',
  bind: 'Bind plugins',
  postBind: 'PostBind plugins',
};

function schedulerPlugins(): { pluginSet: S; plugins: S } {
  const plugin = obj('A plugin by name', {
    name: { type: 'string', enum: [...SCHEDULER_PLUGINS, '*'], description: 'The plugin name (`*`: all plugins, in `disabled`)' },
    weight: int('Score weight (score and multiPoint only; default from the default profile)', 0, 100),
  }, ['name']);
  const set = obj('Plugins enabled and disabled at this extension point', {
    enabled: arr('Plugins enabled, in order, after the default ones not disabled', plugin),
    disabled: arr('Default plugins disabled (`*`: all of them)', plugin),
  });
  const props: S = {};
  for (const [k, d] of Object.entries(EXTENSION_POINTS)) props[k] = ref('pluginSet', d);
  return { pluginSet: set, plugins: obj('The profile\'s plugins per extension point, merged with the default profile as kube-scheduler merges them', props) };
}

function pluginConfig(): S {
  const resources = arr('Resources and their weights', obj('A resource and its weight', {
    name: str('Resource name, such as cpu or memory'), weight: int('Weight of the resource', 1, 100),
  }, ['name']));
  const args: Record<string, S> = {
    NodeResourcesFit: obj('NodeResourcesFitArgs', {
      apiVersion: str('kubescheduler.config.k8s.io/v1 (optional)'), kind: str('NodeResourcesFitArgs (optional)'),
      ignoredResources: arr('Resources the Filter ignores', { type: 'string', description: 'A resource name' }),
      ignoredResourceGroups: arr('Resource groups (prefixes before `/`) the Filter ignores', { type: 'string', description: 'A resource group' }),
      scoringStrategy: obj('How nodes are scored by requested resources', {
        type: { type: 'string', enum: ['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'], description: 'LeastAllocated (default), MostAllocated or RequestedToCapacityRatio' },
        resources,
        requestedToCapacityRatio: obj('The shape for RequestedToCapacityRatio', {
          shape: arr('Points of the utilization -> score function', obj('One point', {
            utilization: int('Utilization in percent', 0, 100), score: int('Score at that utilization (0..10)', 0, 10),
          }, ['utilization', 'score'])),
        }),
      }),
    }),
    PodTopologySpread: obj('PodTopologySpreadArgs', {
      apiVersion: str('kubescheduler.config.k8s.io/v1 (optional)'), kind: str('PodTopologySpreadArgs (optional)'),
      defaultConstraints: arr('Constraints for pods that declare none (with defaultingType List)', {
        type: 'object', description: 'A TopologySpreadConstraint without labelSelector',
        properties: {
          maxSkew: int('Maximum permitted skew', 1), topologyKey: str('Node label key of the topology domain'),
          whenUnsatisfiable: { type: 'string', enum: ['DoNotSchedule', 'ScheduleAnyway'], description: 'DoNotSchedule or ScheduleAnyway' },
          minDomains: int('Minimum number of eligible domains', 1),
          nodeAffinityPolicy: { type: 'string', enum: ['Honor', 'Ignore'], description: 'Honor or Ignore the pod\'s node affinity when counting' },
          nodeTaintsPolicy: { type: 'string', enum: ['Honor', 'Ignore'], description: 'Honor or Ignore node taints when counting' },
          matchLabelKeys: arr('Pod label keys added to the selector', { type: 'string', description: 'A label key' }),
        },
        required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'], additionalProperties: false,
      }),
      defaultingType: { type: 'string', enum: ['System', 'List'], description: 'System (built-in defaults) or List (defaultConstraints)' },
    }),
    InterPodAffinity: obj('InterPodAffinityArgs', {
      apiVersion: str('kubescheduler.config.k8s.io/v1 (optional)'), kind: str('InterPodAffinityArgs (optional)'),
      hardPodAffinityWeight: int('Weight of existing pods\' required affinity terms in scoring (default 1)', 0, 100),
      ignorePreferredTermsOfExistingPods: bool('Ignore existing pods\' preferred terms when scoring'),
    }),
    NodeResourcesBalancedAllocation: obj('NodeResourcesBalancedAllocationArgs', {
      apiVersion: str('kubescheduler.config.k8s.io/v1 (optional)'), kind: str('NodeResourcesBalancedAllocationArgs (optional)'), resources,
    }),
    DefaultPreemption: obj('DefaultPreemptionArgs', {
      apiVersion: str('kubescheduler.config.k8s.io/v1 (optional)'), kind: str('DefaultPreemptionArgs (optional)'),
      minCandidateNodesPercentage: int('Minimum share of nodes to try as preemption candidates (default 10)', 0, 100),
      minCandidateNodesAbsolute: int('Minimum number of candidate nodes (default 100)', 0),
    }),
    NodeAffinity: obj('NodeAffinityArgs', {
      apiVersion: str('kubescheduler.config.k8s.io/v1 (optional)'), kind: str('NodeAffinityArgs (optional)'),
      addedAffinity: { type: 'object', description: 'A NodeAffinity applied to every pod in addition to its own' },
    }),
    VolumeBinding: obj('VolumeBindingArgs', {
      apiVersion: str('kubescheduler.config.k8s.io/v1 (optional)'), kind: str('VolumeBindingArgs (optional)'),
      bindTimeoutSeconds: int('Timeout of volume binding (default 600)', 0),
      shape: { type: 'array', description: 'Scoring shape (StorageCapacityScoring)', items: { type: 'object', description: 'A utilization/score point' } },
    }),
  };
  const entry: S = {
    type: 'object', description: 'Arguments of one plugin',
    properties: {
      name: { type: 'string', enum: Object.keys(args), description: 'The plugin these arguments configure' },
      args: { type: 'object', description: 'The plugin\'s arguments (kind <Plugin>Args)' },
    },
    required: ['name', 'args'], additionalProperties: false,
    allOf: Object.entries(args).map(([name, a]) => ({ if: { properties: { name: { const: name } }, required: ['name'] }, then: { properties: { args: a } } })),
  };
  return arr('Per-plugin arguments, merged with the defaults', entry);
}

function scheduler(): S {
  const profile = obj('The one scheduler profile', {
    schedulerName: { type: 'string', enum: ['default-scheduler'], description: 'Must be default-scheduler (pods naming another scheduler are never scheduled)' },
    plugins: ref('plugins', 'Plugins enabled and disabled per extension point'),
    pluginConfig: ref('pluginConfig', 'Per-plugin arguments, merged with the defaults'),
    percentageOfNodesToScore: int('Per-profile percentage of nodes to score', 0, 100),
  });
  return obj('A KubeSchedulerConfiguration subset (kubescheduler.config.k8s.io/v1), merged with the default profile of the chosen version', {
    apiVersion: { type: 'string', enum: ['kubescheduler.config.k8s.io/v1'], description: 'Optional: kubescheduler.config.k8s.io/v1' },
    kind: { type: 'string', enum: ['KubeSchedulerConfiguration'], description: 'Optional: KubeSchedulerConfiguration' },
    percentageOfNodesToScore: int('Percentage of feasible nodes to find before scoring (0: adaptive default)', 0, 100),
    podInitialBackoffSeconds: int('Initial back-off of unschedulable pods in seconds (default 1)', 1),
    podMaxBackoffSeconds: int('Maximum back-off of unschedulable pods in seconds (default 10)', 1),
    plugins: ref('plugins', 'Plugins enabled and disabled per extension point (or in profiles[0])'),
    pluginConfig: ref('pluginConfig', 'Per-plugin arguments, merged with the defaults (or in profiles[0])'),
    profiles: arr('At most one profile (instead of top-level plugins/pluginConfig)', profile, { maxItems: 1 }),
  });
}

function nodeEntry(description: string): S {
  return obj(description, {
    name: str('Node name; with count, the prefix of <name>-1 .. <name>-N', { minLength: 1 }),
    count: int('Number of nodes named <name>-1 .. <name>-N', 1),
    capacity: { type: 'object', description: 'Resource -> quantity; defaults cpu 4, memory 16Gi, pods 110, ephemeral-storage 100Gi', additionalProperties: ref('quantity', 'A quantity') },
    allocatable: { type: 'object', description: 'Resource -> quantity; each resource defaults to its capacity', additionalProperties: ref('quantity', 'A quantity') },
    labels: ref('labels', 'Node labels (kubernetes.io/hostname, os and arch are always added)'),
    taints: arr('Node taints', obj('A taint', {
      key: str('Taint key', { minLength: 1 }), value: str('Taint value'),
      effect: { type: 'string', enum: EFFECTS, description: 'NoSchedule, PreferNoSchedule or NoExecute' },
    }, ['key', 'effect'])),
    unschedulable: bool('Start cordoned (spec.unschedulable)'),
    images: arr('Images already pulled on the node', obj('An image on the node', {
      name: str('Image reference; without tag or digest it means :latest', { minLength: 1 }),
      sizeBytes: int('Image size in bytes (ImageLocality; default 0)', 0),
    }, ['name'])),
  }, ['name']);
}

const fileRef = (description: string): S => obj(description, {
  file: str('Path relative to the scenario file\'s folder; may hold several documents (a v1 List is expanded)', { minLength: 1 }),
}, ['file']);

/** A Kubernetes object or `{file}`. */
function manifestEntry(description: string): S {
  return {
    description,
    'x-expected': 'a Kubernetes object or {file: path}',
    type: 'object',
    if: { required: ['file'] }, then: fileRef('Kubernetes objects read from a file'), else: { type: 'object', description: 'A Kubernetes object' },
  };
}

function behavior(): S {
  const probe = obj('How the container answers this probe, by time since the run started', {
    failAfter: dur('Fails from this time on (inclusive)'),
    passAfter: dur('Passes from this time on (inclusive); with failAfter: fails, passes, fails'),
  });
  return obj('How matching containers behave', {
    match: obj('Which containers this entry applies to (all keys optional, ANDed)', {
      pod: ref('glob', 'Pod name or glob'),
      container: ref('glob', 'Container name or glob'),
      image: ref('glob', 'Image or glob'),
      namespace: ref('glob', 'Namespace or glob'),
      labels: ref('labels', 'Labels all present on the pod'),
    }),
    pull: dur('Duration of each image pull (default 0s)'),
    pullError: str('Each pull fails after `pull` with this error (ErrImagePull, ImagePullBackOff)', { minLength: 1 }),
    start: dur('From pulled to Running, on every run (default 0s)'),
    runs: arr('Successive runs of the container; the last entry repeats forever', obj('One run: {} never exits', {
      exitAfter: dur('Exits this long after the run started'),
      exitCode: int('Exit code (default 0)', 0, 255),
    }), { minItems: 1 }),
    oomAfter: dur('Instead of runs: every run is OOMKilled (exit 137) after this long'),
    stopAfter: dur('On SIGTERM, exits 143 this much later (default 0s)'),
    probes: obj('How the container answers its probes ({} or absent: passes)', {
      liveness: probe, readiness: probe, startup: probe,
    }),
  });
}

function events(): S {
  const nodeName = (d: string): S => str(d, { minLength: 1 });
  const ns = str('Namespace (default default)', { minLength: 1 });
  const actions: Record<string, S> = {
    nodeDown: nodeName('Node whose kubelet and heartbeats stop'),
    nodeUp: nodeName('Node whose heartbeats resume'),
    cordon: nodeName('Node to mark unschedulable'),
    uncordon: nodeName('Node to mark schedulable'),
    drain: {
      description: 'Cordon a node and evict its pods like kubectl drain (a node name, or options)',
      'x-expected': 'a node name or {node, ignoreDaemonSets, deleteEmptyDirData, force, timeout}',
      if: { type: 'object' },
      then: obj('kubectl drain options', {
        node: nodeName('Node to drain'),
        ignoreDaemonSets: bool('Skip DaemonSet pods (default true)'),
        deleteEmptyDirData: bool('Evict pods with emptyDir volumes (default false)'),
        force: bool('Evict pods without a controller (default false)'),
        timeout: dur('Give up after this long (default 0s: no timeout)'),
      }, ['node']),
      else: nodeName('Node to drain'),
    },
    probeFail: obj('Make a probe fail', {
      pod: ref('glob', 'Pod name or glob; must match exactly one pod'),
      container: str('Container name (optional for single-container pods)'),
      namespace: ns,
      probe: { type: 'string', enum: ['liveness', 'readiness', 'startup'], description: 'liveness, readiness or startup' },
      for: dur('How long it fails (omit: until this container instance ends)'),
    }, ['pod', 'probe']),
    crash: obj('The running container exits now', {
      pod: ref('glob', 'Pod name or glob; must match exactly one pod'),
      container: str('Container name (optional for single-container pods)'),
      namespace: ns,
      exitCode: int('Exit code (default 1)', 0, 255),
    }, ['pod']),
    apply: {
      description: 'Objects applied like client-side kubectl apply: an object, a list of objects, or {file}',
      'x-expected': 'a Kubernetes object, a list of objects, or {file: path}',
      type: ['object', 'array'],
      if: { type: 'array' }, then: { items: manifestEntry('A Kubernetes object or {file}') }, else: manifestEntry('A Kubernetes object or {file}'),
    },
    delete: obj('Delete an object like kubectl delete', {
      kind: str('Kind of the object', { minLength: 1 }), name: str('Object name', { minLength: 1 }), namespace: ns,
      force: bool('--force --grace-period=0 (default false)'),
      cascade: { type: 'string', enum: ['background', 'foreground', 'orphan'], description: 'background (default), foreground or orphan' },
    }, ['kind', 'name']),
    scale: obj('Scale like kubectl scale', {
      kind: { type: 'string', enum: ['Deployment', 'ReplicaSet', 'StatefulSet'], description: 'Deployment, ReplicaSet or StatefulSet' },
      name: str('Object name', { minLength: 1 }), namespace: ns, replicas: int('New number of replicas', 0),
    }, ['kind', 'name', 'replicas']),
    setImage: obj('Change an image like kubectl set image (starts a rollout)', {
      kind: { type: 'string', enum: ['Pod', 'Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'CronJob'], description: 'Kind with a pod template (or Pod)' },
      name: str('Object name', { minLength: 1 }), namespace: ns,
      container: str('Container name (omit: every container)'), image: str('New image', { minLength: 1 }),
    }, ['kind', 'name', 'image']),
    rollback: obj('Roll back like kubectl rollout undo', {
      kind: { type: 'string', enum: ['Deployment'], description: 'Deployment' },
      name: str('Deployment name', { minLength: 1 }), namespace: ns,
      toRevision: int('Revision to roll back to (default: the previous one)', 0),
    }, ['name']),
    addNode: ref('node', 'A node (or count nodes) that joins the cluster'),
    removeNode: nodeName('Node whose Node object is deleted'),
    taint: obj('Add or overwrite a taint like kubectl taint --overwrite', {
      node: nodeName('Node to taint'), key: str('Taint key', { minLength: 1 }), value: str('Taint value'),
      effect: { type: 'string', enum: EFFECTS, description: 'NoSchedule, PreferNoSchedule or NoExecute' },
    }, ['node', 'key', 'effect']),
    untaint: obj('Remove a taint like kubectl taint key[:effect]-', {
      node: nodeName('Node to untaint'), key: str('Taint key', { minLength: 1 }),
      effect: { type: 'string', enum: EFFECTS, description: 'Effect (omit: all effects of the key)' },
    }, ['node', 'key']),
    label: obj('Set or remove labels like kubectl label --overwrite ({node} or {pod, namespace})', {
      node: nodeName('Node to label'), pod: ref('glob', 'Pod name or glob; must match exactly one pod'), namespace: ns,
      labels: { type: 'object', description: 'Label -> value (null removes the label)', additionalProperties: { type: ['string', 'null'], description: 'Label value, or null to remove', 'x-expected': 'a string label value (quote numbers and booleans) or null' } },
    }, ['labels']),
  };
  const event = obj('A timed action: `at` and exactly one action', {
    at: dur('Simulated instant of the action (not after until)'),
    ...actions,
  }, ['at'], { 'x-exactly-one': Object.keys(actions) });
  return arr('Timed actions: faults, operator commands, new manifests (same-instant ones in file order)', event);
}

function expectEntry(): S {
  const podShorthands: S = {
    phase: opOr('Pod shorthand: status.phase', { type: 'string', enum: PHASES }, `one of ${PHASES.join(', ')}`),
    qosClass: opOr('Pod shorthand: status.qosClass', { type: 'string', enum: QOS }, `one of ${QOS.join(', ')}`),
    ready: opOr('Pods: true (Ready True) or false (False or absent); nodes: true, false or unknown', { enum: [true, false, 'unknown'] }, 'true, false or unknown'),
    node: opOr('Pod shorthand: spec.nodeName, a name or glob (null: unscheduled)', { type: ['string', 'null'] }, 'a node name or glob, or null'),
    restarts: {
      description: 'Pod shorthand: sum of restartCount over all containers (a number, {min, max} or an operator map)',
      'x-expected': 'a number, {min, max} or an operator map',
      if: { type: 'object', propertyNames: { pattern: '^\\$' }, minProperties: 1 },
      then: { $ref: '#/definitions/operators' },
      else: { if: { type: 'object' }, then: { $ref: '#/definitions/range' }, else: { type: 'integer', minimum: 0 } },
    },
    reason: opOr('Pod shorthand: any of the pod\'s reasons (status.reason, containers\' waiting/terminated/last reasons; null: none)', { type: ['string', 'null'] }, 'a reason such as OOMKilled, or null'),
  };
  const nodeShorthands: S = {
    ready: podShorthands.ready,
    schedulable: opOr('Node shorthand: spec.unschedulable is not true', { type: 'boolean' }, 'true or false'),
    taints: arr('Node shorthand: a partial list matched as a subset of spec.taints', { type: 'object', description: 'A partial taint' }),
  };
  const where = (shorthands: S, d: string): S => obj(d, {
    match: { type: 'object', description: 'A partial object every target must match' },
    ...shorthands,
  });
  const podsTarget = obj('Pods stored at the instant judged (terminating and finished included)', {
    namespace: ref('glob', 'Namespace or glob (default default; "*": all)'),
    selector: ref('selector', 'Label selector'),
    name: ref('glob', 'Pod name or glob'),
    node: { type: ['string', 'null'], description: 'spec.nodeName, a name or glob (null: unscheduled)' },
    owner: str('Kind/name: pods whose chain of controller references reaches it (Deployment/web)', { pattern: '^[A-Za-z][A-Za-z0-9]*/.+$', 'x-expected': 'Kind/name such as Deployment/web' }),
    where: where(podShorthands, 'Filters applied before the checks: pod shorthands and/or match'),
  });
  const nodesTarget = obj('Nodes stored at the instant judged', {
    selector: ref('selector', 'Label selector'),
    name: ref('glob', 'Node name or glob'),
    where: where(nodeShorthands, 'Filters applied before the checks: node shorthands and/or match'),
  });
  const objectTarget = obj('Stored objects of one kind', {
    kind: str('Kind, case-sensitive, simulated or among the scenario\'s objects', { minLength: 1 }),
    name: ref('glob', 'Name or glob (default all)'),
    namespace: ref('glob', 'Namespace or glob (default default; ignored for cluster-scoped kinds)'),
  }, ['kind']);
  const strOp = (d: string): S => opOr(d, { type: 'string' }, 'a string');
  const eventsTarget = obj('core/v1 Events emitted so far', {
    namespace: ref('glob', 'Namespace of the Events of namespaced objects (default default; "*": all)'),
    object: str('Kind/name (name or glob) of involvedObject', { pattern: '^[A-Za-z][A-Za-z0-9]*/.+$', 'x-expected': 'Kind/name such as Pod/web-*' }),
    reason: strOp('Event reason: exact value or operator'),
    type: strOp('Event type (Normal, Warning): exact value or operator'),
    message: strOp('Event message: exact value or operator'),
  });
  return obj('One assertion: one TAP test point', {
    name: str('Test point name, one line (default expect[i])', { pattern: NAME_ONE_LINE, 'x-expected': 'a one-line name' }),
    at: ref('instant', 'Time mode: the checks hold in the settled state at this instant (default end)'),
    by: ref('instant', 'Time mode: the checks hold at some instant in [from, by]'),
    always: { const: true, description: 'Time mode: the checks hold at every instant of [from, until]' },
    never: { const: true, description: 'Time mode: the checks never hold together in [from, until]' },
    from: ref('instant', 'Start of the window of by/always/never (default 0s)'),
    until: ref('instant', 'End of the window of always/never (default end)'),
    pods: podsTarget,
    pod: ref('glob', 'Target: the one pod of this name or glob (default namespace); asserts exactly one target'),
    nodes: nodesTarget,
    object: objectTarget,
    events: eventsTarget,
    count: ref('count', 'Number of targets (events: occurrences), a number, {min, max} or an operator map'),
    all: { type: 'object', description: 'Every target matches this partial object' },
    any: { type: 'object', description: 'At least one target matches this partial object' },
    none: { type: 'object', description: 'No target matches this partial object' },
    match: { type: 'object', description: 'Exactly one target, and it matches this partial object' },
    distinctNodes: { const: true, description: 'Pods: every target is scheduled, no two on one node' },
    ...podShorthands,
    schedulable: nodeShorthands.schedulable,
    taints: nodeShorthands.taints,
    message: strOp('Events shorthand: every matched Event\'s message (exact or operator)'),
  }, [], { 'x-exactly-one-target': ['pods', 'pod', 'nodes', 'object', 'events'] });
}

/** Builds the scenario JSON Schema. */
export function buildScenarioSchema(): S {
  const opVal = (d: string): S => ({ description: d });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'kubedrill scenario (kubedrill/v1)',
    description: 'A test scenario run against a deterministic simulation of a Kubernetes cluster',
    type: 'object',
    properties: {
      apiVersion: { const: 'kubedrill/v1', description: 'Always kubedrill/v1' },
      kind: { const: 'Scenario', description: 'Always Scenario' },
      name: str('Scenario name: one line, unique within its file', { minLength: 1, pattern: NAME_ONE_LINE, 'x-expected': 'a one-line name' }),
      description: str('Free text'),
      seed: int('Seed of all randomness (default 1)', 0, 4294967295),
      kubernetes: { type: 'string', enum: [...VERSIONS], description: 'Kubernetes minor version whose behaviour is simulated, a quoted string "1.29".."1.37" (default "1.37")', 'x-expected': `a quoted version string "${VERSIONS[0]}".."${VERSIONS[VERSIONS.length - 1]}"` },
      until: dur('Simulated time at which the run stops (default 10m)'),
      scheduler: scheduler(),
      nodes: arr('The initial cluster: one entry per node, or count nodes', ref('node', 'One node, or count nodes named <name>-1 .. <name>-N')),
      manifests: arr('Kubernetes objects (or {file}) applied at t=0, in order', manifestEntry('A Kubernetes object or {file: path}')),
      behaviors: arr('How containers behave; a container takes the first entry whose match holds', behavior()),
      events: events(),
      expect: arr('Assertions; each becomes one TAP test point', expectEntry()),
    },
    required: ['apiVersion', 'kind', 'name'],
    additionalProperties: false,
    definitions: {
      node: nodeEntry('One node, or count nodes named <name>-1 .. <name>-N'),
      ...schedulerPlugins(),
      pluginConfig: pluginConfig(),
      duration: {
        type: ['string', 'number'], pattern: DURATION_PATTERN, minimum: 0,
        description: 'A duration: Go form of h, m, s, ms parts (250ms, 1.5s, 1h30m) or a number of seconds',
        'x-expected': 'a duration such as 30s, 1m30s or 250ms (or a number of seconds)',
      },
      instant: {
        type: ['string', 'number'], pattern: INSTANT_PATTERN, minimum: 0,
        description: 'An instant: a duration since t=0, or end (= until)',
        'x-expected': 'an instant such as 30s, 1m30s or end',
      },
      quantity: {
        type: ['string', 'number'], pattern: QUANTITY_PATTERN,
        description: 'A Kubernetes quantity (500m, 2, 1.5, 1Gi, 512Mi, 1e3)',
        'x-expected': 'a quantity such as 500m, 2 or 1Gi',
      },
      glob: { type: 'string', minLength: 1, description: 'A name or glob: * any run of characters, ? one character', 'x-expected': 'a name or glob' },
      labels: {
        type: 'object', description: 'Label key -> string value',
        additionalProperties: { type: 'string', description: 'A label value', 'x-expected': 'a string label value (quote numbers and booleans)' },
      },
      selector: {
        description: 'A label selector: {key: value} (all equal) or {matchLabels, matchExpressions}; {} selects everything',
        'x-expected': 'a label selector such as {app: web} or {matchLabels: {...}}',
        type: 'object',
        if: { propertyNames: { enum: ['matchLabels', 'matchExpressions'] }, minProperties: 1 },
        then: obj('A metav1.LabelSelector', {
          matchLabels: ref('labels', 'Labels that must all be equal'),
          matchExpressions: arr('Requirements, ANDed', obj('A requirement', {
            key: str('Label key', { minLength: 1 }),
            operator: { type: 'string', enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'], description: 'In, NotIn, Exists or DoesNotExist' },
            values: arr('Values (In and NotIn)', { type: 'string', description: 'A label value' }),
          }, ['key', 'operator'])),
        }),
        else: { $ref: '#/definitions/labels' },
      },
      range: obj('An inclusive range', { min: int('Minimum (inclusive)', 0), max: int('Maximum (inclusive)', 0) }, [], { minProperties: 1, 'x-expected': '{min, max}' }),
      count: {
        description: 'A number, an inclusive {min, max} or an operator map ({$gte: 3})',
        'x-expected': 'a number, {min, max} or an operator map',
        if: { type: 'object', propertyNames: { pattern: '^\\$' }, minProperties: 1 },
        then: { $ref: '#/definitions/operators' },
        else: { if: { type: 'object' }, then: { $ref: '#/definitions/range' }, else: { type: 'integer', minimum: 0 } },
      },
      operators: obj('Operators, ANDed: $gt, $gte, $lt, $lte, $ne, $in, $regex, $exists', {
        $gt: opVal('Greater than (numbers, quantities, timestamps)'),
        $gte: opVal('Greater than or equal'),
        $lt: opVal('Less than'),
        $lte: opVal('Less than or equal'),
        $ne: opVal('Not equal (true on absent)'),
        $in: { type: 'array', description: 'One of these values' },
        $regex: { type: 'string', description: 'ECMAScript regular expression, unanchored (strings only)' },
        $exists: { type: 'boolean', description: 'true: present and not null; false: absent or null' },
      }, [], { minProperties: 1 }),
    },
  };
}
