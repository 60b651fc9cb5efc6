/** reshape: a new per-sample shape with the same element count (Keras `Reshape`). */
import { array } from '../front/schema/helpers.js';
import { call, facts, fail, type OpDef } from './op-def.js';
import { product } from './shape.js';
import { shapeText } from '../shared/format.js';

export interface ReshapeAttrs {
  /** Without the batch axis; at most one -1 (inferred). */
  readonly target_shape: readonly number[];
}

declare module '../spec.js' {
  interface LayerAttrMap {
    reshape: ReshapeAttrs;
  }
}

export const reshape: OpDef<'reshape'> = {
  kind: 'reshape',
  description: 'Reshapes the input (without the batch axis); the element count must not change.',
  attrs: { target_shape: array({ type: 'integer', minimum: 1 }, 'The new shape, without the batch axis.', { minItems: 1, maxItems: 3, examples: [[7, 7, 64]] }) },
  required: ['target_shape'],
  normalize: (a) => ({ target_shape: [...(a.target_shape as number[])] }),
  /** Keras Reshape: at most one -1, inferred from the element count. */
  infer(a, [x]) {
    const n = product(x);
    const target = a.target_shape;
    const unknown = target.filter((d) => d === -1).length;
    const known = product(target.filter((d) => d !== -1));
    const want = `[${target.join(', ')}]`;
    if (unknown > 1) fail('DLC114', `reshape target ${want} has more than one -1`, 'only one dimension can be inferred', 'target_shape');
    if (unknown === 1) {
      if (known === 0 || n % known !== 0) fail('DLC114', `reshape cannot fit ${n} elements (input ${shapeText(x)}) into ${want}`, `${n} is not a multiple of ${known}`, 'target_shape');
      return facts(target.map((d) => (d === -1 ? n / known : d)));
    }
    if (known !== n) fail('DLC114', `reshape to ${want} needs ${known} elements, but its input ${shapeText(x)} has ${n}`, 'use -1 for one dimension to infer it', 'target_shape');
    return facts(target);
  },
  build: (a, ctx) => [call('reshape', { name: ctx.name, targetShape: [...a.target_shape] })],
};
