/**
 * The scheduler profile: the version's default plugin set (k/k pkg/scheduler/apis/config/v1/default_plugins.go,
 * §3.2) merged with the scenario's KubeSchedulerConfiguration subset as kube-scheduler merges it (multiPoint
 * and per-extension-point enabled/disabled, `*`, weights), plus the pluginConfig args.
 */
import type { Defaults } from '../defaults.js';

/** Extension points a profile lists. */
export type ExtensionPoint = 'preEnqueue' | 'queueSort' | 'preFilter' | 'filter' | 'postFilter' | 'preScore' | 'score' | 'reserve' | 'permit' | 'preBind' | 'bind';

/** The resolved profile. */
export interface Profile {
  /** Enabled plugin names per extension point, in order. */
  points: Record<ExtensionPoint, string[]>;
  /** Score weights. */
  weights: Record<string, number>;
  /** pluginConfig args by plugin name. */
  args: Record<string, Record<string, any>>;
  percentageOfNodesToScore: number;
  podInitialBackoff: number;
  podMaxBackoff: number;
}

/** The default MultiPoint list of a version. */
export function defaultMultiPoint(d: Defaults): string[] {
  const l = ['SchedulingGates', 'PrioritySort', 'NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts',
    'NodeResourcesFit', 'VolumeRestrictions'];
  if (d.inTreeVolumeLimitPlugins) l.push('EBSLimits', 'GCEPDLimits');
  l.push('NodeVolumeLimits');
  if (d.inTreeVolumeLimitPlugins) l.push('AzureDiskLimits');
  l.push('VolumeBinding', 'VolumeZone', 'PodTopologySpread', 'InterPodAffinity');
  if (d.dynamicResourcesPlugin) l.push('DynamicResources');
  l.push('DefaultPreemption', 'NodeResourcesBalancedAllocation', 'ImageLocality', 'DefaultBinder');
  return l;
}

/** Which extension points each plugin implements. */
export const PLUGIN_POINTS: Readonly<Record<string, readonly ExtensionPoint[]>> = {
  SchedulingGates: ['preEnqueue'],
  PrioritySort: ['queueSort'],
  NodeUnschedulable: ['filter'],
  NodeName: ['filter'],
  TaintToleration: ['filter', 'preScore', 'score'],
  NodeAffinity: ['preFilter', 'filter', 'preScore', 'score'],
  NodePorts: ['preFilter', 'filter'],
  NodeResourcesFit: ['preFilter', 'filter', 'preScore', 'score'],
  VolumeRestrictions: ['preFilter', 'filter'],
  EBSLimits: ['filter'],
  GCEPDLimits: ['filter'],
  NodeVolumeLimits: ['preFilter', 'filter'],
  AzureDiskLimits: ['filter'],
  VolumeBinding: ['preFilter', 'filter', 'reserve', 'preBind', 'preScore', 'score'],
  VolumeZone: ['preFilter', 'filter'],
  PodTopologySpread: ['preFilter', 'filter', 'preScore', 'score'],
  InterPodAffinity: ['preFilter', 'filter', 'preScore', 'score'],
  DynamicResources: ['preEnqueue', 'preFilter', 'filter', 'postFilter', 'reserve', 'preBind'],
  DefaultPreemption: ['postFilter'],
  NodeResourcesBalancedAllocation: ['preScore', 'score'],
  ImageLocality: ['score'],
  DefaultBinder: ['bind'],
};

const POINTS: ExtensionPoint[] = ['preEnqueue', 'queueSort', 'preFilter', 'filter', 'postFilter', 'preScore', 'score', 'reserve', 'permit', 'preBind', 'bind'];

interface PluginSet {
  enabled?: Array<{ name: string; weight?: number }>;
  disabled?: Array<{ name: string }>;
}

/** Resolves the profile from defaults and the scenario's raw configuration. */
export function resolveProfile(d: Defaults, raw: Record<string, any> | undefined): Profile {
  const cfg = raw ?? {};
  const prof: Record<string, any> = Array.isArray(cfg.profiles) && cfg.profiles.length ? cfg.profiles[0] : cfg;
  const plugins: Record<string, PluginSet> = prof.plugins ?? {};
  const weights: Record<string, number> = { ...d.scoreWeights };
  let mp = defaultMultiPoint(d);
  const mpSet = plugins.multiPoint;
  if (mpSet) {
    const dis = new Set((mpSet.disabled ?? []).map((p) => p.name));
    if (dis.has('*')) mp = [];
    else mp = mp.filter((n) => !dis.has(n));
    for (const e of mpSet.enabled ?? []) {
      if (!mp.includes(e.name)) mp.push(e.name);
      // A custom entry replaces the default one in place (mergePluginSet), weight included; an unset or
      // zero weight counts as 1 (framework getScoreWeights).
      weights[e.name] = e.weight || 1;
    }
  }
  const points = {} as Record<ExtensionPoint, string[]>;
  for (const p of POINTS) {
    let list = mp.filter((n) => (PLUGIN_POINTS[n] ?? []).includes(p));
    const set = plugins[p];
    if (set) {
      const dis = new Set((set.disabled ?? []).map((x) => x.name));
      const en = (set.enabled ?? []).map((e) => e.name);
      if (dis.has('*')) list = [...new Set(en)];
      else {
        // expandMultiPointPlugins: plugins also enabled at this point run first (in the order given here),
        // then the other multiPoint plugins, then this point's plugins that multiPoint does not list.
        list = list.filter((n) => !dis.has(n));
        const overrides = en.filter((n) => list.includes(n));
        list = [...new Set([...overrides, ...list, ...en])];
      }
      // The score point's weight takes precedence over multiPoint's; unset or zero counts as 1.
      if (p === 'score') for (const e of set.enabled ?? []) weights[e.name] = e.weight || 1;
    }
    points[p] = list;
  }
  // A plugin enabled for score only still needs its preScore.
  for (const n of points.score) if ((PLUGIN_POINTS[n] ?? []).includes('preScore') && !points.preScore.includes(n)) points.preScore.push(n);
  const args: Record<string, Record<string, any>> = {};
  for (const pc of (prof.pluginConfig ?? cfg.pluginConfig ?? []) as Array<{ name: string; args?: Record<string, any> }>) args[pc.name] = pc.args ?? {};
  return {
    points,
    weights,
    args,
    percentageOfNodesToScore: Number(prof.percentageOfNodesToScore ?? cfg.percentageOfNodesToScore ?? 0),
    podInitialBackoff: cfg.podInitialBackoffSeconds !== undefined ? Number(cfg.podInitialBackoffSeconds) * 1000 : d.podInitialBackoff,
    podMaxBackoff: cfg.podMaxBackoffSeconds !== undefined ? Number(cfg.podMaxBackoffSeconds) * 1000 : d.podMaxBackoff,
  };
}
