/**
 * API-server validation for the simulated kinds (k/k pkg/apis/<group>/validation, apimachinery validation):
 * required fields, DNS names, labels, enum values, quantities, selectors, immutable fields on update.
 * Returns field errors in the API server's words ("spec.containers[0].image: Required value").
 */
import type { KObject } from './types.js';
import type { Defaults } from '../sim/defaults.js';
import { isPlainObject, deepEqual, clone } from './util.js';
import { parseQuantity } from './quantity.js';

/** One field error. */
export interface FieldError {
  /** JSON path of the field (`['spec', 'containers', 0, 'image']`). */
  path: Array<string | number>;
  message: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;
type Path = Array<string | number>;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/** k8s.io/apimachinery/pkg/util/validation messages. */
export const MSG = {
  dns1123Label: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  dns1123Subdomain: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  dns1035Label: "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  labelValue: "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  qualifiedName: "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  configKey: "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
  quantity: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  immutable: 'field is immutable',
  selectorMismatch: '`selector` does not match template `labels`',
  podUpdate: 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
  statefulSetUpdate: "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
} as const;

/** Go's %#v of a string map, as field.Invalid prints label maps: `map[string]string{"a":"b"}`. */
export function goStringMap(m: unknown): string {
  if (!isPlainObject(m)) return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(String(m[k]))}`).join(', ')}}`;
}

/** Go's %#v of a *metav1.LabelSelector. */
export function goLabelSelector(s: unknown): string {
  if (!isPlainObject(s)) return '(*v1.LabelSelector)(nil)';
  const ml = isPlainObject(s.matchLabels) ? goStringMap(s.matchLabels) : 'map[string]string(nil)';
  const exprs = Array.isArray(s.matchExpressions) && s.matchExpressions.length > 0
    ? `[]v1.LabelSelectorRequirement{${(s.matchExpressions as Obj[]).map((e) =>
      `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key ?? '')}, Operator:${JSON.stringify(e.operator ?? '')}, Values:${Array.isArray(e.values) ? `[]string{${(e.values as unknown[]).map((v) => JSON.stringify(String(v))).join(', ')}}` : '[]string(nil)'}}`).join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `&v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:${exprs}}`;
}

function goValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined || v === null) return 'null';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Collects errors in the API server's wording. */
class Errs {
  readonly list: FieldError[] = [];
  add(path: Path, message: string): void { this.list.push({ path: [...path], message }); }
  required(path: Path, detail?: string): void { this.add(path, detail ? `Required value: ${detail}` : 'Required value'); }
  invalid(path: Path, value: unknown, detail: string): void { this.add(path, `Invalid value: ${goValue(value)}: ${detail}`); }
  invalidRaw(path: Path, rendered: string, detail: string): void { this.add(path, `Invalid value: ${rendered}: ${detail}`); }
  unsupported(path: Path, value: unknown, allowed: readonly string[]): void {
    this.add(path, `Unsupported value: ${goValue(value)}: supported values: ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  duplicate(path: Path, value: unknown): void { this.add(path, `Duplicate value: ${goValue(value)}`); }
  notFound(path: Path, value: unknown): void { this.add(path, `Not found: ${goValue(value)}`); }
  forbidden(path: Path, detail: string): void { this.add(path, `Forbidden: ${detail}`); }
  /** Enum check: absent is fine (defaulting fills it). */
  oneOf(path: Path, v: unknown, allowed: readonly string[]): void {
    if (v !== undefined && v !== null && !allowed.includes(v as string)) this.unsupported(path, v, allowed);
  }
  nonNegative(path: Path, v: unknown): void {
    if (typeof v === 'number' && v < 0) this.invalid(path, v, 'must be greater than or equal to 0');
  }
  /** oneOf at `base`.`key`: the path is built only for an error. */
  oneOfAt(base: Path, key: string | number, v: unknown, allowed: readonly string[]): void {
    if (v !== undefined && v !== null && !allowed.includes(v as string)) this.unsupported([...base, key], v, allowed);
  }
  /** nonNegative at `base`.`key`: the path is built only for an error. */
  nonNegativeAt(base: Path, key: string | number, v: unknown): void {
    if (typeof v === 'number' && v < 0) this.invalid([...base, key], v, 'must be greater than or equal to 0');
  }
}

function arr(v: unknown): Obj[] {
  return Array.isArray(v) ? (v.filter(isPlainObject) as Obj[]) : [];
}

/** How each kind's metadata.name is validated. */
function nameRule(kind: string): 'label' | 'dns1035' | 'subdomain' | 'none' {
  if (kind === 'Namespace') return 'label';
  if (kind === 'Service') return 'dns1035';
  if (kind === 'Event' || kind === 'Lease') return 'none';
  return 'subdomain';
}

function validateName(e: Errs, path: Path, name: string, rule: 'label' | 'dns1035' | 'subdomain'): void {
  if (rule === 'subdomain') {
    if (name.length > 253) e.invalid(path, name, 'must be no more than 253 characters');
    if (!DNS1123_SUBDOMAIN.test(name)) e.invalid(path, name, MSG.dns1123Subdomain);
    return;
  }
  if (name.length > 63) e.invalid(path, name, 'must be no more than 63 characters');
  if (!(rule === 'label' ? DNS1123_LABEL : DNS1035_LABEL).test(name)) e.invalid(path, name, rule === 'label' ? MSG.dns1123Label : MSG.dns1035Label);
}

