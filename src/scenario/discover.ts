/**
 * Which files `run` and `validate` read: the arguments in order; folders searched recursively for
 * `*.yaml`/`*.yml` (names starting with `.` skipped), a found file counting only if its first document has
 * `kind: Scenario`; a folder's files in byte order of path; each file once; paths shown as reached from the
 * arguments, with `/`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Composer, Parser, isScalar } from 'yaml';
import type { Problem } from './types.js';
import { firstInvalidUtf8 } from './load.js';

/** Whether the first YAML document of `text` has `kind: Scenario` (text that does not parse: a top-level line says so). */
export function firstDocIsScenario(text: string): boolean {
  try {
    const composer = new Composer({ uniqueKeys: false });
    for (const doc of composer.compose(new Parser().parse(text), true)) {
      const c = doc.contents as { value?: unknown } | null;
      if (c === null || (isScalar(c) && (c.value === null || c.value === undefined))) continue;
      if (doc.errors.length === 0) {
        const c = doc.contents as { get?: (k: string) => unknown };
        return typeof c.get === 'function' && c.get('kind') === 'Scenario';
      }
      break;
    }
  } catch {
    // fall through to the line heuristic
  }
  const firstDoc = text.split(/^---\s*$/m).find((part) => /\S/.test(part.replace(/^#.*$/gm, ''))) ?? '';
  return /^kind:[ \t]*["']?Scenario["']?[ \t]*(#.*)?$/m.test(firstDoc);
}

function toSlash(p: string): string {
  return p.split(path.sep).join('/');
}

function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Reads the head of a file to decide whether it is a scenario (bounded read for very large files). */
function looksLikeScenario(abs: string): boolean {
  let bytes: Buffer;
  try {
    const fd = fs.openSync(abs, 'r');
    try {
      const size = Math.min(fs.fstatSync(fd).size, 1 << 20);
      bytes = Buffer.alloc(size);
      fs.readSync(fd, bytes, 0, size, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return true; // unreadable: let the loader report it
  }
  const bad = firstInvalidUtf8(bytes);
  const text = bytes.toString('latin1');
  if (bad >= 0 && bad < bytes.length - 3) return /^kind:[ \t]*["']?Scenario["']?[ \t]*(#.*)?\r?$/m.test(text);
  return firstDocIsScenario(bytes.toString('utf8'));
}

/**
 * The scenario files reached from `paths` (relative to `cwd`, or absolute), in order, each once; a missing
 * path is a problem (line 0: no position inside a file).
 */
export function discover(paths: string[], cwd: string): { files: string[]; problems: Problem[] } {
  const files: string[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = (shown: string, abs: string): void => {
    let key = abs;
    try { key = fs.realpathSync(abs); } catch { /* keep abs */ }
    if (seen.has(key)) return;
    seen.add(key);
    files.push(shown);
  };
  for (const arg of paths) {
    const abs = path.resolve(cwd, arg);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      problems.push({ pos: { file: toSlash(arg), line: 0, col: 0 }, message: `no such file or folder: ${toSlash(arg)}` });
      continue;
    }
    const norm = toSlash(path.normalize(arg));
    const shownArg = norm.length > 1 ? norm.replace(/\/+$/, '') : norm;
    if (!st.isDirectory()) {
      add(shownArg, abs);
      continue;
    }
    const found: Array<{ shown: string; abs: string }> = [];
    const visited = new Set<string>();
    const walk = (dirAbs: string, dirShown: string): void => {
      let real: string;
      try { real = fs.realpathSync(dirAbs); } catch { return; }
      if (visited.has(real)) return;
      visited.add(real);
      let entries: fs.Dirent[];
      try { entries = fs.readdirSync(dirAbs, { withFileTypes: true }); } catch { return; }
      for (const e of entries) {
        if (e.name.startsWith('.')) continue;
        const childAbs = path.join(dirAbs, e.name);
        const childShown = dirShown === '.' ? e.name : `${dirShown}/${e.name}`;
        let isDir = e.isDirectory(), isFile = e.isFile();
        if (e.isSymbolicLink()) {
          try { const s = fs.statSync(childAbs); isDir = s.isDirectory(); isFile = s.isFile(); } catch { continue; }
        }
        if (isDir) walk(childAbs, childShown);
        else if (isFile && /\.ya?ml$/.test(e.name)) found.push({ shown: childShown, abs: childAbs });
      }
    };
    walk(abs, shownArg);
    found.sort((a, b) => byteCompare(a.shown, b.shown));
    for (const f of found) if (looksLikeScenario(f.abs)) add(f.shown, f.abs);
  }
  return { files, problems };
}
