/** The declarations of every non-layer kind, by family (see kind.ts). */
export { anyFamily, kindUnion, normalizeKind, type AnyFamily, type AnyKindDecl, type Family, type KindDecl, type Of } from './kind.js';
export { DEFAULT_LOSS, LOSSES } from './losses/index.js';
export { DEFAULT_METRICS, METRICS } from './metrics/index.js';
export { MONITORS } from './monitors.js';
export { DEFAULT_OPTIMIZER, OPTIMIZERS } from './optimizers/index.js';
export { DEFAULT_SCHEDULE, SCHEDULES } from './schedules/index.js';
export { TRANSFORMS } from './transforms/index.js';
