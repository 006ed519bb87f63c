/**
 * Structural validation of a scenario document against schemas/scenario.schema.json (ajv, all errors), with
 * every error mapped to the file:line:col of the offending key or value and phrased for people:
 * `unknown key "untill" (did you mean "until"?)`, `until: expected a duration such as 30s ...`.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Problem } from './types.js';
import { buildScenarioSchema } from './schema-source.js';
import { formatPath, type Path, type SourceDoc } from './positions.js';
import { didYouMean } from './suggest.js';
import { VERSIONS } from '../sim/defaults.js';

type S = Record<string, unknown>;

let compiled: { fn: ValidateFunction; schema: S } | undefined;

/** The scenario schema object (the content of schemas/scenario.schema.json). */
export function scenarioSchema(): S {
  return getValidator().schema;
}

function getValidator(): { fn: ValidateFunction; schema: S } {
  if (!compiled) {
    const schema = buildScenarioSchema();
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
    compiled = { fn: ajv.compile(schema), schema };
  }
  return compiled;
}

/** The result of schema validation: problems, and the instance paths that had one (as `/a/0/b`). */
export interface SchemaResult {
  problems: Problem[];
  flagged: Set<string>;
}

/** A path as a JSON-pointer-like key (`/expect/0/by`), the form `flagged` uses. */
export function pathKey(path: Path): string {
  return path.map((p) => '/' + String(p)).join('');
}

