/**
 * IR → a functional tfjs-layers model whose output is the logits (one per
 * head, main first, for a model with several outputs: ./outputs.ts), by
 * interpreting each node's recipe (layers.ts). Layer names come from the
 * recipes (the IR ids, sanitised), so weights in a checkpoint read as
 * "<node id>/kernel".
 */
import * as tf from '@tensorflow/tfjs';
import type { IR, SeedRecipe } from '../../compiler/ir.js';
import { deriveSeed, modelOutputs } from '../../compiler/ir-attrs.js';
import { withLossWeights } from './outputs.js';
import { applyNode, layerConfig, type SeedOf } from './layers.js';

export interface BuildOptions {
  /** The spec's seed; defaults to ir.spec.seed. Every layer's init seed derives from it. */
  readonly seed?: number;
}

/** The tfjs layer name of each IR node (the `name` of its main layer call), by node id. */
export function layerNames(ir: IR): Map<string, string> {
  const names = new Map<string, string>();
  for (const n of ir.nodes) {
    const main = n.layers?.find((c) => c.part === 'main');
    if (main && typeof main.args['name'] === 'string') names.set(n.id, main.args['name']);
  }
  return names;
}

/** Builds the model for `ir` with seeded initial weights (same seed → same weights on every backend). */
export function buildModel(ir: IR, options: BuildOptions = {}): tf.LayersModel {
  const seed = options.seed ?? ir.spec.seed;
  // The recipes carry seeds derived from the spec's seed; another seed re-derives them from their keys.
  const seedOf: SeedOf = seed === ir.spec.seed ? (s: SeedRecipe) => s.seed : (s: SeedRecipe) => deriveSeed(seed, ...s.seedKey);
  const outputs = new Map<string, tf.SymbolicTensor>();
  const [inputNode, ...rest] = ir.nodes;
  const inputCall = inputNode?.layers?.[0];
  if (!inputNode || inputNode.op !== 'input' || inputCall?.layer !== 'input') throw new Error('IR must start with its input node');
  const input = tf.input(layerConfig(inputCall, seedOf) as unknown as Parameters<typeof tf.input>[0]);
  outputs.set(inputNode.id, input);
  for (const node of rest) {
    const ins = node.inputs.map((id) => {
      const t = outputs.get(id);
      if (!t) throw new Error(`model builder: node '${node.id}' reads unknown node '${id}'`);
      return t;
    });
    outputs.set(node.id, applyNode(node, ins, seedOf));
  }
  // One output per head, main first (IR `outputs`); a one-output model keeps a single output tensor.
  const heads = modelOutputs(ir).map((o) => {
    const t = outputs.get(o.id);
    if (!t) throw new Error(`model builder: output node '${o.id}' not found`);
    return t;
  });
  const name = ir.spec.name.replace(/[^A-Za-z0-9_]/g, '_');
  const model = tf.model({ inputs: input, outputs: heads.length === 1 ? heads[0]! : heads, name });
  // `model.outputs` (even a single entry, whose weight scales the loss) → the weights travel with the model.
  return ir.outputs ? withLossWeights(model, modelOutputs(ir).map((o) => o.lossWeight)) : model;
}
