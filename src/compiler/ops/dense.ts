/** dense: fully connected layer (Keras `Dense`, PyTorch `nn.Linear`). */
import { integer } from '../front/schema/helpers.js';
import type { RecipeArg } from '../ir.js';
import { activationAttr, withActivation, type ActivationName } from './activations.js';
import { useBiasSchema } from './conv-common.js';
import { call, facts, type OpDef } from './op-def.js';
import { needRank } from './shape.js';

export interface DenseAttrs {
  readonly units: number;
  readonly activation: ActivationName;
  readonly use_bias: boolean;
}

declare module '../spec.js' {
  interface LayerAttrMap {
    dense: DenseAttrs;
  }
}

export const dense: OpDef<'dense'> = {
  kind: 'dense',
  description: 'Fully connected layer (Keras `Dense`, PyTorch `nn.Linear`).',
  attrs: {
    units: integer('Number of output features. The last layer needs one per class.', { minimum: 1, examples: [128, 10] }),
    activation: activationAttr(),
    use_bias: useBiasSchema(),
  },
  required: ['units'],
  defaults: { activation: 'linear', use_bias: true },
  infer(a, [x]) {
    needRank('dense', x, 1);
    return facts([a.units], x[0] * a.units + (a.use_bias ? a.units : 0), 0, x[0] * a.units);
  },
  build(a, ctx) {
    const act = withActivation(a.activation, ctx.name);
    const args: Record<string, RecipeArg> = { name: ctx.name, units: a.units, ...act.args };
    if (!a.use_bias) args.useBias = false;
    args.kernelInitializer = ctx.glorot('kernel');
    return [call('dense', args), ...act.after];
  },
};
