/**
 * group_norm: group normalisation as PyTorch's `nn.GroupNorm(groups, C, eps)`
 * (affine): the channels (last axis) split into `groups` contiguous groups,
 * each sample normalised per group over its positions and channels with the
 * biased variance, then scaled and shifted per channel (γ = 1, β = 0 at
 * start). tfjs has no GroupNormalization layer: this is dlc's `dlcGroupNorm`
 * (runtime/model/group-norm.ts), built from tfjs ops, so its gradients are
 * tfjs's (cpu and wasm).
 */
import { integer, number } from '../front/schema/helpers.js';
import { call, facts, fail, type OpDef } from './op-def.js';

export interface GroupNormAttrs {
  readonly groups: number;
  readonly epsilon: number;
}

declare module '../spec.js' {
  interface LayerAttrMap {
    group_norm: GroupNormAttrs;
  }
}

export const group_norm: OpDef<'group_norm'> = {
  kind: 'group_norm',
  description: 'Group normalisation (PyTorch `nn.GroupNorm`): channels in groups, each normalised per sample, then a per-channel scale and shift.',
  attrs: {
    groups: integer('Groups of channels (contiguous); must divide the channel count. 1 normalises over all channels and positions, the channel count gives instance normalisation.', { minimum: 1, examples: [32, 8] }),
    epsilon: number('Added to the variance for numerical stability.', { exclusiveMinimum: 0, default: 1e-5 }),
  },
  required: ['groups'],
  defaults: { epsilon: 1e-5 },
  shorthand: { schema: integer('group_norm: G is {groups: G}.', { minimum: 1 }), key: 'groups' },
  keepsWidth: true,
  infer(a, [x]) {
    const c = x[x.length - 1]!;
    if (c % a.groups !== 0) {
      const fits: number[] = [];
      for (let d = 2; d <= c; d++) if (c % d === 0) fits.push(d);
      fail('DLC125', `groups ${a.groups} does not divide the ${c} channels of the input`, fits.length ? `groups must divide ${c}: e.g. ${fits.slice(0, 4).join(', ')}` : `${c} channel(s): only groups 1 fits`, 'groups');
    }
    // γ and β per channel; the work is a few element-wise passes (counted as none, like layer_norm).
    return facts(x, 2 * c);
  },
  build: (a, ctx) => [call('dlcGroupNorm', { name: ctx.name, groups: a.groups, epsilon: a.epsilon })],
};
