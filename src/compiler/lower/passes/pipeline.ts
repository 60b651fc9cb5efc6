/**
 * The static checks run on every lowered IR, in order. Shape inference
 * itself happens during lowering (shape-inference.ts); these read its
 * results.
 */
import type { Diagnostic } from '../../diagnostics/diagnostics.js';
import type { IR } from '../../ir.js';
import { modelOutputs } from '../../ir-attrs.js';
import { checkClassCount } from './class-count.js';
import { checkEmbeddingVocab } from './embedding-vocab.js';
import type { Pass, PassContext } from './context.js';
import { checkExpectations } from './expectations.js';
import { checkLogitsActivation } from './logits-activation.js';
import { checkMemoryBudget } from './memory-budget.js';
import { checkSanity } from './sanity.js';
import { checkTargetFit } from './target-fit.js';
import { checkTrainingSettings } from './training-settings.js';
import { checkUnusedNodes } from './unused-nodes.js';

/**
 * A check of the model output run on every output (auxiliary heads too:
 * each is trained against the data set's target) as if it were the only
 * one; a diagnostic that does not depend on the head (the loss) is kept once.
 */
function perOutput(pass: Pass): Pass {
  return (ir, ctx) => {
    const seen = new Set<string>();
    return modelOutputs(ir).flatMap((o) => pass(o.id === ir.outputId ? ir : { ...ir, outputId: o.id }, ctx)).filter((d) => {
      const k = `${d.code}|${d.path}|${d.line}|${d.col}`;
      return seen.has(k) ? false : (seen.add(k), true);
    });
  };
}

/** Every pass, in the order they run. */
export const PASSES: readonly Pass[] = [checkExpectations, checkClassCount, checkTargetFit, checkTrainingSettings, checkEmbeddingVocab, checkLogitsActivation, checkUnusedNodes, checkSanity, checkMemoryBudget];

/** The passes that check the model output: run once per output (`perOutput`). */
const PER_OUTPUT: ReadonlySet<Pass> = new Set([checkClassCount, checkTargetFit, checkLogitsActivation]);

/** Runs every pass and concatenates their diagnostics. */
export function runPasses(ir: IR, ctx: PassContext): Diagnostic[] {
  return PASSES.flatMap((pass) => (PER_OUTPUT.has(pass) ? perOutput(pass) : pass)(ir, ctx));
}
