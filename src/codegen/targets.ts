/**
 * The emit targets, by name. A target is one folder src/codegen/<name>/
 * exporting a TargetDef (./common/target.ts) plus its templates under
 * templates/<name>/; adding one is that folder and one entry here.
 * The first entry is the default of `dlc emit`.
 */
import type { TargetDef } from './common/target.js';
import { PYTORCH } from './pytorch/index.js';
import { TFJS_NODE_TS } from './tfjs-node-ts/index.js';

export const TARGET_DEFS: readonly TargetDef[] = [
  TFJS_NODE_TS,
  PYTORCH,
];
