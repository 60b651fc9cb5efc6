/**
 * transformer_encoder: one post-norm transformer encoder block on
 * [steps, width] → [steps, width]: y = LN(x + MHA(x)); out = LN(y +
 * W₂·relu(W₁·y + b₁) + b₂) — PyTorch `nn.TransformerEncoderLayer`
 * (norm_first=False, activation relu) and keras-nlp `TransformerEncoder`,
 * without dropout. One kind, built by dlc's `DlcTransformerEncoder`
 * (src/runtime/model/custom-layers.ts); the same block can be written with
 * multi_head_attention, add, layer_norm and dense layers (docs).
 * Parameters: attention (attention-common.ts) + 2·width·ff_dim + ff_dim +
 * width (feed-forward) + 4·width (two layer norms) — equal to PyTorch's when
 * key_dim is width / num_heads.
 */
import { integer, number } from '../front/schema/helpers.js';
import { call, facts, type OpDef } from './op-def.js';
import { attentionAttrSchemas, attentionCounts, headSize, type AttentionAttrs } from './attention-common.js';

export interface TransformerEncoderAttrs extends AttentionAttrs {
  readonly ff_dim: number;
  readonly epsilon: number;
}

declare module '../spec.js' {
  interface LayerAttrMap {
    transformer_encoder: TransformerEncoderAttrs;
  }
}

export const transformer_encoder: OpDef<'transformer_encoder'> = {
  kind: 'transformer_encoder',
  description: 'A transformer encoder block (self-attention + feed-forward, residuals, post layer norm): [steps, width] → [steps, width] (PyTorch `nn.TransformerEncoderLayer`).',
  attrs: {
    ...attentionAttrSchemas(),
    ff_dim: integer('Hidden width of the feed-forward part (relu).', { minimum: 1, examples: [64, 128] }),
    epsilon: number('Added to the variance in both layer norms.', { exclusiveMinimum: 0, default: 1e-5 }),
  },
  required: ['num_heads', 'ff_dim'],
  defaults: { epsilon: 1e-5 },
  keepsWidth: true,
  infer(a, [x]) {
    const k = headSize('transformer_encoder', a, x);
    const att = attentionCounts(a, x, k);
    const [t, d] = x;
    const ff = 2 * d * a.ff_dim + a.ff_dim + d;
    return facts(x, att.params + ff + 4 * d, 0, att.macs + t * 2 * d * a.ff_dim);
  },
  build(a, ctx) {
    const seeds = ['query', 'key', 'value', 'output', 'ff1', 'ff2'].map((r) => ctx.seed(ctx.id, r));
    return [call('dlcTransformerEncoder', { name: ctx.name, numHeads: a.num_heads, keyDim: a.key_dim ?? 0, ffDim: a.ff_dim, epsilon: a.epsilon, seeds })];
  },
};
