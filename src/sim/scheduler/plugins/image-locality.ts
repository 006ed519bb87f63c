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

/** The ImageLocality plugin. */
export class ImageLocality implements ScorePlugin {
  readonly name = 'ImageLocality';
  constructor(private readonly d: Defaults, private readonly h: Pick<PluginHandle, 'imageNumNodes' | 'nodes'>) {}

  /** Scaled image sizes present on the node. */
  score(s: CycleState, pod: PodInfo, node: NodeInfo): number {
    // The pod's normalized image names, computed once per scheduling cycle.
    let images = s.read<string[]>('ImageLocality/images');
    if (!images) {
      const spec = pod.pod.spec ?? {};
      const containers: Array<{ image?: string }> = this.d.imageLocalityInitContainers
        ? [...(spec.initContainers ?? []), ...(spec.containers ?? [])] : [...(spec.containers ?? [])];
      images = containers.map((c) => normalizedImageName(c.image ?? ''));
      s.write('ImageLocality/images', images);
    }
    const total = this.h.nodes().length;
    let sum = 0;
    for (const img of images) {
      const size = node.imageSizes.get(img);
      if (size === undefined) continue;
      const spread = this.h.imageNumNodes(img) / total;
      sum += Math.trunc(size * spread);
    }
    return imageLocalityPriority(sum, images.length);
  }
}
