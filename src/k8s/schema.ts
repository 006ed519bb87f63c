/**
 * Strict checking of Kubernetes objects against the JSON Schemas generated from upstream's OpenAPI
 * (schemas/k8s/, scripts/gen-k8s-schemas.mjs): apiVersion/kind recognised, unknown fields and wrong types
 * as `kubectl apply --validate=strict` reports them, then API validation on a defaulted copy, then fields the
 * simulation does not model. Schemas are read and compiled lazily, once, on the first check.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { Ajv, ValidateFunction, ErrorObject } from 'ajv';
import type { KObject } from './types.js';
import { defaultsFor, minorOf, type KubeVersion } from '../sim/defaults.js';
import { clone, isPlainObject } from './util.js';
import { defaultObject } from './defaulting.js';
import { validateObject, objectWarnings, formatFieldPath } from './validation.js';

/** One problem found in an object. `path` locates it; `message` is the full text to show after the file position. */
export interface CheckIssue {
  path: Array<string | number>;
  message: string;
  /**
   * `error`: the file is invalid (exit 2); `warning`: printed, nothing else; `invalid`: the API server's
   * validation rejects the object, an action error when the run applies it (scenario-format: "a request the
   * API server rejects (validation, …; in manifests too)").
   */
  severity: 'error' | 'warning' | 'invalid';
}

type Schema = Record<string, unknown>;

interface KindEntry {
  def: string;
  namespaced: boolean;
  simulated: boolean;
  since?: number;
  until?: number;
}

interface Data {
  defs: Record<string, Schema>;
  kinds: Record<string, KindEntry>;
  since: Record<string, Record<string, number>>;
  ajv: Ajv;
  compiled: Map<string, ValidateFunction>;
}

let data: Data | undefined;

function findSchemasDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'schemas', 'k8s');
    if (existsSync(join(p, 'definitions.json'))) return p;
    dir = dirname(dir);
  }
  throw new Error('schemas/k8s/definitions.json not found');
}

function load(): Data {
  if (data) return data;
  const dir = findSchemasDir();
  const defsDoc = JSON.parse(readFileSync(join(dir, 'definitions.json'), 'utf8')) as { definitions: Record<string, Schema> };
  const kindsDoc = JSON.parse(readFileSync(join(dir, 'kinds.json'), 'utf8')) as { kinds: Record<string, KindEntry> };
  const sinceDoc = JSON.parse(readFileSync(join(dir, 'since.json'), 'utf8')) as { since: Record<string, Record<string, number>> };
  // ajv is required here, not imported, so a CLI run that checks no manifest never loads it.
  const AjvClass = (createRequire(import.meta.url)('ajv') as { Ajv: typeof Ajv }).Ajv;
  const ajv = new AjvClass({ allErrors: true, strict: false, validateFormats: false });
  ajv.addSchema(defsDoc as object, 'k8s');
  data = { defs: defsDoc.definitions, kinds: kindsDoc.kinds, since: sinceDoc.since, ajv, compiled: new Map() };
  return data;
}

function validatorFor(def: string): ValidateFunction {
  const d = load();
  let v = d.compiled.get(def);
  if (!v) {
    v = d.ajv.compile({ $ref: `k8s#/definitions/${def}` });
    d.compiled.set(def, v);
  }
  return v;
}

/** The `group/version/Kind` key of an apiVersion and kind (`v1/Pod`, `apps/v1/Deployment`). */
export function gvkKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

/** kubectl's answer for an apiVersion/kind the server does not serve. */
export function noMatchesMessage(kind: string, apiVersion: string): string {
  return `no matches for kind "${kind}" in version "${apiVersion}" (ensure CRDs are installed first)`;
}

/**
 * The kinds a CustomResourceDefinition object defines, as `group/version/Kind` keys for every served version
 * (empty for anything that is not a valid-looking apiextensions.k8s.io CRD).
 */
export function crdKinds(objs: Iterable<unknown>): Set<string> {
  const out = new Set<string>();
  for (const o of objs) {
    if (!isPlainObject(o) || o.kind !== 'CustomResourceDefinition' || typeof o.apiVersion !== 'string' ||
      !o.apiVersion.startsWith('apiextensions.k8s.io/')) continue;
    const spec = o.spec;
    if (!isPlainObject(spec) || typeof spec.group !== 'string' || !isPlainObject(spec.names)) continue;
    const kind = spec.names.kind;
    if (typeof kind !== 'string' || !kind) continue;
    for (const v of Array.isArray(spec.versions) ? spec.versions : []) {
      if (isPlainObject(v) && typeof v.name === 'string' && v.served !== false) out.add(`${spec.group}/${v.name}/${kind}`);
    }
  }
  return out;
}

