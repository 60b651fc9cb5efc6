/**
 * The view of `src/train.ts`. The training program reads the spec's
 * training settings from the project's ir.json and runs dlc's own training
 * run (src/lib/runtime/train/run.ts), so the template prints nothing of the
 * spec: the view only names the spec for the program's messages.
 */
import type { IR } from '../../compiler/ir.js';
import { jsInteger, jsString } from './literals.js';

export interface TrainView {
  readonly nameLit: string;
  readonly seedCode: string;
}

/** Builds the train view for `ir`. */
export function buildTrainView(ir: IR): TrainView {
  return { nameLit: jsString(ir.spec.name), seedCode: jsInteger(ir.spec.seed) };
}
