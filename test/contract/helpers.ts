/** Helpers of the contract tests: scenarios written to temporary folders and run through the CLI in process. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli, type CliResult } from '../helpers.js';

/** The assertions the helpers use (structural, so any tap Test fits). */
export interface Asserts {
  equal(a: unknown, b: unknown, msg?: string, extra?: object): boolean;
  ok(a: unknown, msg?: string, extra?: object): boolean;
  match(a: unknown, b: unknown, msg?: string, extra?: object): boolean;
}

let counter = 0;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kubedrill-contract-'));
process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));

/** Writes files (relative name -> text) into a fresh temporary folder and returns its path. */
export function tempDir(files: Record<string, string> = {}): string {
  const dir = path.join(root, String(++counter));
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, body] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, body);
  }
  return dir;
}

/** Runs `kubedrill <argv>` with `dir` as the working directory. */
export async function cliIn(dir: string, argv: string[]): Promise<CliResult> {
  const prev = process.cwd();
  process.chdir(dir);
  try {
    return await cli(argv);
  } finally {
    process.chdir(prev);
  }
}

/** A scenario document: the header, then `body` (YAML text, top-level keys). */
export function scenario(body: string, name = 't'): string {
  return `apiVersion: kubedrill/v1\nkind: Scenario\nname: ${JSON.stringify(name)}\n${body.replace(/^\n/, '')}`;
}

/** Writes `text` as s.yaml (plus extra files) into a fresh folder and runs `kubedrill <cmd> s.yaml <args>`. */
export async function runText(text: string, opts: { cmd?: string; args?: string[]; files?: Record<string, string> } = {}): Promise<CliResult & { dir: string }> {
  const dir = tempDir({ 's.yaml': text, ...(opts.files ?? {}) });
  const r = await cliIn(dir, [opts.cmd ?? 'run', 's.yaml', ...(opts.args ?? [])]);
  return { ...r, dir };
}

/** Runs a scenario body (see {@link scenario}). */
export async function run(body: string, opts: { cmd?: string; args?: string[]; files?: Record<string, string> } = {}): Promise<CliResult & { dir: string }> {
  return runText(scenario(body), opts);
}

/** Lines of a TAP report's test points (`ok N - name` / `not ok N - name`), indented ones included, trimmed. */
export function points(out: string): string[] {
  return out.split('\n').map((l) => l.trim()).filter((l) => /^(not )?ok \d+/.test(l));
}

/** Asserts a run passed (exit 0), showing the report otherwise. */
export function passes(t: Asserts, r: CliResult): void {
  t.equal(r.code, 0, 'exit 0, every point ok', { out: r.out, err: r.err });
}

/** Asserts a run failed validation (exit 2) with a problem line containing `want` (file:line:col: message). */
export function invalid(t: Asserts, r: CliResult, want: string | RegExp): void {
  t.equal(r.code, 2, 'exit 2', { out: r.out, err: r.err });
  if (typeof want === 'string') t.ok(r.err.includes(want), `stderr has ${want}`, { err: r.err });
  else t.match(r.err, want);
}

/** Two-space indents a block of YAML by `n` levels. */
export function indent(text: string, n: number): string {
  const pad = '  '.repeat(n);
  return text.split('\n').map((l) => (l ? pad + l : l)).join('\n');
}

/** A Deployment manifest list entry (inline YAML). */
export function deployment(name: string, replicas: number, extraSpec = ''): string {
  return `  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: ${name}}
    spec:
      replicas: ${replicas}
      selector: {matchLabels: {app: ${name}}}
      template:
        metadata: {labels: {app: ${name}}}
        spec:
          containers: [{name: c, image: nginx:1.27}]${extraSpec}
`;
}

/** A bare Pod manifest list entry. */
export function pod(name: string, extraSpec = '', ns?: string): string {
  return `  - apiVersion: v1
    kind: Pod
    metadata: {name: ${name}${ns ? `, namespace: ${ns}` : ''}}
    spec:
      containers: [{name: c, image: nginx:1.27}]${extraSpec}
`;
}
