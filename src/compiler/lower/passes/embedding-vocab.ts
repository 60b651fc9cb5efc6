/**
 * Embedding against the text data set's vocabulary (DLC132, error): the text
 * loader gives token ids 0 (padding), 1 (out of vocabulary) and 2 …
 * vocab_size + 1 (compiler/shared/text.ts), so an embedding reading them
 * needs input_dim ≥ vocab_size + 2; a smaller table would index past its end
 * (tfjs gathers silently clip or fail, PyTorch raises at run time).
 * Reported at the embedding's input_dim, with the fix.
 */
import { diag } from '../../diagnostics/report.js';
import { RESERVED_IDS, textOptions } from '../../shared/text.js';
import { layerKeyPath } from '../layer-path.js';
import type { Pass } from './context.js';

export const checkEmbeddingVocab: Pass = (ir, ctx) => {
  const data = ir.spec.data;
  if (data.dataset !== 'text') return [];
  const { vocab_size: vocab, tokenize } = textOptions(data);
  const need = vocab + RESERVED_IDS;
  const byId = new Map(ir.nodes.map((n) => [n.id, n]));
  const diags = [];
  for (const node of ir.nodes) {
    if (node.op !== 'embedding' || byId.get(node.inputs[0])?.op !== 'input') continue;
    const inputDim = node.attrs['input_dim'];
    const layer = ctx.layerOf(node.id);
    if (typeof inputDim !== 'number' || inputDim >= need || !layer) continue;
    diags.push(
      diag('DLC132', `embedding input_dim is ${inputDim}, but the text data set's token ids go up to ${need - 1} (vocab_size ${vocab} ${tokenize} tokens + ${RESERVED_IDS} reserved ids: 0 padding, 1 out of vocabulary)`, ctx, layerKeyPath(layer, 'input_dim'), {
        hint: `use input_dim: ${need}, or a smaller data.vocab_size`,
        fix: { title: `Set input_dim to ${need} (vocab_size + ${RESERVED_IDS})`, replacement: String(need), expected: String(inputDim) },
      }),
    );
  }
  return diags;
};
