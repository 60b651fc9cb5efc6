/** Batched, seeded image transforms: tensor ops (apply.ts) and the pipeline's JS twin (host.ts), bit-identical. */
export { applyTransforms, checkTransform, isRandomTransform, transformedShape, type TransformContext } from './apply.js';
export { hostTransforms, prepareHostBatch, type HostBatch, type HostJob, type RngLib } from './host.js';
export { cropMap, cutoutMask, flipMap, rotateMap, translateMap, type IndexMap } from './index-maps.js';
