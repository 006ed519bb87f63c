/** Helpers of the robustness tests: run the built CLI in a child process with a hard timeout. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

export const root = join(import.meta.dirname, '..', '..');
export const BIN = join(root, 'dist', 'src', 'cli', 'bin.js');

/** What one CLI run gave; `finished` is false when the timeout killed it. */
export interface Run { code: number | null; out: string; err: string; finished: boolean; ms: number }

/** Runs `node dist/src/cli/bin.js ...args` in `cwd`, killed after `timeoutMs`. */
export function kubedrill(args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Run {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? root, encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '', finished: r.signal === null && r.error === undefined, ms: Date.now() - t0 };
}

/** A fresh temporary folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'kubedrill-robust-'));
}

/** Writes `files` (name -> text or bytes) into a fresh folder; returns it. */
export function folder(files: Record<string, string | Uint8Array>): string {
  const d = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

/** No line of `text` looks like a JavaScript stack frame. */
export function noStack(text: string): boolean {
  return !/^\s+at .+[:(]\d+:\d+\)?$/m.test(text) && !/\n\s+at (?:file:|node:|\/)/.test(text);
}

/** A minimal valid scenario head with one node. */
export const HEAD = `apiVersion: kubedrill/v1
kind: Scenario
name: s
nodes: [{name: node-1}]
`;
