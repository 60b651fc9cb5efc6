/**
 * mulberry32: tiny, fast, good enough for shuffles, augmentation parameters,
 * seeded splits and random sweeps. One definition for the compiler (table
 * splits), the runtime (data pipeline; its source text also runs in the batch
 * worker, so it must stay self-contained) and sweeps.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