/** Looks up a served built-in kind for a version. */
function servedKind(apiVersion: string, kind: string, minor: number): KindEntry | undefined {
  const e = load().kinds[gvkKey(apiVersion, kind)];
  if (!e) return undefined;
  if (e.since !== undefined && minor < e.since) return undefined;
  if (e.until !== undefined && minor > e.until) return undefined;
  return e;
}

/** Whether a built-in kind name is one the simulation acts on. */
export function isSimulatedKind(kind: string): boolean {
  return Object.entries(load().kinds).some(([k, e]) => e.simulated && k.endsWith(`/${kind}`));
}

// ---------------------------------------------------------------------------------------------------------
// Schema walking (shared by type messages, version gating and partial checks).

function resolve(s: Schema | undefined): { schema: Schema | undefined; def?: string } {
  let cur = s;
  let def: string | undefined;
  for (let i = 0; i < 8 && cur && typeof cur.$ref === 'string'; i++) {
    def = (cur.$ref as string).replace(/^(k8s)?#\/definitions\//, '');
    cur = load().defs[def];
  }
  return def === undefined ? { schema: cur } : { schema: cur, def };
}

function types(s: Schema | undefined): string[] {
  const t = s?.type;
  return Array.isArray(t) ? (t as string[]) : typeof t === 'string' ? [t] : [];
}

function childSchema(s: Schema | undefined, key: string | number): Schema | undefined {
  if (!s) return undefined;
  if (typeof key === 'number') return s.items as Schema | undefined;
  const props = s.properties as Record<string, Schema> | undefined;
  if (props && Object.prototype.hasOwnProperty.call(props, key)) return props[key];
  return isPlainObject(s.additionalProperties) ? s.additionalProperties as Schema : undefined;
}

/** Go's name of a schema's type, for json decoding errors (`[]v1.Container`, `int32`, `map[string]string`). */
function goType(s: Schema | undefined): string {
  if (!s) return 'interface {}';
  if (typeof s.$ref === 'string') {
    const def = (s.$ref as string).replace(/^(k8s)?#\/definitions\//, '');
    if (def.endsWith('intstr.IntOrString')) return 'intstr.IntOrString';
    if (def.endsWith('resource.Quantity')) return 'resource.Quantity';
    if (def.endsWith('meta.v1.Time') || def.endsWith('meta.v1.MicroTime')) return def.endsWith('MicroTime') ? 'v1.MicroTime' : 'v1.Time';
    const parts = def.split('.');
    return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
  }
  const t = types(s).filter((x) => x !== 'null');
  if (t.length > 1) return t.includes('integer') ? 'intstr.IntOrString' : 'resource.Quantity';
  switch (t[0]) {
    case 'array': return `[]${goType(s.items as Schema | undefined)}`;
    case 'object': return isPlainObject(s.additionalProperties) ? `map[string]${goType(s.additionalProperties as Schema)}` : 'map[string]interface {}';
    case 'integer': return s.format === 'int64' ? 'int64' : 'int32';
    case 'number': return 'float64';
    case 'boolean': return 'bool';
    case 'string': return 'string';
    default: return 'interface {}';
  }
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** The schema at a path below a definition, with the name of the innermost struct holding the last field. */
function schemaAt(rootDef: string, path: ReadonlyArray<string | number>): { schema: Schema | undefined; struct: string } {
  let cur = resolve({ $ref: `#/definitions/${rootDef}` });
  let struct = rootDef;
  let s: Schema | undefined = cur.schema;
  for (let i = 0; i < path.length; i++) {
    if (cur.def) struct = cur.def;
    const raw = childSchema(s, path[i]!);
    if (i === path.length - 1) return { schema: raw, struct: struct.split('.').pop() ?? struct };
    cur = resolve(raw);
    s = cur.schema;
  }
  return { schema: s, struct: struct.split('.').pop() ?? struct };
}

function pointerToPath(obj: unknown, pointer: string): Array<string | number> {
  const out: Array<string | number> = [];
  let cur: unknown = obj;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const i = Number(seg);
      out.push(i);
      cur = cur[i];
    } else {
      out.push(seg);
      cur = isPlainObject(cur) && Object.prototype.hasOwnProperty.call(cur, seg) ? cur[seg] : undefined;
    }
  }
  return out;
}

function valueAt(obj: unknown, path: ReadonlyArray<string | number>): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (typeof p === 'number') cur = Array.isArray(cur) ? cur[p] : undefined;
    else cur = isPlainObject(cur) && Object.prototype.hasOwnProperty.call(cur, p) ? cur[p] : undefined;
  }
  return cur;
}

