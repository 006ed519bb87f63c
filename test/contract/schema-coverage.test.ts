/**
 * Schema coverage: every property path of schemas/scenario.schema.json (every key of nodes, behaviors, events
 * and each action's value, expect, targets, checks, operators, time modes, scheduler) must be used by at least
 * one valid scenario under scenarios/ or test/ (YAML files). Lists are transparent in paths; operators (`$gt`
 * ...) count wherever they appear. The scenarios under test/contract/fixtures/ must also pass.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { loadFile, DEFAULT_LIMITS } from '../../src/scenario/index.js';
import { cliIn } from './helpers.js';

type Json = Record<string, unknown>;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas/scenario.schema.json'), 'utf8')) as Json;
const defs = (schema['definitions'] ?? schema['$defs'] ?? {}) as Record<string, Json>;

const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every property path the schema declares (`events.drain.timeout`); operators as `$op:<name>`. */
export function schemaPaths(): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown, prefix: string[], refs: string[]): void => {
    if (!isObj(node)) return;
    const ref = node['$ref'];
    if (typeof ref === 'string') {
      const name = ref.replace(/^#\/(definitions|\$defs)\//, '');
      if (name === 'operators') {
        for (const op of Object.keys((defs['operators']?.['properties'] ?? {}) as Json)) out.add(`$op:${op}`);
        return;
      }
      if (refs.includes(name)) return;
      walk(defs[name], prefix, [...refs, name]);
    }
    const props = node['properties'];
    if (isObj(props)) {
      for (const [k, v] of Object.entries(props)) {
        const p = [...prefix, k];
        out.add(p.join('.'));
        walk(v, p, refs);
      }
    }
    for (const k of ['items', 'then', 'else', 'additionalItems']) walk(node[k], prefix, refs);
    for (const k of ['allOf', 'anyOf', 'oneOf', 'prefixItems']) {
      const list = node[k];
      if (Array.isArray(list)) for (const x of list) walk(x, prefix, refs);
    }
  };
  walk(schema, [], []);
  return out;
}

/** Property paths used by a scenario document (lists transparent), operators as `$op:<name>`. */
function usedPaths(data: unknown, into: Set<string>): void {
  const walk = (v: unknown, prefix: string[]): void => {
    if (Array.isArray(v)) { for (const x of v) walk(x, prefix); return; }
    if (!isObj(v)) return;
    for (const [k, x] of Object.entries(v)) {
      if (k.startsWith('$')) into.add(`$op:${k}`);
      const p = [...prefix, k];
      into.add(p.join('.'));
      walk(x, p);
    }
  };
  walk(data, []);
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

t.test('schema coverage: every property path of the scenario schema is used by a valid scenario under scenarios/ or test/', async (t) => {
  const used = new Set<string>();
  const files = [...yamlFiles(path.join(ROOT, 'scenarios')), ...yamlFiles(path.join(ROOT, 'test'))];
  let counted = 0;
  for (const abs of files) {
    const rel = path.relative(ROOT, abs).split(path.sep).join('/');
    let docs: unknown[];
    try {
      docs = parseAllDocuments(fs.readFileSync(abs, 'utf8')).map((d) => (Array.isArray(d) ? undefined : d.toJS({ maxAliasCount: -1 })));
    } catch { continue; }
    if (!docs.some((d) => isObj(d) && d['kind'] === 'Scenario')) continue;
    const r = loadFile(rel, { allowOutside: false, limits: DEFAULT_LIMITS, cwd: ROOT });
    if (r.problems.length > 0 || r.scenarios.length === 0) continue; // only valid scenarios count
    counted++;
    for (const d of docs) if (isObj(d) && d['kind'] === 'Scenario') usedPaths(d, used);
  }
  t.ok(counted > 0, `${counted} valid scenario files read`);
  const all = schemaPaths();
  t.ok(all.size > 100, `${all.size} schema paths`);
  // No in-tree plugin extends permit or postBind: enabling one there is a configuration kube-scheduler rejects.
  const exempt = /^scheduler\.(profiles\.)?plugins\.(permit|postBind)\.enabled\.(name|weight)$/;
  const missing = [...all].filter((p) => !used.has(p) && !exempt.test(p)).sort();
  t.same(missing, [], 'schema paths no valid scenario uses');
});

t.test('schema coverage: the scenarios under test/contract/fixtures/ pass', async (t) => {
  const r = await cliIn(ROOT, ['run', 'test/contract/fixtures']);
  t.equal(r.code, 0, 'exit 0', { out: r.out, err: r.err });
});
