/** add: the element-wise sum of two or more inputs (residual connections; Keras `Add`). */
import { array } from '../front/schema/helpers.js';
import { LAYER_NAME_PATTERN } from './names.js';
import { call, facts, fail, type OpDef } from './op-def.js';
import { shapeText } from '../shared/format.js';
import type { NoAttrs } from './simple.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    add: NoAttrs;
  }
}

export const add: OpDef<'add'> = {
  kind: 'add',
  description: 'Element-wise sum of its inputs (residual connections). `add: [a, b]` is shorthand for `{inputs: [a, b]}`.',
  attrs: {},
  shorthand: {
    schema: array({ type: 'string', pattern: LAYER_NAME_PATTERN }, 'The layers to add (shorthand for `{inputs: […]}`).', { minItems: 1, examples: [['bn2', 'input']] }),
    key: 'inputs',
  },
  merge: true,
  infer(_a, inputs) {
    const first = inputs[0];
    const other = inputs.find((s) => s.length !== first.length || s.some((d, i) => d !== first[i]));
    if (other)
      fail('DLC107', `add needs inputs of one shape, but got ${inputs.map(shapeText).join(' and ')}`, 'project the shortcut with a 1×1 conv2d (filters and strides matching the other branch)', 'inputs');
    return facts(first);
  },
  build: (_a, ctx) => [call('add', { name: ctx.name })],
};
