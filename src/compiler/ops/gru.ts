/**
 * gru: gated recurrent unit over a sequence [steps, channels] (Keras `GRU`
 * with reset_after=False — the only form tfjs has: the reset gate applies
 * before the recurrent matrix product; one bias of 3·units). PyTorch's
 * `nn.GRU` is the reset-after form, so counts and values differ from it:
 * see rnn-common.ts.
 */
import { call, type OpDef } from './op-def.js';
import { RNN_DEFAULTS, rnnArgs, rnnAttrSchemas, rnnFacts, type RnnAttrs } from './rnn-common.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    gru: RnnAttrs;
  }
}

export const gru: OpDef<'gru'> = {
  kind: 'gru',
  description: 'GRU over the steps of a sequence: [steps, channels] → [units] or [steps, units] (tfjs/Keras reset_after=false, one bias of 3·units).',
  attrs: rnnAttrSchemas(),
  required: ['units'],
  defaults: RNN_DEFAULTS,
  infer: (a, [x]) => rnnFacts('gru', 'gru', a, x),
  build: (a, ctx) => [call('gru', rnnArgs(a, ctx, ctx.name))],
};
