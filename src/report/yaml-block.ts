/**
 * YAML for report diagnostics: block maps at the top, flow-style collections as values
 * (`expected: {any: {spec: {nodeName: node-2}}}`), multi-line strings as literal blocks.
 */
import { Document, isMap, isSeq } from 'yaml';

/** Options of {@link yamlBlock}. */
export interface YamlBlockOptions {
  /** Keys whose collection values stay in block style (e.g. `problems`). Others are flow style. */
  readonly blockKeys?: ReadonlySet<string>;
}

/**
 * The lines of a YAML map (keys in insertion order; undefined values skipped): top-level keys in block
 * style, their collection values in flow style unless listed in `blockKeys`.
 */
export function yamlBlock(fields: Record<string, unknown>, opts: YamlBlockOptions = {}): string[] {
  const clean: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) clean[k] = v;
  const doc = new Document(clean);
  const root = doc.contents;
  if (isMap(root)) {
    for (const pair of root.items) {
      const key = String((pair.key as { value?: unknown } | null)?.value ?? pair.key);
      const v = pair.value;
      if ((isMap(v) || isSeq(v)) && !opts.blockKeys?.has(key)) v.flow = true;
    }
  }
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  return text.replace(/\n$/, '').split('\n');
}

/** A value rendered as one line of flow-style YAML (`{a: 1}`, `[x, y]`, `"1"`). */
export function flowYaml(v: unknown): string {
  const doc = new Document(v);
  const root = doc.contents;
  if (isMap(root) || isSeq(root)) root.flow = true;
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false }).replace(/\n$/, '');
}
