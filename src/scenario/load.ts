/**
 * Loading a scenario file: bytes (size-bounded, UTF-8 only) -> YAML 1.2 documents with positions (duplicate
 * keys, syntax errors, alias and depth bounds) -> schema validation -> the typed model. Every problem of the
 * file is collected; a file with problems yields no scenarios. `{file}` references are read relative to the
 * scenario file's folder and confined to it unless `allowOutside`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, isScalar, parseAllDocuments, type Document } from 'yaml';
import type { KObject, SourcePos } from '../k8s/types.js';
import type { Problem, Scenario } from './types.js';
import { scanNesting, SourceDoc, toPlain } from './positions.js';
import { validateDocument } from './validate.js';
import { buildScenario, expandList, type LoadedObject, type ObjectLoader } from './model.js';
import { DEFAULT_LIMITS, limitMessage, type Limits } from './limits.js';
import { clone } from '../k8s/util.js';

/** Options of {@link loadFile}. */
export interface LoadOptions {
  /** Let `{file}` references leave the scenario file's folder (`--allow-outside`). */
  allowOutside: boolean;
  limits: Limits;
  /** Folder that relative display paths are read from (default: the process's working directory). */
  cwd?: string;
}

/** What loading one file gives. */
export interface LoadResult {
  file: string;
  scenarios: Scenario[];
  problems: Problem[];
  /** `file:line:col: message` lines for stderr (e.g. kinds no controller acts on). */
  warnings: string[];
}

/** One YAML file parsed into documents, or the problems that stopped it. */
export interface ParsedFile {
  file: string;
  /** Non-empty documents, with their plain data (undefined when the document itself has problems). */
  docs: Array<{ src: SourceDoc; data: unknown; index: number; ok: boolean }>;
  problems: Problem[];
}

const at = (file: string, line = 1, col = 1): SourcePos => ({ file, line, col });

/** The 0-based offset of the first byte that is not valid UTF-8, or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) { i++; continue; }
    let need: number, min: number;
    if (c >= 0xc2 && c <= 0xdf) { need = 1; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { need = 2; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    let cp = c & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const x = b[i + k];
      if (x === undefined || (x & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (x & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Decodes bytes as UTF-8 (a leading BOM dropped), or a problem at the first bad byte. */
function decode(file: string, bytes: Uint8Array): { text: string } | { problem: Problem } {
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    let line = 1, lineStart = 0;
    for (let i = 0; i < bad; i++) if (bytes[i] === 10) { line++; lineStart = i + 1; }
    const col = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, bad)).length + 1;
    const hex = bytes[bad]!.toString(16).padStart(2, '0');
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    return { problem: { pos: at(file, line, col), message: `the file is not valid UTF-8 (byte 0x${hex} at offset ${bad})${utf16 ? '; it looks like UTF-16' : ''}: save it as UTF-8` } };
  }
  return { text: new TextDecoder('utf-8').decode(bytes) };
}

/** Message for a YAML parser error, lower-case and without the code frame. */
function yamlMessage(code: string, message: string, text: string, offset: number): string {
  if (code === 'DUPLICATE_KEY') {
    const m = /^[^\s:]+|^"[^"]*"|^'[^']*'/.exec(text.slice(offset, offset + 200));
    return `duplicate key${m ? ` ${m[0].startsWith('"') || m[0].startsWith("'") ? m[0] : JSON.stringify(m[0])}` : ''}: each key may appear once in a map`;
  }
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return `YAML ${first.charAt(0).toLowerCase()}${first.slice(1)}`.replace(/^YAML /, 'yaml: ');
}

/**
 * A cheap upper estimate of the YAML values in `text`, made before parsing: every value needs a line break,
 * a `,`, a `[` or `{`, or a compact `- ` / `: ` before it. The offset where the count passes `max`, or -1.
 */
