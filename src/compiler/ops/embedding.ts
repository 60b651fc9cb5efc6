/**
 * embedding: a learned vector per token id (Keras `Embedding`, PyTorch
 * `nn.Embedding`; tfjs `embedding`). The input holds integer token ids in
 * [0, input_dim) — a data set with `int32` inputs (IR.inputDType) — of any
 * shape; the output appends `output_dim`: [steps] → [steps, output_dim].
 *
 * Parameters: input_dim × output_dim (the same in Keras/tfjs and PyTorch).
 * Initial values: glorot uniform, seeded by the node id like every dlc
 * kernel (Keras draws uniform ±0.05, PyTorch N(0, 1); dlc's is seeded and
 * the same on every backend and target).
 * `mask_zero: true` makes id 0 padding that recurrent layers skip (tfjs
 * masking); id 0 still has its own vector, so input_dim counts it.
 */
import { boolean, integer } from '../front/schema/helpers.js';
import type { RecipeArg } from '../ir.js';
import { call, facts, fail, type OpDef } from './op-def.js';

export interface EmbeddingAttrs {
  readonly input_dim: number;
  readonly output_dim: number;
  readonly mask_zero: boolean;
}

declare module '../spec.js' {
  interface LayerAttrMap {
    embedding: EmbeddingAttrs;
  }
}

export const embedding: OpDef<'embedding'> = {
  kind: 'embedding',
  description: 'A learned vector per integer token id: [steps] → [steps, output_dim] (Keras `Embedding`, PyTorch `nn.Embedding`).',
  attrs: {
    input_dim: integer('Vocabulary size: token ids are 0 … input_dim − 1.', { minimum: 1, examples: [10000] }),
    output_dim: integer('Length of each token vector.', { minimum: 1, examples: [32, 64] }),
    mask_zero: boolean('Treat id 0 as padding that recurrent layers skip (tfjs masking).', { default: false }),
  },
  required: ['input_dim', 'output_dim'],
  defaults: { mask_zero: false },
  infer(a, [x]) {
    if (x.length === 0) fail('DLC113', 'embedding needs token ids of shape [steps], but its input is a scalar', 'reshape the input to [steps]');
    // A table look-up: no multiply-adds.
    return facts([...x, a.output_dim], a.input_dim * a.output_dim);
  },
  build(a, ctx) {
    const args: Record<string, RecipeArg> = { name: ctx.name, inputDim: a.input_dim, outputDim: a.output_dim };
    if (a.mask_zero) args.maskZero = true;
    args.embeddingsInitializer = ctx.glorot('embeddings');
    return [call('embedding', args)];
  },
};
