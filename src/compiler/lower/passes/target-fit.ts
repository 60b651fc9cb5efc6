/**
 * The model's output and the loss against the data set's target kind (the
 * IR's `target`, from the data set's facts; absent = class index):
 *
 *  - DLC140 (error): a softmax on the output (activation or trailing layer)
 *    while the targets are real values or independent 0/1 labels: softmax
 *    makes the outputs sum to 1.
 *  - DLC141 (error): cross_entropy / binary_cross_entropy on real targets.
 *  - DLC142 (warning): a regression loss (mse, mae, huber) on class targets:
 *    it regresses the logits onto one-hot vectors, which trains, but poorly.
 *  - DLC143 (error): for real and multi-label targets, the output width must
 *    be the target width (class targets: DLC108, class-count.ts).
 *  - DLC144 (error): cross_entropy on multi-label targets: its softmax makes
 *    the labels compete; binary_cross_entropy scores each label on its own.
 *
 * Losses are reported at `/loss`; a fix replaces the loss's name when the
 * spec writes it as a bare name (`loss: cross_entropy`).
 */
import { diag } from '../../diagnostics/report.js';
import type { IR, IRNode } from '../../ir.js';
import { layerKeyPath } from '../layer-path.js';
import { opDef } from '../../ops/index.js';
import { isInferred, type Pass } from './context.js';

type TargetKind = 'class' | 'multi_label' | 'real';

const CLASSIFICATION_LOSSES: readonly string[] = ['cross_entropy', 'binary_cross_entropy'];

/** The target kind and width the model must produce. */
export function targetOf(ir: IR): { readonly kind: TargetKind; readonly width: number } {
  return ir.target ?? { kind: 'class', width: ir.numClasses };
}

const lossFix = (from: string, to: string) => ({ title: `Use the ${to} loss`, replacement: to, expected: from });

/** The node that sets the output width, looking through width-preserving layers (dropout, activations, normalisation). */
function widthSetter(ir: IR, out: IRNode): IRNode {
  const byId = new Map(ir.nodes.map((n) => [n.id, n]));
  let n = out;
  while (opDef(n.op)?.keepsWidth === true && n.inputs.length === 1) n = byId.get(n.inputs[0])!;
  return n;
}

export const checkTargetFit: Pass = (ir, ctx) => {
  const target = targetOf(ir);
  const loss = ir.spec.loss.kind;
  const out = ir.nodes.find((n) => n.id === ir.outputId);
  const layer = out && ctx.layerOf(out.id);
  const diags = [];
  const what = target.kind === 'real' ? `real-valued targets (${target.width})` : `${target.width} independent 0/1 labels`;

  if (target.kind !== 'class' && out && layer) {
    // A trailing softmax layer, or a softmax activation on the output layer.
    const byId = new Map(ir.nodes.map((n) => [n.id, n]));
    let n: IRNode | undefined = out;
    while (n && n.op !== 'softmax' && n.attrs.activation !== 'softmax' && opDef(n.op)?.keepsWidth === true && n.inputs.length === 1) n = byId.get(n.inputs[0]);
    const nl = n && ctx.layerOf(n.id);
    if (n && nl && (n.op === 'softmax' || n.attrs.activation === 'softmax')) {
      const at = n.op === 'softmax' ? nl.path : layerKeyPath(nl, 'activation');
      const hint = target.kind === 'real' ? 'a regression output is linear: remove the softmax' : 'remove the softmax: binary_cross_entropy applies a sigmoid to each label';
      diags.push(diag('DLC140', `the output goes through softmax (outputs summing to 1), but the ${ir.spec.data.dataset} data set has ${what}`, ctx, at, hint));
    }
  }

  if (target.kind === 'real' && CLASSIFICATION_LOSSES.includes(loss)) {
    diags.push(
      diag('DLC141', `${loss} compares scores with classes, but the ${ir.spec.data.dataset} data set has ${what}`, ctx, '/loss', {
        hint: 'use a regression loss: mse, mae or huber',
        fix: lossFix(loss, 'mse'),
      }),
    );
  } else if (target.kind === 'multi_label' && loss === 'cross_entropy') {
    diags.push(
      diag('DLC144', `cross_entropy's softmax makes the labels compete, but the ${ir.spec.data.dataset} data set has ${what} (several may be 1)`, ctx, '/loss', {
        hint: 'use binary_cross_entropy (a sigmoid per label)',
        fix: lossFix(loss, 'binary_cross_entropy'),
      }),
    );
  } else if (target.kind !== 'real' && !CLASSIFICATION_LOSSES.includes(loss)) {
    const fitting = target.kind === 'class' ? 'cross_entropy' : 'binary_cross_entropy';
    diags.push(
      diag('DLC142', `${loss} is a regression loss, but the ${ir.spec.data.dataset} data set has ${target.kind === 'class' ? 'class targets' : what}: it regresses logits onto 0/1 vectors`, ctx, '/loss', {
        hint: `${fitting} is the usual loss here`,
        fix: lossFix(loss, fitting),
      }),
    );
  }

  if (target.kind !== 'class' && out && layer && isInferred(out) && out.op !== 'input') {
    const width = out.shape.length === 1 ? out.shape[0] : undefined;
    if (width !== target.width) {
      const setter = widthSetter(ir, out);
      const setterLayer = ctx.layerOf(setter.id);
      const key = setter.op === 'dense' ? 'units' : undefined;
      const at = setterLayer ? (key ? layerKeyPath(setterLayer, key) : setterLayer.path) : layer.path;
      const stated = key ? setter.attrs[key] : undefined;
      const outText = width === undefined ? `a [${out.shape.join(', ')}] output` : `${width} output${width === 1 ? '' : 's'}`;
      diags.push(
        diag('DLC143', `the model has ${outText}, but the ${ir.spec.data.dataset} data set has ${what}: one output per target`, ctx, at, {
          hint: width === undefined ? `end the model with a dense layer of ${target.width} units` : `use units: ${target.width}`,
          fix: key && typeof stated === 'number' ? { title: `Set units to ${target.width} (the number of targets)`, replacement: String(target.width), expected: String(stated) } : undefined,
        }),
      );
    }
  }
  return diags;
};
