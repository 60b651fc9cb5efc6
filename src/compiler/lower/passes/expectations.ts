/**
 * Stated expectations: a layer transcribed from PyTorch may say what it
 * expects to receive — `in_channels` (Conv2d/BatchNorm2d), `in_features`
 * (Linear), or a whole `expect_shape` ([H, W, C] or [F]) —
 * and each is checked against the inferred input (DLC103/104/105), at that
 * key. Inference never uses the stated value, so a wrong one does not
 * cascade into later layers.
 */
import { diag } from '../../diagnostics/report.js';
import type { Diagnostic } from '../../diagnostics/diagnostics.js';
import type { FixProposal } from '../../diagnostics/report.js';
import type { IR, IRNode } from '../../ir.js';
import { layerKeyPath } from '../layer-path.js';
import { shapeList, shapeText } from '../../shared/format.js';
import { isInferred, type Pass, type PassContext } from './context.js';

/** Describes where a node's input comes from, for hints. */
export function describeInput(src: IRNode, ir: IR, ctx: PassContext): string {
  if (src.op === 'input') return `the model input is ${shapeText(src.shape)} (${ir.spec.data.dataset} images${ir.spec.data.transforms.eval.some((t) => t.kind === 'resize') ? ', after resize' : ''})`;
  if (src.op === 'flatten') {
    const from = ir.nodes.find((n) => n.id === src.inputs[0]);
    if (from && isInferred(from)) return `'${src.id}' flattens ${shapeText(from.shape)} into ${src.shape[0]} features`;
  }
  return `the previous layer '${src.id}' (${src.op}) outputs ${shapeText(src.shape)}`;
}

/** The fix for a stated count that disagrees with inference: state the inferred one. */
function inferredValueFix(key: string, stated: number, inferred: number): FixProposal {
  return { title: `Set ${key} to ${inferred} (the inferred input)`, replacement: String(inferred), expected: String(stated) };
}

export const checkExpectations: Pass = (ir, ctx) => {
  const diags: Diagnostic[] = [];
  const byId = new Map(ir.nodes.map((n) => [n.id, n]));
  for (const node of ir.nodes) {
    const layer = ctx.layerOf(node.id);
    if (!layer || !isInferred(node) || node.inputs.length === 0) continue;
    const src = byId.get(node.inputs[0])!;
    const x = src.shape;
    const last = x[x.length - 1];
    if (layer.in_channels !== undefined && layer.in_channels !== last) {
      diags.push(
        diag('DLC103', `${node.id}: in_channels is ${layer.in_channels}, but its input has ${last} channels`, ctx, layerKeyPath(layer, 'in_channels'), {
          hint: `${describeInput(src, ir, ctx)}; use in_channels: ${last}`,
          fix: inferredValueFix('in_channels', layer.in_channels, last),
        }),
      );
    }
    if (layer.in_features !== undefined && layer.in_features !== last) {
      diags.push(
        diag('DLC104', `${node.id}: in_features is ${layer.in_features}, but its input has ${last} features`, ctx, layerKeyPath(layer, 'in_features'), {
          hint: `${describeInput(src, ir, ctx)}; use in_features: ${last}`,
          fix: inferredValueFix('in_features', layer.in_features, last),
        }),
      );
    }
    const want = layer.expect_shape;
    if (want !== undefined && (want.length !== x.length || want.some((d, i) => d !== -1 && d !== x[i]))) {
      diags.push(diag('DLC105', `${node.id}: expect_shape is ${shapeList(want)}, but its input is ${shapeList(x)}`, ctx, layerKeyPath(layer, 'expect_shape'), describeInput(src, ir, ctx)));
    }
  }
  return diags;
};
