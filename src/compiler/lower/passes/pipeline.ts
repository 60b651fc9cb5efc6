/**
 * The static checks run on every lowered IR, in order. Shape inference
 * itself happens during lowering (shape-inference.ts); these read its
 * results.
 */
import type { Diagnostic } from '../../diagnostics/diagnostics.js';
import type { IR } from '../../ir.js';
import { checkClassCount } from './class-count.js';
import type { Pass, PassContext } from './context.js';
import { checkExpectations } from './expectations.js';
import { checkLogitsActivation } from './logits-activation.js';
import { checkMemoryBudget } from './memory-budget.js';
import { checkSanity } from './sanity.js';
import { checkTargetFit } from './target-fit.js';
import { checkUnusedNodes } from './unused-nodes.js';

/** Every pass, in the order they run. */
export const PASSES: readonly Pass[] = [checkExpectations, checkClassCount, checkTargetFit, checkLogitsActivation, checkUnusedNodes, checkSanity, checkMemoryBudget];

/** Runs every pass and concatenates their diagnostics. */
export function runPasses(ir: IR, ctx: PassContext): Diagnostic[] {
  return PASSES.flatMap((pass) => pass(ir, ctx));
}
