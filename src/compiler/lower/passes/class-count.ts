/**
 * Class count: the model's output must be one score per class of the data
 * set (DLC108). A single sigmoid unit for two classes (Keras's Dense(1) +
 * binary_crossentropy) is refused too: class targets reach the loss one-hot,
 * so one logit against two columns would train on a wrong loss without any
 * error. Reported at the `units` (or `filters`) of the layer
 * that sets the output width, looking through trailing activation,
 * dropout and normalisation layers.
 */
import { diag } from '../../diagnostics/report.js';
import type { IR, IRNode } from '../../ir.js';
import { layerKeyPath } from '../layer-path.js';
import { opDef } from '../../ops/index.js';
import { shapeText } from '../../shared/format.js';
import { isInferred, type Pass } from './context.js';

/** Ops that pass their input's width through unchanged (the registry's `keepsWidth`). */
const keepsWidth = (op: string): boolean => opDef(op)?.keepsWidth === true;

/** The node that decides the output width: the output, or the layer before trailing width-preserving ones. */
function widthSetter(ir: IR, out: IRNode): IRNode {
  const byId = new Map(ir.nodes.map((n) => [n.id, n]));
  let n = out;
  while (keepsWidth(n.op) && n.inputs.length === 1) n = byId.get(n.inputs[0])!;
  return n;
}

export const checkClassCount: Pass = (ir, ctx) => {
  const out = ir.nodes.find((n) => n.id === ir.outputId);
  if (!out || !isInferred(out) || out.op === 'input') return [];
  // Real and multi-label targets: the output width is checked by target-fit.ts (DLC143).
  if (ir.target && ir.target.kind !== 'class') return [];
  const classes = ctx.facts.numClasses;
  const dataset = ir.spec.data.dataset;
  const layer = ctx.layerOf(out.id)!;
  if (out.shape.length !== 1) {
    return [diag('DLC108', `the model outputs ${shapeText(out.shape)}, but a classifier outputs one score per class: [${classes}]`, ctx, layer.path, 'end the model with flatten (or global_avg_pool2d) and a dense layer of one unit per class')];
  }
  const units = out.shape[0];
  if (units === classes) return [];
  const oneUnitBinary = units === 1 && classes === 2;
  const setter = widthSetter(ir, out);
  const setterLayer = ctx.layerOf(setter.id);
  const key = setter.op === 'dense' ? 'units' : 'filters' in setter.attrs ? 'filters' : undefined;
  const at = setterLayer ? (key ? layerKeyPath(setterLayer, key) : setterLayer.path) : layer.path;
  const stated = key ? setter.attrs[key] : undefined;
  return [
    diag('DLC108', `the model outputs ${units} class scores, but the ${dataset} data set has ${classes} classes`, ctx, at, {
      hint: oneUnitBinary
        ? `two classes take two output units here (dlc gives class targets to the loss one-hot): use ${key ?? 'units'}: 2 with cross_entropy (or binary_cross_entropy)`
        : key ? `use ${key}: ${classes}` : undefined,
      // The key's value as written (a block parameter like `$units` makes the fix not apply).
      fix: key && typeof stated === 'number' ? { title: `Set ${key} to ${classes} (the class count)`, replacement: String(classes), expected: String(stated) } : undefined,
    }),
  ];
};
