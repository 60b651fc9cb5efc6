/**
 * multi_head_attention: self-attention on one sequence [steps, width] →
 * [steps, width] (Keras `MultiHeadAttention(x, x)`, PyTorch
 * `nn.MultiheadAttention(x, x, x)`; no mask, no dropout). tfjs-layers has no
 * attention layer: it is dlc's `DlcMultiHeadAttention`
 * (src/runtime/model/custom-layers.ts), copied into emitted projects.
 * Parameter counts: attention-common.ts (Keras = PyTorch when key_dim is
 * width / num_heads).
 */
import { call, facts, type OpDef } from './op-def.js';
import { attentionAttrSchemas, attentionCounts, headSize, type AttentionAttrs } from './attention-common.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    multi_head_attention: AttentionAttrs;
  }
}

export const multi_head_attention: OpDef<'multi_head_attention'> = {
  kind: 'multi_head_attention',
  description: 'Multi-head self-attention over the steps: [steps, width] → [steps, width] (Keras `MultiHeadAttention`, PyTorch `nn.MultiheadAttention`).',
  attrs: attentionAttrSchemas(),
  required: ['num_heads'],
  keepsWidth: true,
  infer(a, [x]) {
    const k = headSize('multi_head_attention', a, x);
    const { params, macs } = attentionCounts(a, x, k);
    return facts(x, params, 0, macs);
  },
  build(a, ctx) {
    // keyDim 0: width / numHeads, resolved by the layer when it sees its input (build has no shapes).
    const seeds = ['query', 'key', 'value', 'output'].map((r) => ctx.seed(ctx.id, r));
    return [call('dlcMultiHeadAttention', { name: ctx.name, numHeads: a.num_heads, keyDim: a.key_dim ?? 0, seeds })];
  },
};
