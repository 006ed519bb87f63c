/** Helpers for the contract tests: write a scenario to a temp dir and run it through the CLI. */
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { Parser } from 'tap-parser';
import { cli, type CliResult } from '../helpers.js';

export { cli };
export type { CliResult };

/** A fresh temp dir with the given files (path -> content). Returns the dir. */
export function files(map: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kd-contract-'));
  for (const [p, c] of Object.entries(map)) {
    const full = join(dir, p);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, c);
  }
  return dir;
}

/** Writes one scenario file (body without the apiVersion/kind header unless `raw`). Returns its path. */
export function scenarioFile(body: string, extra: Record<string, string> = {}, raw = false): string {
  const text = raw ? body : `apiVersion: kubedrill/v1\nkind: Scenario\n${body}`;
  const dir = files({ 's.yaml': text, ...extra });
  return join(dir, 's.yaml');
}

/** Runs a scenario; returns the CLI result. */
export async function runBody(body: string, args: string[] = [], extra: Record<string, string> = {}): Promise<CliResult> {
  return cli(['run', scenarioFile(body, extra), ...args]);
}

interface TT { equal: (a: unknown, b: unknown, m?: string) => void; match: (a: unknown, b: unknown, m?: string) => void; name?: string }

function dump(t: TT, r: CliResult): void {
  if (!process.env['CONTRACT_DEBUG']) return;
  mkdirSync('/tmp/kd-fail', { recursive: true });
  writeFileSync(join('/tmp/kd-fail', String(t.name ?? 'x').replace(/[^a-z0-9]+/gi, '_').slice(0, 100) + '.txt'), `${r.code}\n${r.out}\n${r.err}`);
}

/** Runs a scenario and asserts it passed (exit 0, every point ok). */
export async function passes(t: TT, body: string, args: string[] = [], extra: Record<string, string> = {}): Promise<CliResult> {
  const r = await runBody(body, args, extra);
  if (r.code !== 0 || /^\s*not ok/m.test(r.out)) dump(t, r);
  t.equal(r.code, 0, `exit 0\n${r.out}\n${r.err}`);
  t.equal(/^\s*not ok/m.test(r.out), false, 'no failing point');
  return r;
}

/** Runs a scenario and asserts it failed with exit 1. */
export async function fails(t: TT, body: string, args: string[] = [], extra: Record<string, string> = {}): Promise<CliResult> {
  const r = await runBody(body, args, extra);
  if (r.code !== 1) dump(t, r);
  t.equal(r.code, 1, `exit 1\n${r.out}\n${r.err}`);
  return r;
}

/** Parses TAP with an independent parser. */
export function parseTap(tap: string): Promise<{ ok: boolean; count: number; pass: number; fail: number; plan: { start: number; end: number }; failures: Array<{ tapError?: string }>; bailout: unknown }> {
  return new Promise((resolve) => {
    const p = new Parser((results) => resolve(results as never));
    p.end(tap);
  });
}

/** A bare Pod manifest. */
export function pod(name: string, opts: { labels?: string; spec?: string; image?: string; container?: string } = {}): string {
  return `  - apiVersion: v1
    kind: Pod
    metadata: {name: ${name}${opts.labels ? `, labels: ${opts.labels}` : ''}}
    spec:
      containers: [{name: ${opts.container ?? 'c'}, image: "${opts.image ?? 'nginx:1.27'}"}]
${opts.spec ?? ''}`;
}

/** A Deployment manifest. */
export function deploy(name: string, replicas = 1, tmplSpec = ''): string {
  return `  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: ${name}}
    spec:
      replicas: ${replicas}
      selector: {matchLabels: {app: ${name}}}
      template:
        metadata: {labels: {app: ${name}}}
        spec:
          containers: [{name: c, image: "nginx:1.27"}]
${tmplSpec}`;
}

/** The test points of the first subtest: [ok, name]. */
export function points(out: string): Array<[boolean, string]> {
  return out.split('\n').filter((l) => /^    (not )?ok \d+ - /.test(l)).map((l) => {
    const m = /^    (not )?ok \d+ - (.*)$/.exec(l)!;
    return [!m[1], m[2]!];
  });
}

/** Runs a scenario whose expect names start with `T ` (must pass) or `F ` (must fail) and checks each point. */
export async function judge(t: TT & { ok: (v: unknown, m?: string) => void }, body: string, args: string[] = [], extra: Record<string, string> = {}): Promise<CliResult> {
  const r = await runBody(body, args, extra);
  const ps = points(r.out);
  const anyF = ps.some(([, n]) => n.startsWith('F '));
  if (r.code !== (anyF ? 1 : 0) || ps.some(([ok, n]) => ok !== n.startsWith('T '))) dump(t, r);
  t.equal(r.code, anyF ? 1 : 0, `exit code\n${r.out}\n${r.err}`);
  t.ok(ps.length > 0, 'some points');
  for (const [ok, n] of ps) t.equal(ok, n.startsWith('T '), `${n}`);
  return r;
}
