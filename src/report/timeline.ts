/**
 * The timeline picture: a lane per node, a bar per pod coloured by phase, marks for faults, restarts,
 * evictions and failed assertions, a time axis in simulated time. Pure: data in, SVG/HTML text out.
 */
import { formatDuration } from '../k8s/duration.js';

/** One stretch of a pod's life on a node in one phase. */
export interface PodSegment { pod: string; node: string; phase: string; from: number; to: number; terminating: boolean }
/** A mark on a lane (node) or on the axis (node undefined). */
export interface TimelineMark { t: number; node?: string; kind: 'fault' | 'restart' | 'eviction' | 'assertion'; label: string }
/** A stretch of time in which a node's Ready condition was not True. */
export interface NodeOutage { node: string; from: number; to: number; status: string }
/** Everything the picture shows. */
export interface TimelineData { title: string; until: number; nodes: string[]; segments: PodSegment[]; marks: TimelineMark[]; outages?: NodeOutage[] }

const PHASE_COLOR: Record<string, string> = {
  Pending: '#f2c14e', Running: '#4caf50', Succeeded: '#5b8def', Failed: '#e05d5d', Unknown: '#9e9e9e', Terminating: '#b07cd8',
};
const MARK_COLOR: Record<TimelineMark['kind'], string> = { fault: '#d32f2f', restart: '#ef6c00', eviction: '#6a1b9a', assertion: '#000000' };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Renders the timeline as a standalone SVG document. */
export function renderTimelineSvg(d: TimelineData): string {
  const left = 140, right = 30, top = 70, laneGap = 8, barH = 14, width = 1100;
  const plotW = width - left - right;
  const x = (t: number) => left + (d.until > 0 ? (t / d.until) * plotW : 0);
  // Stack pods within a lane by row.
  const lanes = new Map<string, Map<string, number>>();
  for (const n of d.nodes) lanes.set(n, new Map());
  for (const s of d.segments) {
    const l = lanes.get(s.node) ?? lanes.set(s.node, new Map()).get(s.node)!;
    if (!l.has(s.pod)) l.set(s.pod, l.size);
  }
  const laneY = new Map<string, number>();
  let y = top;
  const laneNames = [...lanes.keys()];
  for (const n of laneNames) {
    laneY.set(n, y);
    y += Math.max(1, lanes.get(n)!.size) * (barH + 3) + laneGap + 10;
  }
  const height = y + 40;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  out.push(`<text x="${left}" y="20" font-size="14" font-weight="bold">${esc(d.title)}</text>`);
  // Axis.
  const ticks = 10;
  for (let i = 0; i <= ticks; i++) {
    const t = Math.round((d.until * i) / ticks);
    out.push(`<line x1="${x(t)}" y1="${top - 8}" x2="${x(t)}" y2="${height - 30}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${x(t)}" y="${height - 15}" text-anchor="middle" fill="#555">${esc(formatDuration(t))}</text>`);
  }
  for (const o of d.outages ?? []) {
    const ly = laneY.get(o.node);
    if (ly === undefined) continue;
    const h = Math.max(1, lanes.get(o.node)!.size) * (barH + 3) + 4;
    out.push(`<rect x="${x(o.from).toFixed(1)}" y="${ly - 4}" width="${Math.max(1, x(o.to) - x(o.from)).toFixed(1)}" height="${h}" fill="#eceff1" stroke="#b0bec5" stroke-dasharray="3 2"><title>${esc(`${o.node} Ready=${o.status} ${formatDuration(o.from)}..${formatDuration(o.to)}`)}</title></rect>`);
  }
  for (const n of laneNames) {
    const ly = laneY.get(n)!;
    out.push(`<text x="8" y="${ly + barH - 2}" font-weight="bold">${esc(n)}</text>`);
    out.push(`<line x1="${left}" y1="${ly - 4}" x2="${width - right}" y2="${ly - 4}" stroke="#bdbdbd"/>`);
  }
  for (const s of d.segments) {
    const ly = laneY.get(s.node);
    if (ly === undefined) continue;
    const row = lanes.get(s.node)!.get(s.pod)!;
    const yy = ly + row * (barH + 3);
    const color = s.terminating ? PHASE_COLOR.Terminating : (PHASE_COLOR[s.phase] ?? '#9e9e9e');
    const w = Math.max(1, x(s.to) - x(s.from));
    out.push(`<rect x="${x(s.from).toFixed(1)}" y="${yy}" width="${w.toFixed(1)}" height="${barH}" fill="${color}" rx="2"><title>${esc(`${s.pod} ${s.terminating ? 'Terminating' : s.phase} ${formatDuration(s.from)}..${formatDuration(s.to)}`)}</title></rect>`);
    if (w > 60) out.push(`<text x="${(x(s.from) + 3).toFixed(1)}" y="${yy + barH - 3}" fill="#fff">${esc(s.pod)}</text>`);
  }
  for (const m of d.marks) {
    const mx = x(m.t).toFixed(1);
    const ly = m.node !== undefined ? laneY.get(m.node) : undefined;
    const y1 = ly !== undefined ? ly - 6 : top - 8;
    const y2 = ly !== undefined ? ly + Math.max(1, lanes.get(m.node!)!.size) * (barH + 3) : height - 30;
    out.push(`<line x1="${mx}" y1="${y1}" x2="${mx}" y2="${y2}" stroke="${MARK_COLOR[m.kind]}" stroke-width="2" stroke-dasharray="${m.kind === 'assertion' ? '4 2' : 'none'}"><title>${esc(`${formatDuration(m.t)} ${m.label}`)}</title></line>`);
    out.push(`<text x="${mx}" y="${y1 - 2}" fill="${MARK_COLOR[m.kind]}" font-size="9">${esc(m.kind === 'restart' ? '↻' : m.kind === 'eviction' ? '⏏' : m.kind === 'fault' ? '⚡' : '✗')}</text>`);
  }
  // Legend.
  let lx = left;
  for (const [ph, c] of Object.entries(PHASE_COLOR)) {
    out.push(`<rect x="${lx}" y="32" width="10" height="10" fill="${c}"/><text x="${lx + 14}" y="41">${ph}</text>`);
    lx += 90;
  }
  out.push(`<rect x="${lx}" y="32" width="10" height="10" fill="#eceff1" stroke="#b0bec5"/><text x="${lx + 14}" y="41">node not Ready</text>`);
  lx += 110;
  for (const [k, c] of Object.entries(MARK_COLOR)) {
    out.push(`<line x1="${lx}" y1="31" x2="${lx}" y2="43" stroke="${c}" stroke-width="2"/><text x="${lx + 5}" y="41">${k}</text>`);
    lx += 80;
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** Renders the timeline as a standalone HTML page embedding the SVG. */
export function renderTimelineHtml(d: TimelineData): string {
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${esc(d.title)}</title></head>\n<body style="margin:16px">\n${renderTimelineSvg(d)}</body></html>\n`;
}