function validateLabels(e: Errs, path: Path, labels: unknown): void {
  if (!isPlainObject(labels)) return;
  for (const [k, v] of Object.entries(labels)) {
    const slash = k.lastIndexOf('/');
    const namePart = slash >= 0 ? k.slice(slash + 1) : k;
    const prefix = slash >= 0 ? k.slice(0, slash) : '';
    if (namePart.length === 0 || namePart.length > 63 || !QUALIFIED_NAME.test(namePart)) {
      e.invalid(path, k, namePart.length > 63 ? 'name part must be no more than 63 characters' : MSG.qualifiedName);
    }
    if (slash >= 0 && (prefix.length === 0 || !DNS1123_SUBDOMAIN.test(prefix))) e.invalid(path, k, `prefix part ${MSG.dns1123Subdomain}`);
    const s = typeof v === 'string' ? v : String(v ?? '');
    if (s.length > 63) e.invalid(path, s, 'must be no more than 63 characters');
    if (!LABEL_VALUE.test(s)) e.invalid(path, s, MSG.labelValue);
  }
}

function validateMeta(e: Errs, obj: KObject): void {
  const md = obj.metadata as Obj | undefined;
  const rule = nameRule(obj.kind);
  const name = md?.name;
  if (!name && !md?.generateName) e.required(['metadata', 'name'], 'name or generateName is required');
  else if (typeof name === 'string' && name && rule !== 'none') validateName(e, ['metadata', 'name'], name, rule);
  if (obj.kind === 'CronJob' && typeof name === 'string' && name.length > 52) {
    e.invalid(['metadata', 'name'], name, 'must be no more than 52 characters');
  }
  validateLabels(e, ['metadata', 'labels'], md?.labels);
}

function validateQuantities(e: Errs, path: Path, list: unknown): void {
  validateQuantitiesAt(e, path, NO_PATH, list);
}

const NO_PATH: Path = [];
const RESOURCES_LIMITS: Path = ['resources', 'limits'];
const RESOURCES_REQUESTS: Path = ['resources', 'requests'];

/** validateQuantities at `base` + `sub`: paths are built only for errors. */
function validateQuantitiesAt(e: Errs, base: Path, sub: Path, list: unknown): void {
  if (!isPlainObject(list)) return;
  for (const k in list) {
    if (!Object.prototype.hasOwnProperty.call(list, k)) continue;
    const v = list[k];
    const q = parseQuantity(v);
    if (q === undefined) e.add([...base, ...sub, k], MSG.quantity);
    else if (q < 0) e.invalid([...base, ...sub, k], String(v), 'must be greater than or equal to 0');
  }
}

/** The `resources` of a container or pod spec at `base` (paths are built only for errors). */
function validateResources(e: Errs, base: Path, r: unknown): void {
  if (!isPlainObject(r)) return;
  validateQuantitiesAt(e, base, RESOURCES_LIMITS, r.limits);
  validateQuantitiesAt(e, base, RESOURCES_REQUESTS, r.requests);
  if (isPlainObject(r.limits) && isPlainObject(r.requests)) {
    for (const [k, req] of Object.entries(r.requests)) {
      const lim = (r.limits as Obj)[k];
      if (lim === undefined) continue;
      const a = parseQuantity(req), b = parseQuantity(lim);
      if (a !== undefined && b !== undefined && a > b) {
        e.invalid([...base, 'resources', 'requests'], String(req), `must be less than or equal to ${k} limit of ${String(lim)}`);
      }
    }
  }
}

function validateProbe(e: Errs, path: Path, p: unknown, kind: 'liveness' | 'readiness' | 'startup'): void {
  if (!isPlainObject(p)) return;
  for (const f of PROBE_COUNTS) e.nonNegativeAt(path, f, p[f]);
  if (kind !== 'readiness' && typeof p.successThreshold === 'number' && p.successThreshold !== 1) {
    e.invalid([...path, 'successThreshold'], p.successThreshold, 'must be 1');
  }
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => p[h] !== undefined && p[h] !== null);
  if (handlers.length === 0) e.required(path, 'must specify a handler type');
  else if (handlers.length > 1) e.forbidden([...path, handlers[1]!], 'may not specify more than 1 handler type');
}

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'] as const;
const PROBE_COUNTS = ['periodSeconds', 'timeoutSeconds', 'successThreshold', 'failureThreshold', 'initialDelaySeconds'] as const;
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'] as const;
const SIDECAR_RESTART_POLICIES = ['Always'] as const;
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'] as const;
const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'] as const;
const TOLERATION_OPERATORS = ['Equal', 'Exists'] as const;
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

function validateContainers(e: Errs, path: Path, list: unknown, volumes: Set<string>, names: Set<string>, init: boolean): void {
  arr(list).forEach((c, i) => {
    const p = [...path, i];
    if (!c.name) e.required([...p, 'name']);
    else if (typeof c.name === 'string') {
      if (c.name.length > 63) e.invalid([...p, 'name'], c.name, 'must be no more than 63 characters');
      if (!DNS1123_LABEL.test(c.name)) e.invalid([...p, 'name'], c.name, MSG.dns1123Label);
      if (names.has(c.name)) e.duplicate([...p, 'name'], c.name);
      names.add(c.name);
    }
    if (!c.image) e.required([...p, 'image']);
    e.oneOfAt(p, 'imagePullPolicy', c.imagePullPolicy, PULL_POLICIES);
    e.oneOfAt(p, 'terminationMessagePolicy', c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES);
    if (init) e.oneOfAt(p, 'restartPolicy', c.restartPolicy, SIDECAR_RESTART_POLICIES);
    else e.oneOfAt(p, 'restartPolicy', c.restartPolicy, RESTART_POLICIES);
    arr(c.ports).forEach((port, j) => {
      const pp = [...p, 'ports', j];
      if (typeof port.containerPort !== 'number') e.required([...pp, 'containerPort']);
      else if (port.containerPort < 1 || port.containerPort > 65535) e.invalid([...pp, 'containerPort'], port.containerPort, 'must be between 1 and 65535, inclusive');
      e.oneOfAt(pp, 'protocol', port.protocol, PROTOCOLS);
    });
    validateResources(e, p, c.resources);
    const sidecar = init && c.restartPolicy === 'Always';
    if (!init || sidecar) {
      if (isPlainObject(c.livenessProbe)) validateProbe(e, [...p, 'livenessProbe'], c.livenessProbe, 'liveness');
      if (isPlainObject(c.readinessProbe)) validateProbe(e, [...p, 'readinessProbe'], c.readinessProbe, 'readiness');
      if (isPlainObject(c.startupProbe)) validateProbe(e, [...p, 'startupProbe'], c.startupProbe, 'startup');
    } else {
      for (const k of PROBES) {
        if (c[k] !== undefined && c[k] !== null) e.forbidden([...p, k], 'may not be set for init containers without restartPolicy=Always');
      }
    }
    arr(c.volumeMounts).forEach((m, j) => {
      if (!m.name) e.required([...p, 'volumeMounts', j, 'name']);
      else if (!volumes.has(m.name)) e.notFound([...p, 'volumeMounts', j, 'name'], m.name);
      if (!m.mountPath) e.required([...p, 'volumeMounts', j, 'mountPath']);
    });
  });
}

