#!/usr/bin/env node
/**
 * Generates the strict JSON Schemas of schemas/k8s/ from upstream's OpenAPI v3 documents
 * (kubernetes/kubernetes api/openapi-spec/v3/*.json, one folder per minor version).
 *
 * Usage: node scripts/gen-k8s-schemas.mjs <openapi-dir> [out-dir]
 *
 * <openapi-dir> holds one sub-folder per minor version (`1.29`, `1.30`, ...), each with the documents of that
 * release either in upstream's flat naming (`api__v1_openapi.json`, `apis__apps__v1_openapi.json`) or in the
 * `api/v1.json`, `apis/<group>/<version>.json` layout. The newest version gives the field lists; the older
 * ones only give, per property, the first minor version that has it (so a 1.29 scenario cannot use a field
 * added in 1.33) and, per kind, the range of versions that serve it.
 *
 * Output (small, checked in; the upstream documents are not):
 * - definitions.json: `{ $id: "k8s", definitions: { <openapi name>: <compact schema> } }` for every
 *   definition reachable from a simulated kind, with `additionalProperties: false` on every object that lists
 *   its properties, `$ref`s kept (shared definitions once), descriptions dropped, IntOrString = integer or
 *   string, Quantity = string or number, `x-kubernetes-preserve-unknown-fields` honoured, `null` accepted for
 *   every field (the API server treats it as unset), `required` kept where upstream has no default.
 * - kinds.json: every creatable top-level kind of every served (non-alpha) group version: `group/version/Kind`
 *   -> { def, namespaced, simulated, since, until }.
 * - since.json: `{ <definition>: { <property>: <first minor that has it> } }` for properties newer than the
 *   oldest version given.
 */
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** The kinds the simulation acts on (group/version/Kind; the core group is empty). */
const SIMULATED = [
  'v1/Namespace', 'v1/Node', 'v1/Pod', 'v1/Service', 'v1/Endpoints', 'v1/ConfigMap', 'v1/Secret',
  'v1/PersistentVolume', 'v1/PersistentVolumeClaim', 'v1/ResourceQuota', 'v1/LimitRange', 'v1/Event',
  'apps/v1/ReplicaSet', 'apps/v1/Deployment', 'apps/v1/DaemonSet', 'apps/v1/StatefulSet',
  'batch/v1/Job', 'batch/v1/CronJob', 'discovery.k8s.io/v1/EndpointSlice', 'storage.k8s.io/v1/StorageClass',
  'policy/v1/PodDisruptionBudget', 'scheduling.k8s.io/v1/PriorityClass', 'coordination.k8s.io/v1/Lease',
];

const REF_PREFIX = '#/components/schemas/';

function die(msg) {
  process.stderr.write(`gen-k8s-schemas: ${msg}\n`);
  process.exit(2);
}

/** Lists the JSON documents of one version folder, as [groupVersion, path]. */
function documents(dir) {
  const out = [];
  const walk = (d, rel) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, rel ? `${rel}/${name}` : name);
      else if (name.endsWith('.json')) {
        let gv;
        const flat = /^(api|apis)__(.+)_openapi\.json$/.exec(name);
        if (flat && !rel) {
          const parts = flat[2].split('__');
          if (flat[1] === 'api' && parts.length === 1) gv = parts[0];
          else if (flat[1] === 'apis' && parts.length === 2) gv = `${parts[0]}/${parts[1]}`;
        } else if (rel === 'api') gv = name.slice(0, -5);
        else if (rel?.startsWith('apis/')) gv = `${rel.slice(5)}/${name.slice(0, -5)}`;
        if (gv) out.push([gv, p]);
      }
    }
  };
  walk(dir, '');
  return out;
}

/** Reads every document of a version: merged component schemas and creatable kinds. */
function readVersion(dir) {
  const schemas = Object.create(null);
  const kinds = new Map();
  for (const [gv, file] of documents(dir)) {
    const version = gv.includes('/') ? gv.split('/')[1] : gv;
    if (/alpha/.test(version)) continue; // alpha APIs are off by default: `no matches for kind`
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    for (const [name, s] of Object.entries(doc.components?.schemas ?? {})) schemas[name] ??= s;
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      const post = item.post;
      const gvk = post?.['x-kubernetes-group-version-kind'];
      if (!post || !gvk || post['x-kubernetes-action'] !== 'post') continue;
      if (/\{name\}/.test(path)) continue; // subresources (binding, eviction, ...)
      const key = `${gvk.group ? gvk.group + '/' : ''}${gvk.version}/${gvk.kind}`;
      const content = post.requestBody?.content ?? {};
      const ref = (content['application/json'] ?? content['*/*'] ?? Object.values(content)[0])?.schema;
      const def = (ref?.$ref ?? ref?.allOf?.[0]?.$ref ?? '').replace(REF_PREFIX, '');
      const namespaced = path.includes('/namespaces/{namespace}/');
      const prev = kinds.get(key);
      if (!prev || namespaced) kinds.set(key, { def, namespaced });
    }
  }
  return { schemas, kinds };
}

