/**
 * concat: joins its inputs along an axis (Keras `Concatenate`). The axis
 * counts per-sample axes like every shape in a spec (no batch axis): 0 is
 * height, -1 the last (channels); the recipe shifts it to tfjs's
 * batch-inclusive axis.
 */
import { array, integer } from '../front/schema/helpers.js';
import { LAYER_NAME_PATTERN } from './names.js';
import { call, facts, fail, type OpDef } from './op-def.js';
import { shapeText } from '../shared/format.js';

export interface ConcatAttrs {
  readonly axis: number;
}

declare module '../spec.js' {
  interface LayerAttrMap {
    concat: ConcatAttrs;
  }
}

export const concat: OpDef<'concat'> = {
  kind: 'concat',
  description: 'Concatenates its inputs along an axis. `concat: [a, b]` is shorthand for `{inputs: [a, b]}`.',
  attrs: { axis: integer('Axis to concatenate along (-1: channels).', { default: -1 }) },
  defaults: { axis: -1 },
  shorthand: {
    schema: array({ type: 'string', pattern: LAYER_NAME_PATTERN }, 'The layers to concatenate (shorthand for `{inputs: […]}`).', { minItems: 1, examples: [['a', 'b']] }),
    key: 'inputs',
  },
  merge: true,
  infer(a, inputs) {
    const rank = inputs[0].length;
    const axis = a.axis < 0 ? rank + a.axis : a.axis;
    if (axis < 0 || axis >= rank) fail('DLC107', `concat axis ${a.axis} is out of range for inputs of shape ${shapeText(inputs[0])}`, 'use axis: -1 to join channels', 'axis');
    const bad = inputs.some((s) => s.length !== rank || s.some((d, i) => i !== axis && d !== inputs[0][i]));
    if (bad) fail('DLC107', `concat along axis ${a.axis} needs inputs that agree on every other axis, but got ${inputs.map(shapeText).join(' and ')}`, undefined, 'inputs');
    const out = [...inputs[0]];
    out[axis] = inputs.reduce((s, x) => s + x[axis], 0);
    return facts(out);
  },
  build: (a, ctx) => [call('concatenate', { name: ctx.name, axis: a.axis < 0 ? a.axis : a.axis + 1 })],
};