function unknownField(path: ReadonlyArray<string | number>): CheckIssue {
  return { path: [...path], message: `unknown field "${formatFieldPath(path)}"`, severity: 'error' };
}

function schemaIssues(def: string, obj: Record<string, unknown>, errors: ErrorObject[]): CheckIssue[] {
  const out: CheckIssue[] = [];
  const seen = new Set<string>();
  for (const err of errors) {
    const base = pointerToPath(obj, err.instancePath);
    let issue: CheckIssue | undefined;
    if (err.keyword === 'additionalProperties') {
      issue = unknownField([...base, (err.params as { additionalProperty: string }).additionalProperty]);
    } else if (err.keyword === 'required') {
      const p = [...base, (err.params as { missingProperty: string }).missingProperty];
      issue = { path: p, message: `${formatFieldPath(p)}: Required value`, severity: 'invalid' };
    } else if (err.keyword === 'type') {
      const { schema, struct } = schemaAt(def, base);
      const v = valueAt(obj, base);
      const goPath = base.filter((x) => typeof x === 'string').join('.');
      issue = {
        path: base,
        message: `json: cannot unmarshal ${jsonType(v)} into Go struct field ${struct}.${goPath} of type ${goType(schema)}`,
        severity: 'error',
      };
    } else {
      issue = { path: base, message: `${formatFieldPath(base)}: ${err.message ?? 'invalid'}`, severity: 'error' };
    }
    const key = `${formatFieldPath(issue.path)}\u0000${issue.message}`;
    if (!seen.has(key)) { seen.add(key); out.push(issue); }
  }
  return out;
}

/** Fields newer than the scenario's version are unknown to that API server. */
function versionIssues(def: string, obj: unknown, minor: number): CheckIssue[] {
  const out: CheckIssue[] = [];
  const since = load().since;
  const walk = (s: Schema | undefined, v: unknown, path: Array<string | number>): void => {
    const r = resolve(s);
    const sch = r.schema;
    if (!sch || v === null || v === undefined) return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(sch.items as Schema | undefined, x, [...path, i]));
      return;
    }
    if (!isPlainObject(v)) return;
    const props = sch.properties as Record<string, Schema> | undefined;
    const table = r.def ? since[r.def] : undefined;
    for (const k of Object.keys(v)) {
      if (props && Object.prototype.hasOwnProperty.call(props, k)) {
        const first = table?.[k];
        if (first !== undefined && minor < first) { out.push(unknownField([...path, k])); continue; }
        walk(props[k], v[k], [...path, k]);
      } else if (isPlainObject(sch.additionalProperties)) walk(sch.additionalProperties as Schema, v[k], [...path, k]);
    }
  };
  walk({ $ref: `#/definitions/${def}` }, obj, []);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Fields that would change a simulated outcome but are not modelled.

type P = Array<string | number>;

/** One not-simulated field, relative to a PodSpec (`pod`) or to an object of `kind`. */
interface NotSimulated {
  scope: 'pod' | string;
  /** Path below the scope; `*` is any list index or map key. */
  path: string[];
  /** When given, only values for which it returns true are refused. */
  when?: (v: unknown) => boolean;
}

/** Pod volume sources the simulation models (hostPath is harmless: nothing is mounted). */
const SIMULATED_VOLUME_SOURCES = new Set(['name', 'emptyDir', 'configMap', 'secret', 'persistentVolumeClaim', 'projected', 'downwardAPI', 'hostPath']);