/** Validates a PodSpec (Pods and templates); `path` is where it sits (`['spec']`, `['spec','template','spec']`). */
function validatePodSpec(e: Errs, path: Path, spec: unknown, d: Defaults): void {
  if (!isPlainObject(spec)) { e.required([...path, 'containers']); return; }
  const volumes = new Set<string>();
  arr(spec.volumes).forEach((v, i) => {
    if (!v.name) e.required([...path, 'volumes', i, 'name']);
    else if (volumes.has(v.name)) e.duplicate([...path, 'volumes', i, 'name'], v.name);
    else {
      if (!DNS1123_LABEL.test(v.name)) e.invalid([...path, 'volumes', i, 'name'], v.name, MSG.dns1123Label);
      volumes.add(v.name);
    }
  });
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) e.required([...path, 'containers']);
  const names = new Set<string>();
  validateContainers(e, [...path, 'initContainers'], spec.initContainers, volumes, names, true);
  validateContainers(e, [...path, 'containers'], spec.containers, volumes, names, false);
  e.oneOfAt(path, 'restartPolicy', spec.restartPolicy, RESTART_POLICIES);
  e.oneOfAt(path, 'dnsPolicy', spec.dnsPolicy, DNS_POLICIES);
  e.oneOfAt(path, 'preemptionPolicy', spec.preemptionPolicy, PREEMPTION_POLICIES);
  const ads = spec.activeDeadlineSeconds;
  if (typeof ads === 'number' && (ads < 1 || ads > 2147483647)) e.invalid([...path, 'activeDeadlineSeconds'], ads, 'must be between 1 and 2147483647, inclusive');
  arr(spec.tolerations).forEach((t, i) => {
    const tp = [...path, 'tolerations', i];
    e.oneOfAt(tp, 'operator', t.operator, TOLERATION_OPERATORS);
    e.oneOfAt(tp, 'effect', t.effect, TAINT_EFFECTS);
    if (t.operator === 'Exists' && t.value) e.invalid([...tp, 'operator'], t.value, 'value must be empty when `operator` is \'Exists\'');
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      e.invalid([...tp, 'effect'], t.effect ?? '', 'effect must be \'NoExecute\' when `tolerationSeconds` is set');
    }
  });
  if (isPlainObject(spec.nodeSelector)) validateLabels(e, [...path, 'nodeSelector'], spec.nodeSelector);
  validateResources(e, path, spec.resources);
  validateLifecycle(e, path, spec, d);
}

/**
 * validateLifecycle (k/k pkg/apis/core/validation): each postStart/preStop handler names exactly one action
 * (exec, httpGet, tcpSocket, sleep); an ordinary init container has no lifecycle. Before the sleep action is on
 * (1.29) the API server drops `sleep` first (dropDisabledFields), so a handler with only a sleep names none.
 * validateSleepAction: a sleep must last at most the pod's grace period and more than 0 s, or 0 s too once
 * PodLifecycleSleepActionAllowZero is on (1.33).
 */
function validateLifecycle(e: Errs, path: Path, spec: Obj, d: Defaults): void {
  const grace = spec.terminationGracePeriodSeconds;
  const actions = d.sleepAction ? ['exec', 'httpGet', 'tcpSocket', 'sleep'] : ['exec', 'httpGet', 'tcpSocket'];
  for (const key of ['initContainers', 'containers'] as const) {
    arr(spec[key]).forEach((c, i) => {
      if (!isPlainObject(c.lifecycle)) return;
      if (key === 'initContainers' && c.restartPolicy !== 'Always') {
        e.forbidden([...path, key, i, 'lifecycle'], 'may not be set for init containers without restartPolicy=Always');
        return;
      }
      for (const hook of ['postStart', 'preStop'] as const) {
        const h = c.lifecycle[hook];
        if (!isPlainObject(h)) continue;
        const hp = [...path, key, i, 'lifecycle', hook];
        const named = actions.filter((a) => h[a] !== undefined && h[a] !== null);
        if (named.length === 0) e.required(hp, 'must specify a handler type');
        else if (named.length > 1) e.forbidden([...hp, named[1]!], 'may not specify more than 1 handler type');
        const sleep = d.sleepAction ? h.sleep : undefined;
        if (!isPlainObject(sleep) || typeof sleep.seconds !== 'number' || typeof grace !== 'number') continue;
        const secs = sleep.seconds;
        if (d.sleepAllowZero) {
          if (secs < 0 || secs > grace) e.invalid([...hp, 'sleep'], secs, `must be non-negative and less than terminationGracePeriodSeconds (${grace})`);
        } else if (secs <= 0 || secs > grace) {
          // 1.32 ships the zero gate (alpha, off) and names it in the text (PR #127094).
          e.invalid([...hp, 'sleep'], secs, `must be greater than 0 and less than terminationGracePeriodSeconds (${grace})${d.minor >= 32
            ? '. Please enable PodLifecycleSleepActionAllowZero feature gate if you need a sleep of zero duration.' : ''}`);
        }
      }
    });
  }
}

