/** Batched, seeded image transforms (see apply.ts for eval semantics). */
export { applyTransforms, checkTransform, isRandomTransform, transformedShape, type TransformContext } from './apply.js';
export { cropMap, cutoutMask, flipMap, rotateMap, translateMap, type IndexMap } from './index-maps.js';
