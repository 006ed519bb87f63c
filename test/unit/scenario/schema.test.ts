/**
 * schemas/scenario.schema.json: equal to its source (src/scenario/schema-source.ts; UPDATE_SCHEMA=1 rewrites
 * it), a description on every key, and the shared examples valid against it with a fresh ajv.
 */
import t from 'tap';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Ajv } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { buildScenarioSchema } from '../../../src/scenario/schema-source.js';

const FILE = path.resolve(import.meta.dirname, '../../../schemas/scenario.schema.json');
const EXAMPLES = path.resolve(import.meta.dirname, '../../../../shared/examples');
const text = JSON.stringify(buildScenarioSchema(), null, 2) + '\n';
if (process.env['UPDATE_SCHEMA']) fs.writeFileSync(FILE, text);

t.test('the checked-in schema equals its source', async (t) => {
  t.equal(fs.readFileSync(FILE, 'utf8'), text);
});

t.test('every key of the format has a description', async (t) => {
  const missing: string[] = [];
  const walk = (s: unknown, where: string): void => {
    if (Array.isArray(s)) { s.forEach((x, i) => walk(x, `${where}[${i}]`)); return; }
    if (s === null || typeof s !== 'object') return;
    const o = s as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      if (k === 'if') continue; // conditions, not keys
      if (k === 'properties' && v && typeof v === 'object') {
        for (const [pk, ps] of Object.entries(v as Record<string, unknown>)) {
          if (!ps || typeof ps !== 'object' || typeof (ps as Record<string, unknown>)['description'] !== 'string') missing.push(`${where}.${pk}`);
        }
      }
      walk(v, `${where}/${k}`);
    }
  };
  walk(JSON.parse(text), '#');
  t.same(missing, []);
});

t.test('every object of the format outside Kubernetes objects is closed', async (t) => {
  const open: string[] = [];
  const walk = (s: unknown, where: string): void => {
    if (Array.isArray(s)) { s.forEach((x, i) => walk(x, `${where}[${i}]`)); return; }
    if (s === null || typeof s !== 'object') return;
    const o = s as Record<string, unknown>;
    if (o['properties'] && o['additionalProperties'] !== false && !/\/allOf\[\d+\]\/then$/.test(where)) open.push(where);
    for (const [k, v] of Object.entries(o)) if (k !== 'if') walk(v, `${where}/${k}`);
  };
  walk(JSON.parse(text), '#');
  t.same(open, []);
});

t.test('the schema compiles with a strict ajv and accepts the shared examples', async (t) => {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false });
  for (const k of ['x-expected', 'x-exactly-one', 'x-exactly-one-target']) ajv.addKeyword(k);
  const validate = ajv.compile(JSON.parse(text));
  for (const f of fs.readdirSync(EXAMPLES).filter((x) => x.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(EXAMPLES, f), 'utf8')) as Array<{ toJS(): unknown }>) {
      const ok = validate(doc.toJS());
      t.ok(ok, `${f}: ${JSON.stringify(validate.errors ?? [])}`);
    }
  }
});

t.test('the schema lists every event action and expect key of the format', async (t) => {
  const s = JSON.parse(text);
  const ev = Object.keys(s.properties.events.items.properties);
  t.same(ev.sort(), ['addNode', 'apply', 'at', 'cordon', 'crash', 'delete', 'drain', 'label', 'nodeDown', 'nodeUp', 'probeFail', 'removeNode', 'rollback', 'scale', 'setImage', 'taint', 'uncordon', 'untaint'].sort());
  const ex = Object.keys(s.properties.expect.items.properties);
  t.same(ex.sort(), ['all', 'always', 'any', 'at', 'by', 'count', 'distinctNodes', 'events', 'from', 'match', 'message', 'name', 'never', 'node', 'nodes', 'none', 'object', 'phase', 'pod', 'pods', 'qosClass', 'reason', 'ready', 'restarts', 'schedulable', 'taints', 'until'].sort());
  t.same(Object.keys(s.properties).sort(), ['apiVersion', 'behaviors', 'description', 'events', 'expect', 'kind', 'kubernetes', 'manifests', 'name', 'nodes', 'scheduler', 'seed', 'until'].sort());
});