/** The table of not-simulated fields. Everything else valid is either simulated or harmless and stored. */
export const NOT_SIMULATED: readonly NotSimulated[] = [
  // Volume sources other than the simulated ones: CSI, ephemeral (creates PVCs), image volumes (pulls), cloud
  // and network disks (attach/mount that can fail or hold the pod in ContainerCreating).
  { scope: 'pod', path: ['volumes', '*', '*'], when: undefined },
  // Dynamic resource allocation: claims gate scheduling and need a DRA driver.
  { scope: 'pod', path: ['resourceClaims'] },
  { scope: 'pod', path: ['containers', '*', 'resources', 'claims'] },
  { scope: 'pod', path: ['initContainers', '*', 'resources', 'claims'] },
  // RuntimeClass: adds pod overhead and node scheduling constraints; unknown classes fail admission.
  { scope: 'pod', path: ['runtimeClassName'] },
  // Pod overhead: counted by the scheduler and kubelet; normally set only by RuntimeClass admission.
  { scope: 'pod', path: ['overhead'] },
  // Ephemeral containers: only through the ephemeralcontainers subresource; they start containers.
  { scope: 'pod', path: ['ephemeralContainers'] },
  // Readiness gates: Ready waits on conditions an external controller would set; the pod would never be Ready.
  { scope: 'pod', path: ['readinessGates'] },
  // A non-Linux pod OS: the kubelets of the simulated (linux) nodes reject such pods.
  { scope: 'pod', path: ['os', 'name'], when: (v) => v !== 'linux' },
  // PVC data sources: cloning and volume populators need a CSI driver.
  { scope: 'PersistentVolumeClaim', path: ['spec', 'dataSource'] },
  { scope: 'PersistentVolumeClaim', path: ['spec', 'dataSourceRef'] },
  // VolumeAttributesClass: modification through a CSI driver.
  { scope: 'PersistentVolumeClaim', path: ['spec', 'volumeAttributesClassName'] },
  { scope: 'StatefulSet', path: ['spec', 'volumeClaimTemplates', '*', 'spec', 'dataSource'] },
  { scope: 'StatefulSet', path: ['spec', 'volumeClaimTemplates', '*', 'spec', 'dataSourceRef'] },
  { scope: 'StatefulSet', path: ['spec', 'volumeClaimTemplates', '*', 'spec', 'volumeAttributesClassName'] },
  // Quota scopes: which pods a quota counts (priority class, terminating, best effort, affinity).
  { scope: 'ResourceQuota', path: ['spec', 'scopes'] },
  { scope: 'ResourceQuota', path: ['spec', 'scopeSelector'] },
  // Traffic distribution: changes the hints the EndpointSlice controller writes.
  { scope: 'Service', path: ['spec', 'trafficDistribution'] },
  // Per-container restart policy and rules of regular containers (ContainerRestartRules, 1.35+): the kubelet
  // model restarts by the pod's restartPolicy only. (initContainers[].restartPolicy: Always = sidecars, simulated.)
  { scope: 'pod', path: ['containers', '*', 'restartPolicy'] },
  { scope: 'pod', path: ['containers', '*', 'restartPolicyRules'] },
  { scope: 'pod', path: ['initContainers', '*', 'restartPolicyRules'] },
  // LimitRange ratios and Pod-type limits: not enforced by the LimitRanger model.
  { scope: 'LimitRange', path: ['spec', 'limits', '*', 'maxLimitRequestRatio'] },
  { scope: 'LimitRange', path: ['spec', 'limits', '*', 'type'], when: (v) => v === 'Pod' },
];

/** Where the PodSpecs of a kind sit. */
function podSpecPaths(kind: string): P[] {
  switch (kind) {
    case 'Pod': return [['spec']];
    case 'ReplicaSet': case 'Deployment': case 'DaemonSet': case 'StatefulSet': case 'Job': return [['spec', 'template', 'spec']];
    case 'CronJob': return [['spec', 'jobTemplate', 'spec', 'template', 'spec']];
    default: return [];
  }
}

function matchAll(v: unknown, pattern: readonly string[], at: P, out: Array<{ path: P; value: unknown }>): void {
  if (pattern.length === 0) { if (v !== undefined && v !== null) out.push({ path: at, value: v }); return; }
  const [head, ...rest] = pattern as [string, ...string[]];
  if (head === '*') {
    if (Array.isArray(v)) v.forEach((x, i) => matchAll(x, rest, [...at, i], out));
    else if (isPlainObject(v)) for (const k of Object.keys(v)) matchAll(v[k], rest, [...at, k], out);
    return;
  }
  if (isPlainObject(v) && Object.prototype.hasOwnProperty.call(v, head)) matchAll(v[head], rest, [...at, head], out);
}

