/**
 * Resource limits that keep hostile or runaway scenario input bounded. Every limit has a documented default
 * that admits Kubernetes' own scalability envelope (5,000 nodes, 150,000 pods) and 7 days of simulated
 * time, and a command-line option that raises it.
 */

/** The limits a scenario load (and run) must stay within. */
export interface Limits {
  /** Nodes declared: `nodes` after `count`, `addNode` events and Node objects (default 10,000). */
  maxNodes: number;
  /** Pods declared: Pods plus the replicas / parallelism of workloads and `scale` events (default 300,000). */
  maxPods: number;
  /** Kubernetes objects in `manifests` and `apply` events (default 500,000). */
  maxObjects: number;
  /** Entries of `events` (default 100,000). */
  maxEvents: number;
  /** Simulated span: the largest `until`, in ms (default 30 days). */
  maxSpan: number;
  /** Wall-clock time one scenario may run, in ms (default 120,000); enforced by the runner. */
  maxWallMs: number;
  /** YAML alias dereferences in one document, nested ones included (default 1,000). */
  maxAliases: number;
  /** Nesting depth of YAML collections (default 200). */
  maxDepth: number;
  /** Size of one YAML file in bytes (default 64 MiB). */
  maxFileBytes: number;
  /**
   * YAML values in one file, estimated before parsing from the line breaks, `,`, `[`, `{`, `- ` and `: ` it
   * holds (default 500,000): parsing costs about 1 KB and tens of µs per value, so this bounds memory and time
   * where the byte size alone would not (64 MiB of `- a` lines is 16 million values).
   */
  maxYamlValues: number;
}

/** The documented defaults. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxNodes: 10_000,
  maxPods: 300_000,
  maxObjects: 500_000,
  maxEvents: 100_000,
  maxSpan: 30 * 24 * 3_600_000,
  maxWallMs: 120_000,
  maxAliases: 1_000,
  maxDepth: 200,
  maxFileBytes: 64 * 1024 * 1024,
  maxYamlValues: 500_000,
});

/** The command-line option that raises each limit, and what the option's value means. */
export const LIMIT_OPTIONS: Readonly<Record<keyof Limits, { option: string; unit: 'count' | 'duration' | 'bytes' | 'ms' }>> = Object.freeze({
  maxNodes: { option: '--max-nodes', unit: 'count' },
  maxPods: { option: '--max-pods', unit: 'count' },
  maxObjects: { option: '--max-objects', unit: 'count' },
  maxEvents: { option: '--max-events', unit: 'count' },
  maxSpan: { option: '--max-span', unit: 'duration' },
  maxWallMs: { option: '--max-wall-time', unit: 'duration' },
  maxAliases: { option: '--max-aliases', unit: 'count' },
  maxDepth: { option: '--max-depth', unit: 'count' },
  maxFileBytes: { option: '--max-file-bytes', unit: 'bytes' },
  maxYamlValues: { option: '--max-yaml-values', unit: 'count' },
});

/** Multiplier bounding how many collection nodes alias expansion may materialise per allowed alias. */
export const ALIAS_EXPANSION_FACTOR = 1_000;

/**
 * The message for an exceeded limit: `<what> exceeds the limit maxNodes (10000); raise it with --max-nodes`.
 * `what` says what was counted, e.g. `10001 nodes`.
 */
export function limitMessage(limit: keyof Limits, what: string, value: number | string): string {
  const o = LIMIT_OPTIONS[limit];
  return `${what} exceeds the limit ${limit} (${String(value)}); raise it with ${o.option}`;
}
