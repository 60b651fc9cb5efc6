/**
 * lstm: long short-term memory over a sequence [steps, channels] (Keras
 * `LSTM`, PyTorch `nn.LSTM` with one layer, batch_first). Returns the last
 * hidden state [units] or every step's [steps, units]. Parameter counts
 * follow tfjs/Keras (one bias of 4·units; PyTorch has two): see rnn-common.ts.
 */
import { call, type OpDef } from './op-def.js';
import { RNN_DEFAULTS, rnnArgs, rnnAttrSchemas, rnnFacts, type RnnAttrs } from './rnn-common.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    lstm: RnnAttrs;
  }
}

export const lstm: OpDef<'lstm'> = {
  kind: 'lstm',
  description: 'LSTM over the steps of a sequence: [steps, channels] → [units] (last state) or [steps, units] (Keras `LSTM`; tfjs parameter count, one bias).',
  attrs: rnnAttrSchemas(),
  required: ['units'],
  defaults: RNN_DEFAULTS,
  infer: (a, [x]) => rnnFacts('lstm', 'lstm', a, x),
  build: (a, ctx) => [call('lstm', rnnArgs(a, ctx, ctx.name))],
};
