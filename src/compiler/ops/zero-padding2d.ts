/**
 * zero_padding2d: rows and columns of zeros around an image (Keras
 * `ZeroPadding2D`, PyTorch `nn.ZeroPad2d`). `padding` is an integer (every
 * side), [h, w] (top and bottom h, left and right w) or
 * [[top, bottom], [left, right]]; it normalises to the last form.
 */
import { anyOf } from '../front/schema/helpers.js';
import type { Schema } from '../front/schema/helpers.js';
import { call, facts, type OpDef } from './op-def.js';
import { needRank } from './shape.js';

type Side = readonly [number, number];

export interface ZeroPadding2dAttrs {
  /** [[top, bottom], [left, right]]. */
  readonly padding: readonly [Side, Side];
}

declare module '../spec.js' {
  interface LayerAttrMap {
    zero_padding2d: ZeroPadding2dAttrs;
  }
}

const count = { type: 'integer', minimum: 0 };
const paddingSchema = (description: string): Schema =>
  anyOf(
    [
      { ...count, description: 'The same number of zeros on every side.' },
      { type: 'array', items: count, minItems: 2, maxItems: 2, description: '[height, width]: top and bottom get height, left and right width.' },
      {
        type: 'array',
        items: { type: 'array', items: count, minItems: 2, maxItems: 2 },
        minItems: 2,
        maxItems: 2,
        description: '[[top, bottom], [left, right]].',
      },
    ],
    description,
    { default: 1, examples: [1, [2, 1], [[1, 0], [1, 0]]] },
  );

/** Any accepted form → [[top, bottom], [left, right]]. */
function sides(p: unknown): readonly [Side, Side] {
  if (typeof p === 'number') return [[p, p], [p, p]];
  const [h, w] = p as readonly (number | readonly number[])[];
  const side = (v: number | readonly number[]): Side => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);
  return [side(h), side(w)];
}

export const zero_padding2d: OpDef<'zero_padding2d'> = {
  kind: 'zero_padding2d',
  description: 'Pads an image with zeros: `padding` rows/columns on each side (an integer, [height, width] or [[top, bottom], [left, right]]).',
  attrs: { padding: paddingSchema('Zeros to add: an integer (every side), [height, width] or [[top, bottom], [left, right]].') },
  defaults: { padding: 1 },
  shorthand: { schema: paddingSchema('Shorthand for `{padding: …}`.'), key: 'padding' },
  normalize: (a) => ({ padding: sides(a.padding) }),
  infer(a, [x]) {
    needRank('zero_padding2d', x, 3);
    const [[top, bottom], [left, right]] = a.padding;
    return facts([x[0] + top + bottom, x[1] + left + right, x[2]]);
  },
  build: (a, ctx) => [call('zeroPadding2d', { name: ctx.name, padding: a.padding.map((s) => [...s]) })],
};