/** Whether a label selector matches a label map (matchLabels and matchExpressions). */
function selectorMatches(sel: Obj, labels: Obj): boolean {
  for (const [k, v] of Object.entries(isPlainObject(sel.matchLabels) ? sel.matchLabels : {})) if (labels[k] !== v) return false;
  for (const ex of arr(sel.matchExpressions)) {
    const has = Object.prototype.hasOwnProperty.call(labels, ex.key);
    const vals: unknown[] = Array.isArray(ex.values) ? ex.values : [];
    switch (ex.operator) {
      case 'In': if (!has || !vals.includes(labels[ex.key])) return false; break;
      case 'NotIn': if (has && vals.includes(labels[ex.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

function isEmptySelector(sel: Obj): boolean {
  return Object.keys(isPlainObject(sel.matchLabels) ? sel.matchLabels : {}).length === 0 && arr(sel.matchExpressions).length === 0;
}

/** Workload spec with selector + template. */
function validateSelectorTemplate(e: Errs, spec: Obj, kindWord: string, requireSelector: boolean): void {
  const sel = spec.selector;
  if (!isPlainObject(sel)) {
    if (requireSelector) e.required(['spec', 'selector']);
  } else {
    arr(sel.matchExpressions).forEach((ex, i) => {
      e.oneOf(['spec', 'selector', 'matchExpressions', i, 'operator'], ex.operator, ['In', 'NotIn', 'Exists', 'DoesNotExist']);
    });
    if (isEmptySelector(sel)) e.invalidRaw(['spec', 'selector'], goLabelSelector(sel), `empty selector is invalid for ${kindWord}`);
    else {
      const labels = isPlainObject(spec.template?.metadata?.labels) ? spec.template.metadata.labels as Obj : {};
      if (!selectorMatches(sel, labels)) {
        e.invalidRaw(['spec', 'template', 'metadata', 'labels'], goStringMap(spec.template?.metadata?.labels), MSG.selectorMismatch);
      }
    }
  }
}

function validateTemplate(e: Errs, spec: Obj, d: Defaults, restart: readonly string[], base: Path = ['spec']): void {
  const tmpl: unknown = spec.template;
  if (!isPlainObject(tmpl)) { e.required([...base, 'template']); return; }
  const t = tmpl as Obj;
  validateLabels(e, [...base, 'template', 'metadata', 'labels'], t.metadata?.labels);
  const ps: unknown = t.spec;
  validatePodSpec(e, [...base, 'template', 'spec'], ps, d);
  if (isPlainObject(ps) && typeof ps.restartPolicy === 'string' && !restart.includes(ps.restartPolicy)) {
    // Remove the generic enum error the PodSpec check may have added for the same field.
    e.unsupported([...base, 'template', 'spec', 'restartPolicy'], ps.restartPolicy, restart);
  }
}

function validateIntOrPercent(e: Errs, path: Path, v: unknown): void {
  if (v === undefined || v === null) return;
  if (typeof v === 'number') { e.nonNegative(path, v); return; }
  if (typeof v === 'string' && !/^[0-9]+%$/.test(v)) e.invalid(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
}

function pct(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[0-9]+%$/.test(v)) return Number(v.slice(0, -1));
  return undefined;
}

function validateSpec(e: Errs, obj: KObject, d: Defaults): void {
  const spec: Obj = isPlainObject(obj.spec) ? obj.spec : {};
  switch (obj.kind) {
    case 'Pod':
      validatePodSpec(e, ['spec'], obj.spec, d);
      break;
    case 'ReplicaSet':
    case 'Deployment':
    case 'DaemonSet':
    case 'StatefulSet': {
      e.nonNegative(['spec', 'replicas'], spec.replicas);
      e.nonNegative(['spec', 'minReadySeconds'], spec.minReadySeconds);
      e.nonNegative(['spec', 'revisionHistoryLimit'], spec.revisionHistoryLimit);
      validateSelectorTemplate(e, spec, obj.kind.toLowerCase(), true);
      validateTemplate(e, spec, d, ['Always']);
      if (obj.kind === 'Deployment') {
        e.oneOf(['spec', 'strategy', 'type'], spec.strategy?.type, ['Recreate', 'RollingUpdate']);
        const ru = spec.strategy?.rollingUpdate;
        if (spec.strategy?.type === 'Recreate' && ru) e.forbidden(['spec', 'strategy', 'rollingUpdate'], 'may not be specified when strategy `type` is \'Recreate\'');
        if (isPlainObject(ru)) {
          validateIntOrPercent(e, ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'], ru.maxUnavailable);
          validateIntOrPercent(e, ['spec', 'strategy', 'rollingUpdate', 'maxSurge'], ru.maxSurge);
          if (pct(ru.maxUnavailable) === 0 && pct(ru.maxSurge) === 0) {
            e.invalid(['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'], ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0');
          }
        }
      }
      if (obj.kind === 'DaemonSet') e.oneOf(['spec', 'updateStrategy', 'type'], spec.updateStrategy?.type, ['OnDelete', 'RollingUpdate']);
      if (obj.kind === 'StatefulSet') {
        e.oneOf(['spec', 'podManagementPolicy'], spec.podManagementPolicy, ['OrderedReady', 'Parallel']);
        e.oneOf(['spec', 'updateStrategy', 'type'], spec.updateStrategy?.type, ['OnDelete', 'RollingUpdate']);
        e.oneOf(['spec', 'persistentVolumeClaimRetentionPolicy', 'whenDeleted'], spec.persistentVolumeClaimRetentionPolicy?.whenDeleted, ['Retain', 'Delete']);
        e.oneOf(['spec', 'persistentVolumeClaimRetentionPolicy', 'whenScaled'], spec.persistentVolumeClaimRetentionPolicy?.whenScaled, ['Retain', 'Delete']);
      }
      break;
    }
    case 'Job':
      validateJobSpec(e, spec, d, ['spec'], true);
      break;
    case 'CronJob': {
      if (!spec.schedule) e.required(['spec', 'schedule']);
      e.oneOf(['spec', 'concurrencyPolicy'], spec.concurrencyPolicy, ['Allow', 'Forbid', 'Replace']);
      e.nonNegative(['spec', 'startingDeadlineSeconds'], spec.startingDeadlineSeconds);
      e.nonNegative(['spec', 'successfulJobsHistoryLimit'], spec.successfulJobsHistoryLimit);
      e.nonNegative(['spec', 'failedJobsHistoryLimit'], spec.failedJobsHistoryLimit);
      const jt = spec.jobTemplate;
      if (!isPlainObject(jt)) e.required(['spec', 'jobTemplate']);
      else validateJobSpec(e, isPlainObject(jt.spec) ? jt.spec as Obj : {}, d, ['spec', 'jobTemplate', 'spec'], false);
      break;
    }
    case 'Service': validateService(e, spec); break;
    case 'PersistentVolumeClaim':
      if (!(Array.isArray(spec.accessModes) && spec.accessModes.length > 0)) e.required(['spec', 'accessModes'], 'at least 1 access mode is required');
      if (parseQuantity(spec.resources?.requests?.storage) === undefined) e.required(['spec', 'resources', 'requests', 'storage']);
      validateQuantities(e, ['spec', 'resources', 'requests'], spec.resources?.requests);
      e.oneOf(['spec', 'volumeMode'], spec.volumeMode, ['Block', 'Filesystem']);
      break;
    case 'PersistentVolume':
      if (!(Array.isArray(spec.accessModes) && spec.accessModes.length > 0)) e.required(['spec', 'accessModes']);
      if (!isPlainObject(spec.capacity)) e.required(['spec', 'capacity']);
      else validateQuantities(e, ['spec', 'capacity'], spec.capacity);
      e.oneOf(['spec', 'persistentVolumeReclaimPolicy'], spec.persistentVolumeReclaimPolicy, ['Delete', 'Recycle', 'Retain']);
      break;
    case 'PodDisruptionBudget':
      if (spec.minAvailable !== undefined && spec.minAvailable !== null && spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
        e.invalidRaw(['spec'], 'policy.PodDisruptionBudgetSpec{...}', 'minAvailable and maxUnavailable cannot be both set');
      }
      validateIntOrPercent(e, ['spec', 'minAvailable'], spec.minAvailable);
      validateIntOrPercent(e, ['spec', 'maxUnavailable'], spec.maxUnavailable);
      e.oneOf(['spec', 'unhealthyPodEvictionPolicy'], spec.unhealthyPodEvictionPolicy, ['AlwaysAllow', 'IfHealthyBudget']);
      break;
    case 'PriorityClass': {
      const o = obj as Obj;
      e.oneOf(['preemptionPolicy'], o.preemptionPolicy, ['Never', 'PreemptLowerPriority']);
      if (typeof o.value === 'number' && o.value > 1000000000 && !obj.metadata.name?.startsWith('system-')) {
        e.forbidden(['value'], 'maximum allowed value of a user defined priority is 1000000000');
      }
      break;
    }
    case 'ConfigMap':
    case 'Secret':
      for (const f of ['data', 'binaryData', 'stringData']) {
        const m = (obj as Obj)[f];
        if (!isPlainObject(m)) continue;
        for (const k of Object.keys(m)) if (!CONFIG_KEY.test(k) || k === '.' || k === '..') e.invalid([f], k, MSG.configKey);
      }
      break;
    case 'ResourceQuota':
      validateQuantities(e, ['spec', 'hard'], spec.hard);
      break;
    case 'Node':
      validateQuantities(e, ['status', 'capacity'], obj.status?.capacity);
      validateQuantities(e, ['status', 'allocatable'], obj.status?.allocatable);
      arr(spec.taints).forEach((t, i) => {
        if (!t.key) e.required(['spec', 'taints', i, 'key']);
        if (!t.effect) e.required(['spec', 'taints', i, 'effect']);
        else e.oneOf(['spec', 'taints', i, 'effect'], t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']);
      });
      break;
    default: break;
  }
}

function validateJobSpec(e: Errs, spec: Obj, d: Defaults, base: Path, selectorGenerated: boolean): void {
  for (const f of ['parallelism', 'completions', 'backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished']) e.nonNegative([...base, f], spec[f]);
  e.oneOf([...base, 'completionMode'], spec.completionMode, ['NonIndexed', 'Indexed']);
  e.oneOf([...base, 'podReplacementPolicy'], spec.podReplacementPolicy, ['TerminatingOrFailed', 'Failed']);
  if (spec.completionMode === 'Indexed' && (spec.completions === undefined || spec.completions === null)) {
    e.required([...base, 'completions'], 'when completion mode is Indexed');
  }
  if (spec.manualSelector === true) {
    if (!isPlainObject(spec.selector)) e.required([...base, 'selector']);
    else if (!selectorMatches(spec.selector as Obj, isPlainObject(spec.template?.metadata?.labels) ? spec.template.metadata.labels : {})) {
      e.invalidRaw([...base, 'template', 'metadata', 'labels'], goStringMap(spec.template?.metadata?.labels), MSG.selectorMismatch);
    }
  }
  void selectorGenerated;
  validateTemplate(e, spec, d, ['OnFailure', 'Never'], base);
  if (isPlainObject(spec.podFailurePolicy) && spec.template?.spec?.restartPolicy !== 'Never') {
    e.invalid([...base, 'podFailurePolicy'], spec.template?.spec?.restartPolicy ?? '', 'only "Never" is supported when podFailurePolicy is specified');
  }
  validateIndexedJobFields(e, spec, base);
}

/** batch validation limits (pkg/apis/batch/validation/validation.go). */
const MAX_FAILED_INDEXES = 100_000;
const COMPLETIONS_SOFT_LIMIT = 100_000;
const HIGH_COMPLETIONS_LIMIT = 10_000;
const MAX_SUCCESS_POLICY_RULES = 20;

/**
 * validateJobSpec's rules for backoffLimitPerIndex, maxFailedIndexes, the FailIndex action and successPolicy
 * (k/k pkg/apis/batch/validation/validation.go `validateJobSpec`, `validatePodFailurePolicyRule`,
 * `validateSuccessPolicy`), in upstream's order.
 */
function validateIndexedJobFields(e: Errs, spec: Obj, base: Path): void {
  const perIndex = spec.backoffLimitPerIndex, maxFailed = spec.maxFailedIndexes;
  const has = (v: unknown) => v !== undefined && v !== null;
  e.nonNegative([...base, 'backoffLimitPerIndex'], perIndex);
  if (has(maxFailed)) {
    e.nonNegative([...base, 'maxFailedIndexes'], maxFailed);
    if (!has(perIndex)) e.required([...base, 'backoffLimitPerIndex'], 'when maxFailedIndexes is specified');
  }
  const completions = typeof spec.completions === 'number' ? spec.completions : undefined;
  if (spec.completionMode === 'Indexed') {
    if (typeof maxFailed === 'number') {
      if (completions !== undefined && maxFailed > completions) e.invalid([...base, 'maxFailedIndexes'], maxFailed, 'must be less than or equal to completions');
      if (maxFailed > MAX_FAILED_INDEXES) e.invalid([...base, 'maxFailedIndexes'], maxFailed, `must be less than or equal to ${MAX_FAILED_INDEXES}`);
    }
    if (completions !== undefined && completions > COMPLETIONS_SOFT_LIMIT && has(perIndex)) {
      const high = `must be less than or equal to ${HIGH_COMPLETIONS_LIMIT} when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
      if (!has(maxFailed)) e.required([...base, 'maxFailedIndexes'], `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`);
      if (typeof spec.parallelism === 'number' && spec.parallelism > HIGH_COMPLETIONS_LIMIT) e.invalid([...base, 'parallelism'], spec.parallelism, high);
      if (typeof maxFailed === 'number' && maxFailed > HIGH_COMPLETIONS_LIMIT) e.invalid([...base, 'maxFailedIndexes'], maxFailed, high);
    }
  } else {
    if (has(perIndex)) e.invalid([...base, 'backoffLimitPerIndex'], perIndex, 'requires indexed completion mode');
    if (has(maxFailed)) e.invalid([...base, 'maxFailedIndexes'], maxFailed, 'requires indexed completion mode');
  }
  if (isPlainObject(spec.podFailurePolicy)) {
    arr(spec.podFailurePolicy.rules).forEach((r, i) => {
      if (r.action === 'FailIndex' && !has(perIndex)) {
        e.invalid([...base, 'podFailurePolicy', 'rules', i, 'action'], r.action, 'requires the backoffLimitPerIndex to be set');
      }
    });
  }
  const sp = spec.successPolicy;
  if (!isPlainObject(sp)) return;
  const rules = arr(sp.rules);
  if (spec.completionMode !== 'Indexed') {
    e.invalidRaw([...base, 'successPolicy'], `batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{${rules.length ? '...' : ''}}}`, 'requires indexed completion mode');
    return;
  }
  const rulesPath = [...base, 'successPolicy', 'rules'];
  if (rules.length === 0) e.required(rulesPath, 'at least one rules must be specified when the successPolicy is specified');
  if (rules.length > MAX_SUCCESS_POLICY_RULES) e.add(rulesPath, `Too many: ${rules.length}: must have at most ${MAX_SUCCESS_POLICY_RULES} items`);
  rules.forEach((r, i) => {
    const rp = [...rulesPath, i];
    if (!has(r.succeededCount) && !has(r.succeededIndexes)) e.required(rp, 'at least one of succeededCount or succeededIndexes must be specified');
    let total = 0;
    if (typeof r.succeededIndexes === 'string') {
      const parsed = parseIndexesFormat(r.succeededIndexes, completions ?? 0);
      if (typeof parsed === 'string') e.invalid([...rp, 'succeededIndexes'], r.succeededIndexes, `error parsing succeededIndexes: ${parsed}`);
      else total = parsed;
    }
    if (typeof r.succeededCount === 'number') {
      e.nonNegative([...rp, 'succeededCount'], r.succeededCount);
      if (completions !== undefined && r.succeededCount > completions) {
        e.invalid([...rp, 'succeededCount'], r.succeededCount, `must be less than or equal to ${completions} (the number of specified completions)`);
      }
      if (has(r.succeededIndexes) && r.succeededCount > total) {
        e.invalid([...rp, 'succeededCount'], r.succeededCount, `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`);
      }
    }
  });
}

/** validateIndexesFormat: the number of indexes in `1,3-5`, or the error text. */
export function parseIndexesFormat(s: string, completions: number): number | string {
  if (s.length === 0) return 0;
  let last: number | undefined;
  let total = 0;
  for (const part of s.split(',')) {
    const limits = part.split('-');
    if (limits.length > 2) return `the fragment ${JSON.stringify(part)} violates the requirement that an index interval can have at most two parts separated by '-'`;
    const num = (x: string) => (/^[+-]?\d+$/.test(x) ? Number(x) : undefined);
    const x = num(limits[0]!);
    if (x === undefined) return `cannot convert string to integer for index: ${JSON.stringify(limits[0])}`;
    if (x >= completions) return `too large index: ${JSON.stringify(limits[0])}`;
    let y = x;
    if (limits.length > 1) {
      const v = num(limits[1]!);
      if (v === undefined) return `cannot convert string to integer for index: ${JSON.stringify(limits[1])}`;
      if (v >= completions) return `too large index: ${JSON.stringify(limits[1])}`;
      if (x >= v) return `non-increasing order, previous: ${x}, current: ${v}`;
      y = v;
    }
    if (last !== undefined && last >= x) return `non-increasing order, previous: ${last}, current: ${x}`;
    total += y - x + 1;
    last = y;
  }
  return total;
}

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] as const;

function validateService(e: Errs, spec: Obj): void {
  e.oneOf(['spec', 'type'], spec.type, SERVICE_TYPES);
  e.oneOf(['spec', 'sessionAffinity'], spec.sessionAffinity, ['ClientIP', 'None']);
  e.oneOf(['spec', 'externalTrafficPolicy'], spec.externalTrafficPolicy, ['Cluster', 'Local']);
  e.oneOf(['spec', 'internalTrafficPolicy'], spec.internalTrafficPolicy, ['Cluster', 'Local']);
  if (spec.type === 'ExternalName') {
    if (!spec.externalName) e.required(['spec', 'externalName']);
    return;
  }
  const ports = arr(spec.ports);
  if (ports.length === 0 && spec.clusterIP !== 'None') e.required(['spec', 'ports']);
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const pp = ['spec', 'ports', i];
    if (ports.length > 1 && !p.name) e.required([...pp, 'name']);
    if (p.name) {
      if (names.has(p.name)) e.duplicate([...pp, 'name'], p.name);
      names.add(p.name);
    }
    if (typeof p.port !== 'number') e.required([...pp, 'port']);
    else if (p.port < 1 || p.port > 65535) e.invalid([...pp, 'port'], p.port, 'must be between 1 and 65535, inclusive');
    e.oneOf([...pp, 'protocol'], p.protocol, ['SCTP', 'TCP', 'UDP']);
    if (p.nodePort !== undefined && p.nodePort !== null && spec.type !== 'NodePort' && spec.type !== 'LoadBalancer' && p.nodePort !== 0) {
      e.forbidden([...pp, 'nodePort'], 'may not be used when `type` is \'ClusterIP\'');
    }
  });
  if (spec.selector !== undefined) validateLabels(e, ['spec', 'selector'], spec.selector);
}

function validateUpdate(e: Errs, obj: KObject, old: KObject, d: Defaults): void {
  const spec: Obj = isPlainObject(obj.spec) ? obj.spec : {};
  const ospec: Obj = isPlainObject(old.spec) ? old.spec : {};
  switch (obj.kind) {
    case 'Pod': validatePodUpdate(e, spec, ospec); break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
      if (!deepEqual(spec.selector, ospec.selector)) e.invalidRaw(['spec', 'selector'], goLabelSelector(spec.selector), MSG.immutable);
      break;
    case 'StatefulSet': {
      const strip = (s: Obj): Obj => {
        const c = clone(s);
        for (const k of ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds']) delete c[k];
        return c;
      };
      if (!deepEqual(strip(spec), strip(ospec))) e.forbidden(['spec'], MSG.statefulSetUpdate);
      break;
    }
    case 'Job':
      if (!deepEqual(spec.selector, ospec.selector)) e.invalidRaw(['spec', 'selector'], goLabelSelector(spec.selector), MSG.immutable);
      if (!deepEqual(jobTemplateForUpdate(spec.template, old, d), jobTemplateForUpdate(ospec.template, old, d))) {
        e.invalidRaw(['spec', 'template'], 'core.PodTemplateSpec{...}', MSG.immutable);
      }
      if (spec.completionMode !== ospec.completionMode) e.invalid(['spec', 'completionMode'], spec.completionMode, MSG.immutable);
      // ValidateJobSpecUpdate: these are immutable too.
      if (!deepEqual(spec.podFailurePolicy, ospec.podFailurePolicy)) e.invalidRaw(['spec', 'podFailurePolicy'], 'batch.PodFailurePolicy{...}', MSG.immutable);
      if (spec.backoffLimitPerIndex !== ospec.backoffLimitPerIndex) e.invalid(['spec', 'backoffLimitPerIndex'], spec.backoffLimitPerIndex, MSG.immutable);
      if (!deepEqual(spec.successPolicy, ospec.successPolicy)) e.invalidRaw(['spec', 'successPolicy'], 'batch.SuccessPolicy{...}', MSG.immutable);
      break;
    case 'Service':
      if (ospec.clusterIP && spec.clusterIP && spec.clusterIP !== ospec.clusterIP && ospec.clusterIP !== 'None' && spec.type !== 'ExternalName') {
        e.invalid(['spec', 'clusterIPs', 0], spec.clusterIP, 'may not change once set');
      }
      break;
    case 'PersistentVolumeClaim': {
      const strip = (s: Obj): Obj => { const c = clone(s); delete c.resources; delete c.volumeName; delete c.volumeAttributesClassName; return c; };
      if (!deepEqual(strip(spec), strip(ospec))) e.forbidden(['spec'], 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims');
      break;
    }
    default: break;
  }
}

function validatePodUpdate(e: Errs, spec: Obj, ospec: Obj): void {
  const a = clone(spec), b = clone(ospec);
  // Mutable: images, activeDeadlineSeconds (added or lowered), tolerations (additions), grace (negative -> 1),
  // schedulingGates (removal), nodeName/priority set by the server, resources through resize.
  for (const s of [a, b]) {
    for (const c of [...arr(s.containers), ...arr(s.initContainers)]) { delete c.image; delete c.resources; }
    delete s.activeDeadlineSeconds;
    delete s.tolerations;
    delete s.schedulingGates;
    delete s.nodeName;
  }
  if (typeof ospec.terminationGracePeriodSeconds === 'number' && ospec.terminationGracePeriodSeconds < 0 && spec.terminationGracePeriodSeconds === 1) {
    delete a.terminationGracePeriodSeconds; delete b.terminationGracePeriodSeconds;
  }
  const ocs = arr(ospec.containers), ncs = arr(spec.containers);
  const sameShape = ocs.length === ncs.length && ocs.every((c, i) => deepEqual(c.resources, ncs[i]?.resources));
  const oldTols = arr(ospec.tolerations);
  const newTols = arr(spec.tolerations);
  const tolsOk = oldTols.every((t) => newTols.some((n) => deepEqual(n, t) ||
    (n.key === t.key && n.operator === t.operator && n.effect === t.effect && n.value === t.value && typeof t.tolerationSeconds === 'number' && typeof n.tolerationSeconds === 'number' && n.tolerationSeconds <= t.tolerationSeconds)));
  const gatesOk = arr(spec.schedulingGates).every((g) => arr(ospec.schedulingGates).some((o) => o.name === g.name));
  const nodeOk = !ospec.nodeName || spec.nodeName === ospec.nodeName;
  if (!deepEqual(a, b) || !sameShape || !tolsOk || !gatesOk || !nodeOk) {
    e.forbidden(['spec'], MSG.podUpdate);
    return;
  }
  const oa = ospec.activeDeadlineSeconds, na = spec.activeDeadlineSeconds;
  if (typeof oa === 'number' && oa > 0) {
    if (na === undefined || na === null) e.invalid(['spec', 'activeDeadlineSeconds'], null, 'must not update from a positive integer to nil value');
    else if (typeof na === 'number' && na > oa) e.invalid(['spec', 'activeDeadlineSeconds'], na, 'must be less than or equal to previous value');
  }
}

/**
 * A Job template without the parts an update may change (k/k pkg/apis/batch/validation
 * `validatePodTemplateUpdate` with `AllowMutableSchedulingDirectives`): while the old Job is suspended and has
 * not started (no status.startTime), the scheduling directives (labels, annotations, nodeSelector, node
 * affinity, tolerations, schedulingGates); while it is suspended, from 1.36, the containers' resources.
 */
function jobTemplateForUpdate(template: unknown, oldJob: KObject, d: Defaults): unknown {
  const suspended = oldJob.spec?.suspend === true;
  if (!suspended || !isPlainObject(template)) return template;
  const t = clone(template) as Obj;
  if (oldJob.status?.startTime === undefined || oldJob.status?.startTime === null) {
    if (isPlainObject(t.metadata)) { delete t.metadata.labels; delete t.metadata.annotations; }
    if (isPlainObject(t.spec)) {
      delete t.spec.nodeSelector;
      delete t.spec.tolerations;
      delete t.spec.schedulingGates;
      // Only the node affinity part of `affinity` (pod (anti-)affinity stays immutable).
      if (isPlainObject(t.spec.affinity)) {
        delete t.spec.affinity.nodeAffinity;
        if (Object.keys(t.spec.affinity).length === 0) delete t.spec.affinity;
      }
    }
  }
  if (d.jobSuspendedMutableResources && isPlainObject(t.spec)) {
    for (const key of ['containers', 'initContainers']) for (const c of arr(t.spec[key])) delete c.resources;
  }
  return t;
}

/** The API server's 422 text for an object its validation rejects (`Kind "name" is invalid: …`; a list when several). */
export function invalidMessage(kind: string, name: string, details: readonly string[]): string {
  return `${kind} "${name}" is invalid: ${details.length === 1 ? details[0] : `[${details.join(', ')}]`}`;
}

/** Validates an object about to be created (or, with `old`, updated); an empty list means valid. */
export function validateObject(obj: KObject, d: Defaults, old?: KObject): FieldError[] {
  const e = new Errs();
  validateMeta(e, obj);
  validateSpec(e, obj, d);
  if (old) validateUpdate(e, obj, old, d);
  // One error per path and text, in order (enum checks of a template's restartPolicy may repeat).
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const x of e.list) {
    const key = `${formatFieldPath(x.path)}\u0000${x.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(x);
  }
  // A workload's restartPolicy message replaces the generic PodSpec one for the same field.
  return out.filter((x, _i, all) => !(x.message.startsWith('Unsupported value') && x.path[x.path.length - 1] === 'restartPolicy' &&
    x.message.endsWith('"Always", "OnFailure", "Never"') && x.path.length > 2 &&
    all.some((y) => y !== x && formatFieldPath(y.path) === formatFieldPath(x.path) && y.message.startsWith('Unsupported value'))));
}

/**
 * API warnings for an object (k/k pkg/api/pod/warnings.go), e.g. a template's negative grace period.
 * Returned as field errors whose message is the warning text.
 */
export function objectWarnings(obj: KObject): FieldError[] {
  const out: FieldError[] = [];
  const tmplSpecs: Array<[Path, unknown]> = [];
  if (obj.kind === 'CronJob') tmplSpecs.push([['spec', 'jobTemplate', 'spec', 'template', 'spec'], obj.spec?.jobTemplate?.spec?.template?.spec]);
  else if (obj.kind !== 'Pod') tmplSpecs.push([['spec', 'template', 'spec'], obj.spec?.template?.spec]);
  for (const [p, s] of tmplSpecs) {
    if (isPlainObject(s) && typeof s.terminationGracePeriodSeconds === 'number' && s.terminationGracePeriodSeconds < 0) {
      out.push({ path: [...p, 'terminationGracePeriodSeconds'], message: 'must be >= 0; negative values are invalid and will be treated as 1' });
    }
  }
  return out;
}

/** Renders a path as the API server does: `spec.containers[0].image`. */
export function formatFieldPath(path: ReadonlyArray<string | number>): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : (s ? '.' : '') + p;
  return s;
}
