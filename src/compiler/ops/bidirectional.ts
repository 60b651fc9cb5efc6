/**
 * bidirectional: an LSTM or GRU run forwards and backwards over a sequence,
 * the two outputs merged (Keras `Bidirectional`, PyTorch's
 * `bidirectional=True`; tfjs `bidirectional` wrapping `lstm`/`gru`).
 *
 * Written flat, the wrapped kind as `layer`:
 *   - bidirectional: {layer: lstm, units: 32, return_sequences: false, merge_mode: concat}
 * Output: [units·2] with `merge_mode: concat` (default), [units] with sum,
 * mul or ave; [steps, …] with return_sequences. Parameters: twice the
 * wrapped layer's (tfjs/Keras convention: see rnn-common.ts).
 * Initial weights: tfjs builds the backward layer from the forward one's
 * config, seeds included, so both directions start from the same weights
 * (as Keras does with a seeded initializer); they see the sequence in
 * opposite orders and part from the first step on.
 */
import { enumOf } from '../front/schema/helpers.js';
import type { RecipeArg } from '../ir.js';
import { call, facts, type OpDef } from './op-def.js';
import { RNN_DEFAULTS, rnnArgs, rnnAttrSchemas, rnnFacts, type RnnAttrs, type RnnCell } from './rnn-common.js';

export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';

export interface BidirectionalAttrs extends RnnAttrs {
  readonly layer: RnnCell;
  readonly merge_mode: MergeMode;
}

declare module '../spec.js' {
  interface LayerAttrMap {
    bidirectional: BidirectionalAttrs;
  }
}

export const bidirectional: OpDef<'bidirectional'> = {
  kind: 'bidirectional',
  description: 'An lstm or gru run both ways over the steps, outputs merged: [steps, channels] → [2·units] (concat) or [units] (Keras `Bidirectional`).',
  attrs: {
    layer: enumOf(['lstm', 'gru'], 'The recurrent kind to run in both directions.', { examples: ['lstm', 'gru'] }),
    ...rnnAttrSchemas(),
    merge_mode: enumOf(['concat', 'sum', 'mul', 'ave'], 'How the two directions are merged: concatenated (2·units features) or summed, multiplied, averaged (units).', { default: 'concat' }),
  },
  required: ['layer', 'units'],
  defaults: { ...RNN_DEFAULTS, merge_mode: 'concat' },
  infer(a, [x]) {
    const one = rnnFacts('bidirectional', a.layer, a, x);
    const width = a.merge_mode === 'concat' ? 2 * a.units : a.units;
    const shape = a.return_sequences ? [x[0], width] : [width];
    return facts(shape, 2 * one.params.trainable, 0, 2 * one.macs);
  },
  build(a, ctx) {
    const inner = rnnArgs(a, ctx, `${ctx.name}_${a.layer}`);
    const args: Record<string, RecipeArg> = { name: ctx.name, layer: { layer: a.layer, args: inner } };
    if (a.merge_mode !== 'concat') args.mergeMode = a.merge_mode;
    return [call('bidirectional', args)];
  },
};
