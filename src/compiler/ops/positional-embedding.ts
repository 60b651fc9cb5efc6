/**
 * positional_embedding: a learned vector per position added to a sequence
 * [steps, width] (usually right after an embedding): keras-nlp
 * `PositionEmbedding` + add; PyTorch: an nn.Parameter of [steps, width].
 * Parameters: steps × width. tfjs-layers has none: dlc's
 * `DlcPositionalEmbedding` (src/runtime/model/custom-layers.ts), initial
 * values glorot uniform, seeded.
 */
import { call, facts, type OpDef } from './op-def.js';
import { needSeq } from './seq-common.js';
import type { NoAttrs } from './simple.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    positional_embedding: NoAttrs;
  }
}

export const positional_embedding: OpDef<'positional_embedding'> = {
  kind: 'positional_embedding',
  description: 'Adds a learned vector per position to a sequence: [steps, width] → [steps, width] (after an embedding).',
  attrs: {},
  keepsWidth: true,
  infer(_a, [x]) {
    needSeq('positional_embedding', x);
    return facts(x, x[0] * x[1]);
  },
  build: (_a, ctx) => [call('dlcPositionalEmbedding', { name: ctx.name, seed: ctx.seed(ctx.id, 'positions') })],
};