/** The definition name a schema refers to, if it is (or wraps) a single $ref. */
function refOf(s) {
  if (typeof s?.$ref === 'string') return s.$ref.replace(REF_PREFIX, '');
  if (Array.isArray(s?.allOf) && s.allOf.length === 1 && typeof s.allOf[0].$ref === 'string') {
    return s.allOf[0].$ref.replace(REF_PREFIX, '');
  }
  return undefined;
}

/** Types with `null` added: the API server decodes a JSON null as "unset". */
function nullable(t) {
  return Array.isArray(t) ? [...t, 'null'] : [t, 'null'];
}

/** Converts one upstream schema into its compact strict form, collecting referenced definitions. */
function compact(s, refs) {
  const r = refOf(s);
  if (r) {
    refs.add(r);
    return { $ref: `#/definitions/${r}` };
  }
  if (s['x-kubernetes-int-or-string'] || s.format === 'int-or-string') return { type: nullable(['integer', 'string']) };
  if (Array.isArray(s.oneOf)) {
    const types = s.oneOf.map((o) => o.type).filter(Boolean);
    return { type: nullable(types) };
  }
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const type = s.type;
  if (type === 'array') {
    return { type: nullable('array'), ...(s.items ? { items: compact(s.items, refs) } : {}) };
  }
  if (type === 'object' || s.properties || s.additionalProperties) {
    const out = { type: nullable('object') };
    if (s.properties) {
      out.properties = {};
      for (const k of Object.keys(s.properties).sort()) out.properties[k] = compact(s.properties[k], refs);
      const req = (s.required ?? []).filter((k) => s.properties[k] && s.properties[k].default === undefined);
      if (req.length) out.required = req;
      if (!preserve) out.additionalProperties = s.additionalProperties ? compact(s.additionalProperties, refs) : false;
    } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
      out.additionalProperties = compact(s.additionalProperties, refs);
    }
    return out;
  }
  if (type === 'integer' && s.format === 'int64') return { type: nullable(type), format: 'int64' };
  if (type) return { type: nullable(type) };
  return {}; // anything (e.g. JSON)
}

function main() {
  const [src, outArg] = process.argv.slice(2);
  if (!src || !existsSync(src)) die('usage: gen-k8s-schemas.mjs <openapi-dir> [out-dir]');
  const outDir = outArg ?? join(import.meta.dirname, '..', 'schemas', 'k8s');
  let versions = readdirSync(src).filter((v) => /^1\.\d+$/.test(v) && statSync(join(src, v)).isDirectory());
  versions.sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  if (versions.length === 0) versions = ['.'];
  const read = versions.map((v) => ({ v, minor: v === '.' ? 0 : Number(v.split('.')[1]), ...readVersion(join(src, v)) }));
  const newest = read[read.length - 1];
  const oldest = read[0];

  // Kinds: every creatable kind of any version, with the versions serving it.
  const kinds = {};
  for (const { minor, kinds: ks } of read) {
    for (const [key, k] of ks) {
      const e = (kinds[key] ??= { def: k.def, namespaced: k.namespaced, simulated: SIMULATED.includes(key), since: minor, until: minor });
      e.until = minor;
      e.def = k.def;
    }
  }
  for (const e of Object.values(kinds)) {
    if (e.since === oldest.minor) delete e.since;
    if (e.until === newest.minor) delete e.until;
  }
  for (const k of SIMULATED) if (!kinds[k]) die(`simulated kind ${k} not found in the newest documents`);

  // Definitions reachable from simulated kinds, from the newest version.
  const defs = {};
  const queue = SIMULATED.map((k) => kinds[k].def);
  const seen = new Set();
  while (queue.length) {
    const name = queue.pop();
    if (seen.has(name)) continue;
    seen.add(name);
    const s = newest.schemas[name];
    if (!s) die(`definition ${name} missing`);
    const refs = new Set();
    defs[name] = compact(s, refs);
    for (const r of refs) queue.push(r);
  }

  // First minor version of each property newer than the oldest version given.
  const since = {};
  for (const name of Object.keys(defs).sort()) {
    const props = Object.keys(newest.schemas[name].properties ?? {});
    for (const p of props) {
      const first = read.find((r) => r.schemas[name]?.properties?.[p] !== undefined);
      if (first && first.minor > oldest.minor) (since[name] ??= {})[p] = first.minor;
    }
  }

  const sortedDefs = {};
  for (const k of Object.keys(defs).sort()) sortedDefs[k] = defs[k];
  const sortedKinds = {};
  for (const k of Object.keys(kinds).sort()) sortedKinds[k] = kinds[k];
  const note = `Generated by scripts/gen-k8s-schemas.mjs from the Kubernetes OpenAPI v3 documents of ${versions.join(', ')}; do not edit.`;
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'definitions.json'), JSON.stringify({ $comment: note, $id: 'k8s', definitions: sortedDefs }) + '\n');
  writeFileSync(join(outDir, 'kinds.json'), JSON.stringify({ $comment: note, newest: newest.minor, oldest: oldest.minor, kinds: sortedKinds }, null, 1) + '\n');
  writeFileSync(join(outDir, 'since.json'), JSON.stringify({ $comment: note, since }, null, 1) + '\n');
  process.stdout.write(`${Object.keys(sortedDefs).length} definitions, ${Object.keys(sortedKinds).length} kinds, versions ${versions.join(' ')}\n`);
}

main();
