/** Shared helpers of the scenario loader tests. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadFile, DEFAULT_LIMITS, type Limits, type LoadResult } from '../../../src/scenario/index.js';

let counter = 0;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kubedrill-scenario-'));
process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));

/** Writes files (name -> text) into a fresh temporary folder and returns it. */
export function tempDir(files: Record<string, string | Uint8Array> = {}): string {
  const dir = path.join(root, String(++counter));
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, body] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, body);
  }
  return dir;
}

/** The header every scenario document needs. */
export const HEAD = 'apiVersion: kubedrill/v1\nkind: Scenario\nname: t\n';

/** Loads scenario text written to `s.yaml` in a fresh folder (plus extra files). */
export function loadText(text: string, extra: Record<string, string | Uint8Array> = {}, opts: { allowOutside?: boolean; limits?: Partial<Limits> } = {}): LoadResult {
  const dir = tempDir({ 's.yaml': text, ...extra });
  return loadFile('s.yaml', { allowOutside: opts.allowOutside ?? false, limits: { ...DEFAULT_LIMITS, ...opts.limits }, cwd: dir });
}

/** Problems rendered as `line:col: message`. */
export function lines(r: LoadResult): string[] {
  return r.problems.map((p) => `${p.pos.line}:${p.pos.col}: ${p.message}`);
}
