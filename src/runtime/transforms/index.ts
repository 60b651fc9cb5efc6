/** Batched, seeded image transforms: the shape checks (apply.ts, rules from compiler/shared/transform-shape.ts) and the transforms on plain arrays (host.ts). */
export { checkTransform, isRandomTransform, transformedShape, type TransformContext } from './apply.js';
export { hostTransforms, prepareHostBatch, type HostBatch, type HostJob, type RngLib } from './host.js';
export { cropMap, cutoutMask, flipMap, rotateMap, translateMap, type IndexMap } from './index-maps.js';