function notSimulatedIssues(obj: Record<string, unknown>): CheckIssue[] {
  const out: CheckIssue[] = [];
  const kind = String(obj.kind);
  const report = (path: P): void => { out.push({ path, message: `${formatFieldPath(path)} is not simulated`, severity: 'error' }); };
  for (const entry of NOT_SIMULATED) {
    const roots: P[] = entry.scope === 'pod' ? podSpecPaths(kind) : entry.scope === kind ? [[]] : [];
    for (const root of roots) {
      const found: Array<{ path: P; value: unknown }> = [];
      matchAll(valueAt(obj, root), entry.path, root, found);
      for (const f of found) {
        if (entry.path[0] === 'volumes') {
          const key = f.path[f.path.length - 1];
          if (typeof key === 'string' && !SIMULATED_VOLUME_SOURCES.has(key)) report(f.path);
          continue;
        }
        if (entry.when && !entry.when(f.value)) continue;
        report(f.path);
      }
    }
  }
  return out;
}

/**
 * Checks a manifest object for a Kubernetes version: apiVersion/kind served (or defined by a CRD in
 * `extraKinds`, keys `group/version/Kind`), strict schema (unknown fields, types, required), fields newer than
 * the version, API validation on a defaulted copy, and fields the simulation does not model. Stored-only kinds
 * give one warning and are not checked further. Messages are complete texts (`unknown field "spec.x"`,
 * `spec.containers[0].image: Required value`, `spec.volumes[0].csi is not simulated`).
 */
export function checkObject(obj: unknown, version: KubeVersion, extraKinds?: Set<string>): CheckIssue[] {
  if (!isPlainObject(obj)) return [{ path: [], message: 'a Kubernetes object must be a mapping', severity: 'error' }];
  const missing: CheckIssue[] = [];
  if (typeof obj.apiVersion !== 'string' || !obj.apiVersion) missing.push({ path: ['apiVersion'], message: 'apiVersion not set', severity: 'error' });
  if (typeof obj.kind !== 'string' || !obj.kind) missing.push({ path: ['kind'], message: 'kind not set', severity: 'error' });
  if (missing.length) return missing;
  const apiVersion = obj.apiVersion as string, kind = obj.kind as string;
  const minor = minorOf(version);
  if (extraKinds?.has(gvkKey(apiVersion, kind))) {
    return [{ path: ['kind'], message: `${kind} is stored but not simulated: no controller acts on it`, severity: 'warning' }];
  }
  const entry = servedKind(apiVersion, kind, minor);
  if (!entry) return [{ path: ['kind'], message: noMatchesMessage(kind, apiVersion), severity: 'error' }];
  if (!entry.simulated) return [{ path: ['kind'], message: `${kind} is stored but not simulated: no controller acts on it`, severity: 'warning' }];

  const validate = validatorFor(entry.def);
  const issues: CheckIssue[] = [];
  if (!validate(obj)) issues.push(...schemaIssues(entry.def, obj, validate.errors ?? []));
  issues.push(...versionIssues(entry.def, obj, minor));
  if (issues.some((i) => i.severity === 'error')) return [...issues.filter((i) => i.severity === 'error'), ...notSimulatedIssues(obj)];

  const copy = clone(obj) as unknown as KObject;
  if (!isPlainObject(copy.metadata)) (copy as { metadata: unknown }).metadata = {};
  const d = defaultsFor(version);
  defaultObject(copy, d);
  const seen = new Set(issues.map((i) => i.message));
  for (const e of validateObject(copy, d)) {
    const message = `${formatFieldPath(e.path)}: ${e.message}`;
    if (!seen.has(message)) { seen.add(message); issues.push({ path: e.path, message, severity: 'invalid' }); }
  }
  for (const w of objectWarnings(copy)) issues.push({ path: w.path, message: `${formatFieldPath(w.path)}: ${w.message}`, severity: 'warning' });
  issues.push(...notSimulatedIssues(obj));
  return issues;
}

// ---------------------------------------------------------------------------------------------------------
// Partial objects (assertions).

/** Operators a partial object's value may use instead of a literal. */
export const PARTIAL_OPERATORS: ReadonlySet<string> = new Set(['$gt', '$gte', '$lt', '$lte', '$ne', '$in', '$regex', '$exists']);

function isOperatorMap(v: unknown): v is Record<string, unknown> {
  return isPlainObject(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => k.startsWith('$'));
}

