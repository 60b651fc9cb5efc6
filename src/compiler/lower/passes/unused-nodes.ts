/**
 * Unused layers (DLC110, warning): a layer no other layer reads and that is
 * not the model output does not influence training. Only leaves are
 * reported (not the dead chain above them), and nothing is reported while
 * some reference is unresolved, since the missing edge may be the one that
 * used it, nor for a layer whose name was a duplicate (DLC101 already).
 */
import { diag } from '../../diagnostics/report.js';
import type { Diagnostic } from '../../diagnostics/diagnostics.js';
import { layerKeyPath } from '../layer-path.js';
import type { Pass } from './context.js';
import { modelOutputs } from '../../ir-attrs.js';

export const checkUnusedNodes: Pass = (ir, ctx) => {
  const read = new Set<string>();
  for (const n of ir.nodes) {
    const layer = ctx.layerOf(n.id);
    if (layer?.inputs && layer.inputs.length !== n.inputs.length) return [];
    for (const i of n.inputs) read.add(i);
  }
  // An output entry that did not resolve (DLC100/DLC024) may be the one meant to use a layer.
  if (ir.spec.model.outputs && ir.spec.model.outputs.length !== (ir.outputs?.length ?? 0)) return [];
  const outputs = new Set(modelOutputs(ir).map((o) => o.id));
  const diags: Diagnostic[] = [];
  for (const n of ir.nodes) {
    const layer = ctx.layerOf(n.id);
    if (!layer || read.has(n.id) || outputs.has(n.id)) continue;
    // A duplicate name (DLC101) got another id; its readers went to the first one.
    if (layer.name !== undefined && layer.name !== n.id) continue;
    diags.push(
      diag('DLC110', `layer '${n.id}' is never used: no layer reads it and it is not ${outputs.size > 1 ? `one of the model outputs (${[...outputs].map((o) => `'${o}'`).join(', ')})` : `the model output ('${ir.outputId}')`}`, ctx, n.named ? layerKeyPath(layer, 'name') : layer.path, `list it in a later layer's inputs, or remove it`),
    );
  }
  return diags;
};