/** Validates one document's plain data; every problem carries the position of its key or value. */
export function validateDocument(src: SourceDoc, data: unknown): SchemaResult {
  const { fn, schema } = getValidator();
  const problems: Problem[] = [];
  const flagged = new Set<string>();
  if (fn(data)) return { problems, flagged };
  const seen = new Set<string>();
  for (const e of fn.errors ?? []) {
    const r = describeError(e, data, src, schema);
    if (!r) continue;
    flagged.add(pathKey(r.path));
    const key = `${r.pos.line}:${r.pos.col}:${r.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ pos: r.pos, message: r.message });
  }
  return { problems, flagged };
}

/** Splits an ajv instancePath into segments, numbers where the data is a list. */
function toPath(pointer: string, data: unknown): Array<string | number> {
  if (!pointer) return [];
  const out: Array<string | number> = [];
  let cur: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const n = Number(seg);
      out.push(n);
      cur = cur[n];
    } else {
      out.push(seg);
      cur = cur && typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, seg) ? (cur as S)[seg] : undefined;
    }
  }
  return out;
}

function valueAt(data: unknown, path: Path): unknown {
  let cur = data;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Object.prototype.hasOwnProperty.call(cur, String(p)) ? (cur as S)[p as string] : undefined;
  }
  return cur;
}

/** Resolves a schema pointer (`#/properties/a/items`) in the root schema. */
function schemaAt(root: S, pointer: string[]): S | undefined {
  let cur: unknown = root;
  for (const seg of pointer) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as S)[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur && typeof cur === 'object' ? (cur as S) : undefined;
}

/** The nearest `x-expected` from the failing keyword up to the property schema it belongs to. */
function expectedText(root: S, schemaPath: string): string | undefined {
  const segs = schemaPath.replace(/^#\/?/, '').split('/').filter((s) => s !== '');
  segs.pop(); // the failing keyword
  while (segs.length > 0) {
    const sch = schemaAt(root, segs);
    if (sch && typeof sch['x-expected'] === 'string') return sch['x-expected'];
    const last = segs[segs.length - 2];
    if (last === 'properties' || last === 'definitions') return undefined;
    const tail = segs[segs.length - 1];
    if (tail === 'items' || tail === 'additionalProperties') return undefined;
    segs.pop();
  }
  return undefined;
}

/** A short rendering of a value for messages, using the source text of scalars. */
export function showValue(src: SourceDoc, path: Path, v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v !== null && typeof v === 'object') return 'a map';
  if (v === null) return 'null';
  const text = src.sourceText(path);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return `the number ${text ?? String(v)}`;
  if (typeof v === 'boolean') return `the boolean ${text ?? String(v)}`;
  return String(v);
}

function typeWords(t: unknown): string {
  const list = Array.isArray(t) ? t : [t];
  const words: Record<string, string> = {
    string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false', object: 'a map',
    array: 'a list', null: 'null',
  };
  return list.map((x) => words[String(x)] ?? String(x)).join(' or ');
}

function describeError(e: ErrorObject, data: unknown, src: SourceDoc, root: S): { path: Path; pos: Problem['pos']; message: string } | undefined {
  if (e.keyword === 'if' || e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'not') return undefined;
  const path = toPath(e.instancePath, data);
  const where = formatPath(path);
  const value = valueAt(data, path);
  const params = e.params as S;
  const parent = (e.parentSchema ?? {}) as S;
  const label = where || 'the document';
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const props = Object.keys((parent['properties'] as S | undefined) ?? {});
      const kpath = [...path, key];
      const hint = didYouMean(key, props);
      const inWhere = where ? ` in ${where}` : '';
      const tail = hint ? ` (did you mean "${hint}"?)` : props.length ? ` (expected one of: ${props.join(', ')})` : '';
      return { path: kpath, pos: src.locate(kpath, 'key'), message: `unknown key "${key}"${inWhere}${tail}` };
    }
    case 'required': {
      const key = String(params['missingProperty']);
      return { path, pos: path.length ? src.locate(path, 'key') : src.rootPos(), message: `${where ? where + ': ' : ''}missing required key "${key}"` };
    }
    case 'propertyNames':
      return undefined; // its sub-error names the key
  }
  const pos = src.locate(path, 'value');
  if (where === 'kubernetes') {
    if (typeof value === 'number') {
      const text = src.sourceText(path) ?? String(value);
      return { path, pos, message: `kubernetes: expected a quoted string, got the number ${text}; write kubernetes: "${text}"` };
    }
    return { path, pos, message: `kubernetes: unsupported version ${showValue(src, path, value)}; expected a quoted string "${VERSIONS[0]}".."${VERSIONS[VERSIONS.length - 1]}" such as kubernetes: "${VERSIONS[VERSIONS.length - 1]}"` };
  }
  const expected = expectedText(root, e.schemaPath);
  const got = showValue(src, path, value);
  const quoteHint = (expected?.includes('string') || (e.keyword === 'type' && String(params['type']).includes('string'))) &&
    (typeof value === 'number' || typeof value === 'boolean')
    ? `; quote it: "${src.sourceText(path) ?? String(value)}"` : '';
  if (expected) return { path, pos, message: `${label}: expected ${expected}, got ${got}${quoteHint}` };
  switch (e.keyword) {
    case 'type':
      return { path, pos, message: `${label}: expected ${typeWords(params['type'])}, got ${got}${quoteHint}` };
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map((x) => JSON.stringify(x));
      const hint = typeof value === 'string' ? didYouMean(value, (params['allowedValues'] as unknown[]).map(String)) : undefined;
      if (allowed.length > 8) {
        return { path, pos, message: `${label}: unknown value ${got}${hint ? ` (did you mean "${hint}"?)` : ` (expected one of: ${(params['allowedValues'] as unknown[]).map(String).join(', ')})`}` };
      }
      return { path, pos, message: `${label}: expected one of ${allowed.join(', ')}, got ${got}${hint ? ` (did you mean "${hint}"?)` : ''}` };
    }
    case 'const':
      return { path, pos, message: `${label}: expected ${JSON.stringify(params['allowedValue'])}, got ${got}` };
    case 'minimum':
    case 'maximum': {
      const min = parent['minimum'], max = parent['maximum'];
      const range = max !== undefined ? `from ${String(min)} to ${String(max)}` : `of at least ${String(min)}`;
      return { path, pos, message: `${label}: expected ${parent['type'] === 'integer' ? 'a whole number' : 'a number'} ${range}, got ${got}` };
    }
    case 'minLength':
      return { path, pos, message: `${label}: expected a non-empty string` };
    case 'pattern':
      return { path, pos, message: `${label}: ${got} does not have the expected form (${String(params['pattern'])})` };
    case 'maxItems':
      return { path, pos, message: `${label}: expected at most ${String(params['limit'])} ${Number(params['limit']) === 1 ? 'entry' : 'entries'}` };
    case 'minItems':
      return { path, pos, message: `${label}: expected at least ${String(params['limit'])} ${Number(params['limit']) === 1 ? 'entry' : 'entries'}` };
    case 'minProperties':
      return { path, pos, message: `${label}: expected a non-empty map` };
    default:
      return { path, pos, message: `${label}: ${e.message ?? 'is invalid'}` };
  }
}
