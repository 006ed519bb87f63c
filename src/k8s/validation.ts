/**
 * API-server validation for the simulated kinds: required fields, DNS-1123 names, quantities, immutable
 * fields. Returns field errors in the API server's words ("spec.containers[0].image: Required value").
 * OWNER: k8s-objects helper — this first cut checks names only.
 */
import type { KObject } from './types.js';
import type { Defaults } from '../sim/defaults.js';

/** One field error. */
export interface FieldError {
  /** JSON path of the field (`['spec', 'containers', 0, 'image']`). */
  path: Array<string | number>;
  message: string;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Validates an object about to be created (or, with `old`, updated). */
export function validateObject(obj: KObject, _d: Defaults, _old?: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata?.name;
  if (!name && !obj.metadata?.generateName) errs.push({ path: ['metadata', 'name'], message: 'Required value: name or generateName is required' });
  else if (name && (name.length > 253 || !DNS1123_SUBDOMAIN.test(name))) {
    errs.push({ path: ['metadata', 'name'], message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')` });
  }
  return errs;
}

/** Renders a path as the API server does: `spec.containers[0].image`. */
export function formatFieldPath(path: ReadonlyArray<string | number>): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : (s ? '.' : '') + p;
  return s;
}
