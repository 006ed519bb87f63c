/**
 * Image references as nodes list and compare them (scenario-format "nodes": a reference without tag or
 * digest means `:latest`; upstream ImageLocality's normalizedImageName does the same).
 */
import { memoize } from './util.js';

/** `nginx` -> `nginx:latest`; references with a tag or a digest are returned as given. */
export const imageKey: (image: string) => string = memoize((image: string): string => {
  const base = image.split('@')[0] ?? image;
  if (image.includes('@') || /:[^/]+$/.test(base)) return image;
  return `${image}:latest`;
});