function typeOk(s: Schema, v: unknown): boolean {
  const t = types(s);
  if (t.length === 0) return true;
  if (Array.isArray(v)) return t.includes('array');
  if (isPlainObject(v)) return t.includes('object');
  if (typeof v === 'string') return t.includes('string');
  if (typeof v === 'boolean') return t.includes('boolean');
  if (typeof v === 'number') return t.includes('number') || (t.includes('integer') && Number.isInteger(v));
  return true;
}

function checkOperators(path: P, ops: Record<string, unknown>, out: CheckIssue[]): void {
  for (const [op, arg] of Object.entries(ops)) {
    const p = formatFieldPath(path);
    if (!PARTIAL_OPERATORS.has(op)) { out.push({ path, message: `${p}: unknown operator "${op}"`, severity: 'error' }); continue; }
    if (op === '$in' && !Array.isArray(arg)) out.push({ path, message: `${p}: $in needs a list`, severity: 'error' });
    if (op === '$exists' && typeof arg !== 'boolean') out.push({ path, message: `${p}: $exists needs true or false`, severity: 'error' });
    if (op === '$regex') {
      if (typeof arg !== 'string') out.push({ path, message: `${p}: $regex needs a string`, severity: 'error' });
      else {
        try { new RegExp(arg); } catch (e) { out.push({ path, message: `${p}: invalid $regex: ${(e as Error).message}`, severity: 'error' }); }
      }
    }
  }
}

function walkPartial(s: Schema | undefined, v: unknown, path: P, out: CheckIssue[]): void {
  if (v === null || v === undefined) return;
  if (isOperatorMap(v)) { checkOperators(path, v, out); return; }
  const sch = resolve(s).schema;
  if (!sch) return;
  if (!typeOk(sch, v)) {
    // A scalar of another type is not an error: partials compare without coercion ("1" is not 1, "True" is not
    // true) and timestamps may be given as instants (120, 2m); such a value simply does not match.
    if (v === null || typeof v !== 'object') return;
    out.push({ path, message: `${formatFieldPath(path)}: must be of type ${types(sch).filter((t) => t !== 'null').join(' or ')}`, severity: 'error' });
    return;
  }
  if (Array.isArray(v)) { v.forEach((x, i) => walkPartial(sch.items as Schema | undefined, x, [...path, i], out)); return; }
  if (!isPlainObject(v)) return;
  const props = sch.properties as Record<string, Schema> | undefined;
  for (const rawKey of Object.keys(v)) {
    const ordered = rawKey.endsWith('(ordered)');
    const key = ordered ? rawKey.slice(0, -'(ordered)'.length) : rawKey;
    const guarded = key === '__proto__' || key === 'constructor' || key === 'prototype';
    let child: Schema | undefined;
    if (!guarded && props && Object.prototype.hasOwnProperty.call(props, key)) child = props[key];
    else if (!guarded && isPlainObject(sch.additionalProperties)) child = sch.additionalProperties as Schema;
    else if (sch.additionalProperties === false || guarded) { out.push(unknownField([...path, key])); continue; }
    else continue;
    if (ordered && !types(resolve(child).schema).includes('array')) {
      out.push({ path: [...path, key], message: `${formatFieldPath([...path, key])}: (ordered) applies to lists only`, severity: 'error' });
      continue;
    }
    walkPartial(child, v[rawKey], [...path, key], out);
  }
}

/**
 * Checks a partial object of a simulated kind (`Pod`, or `apps/v1/Deployment`) used in an assertion:
 * unknown fields are errors; values may be `null`, operator maps ($gt $gte $lt $lte $ne $in $regex $exists)
 * or literals of the field's type; list keys may carry `(ordered)`; status fields are allowed. Kinds without a
 * schema (stored-only, CRDs) are not checked.
 */
export function checkPartial(kind: string, partial: unknown): CheckIssue[] {
  const kinds = load().kinds;
  let entry: KindEntry | undefined;
  if (kind.includes('/')) entry = kinds[kind];
  else entry = Object.entries(kinds).find(([k, e]) => e.simulated && k.endsWith(`/${kind}`))?.[1];
  if (!entry || !entry.simulated) return [];
  const out: CheckIssue[] = [];
  walkPartial({ $ref: `#/definitions/${entry.def}` }, partial, [], out);
  return out;
}
