/**
 * multiply: the element-wise product of two or more inputs with NumPy /
 * PyTorch broadcasting over the per-sample shapes (Keras `Multiply`, `a * b`
 * in PyTorch): shapes are aligned on their last axis, and on every axis the
 * sizes agree or one of them is 1 (a missing leading axis counts as 1). The
 * squeeze-excitation gate is `multiply: [features, gate]` with features
 * [H, W, C] and the gate [C] (a dense layer after global_avg_pool2d) or
 * [1, 1, C] (a reshape). tfjs's `multiply` layer broadcasts the same way
 * (it inserts the missing axes after the batch axis).
 */
import { array } from '../front/schema/helpers.js';
import { LAYER_NAME_PATTERN } from './names.js';
import { call, facts, fail, type OpDef, type Shape } from './op-def.js';
import { shapeText } from '../shared/format.js';
import type { NoAttrs } from './simple.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    multiply: NoAttrs;
  }
}

/** The NumPy broadcast of per-sample shapes, or undefined when two sizes differ and neither is 1. */
export function broadcastShapes(shapes: readonly Shape[]): number[] | undefined {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let k = 1; k <= rank; k++) {
    let size = 1;
    for (const s of shapes) {
      const d = s.length >= k ? s[s.length - k] : 1;
      if (d === 1) continue;
      if (size !== 1 && size !== d) return undefined;
      size = d;
    }
    out.unshift(size);
  }
  return out;
}

export const multiply: OpDef<'multiply'> = {
  kind: 'multiply',
  description:
    'Element-wise product of its inputs with NumPy/PyTorch broadcasting (squeeze-excitation: [H, W, C] × [C] or [1, 1, C]). `multiply: [a, b]` is shorthand for `{inputs: [a, b]}`.',
  attrs: {},
  shorthand: {
    schema: array({ type: 'string', pattern: LAYER_NAME_PATTERN }, 'The layers to multiply (shorthand for `{inputs: […]}`).', { minItems: 1, examples: [['features', 'gate']] }),
    key: 'inputs',
  },
  merge: true,
  infer(_a, inputs) {
    const out = broadcastShapes(inputs);
    if (!out)
      fail(
        'DLC124',
        `multiply cannot broadcast ${inputs.map(shapeText).join(' and ')}: aligned on the last axis, each size must equal the others or be 1`,
        'for a squeeze-excitation gate give the gate as many channels as the features ([C] or [1, 1, C])',
        'inputs',
      );
    return facts(out);
  },
  build: (_a, ctx) => [call('multiply', { name: ctx.name })],
};
