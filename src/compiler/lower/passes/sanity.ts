/**
 * Values that are legal but surely wrong (issue 16): they used to pass
 * `check` and then train to nothing, or die in `run`.
 *  - DLC122 (warning): `dropout: 1` drops every activation in training.
 *  - DLC123 (warning): a data set with a single class (nothing to learn;
 *    usually an image_folder whose other class folders are missing).
 * (A std of 0 in `normalize` is DLC115, from the transform shape rules.
 * Layer names tfjs cannot use, such as a leading `_`, are mapped to usable
 * tfjs names in ops/names.ts instead of being rejected.)
 */
import { diag } from '../../diagnostics/report.js';
import type { Diagnostic } from '../../diagnostics/diagnostics.js';
import { layerKeyPath } from '../layer-path.js';
import type { Pass } from './context.js';

export const checkSanity: Pass = (ir, ctx) => {
  const diags: Diagnostic[] = [];
  for (const n of ir.nodes) {
    if (n.op !== 'dropout') continue;
    const rate = n.attrs.rate;
    const layer = ctx.layerOf(n.id);
    if (rate === 1 && layer) diags.push(diag('DLC122', `dropout rate 1 drops every activation of '${n.id}' in training: nothing after it can learn`, ctx, layerKeyPath(layer, 'rate'), 'a rate is the fraction dropped; 0.5 is usual'));
  }
  if (ir.numClasses === 1 && (ir.target === undefined || ir.target.kind === 'class')) {
    const where = ir.spec.data.dataset === 'image_folder' ? '/data/path' : '/data/dataset';
    diags.push(diag('DLC123', 'the data set has a single class: a classifier has nothing to learn', ctx, where, ir.spec.data.dataset === 'image_folder' ? 'each class needs its own folder under train/ (and test/)' : undefined));
  }
  return diags;
};
