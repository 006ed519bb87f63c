/**
 * Matching helpers shared by every component: globs, label selectors, taints and tolerations.
 */

/** A compiled glob: `*` any run (also none), `?` one character, the whole string must match. */
export function globToRegExp(glob: string): RegExp {
  let re = '^';
  for (const ch of glob) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(re + '$', 's');
}

/**
 * Whether `s` matches the glob. Greedy wildcard matching with one backtrack point (the last `*`): at most
 * O(|glob|·|s|) steps, so a hostile glob such as `*a*a*a*a*a*b` cannot make it backtrack exponentially as
 * the equivalent regular expression would. Same result as {@link globToRegExp}.
 */
export function globMatch(glob: string, s: string): boolean {
  if (!glob.includes('*') && !glob.includes('?')) return glob === s;
  let i = 0, j = 0, star = -1, mark = 0;
  while (j < s.length) {
    const g = glob.charCodeAt(i);
    if (i < glob.length && g !== 42 && (g === 63 || g === s.charCodeAt(j))) { i++; j++; }
    else if (i < glob.length && g === 42) { star = i++; mark = j; }
    else if (star >= 0) { i = star + 1; j = ++mark; }
    else return false;
  }
  while (i < glob.length && glob.charCodeAt(i) === 42) i++;
  return i === glob.length;
}

/** A label selector requirement. */
export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** A metav1.LabelSelector. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** Whether a scenario selector value is the LabelSelector form (only matchLabels/matchExpressions keys). */
export function isLabelSelectorForm(sel: Record<string, unknown>): boolean {
  const keys = Object.keys(sel);
  return keys.length > 0 && keys.every((k) => k === 'matchLabels' || k === 'matchExpressions');
}

/** Normalises a scenario selector (`{app: web}` or a LabelSelector) to a LabelSelector. */
export function toLabelSelector(sel: Record<string, unknown> | undefined | null): LabelSelector {
  if (!sel) return {};
  if (isLabelSelectorForm(sel)) return sel as LabelSelector;
  return { matchLabels: sel as Record<string, string> };
}

/** Whether labels satisfy a LabelSelector (`{}` selects everything). */
export function selectorMatches(sel: LabelSelector | undefined | null, labels: Record<string, string> | undefined): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  const ml = sel.matchLabels;
  if (ml) {
    for (const k in ml) {
      if (!Object.prototype.hasOwnProperty.call(ml, k)) continue;
      if (l[k] !== String(ml[k])) return false;
    }
  }
  const exprs = sel.matchExpressions;
  if (exprs) for (const r of exprs) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const val = l[r.key];
    switch (r.operator) {
      case 'In': if (!has || !(r.values ?? []).includes(val!)) return false; break;
      case 'NotIn': if (has && (r.values ?? []).includes(val!)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** Whether a selector selects nothing (nil) vs everything ({}): Kubernetes treats an empty LabelSelector as everything. */
export function isEmptySelector(sel: LabelSelector | undefined | null): boolean {
  return !!sel && !sel.matchLabels && !(sel.matchExpressions?.length);
}

/** A node taint. */
export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  timeAdded?: string;
}

/** A pod toleration. */
export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** ToleratesTaint (k/k pkg/apis/core/v1/helper). */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key !== undefined && t.key !== '' && t.key !== taint.key) return false;
  const op = t.operator ?? 'Equal';
  if (op === 'Exists') return true;
  if ((t.key === undefined || t.key === '') && op === 'Equal') return false;
  return (t.value ?? '') === (taint.value ?? '');
}

/** Whether any toleration tolerates the taint. */
export function taintTolerated(tols: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (tols ?? []).some((t) => toleratesTaint(t, taint));
}