export function scanValues(text: string, max: number): number {
  const re = /[\n,[{]|- |: /g;
  let n = 0;
  while (re.exec(text) !== null) if (++n > max) return re.lastIndex - 1;
  return -1;
}

/**
 * Parses YAML text (already decoded) into its non-empty documents with positions; syntax errors, duplicate
 * keys, alias and depth bounds are problems.
 */
export function parseYaml(file: string, text: string, limits: Limits): ParsedFile {
  const problems: Problem[] = [];
  const out: ParsedFile = { file, docs: [], problems };
  const deepAt = scanNesting(text, Math.max(limits.maxDepth, 5000));
  if (deepAt >= 0) {
    let line = 1, lineStart = 0;
    for (let i = text.indexOf('\n'); i >= 0 && i < deepAt; i = text.indexOf('\n', i + 1)) { line++; lineStart = i + 1; }
    problems.push({ pos: at(file, line, deepAt - lineStart + 1), message: limitMessage('maxDepth', 'the YAML nesting depth', limits.maxDepth) });
    return out;
  }
  const manyAt = scanValues(text, limits.maxYamlValues ?? DEFAULT_LIMITS.maxYamlValues);
  if (manyAt >= 0) {
    let line = 1, lineStart = 0;
    for (let i = text.indexOf('\n'); i >= 0 && i < manyAt; i = text.indexOf('\n', i + 1)) { line++; lineStart = i + 1; }
    problems.push({ pos: at(file, line, manyAt - lineStart + 1), message: limitMessage('maxYamlValues', `the number of YAML values (more than ${limits.maxYamlValues ?? DEFAULT_LIMITS.maxYamlValues})`, limits.maxYamlValues ?? DEFAULT_LIMITS.maxYamlValues) });
    return out;
  }
  const lc = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter: lc, keepSourceTokens: true, prettyErrors: false, uniqueKeys: true, version: '1.2' }) as Document.Parsed[];
  } catch (e) {
    problems.push({ pos: at(file), message: `yaml: could not parse the file: ${(e as Error).message}` });
    return out;
  }
  if (!Array.isArray(docs)) return out;
  docs.forEach((doc, index) => {
    const src = new SourceDoc(file, doc, lc, text);
    let ok = true;
    for (const e of [...doc.errors, ...doc.warnings]) {
      const off = e.pos[0];
      const pos = src.posOf(off);
      problems.push({ pos, message: yamlMessage(e.code, e.message, text, off) });
      if (e.code !== 'DUPLICATE_KEY') ok = false;
    }
    const c = doc.contents as { value?: unknown } | null | undefined;
    if (c === null || c === undefined || (isScalar(c) && (c.value === null || c.value === undefined))) return;
    if (!ok) { out.docs.push({ src, data: undefined, index, ok: false }); return; }
    const conv = toPlain(src, limits);
    problems.push(...conv.problems);
    out.docs.push({ src, data: conv.value, index, ok: conv.problems.length === 0 });
  });
  return out;
}

/** Reads, size-checks, decodes and parses one file. */
export function readYamlFile(display: string, abs: string, limits: Limits, refPos?: SourcePos): ParsedFile {
  const fail = (message: string, pos: SourcePos = refPos ?? at(display)): ParsedFile => ({ file: display, docs: [], problems: [{ pos, message }] });
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    return fail(`file not found: ${display}`, refPos ?? at(display, 0, 0));
  }
  if (st.isDirectory()) return fail(refPos ? `file "${display}" is a folder, not a file` : `${display} is a folder, not a file`);
  if (st.size > limits.maxFileBytes) {
    return fail(limitMessage('maxFileBytes', `the size of ${display} (${st.size} bytes)`, limits.maxFileBytes), refPos ?? at(display));
  }
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(abs);
  } catch (e) {
    return fail(`cannot read ${display}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const d = decode(display, bytes);
  if ('problem' in d) return { file: display, docs: [], problems: [d.problem] };
  return parseYaml(display, d.text, limits);
}

function toSlash(p: string): string {
  return p.split(path.sep).join('/');
}

/** Builds the `{file}` loader of one scenario file: relative to its folder, confined unless allowed. */
function makeLoader(display: string, abs: string, opts: LoadOptions, cache: Map<string, ParsedFile>): ObjectLoader {
  const dirAbs = path.dirname(abs);
  const dirDisplay = path.posix.dirname(toSlash(display));
  return (ref: string, refPos: SourcePos) => {
    const problems: Problem[] = [];
    const outside = `file "${ref}" is outside the scenario's folder; {file} paths stay inside it (pass --allow-outside to permit this)`;
    if (!opts.allowOutside) {
      if (path.isAbsolute(ref) || path.win32.isAbsolute(ref)) return { objects: [], problems: [{ pos: refPos, message: outside }] };
      const rel = path.relative(dirAbs, path.resolve(dirAbs, ref));
      if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { objects: [], problems: [{ pos: refPos, message: outside }] };
    }
    const target = path.resolve(dirAbs, ref);
    const shown = path.isAbsolute(ref) ? toSlash(ref) : path.posix.normalize(path.posix.join(dirDisplay, toSlash(ref)));
    if (!fs.existsSync(target)) return { objects: [], problems: [{ pos: refPos, message: `file "${ref}" not found (looked for ${shown})` }] };
    if (!opts.allowOutside) {
      try {
        const realDir = fs.realpathSync(dirAbs);
        const real = fs.realpathSync(target);
        const rel = path.relative(realDir, real);
        if (rel.startsWith('..') || path.isAbsolute(rel)) {
          return { objects: [], problems: [{ pos: refPos, message: `file "${ref}" is a symbolic link that leads outside the scenario's folder (pass --allow-outside to permit this)` }] };
        }
      } catch {
        return { objects: [], problems: [{ pos: refPos, message: `file "${ref}" cannot be resolved` }] };
      }
    }
    let parsed = cache.get(target);
    if (!parsed) {
      parsed = readYamlFile(shown, target, opts.limits, refPos);
      cache.set(target, parsed);
      problems.push(...parsed.problems);
    }
    const objects: LoadedObject[] = [];
    for (const d of parsed.docs) {
      if (!d.ok) continue;
      if (d.data === null || typeof d.data !== 'object' || Array.isArray(d.data)) {
        problems.push({ pos: d.src.rootPos(), message: `expected a Kubernetes object (a map with apiVersion and kind), got ${Array.isArray(d.data) ? 'a list' : 'a scalar'}` });
        continue;
      }
      const lo: LoadedObject = { object: clone(d.data) as KObject, src: d.src, path: [], pos: d.src.rootPos() };
      objects.push(...expandList(lo));
    }
    return { objects, problems };
  };
}

