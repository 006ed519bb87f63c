/**
 * ImageLocality (k/k framework/plugins/imagelocality): favours nodes that already hold the pod's images,
 * each image's size scaled by the share of nodes holding it, clamped to [23 MiB, 1000 MiB × containers].
 * Init and sidecar images count from 1.30 (PR #123366).
 */
import type { Defaults } from '../../defaults.js';
import { MAX_NODE_SCORE, type CycleState, type PluginHandle, type ScorePlugin } from '../framework.js';
import { normalizedImageName, type NodeInfo, type PodInfo } from '../node-info.js';

const MB = 1024 * 1024;
/** minThreshold 23 MiB, maxContainerThreshold 1000 MiB. */
export const MIN_THRESHOLD = 23 * MB;
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** calculatePriority. */
export function imageLocalityPriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  if (sumScores < MIN_THRESHOLD) sumScores = MIN_THRESHOLD;
  else if (sumScores > maxThreshold) sumScores = maxThreshold;
  return Math.trunc((MAX_NODE_SCORE * (sumScores - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

/** The pod's normalized image names, their spread over nodes and their size columns, once per cycle. */
interface ImageState {
  images: string[];
  spreads: number[];
  byNode: Array<Float64Array | undefined> | undefined;
}

/** The ImageLocality plugin. */
export class ImageLocality implements ScorePlugin {
  readonly name = 'ImageLocality';
  constructor(private readonly d: Defaults, private readonly h: Pick<PluginHandle, 'imageNumNodes' | 'nodes' | 'imageSizesByNode'>) {}

  /** Scaled image sizes present on the node. */
  score(s: CycleState, pod: PodInfo, node: NodeInfo): number {
    return scoreWith(this.state(s, pod), node);
  }

  /** `score` for every node. */
  scoreNodes(s: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], out: Float64Array): void {
    const c = this.state(s, pod);
    for (let i = 0; i < nodes.length; i++) out[i] = scoreWith(c, nodes[i]!);
  }

  /**
   * The pod's normalized image names, their spread over nodes and size columns, computed once per
   * scheduling cycle (node and image counts do not change within a cycle).
   */
  private state(s: CycleState, pod: PodInfo): ImageState {
    let c = s.read<ImageState>('ImageLocality/images');
    if (!c) {
      const spec = pod.pod.spec ?? {};
      const containers: Array<{ image?: string }> = this.d.imageLocalityInitContainers
        ? [...(spec.initContainers ?? []), ...(spec.containers ?? [])] : [...(spec.containers ?? [])];
      const images = containers.map((ct) => normalizedImageName(ct.image ?? ''));
      const total = this.h.nodes().length;
      const byNode = this.h.imageSizesByNode ? images.map((img) => this.h.imageSizesByNode!(img)) : undefined;
      c = { images, spreads: images.map((img) => this.h.imageNumNodes(img) / total), byNode };
      s.write('ImageLocality/images', c);
    }
    return c;
  }
}

function scoreWith(c: ImageState, node: NodeInfo): number {
  const { images, spreads, byNode } = c;
  let sum = 0;
  if (byNode && node.idx >= 0) {
    // The image columns: sizes by node slot, 0 where the node lacks the image (adds nothing, as upstream).
    for (let i = 0; i < byNode.length; i++) {
      const col = byNode[i];
      if (col !== undefined) sum += Math.trunc(col[node.idx]! * spreads[i]!);
    }
  } else {
    const sizes = node.imageSizes;
    for (let i = 0; i < images.length; i++) {
      const size = sizes.get(images[i]!);
      if (size === undefined) continue;
      sum += Math.trunc(size * spreads[i]!);
    }
  }
  return imageLocalityPriority(sum, images.length);
}
