/** Layer names: what a spec may call a layer, and the tfjs name a node gets. */

/** Layer names in a spec: identifiers, dots allowed (scoped names of expanded blocks). */
export const LAYER_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_.]*$';

/**
 * An IR id as a tfjs layer name ([A-Za-z0-9_], unique within `taken`, which
 * it joins). Checkpoint weights read as "<layer name>/kernel".
 */
export function layerName(id: string, taken: Set<string>): string {
  let base = id.replace(/[^A-Za-z0-9_]/g, '_');
  // tfjs rejects tensor names that do not start with a letter or digit (a leading `_` throws in run): map them.
  if (!/^[A-Za-z]/.test(base)) base = `l_${base}`;
  let name = base;
  for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}
