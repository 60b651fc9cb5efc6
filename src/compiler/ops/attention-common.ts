/**
 * What multi_head_attention and transformer_encoder share: the attention
 * attributes and their parameter count.
 *
 * Counts: query, key and value projections width → heads·key_dim, each with
 * a bias, and the output projection heads·key_dim → width with a bias:
 * 4·(width·heads·key_dim) + 3·heads·key_dim + width (Keras
 * MultiHeadAttention with value_dim = key_dim). With key_dim = width / heads
 * this is PyTorch nn.MultiheadAttention's 4·width² + 4·width.
 */
import { integer, type Schema } from '../front/schema/helpers.js';
import { fail, type Shape } from './op-def.js';
import { needSeq } from './seq-common.js';

export interface AttentionAttrs {
  readonly num_heads: number;
  /** Size of each head's query/key/value; absent: width / num_heads. */
  readonly key_dim?: number;
}

export function attentionAttrSchemas(): Record<string, Schema> {
  return {
    num_heads: integer('Number of attention heads.', { minimum: 1, examples: [2, 4, 8] }),
    key_dim: integer("Size of each head's query, key and value vectors. Default: the input width / num_heads (PyTorch's head size).", { minimum: 1, examples: [16, 32] }),
  };
}

/** The head size: key_dim, or width / num_heads (which must divide). */
export function headSize(op: string, a: AttentionAttrs, x: Shape): number {
  needSeq(op, x);
  if (a.key_dim !== undefined) return a.key_dim;
  if (x[1] % a.num_heads !== 0) fail('DLC114', `${op}: the input width ${x[1]} is not divisible by num_heads ${a.num_heads}`, 'give key_dim explicitly, or a num_heads that divides the width', 'num_heads');
  return x[1] / a.num_heads;
}

/** Trainable parameters and multiply-adds of self-attention on [steps, width]. */
export function attentionCounts(a: AttentionAttrs, x: Shape, k: number): { params: number; macs: number } {
  const [t, d] = x;
  const hk = a.num_heads * k;
  const params = 4 * d * hk + 3 * hk + d;
  // Projections (4 per step) + scores and weighted sums (2·t·hk per step).
  const macs = t * 4 * d * hk + 2 * t * t * hk;
  return { params, macs };
}
