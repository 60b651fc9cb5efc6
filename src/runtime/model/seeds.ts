/**
 * Seed derivation for everything random in a model: initial weights per
 * layer and dropout masks per step. Every seed is a pure function of the
 * spec's seed and a name, so the same spec gives the same numbers on every
 * backend (tfjs draws seeded randoms in JS, not on the backend) and a resumed
 * run draws exactly what an uninterrupted one would.
 *
 * Derivation (documented so emitted code can reproduce it):
 *   seed(specSeed, parts…) = FNV-1a 32-bit of `${specSeed}:${parts.join(':')}`
 *   kernel init  of node id: seed(specSeed, id, 'kernel')  (and 'depthwise', 'pointwise', 'gamma'…)
 *   dropout mask of node id at global step s: seed(specSeed, id, 'dropout', s)
 */

/** FNV-1a, 32-bit, over the UTF-16 code units of `text`; a non-negative integer. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A derived seed for one random draw, named by `parts`. */
export function deriveSeed(specSeed: number, ...parts: readonly (string | number)[]): number {
  return fnv1a(`${specSeed}:${parts.join(':')}`);
}
