/**
 * How dlc writes shapes and counts for people, stated once: diagnostics,
 * `dlc inspect`, editor hovers and the comments of emitted code all print
 * through these.
 *
 * Pure and dependency-free: the runtime may import it (it is copied into
 * emitted projects), so it must stay that way.
 */

/** "32×32×3": a per-sample shape inside a sentence (diagnostic messages). */
export function shapeText(shape: readonly number[]): string {
  return shape.join('×');
}

/** "[32, 32, 3]": a shape as a list (`dlc inspect`, hovers, emitted comments). */
export function shapeList(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** 1234567 → "1,234,567" (grouped by thousands, as en-US writes it). */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
