/**
 * Activation on logits (DLC109, warning): dlc's cross_entropy and
 * binary_cross_entropy take raw scores and apply softmax / sigmoid
 * themselves, so an activation on the output either applies it twice
 * (softmax, sigmoid) or destroys information (relu clips every negative
 * score to 0). Reported at the output layer's `activation`, or at a
 * trailing activation layer.
 */
import { diag } from '../../diagnostics/report.js';
import { layerKeyPath } from '../layer-path.js';
import { opDef } from '../../ops/index.js';
import type { Pass } from './context.js';

export const checkLogitsActivation: Pass = (ir, ctx) => {
  const loss = ir.spec.loss.kind;
  if (loss !== 'cross_entropy' && loss !== 'binary_cross_entropy') return [];
  const out = ir.nodes.find((n) => n.id === ir.outputId);
  const layer = out && ctx.layerOf(out.id);
  if (!out || !layer) return [];
  const applies = loss === 'cross_entropy' ? 'softmax' : 'sigmoid';
  const what = (act: string): string =>
    act === applies ? `and ${loss} applies ${applies} again` : `but ${loss} expects raw logits (it applies ${applies} itself)`;
  const hint = (edit: string): string => `${edit}; predictions are still reported as probabilities`;
  // A softmax on real or multi-label targets is DLC140's (target-fit.ts): one mistake, one diagnostic.
  const nonClassSoftmax = (act: string): boolean => act === 'softmax' && ir.target !== undefined && ir.target.kind !== 'class';
  if (nonClassSoftmax(out.op) || nonClassSoftmax(String(out.attrs.activation))) return [];
  if (opDef(out.op)?.activationLayer) {
    return [diag('DLC109', `the model ends with a ${out.op} layer, ${what(out.op)}`, ctx, layer.path, hint(`remove this ${out.op} layer`))];
  }
  const act = out.attrs.activation;
  if (typeof act === 'string' && act !== 'linear') {
    return [diag('DLC109', `the output layer '${out.id}' applies ${act}, ${what(act)}`, ctx, layerKeyPath(layer, 'activation'), hint(`remove 'activation: ${act}' (the output should be linear)`))];
  }
  return [];
};