/**
 * Loads one scenario file: every document must be a kubedrill/v1 Scenario. Returns its scenarios (none when
 * the file has any problem), every problem with file:line:col, and warnings for stderr.
 */
export function loadFile(displayPath: string, opts: LoadOptions): LoadResult {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const abs = path.resolve(opts.cwd ?? process.cwd(), displayPath);
  const result: LoadResult = { file: displayPath, scenarios: [], problems: [], warnings: [] };
  const parsed = readYamlFile(displayPath, abs, limits);
  result.problems.push(...parsed.problems);
  const cache = new Map<string, ParsedFile>();
  const loader = makeLoader(displayPath, abs, { ...opts, limits }, cache);
  const names = new Map<string, SourcePos>();
  const scenarios: Scenario[] = [];
  let count = 0;
  for (const d of parsed.docs) {
    count++;
    if (!d.ok) continue;
    if (d.data === null || typeof d.data !== 'object' || Array.isArray(d.data)) {
      result.problems.push({ pos: d.src.rootPos(), message: `expected a Scenario (a map with apiVersion: kubedrill/v1 and kind: Scenario), got ${Array.isArray(d.data) ? 'a list' : 'a scalar'}` });
      continue;
    }
    const data = d.data as Record<string, unknown>;
    const schema = validateDocument(d.src, data);
    result.problems.push(...schema.problems);
    if (data['kind'] !== 'Scenario' || data['apiVersion'] !== 'kubedrill/v1') continue; // the rest would be noise
    const m = buildScenario({ src: d.src, data, docIndex: d.index, flagged: schema.flagged, limits, loadFile: loader });
    result.problems.push(...m.problems);
    result.warnings.push(...m.warnings);
    const name = m.scenario.name;
    if (name) {
      const prev = names.get(name);
      if (prev) result.problems.push({ pos: d.src.locate(['name']), message: `duplicate scenario name "${name}" (first at line ${prev.line}); names are unique within a file` });
      else names.set(name, d.src.locate(['name']));
    }
    scenarios.push(m.scenario);
  }
  if (count === 0 && result.problems.length === 0) {
    result.problems.push({ pos: at(displayPath), message: 'the file holds no Scenario document' });
  }
  result.problems = dedupe(result.problems);
  result.problems.sort((a, b) => (a.pos.file === b.pos.file ? 0 : a.pos.file === displayPath ? -1 : b.pos.file === displayPath ? 1 : a.pos.file < b.pos.file ? -1 : 1) || a.pos.line - b.pos.line || a.pos.col - b.pos.col);
  result.warnings = [...new Set(result.warnings)];
  if (result.problems.length === 0) result.scenarios = scenarios;
  return result;
}

function dedupe(ps: Problem[]): Problem[] {
  const seen = new Set<string>();
  return ps.filter((p) => {
    const k = `${p.pos.file}:${p.pos.line}:${p.pos.col}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
