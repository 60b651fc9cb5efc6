/**
 * The recipe interpreter: one IR node's layer calls (IRNode.layers, made by
 * the op registry at lowering) → tfjs layers applied to its inputs. The
 * emitted project's model.ts prints the same calls, so both build the same
 * model. Only built-in tf.layers are used, so a saved model.json loads with
 * `tf.loadLayersModel` anywhere (custom classes would need registering in
 * every loader); CUSTOM is where a dlc layer would go by name.
 */
import * as tf from '@tensorflow/tfjs';
import type { IRNode, LayerCall, RecipeArg, SeedRecipe } from '../../compiler/ir.js';
import { isSeedRecipe } from '../../compiler/ir-attrs.js';
import { dlcGroupedConv2d, dlcGroupNorm, dlcHardSwish, dlcMultiHeadAttention, dlcPositionalEmbedding, dlcTransformerEncoder } from './custom-layers.js';
import { dlcBatchNormalization, torchBatchNormalization } from './torch-batch-norm.js';
import { dlcAdaptivePool2d, dlcTorchPool } from './torch-pool.js';

type Sym = tf.SymbolicTensor;
type Factory = (args: Record<string, unknown>) => tf.layers.Layer;
type InitializerFactory = (config: { seed: number; minval?: number; maxval?: number }) => ReturnType<typeof tf.initializers.glorotUniform>;

/**
 * dlc's own layers, by recipe name (each saved under a built-in class name, so saved models still load anywhere).
 * `batchNormalization` is tfjs's layer with a fused training call on wasm (torch-batch-norm.ts).
 */
const CUSTOM: Readonly<Record<string, Factory>> = { batchNormalization: dlcBatchNormalization as Factory, torchBatchNormalization: torchBatchNormalization as Factory, dlcPositionalEmbedding, dlcMultiHeadAttention, dlcTransformerEncoder, dlcHardSwish, dlcGroupedConv2d, dlcGroupNorm, dlcTorchPool, dlcAdaptivePool2d };

/** The seed to use for a recipe seed (the recipe's own, or one re-derived for another spec seed). */
export type SeedOf = (s: SeedRecipe) => number;

/** The factory a recipe call names. */
export function layerFactory(layer: string): Factory {
  const f = Object.prototype.hasOwnProperty.call(CUSTOM, layer) ? CUSTOM[layer] : (tf.layers as unknown as Record<string, Factory | undefined>)[layer];
  if (typeof f !== 'function') throw new Error(`model builder: tf.layers has no '${layer}'`);
  return f;
}

function argValue(v: RecipeArg, seedOf: SeedOf): unknown {
  if (Array.isArray(v)) return v.map((x: RecipeArg) => argValue(x, seedOf));
  // A wrapped layer (bidirectional's RNN): built from its own recipe arguments.
  if (typeof v === 'object' && v !== null && 'layer' in v) {
    const config: Record<string, unknown> = {};
    for (const [k, a] of Object.entries(v.args)) config[k] = argValue(a, seedOf);
    return layerFactory(v.layer)(config);
  }
  if (isSeedRecipe(v)) {
    const seed = seedOf(v);
    if (!('init' in v)) return seed;
    const make = (tf.initializers as unknown as Record<string, InitializerFactory | undefined>)[v.init as string];
    if (typeof make !== 'function') throw new Error(`model builder: tf.initializers has no '${String(v.init)}'`);
    // randomUniform: [−limit, limit] (PyTorch's default conv/dense initialisation, compiler/ops/recipe.ts).
    const limit = (v as { limit?: unknown }).limit;
    // randomNormal: normal(0, stddev) (PyTorch's embedding initialisation).
    const stddev = (v as { stddev?: unknown }).stddev;
    if (typeof stddev === 'number') return make({ mean: 0, stddev, seed } as never);
    return typeof limit === 'number' ? make({ minval: -limit, maxval: limit, seed }) : make({ seed });
  }
  return v;
}

/** A recipe call's arguments as the tfjs config. */
export function layerConfig(c: LayerCall, seedOf: SeedOf): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.args)) config[k] = argValue(v, seedOf);
  return config;
}

/** Applies the layer calls of one IR node to its (symbolic) inputs: a merge reads them as a list. */
export function applyNode(node: IRNode, inputs: readonly Sym[], seedOf: SeedOf): Sym {
  if (!node.layers) throw new Error(`model builder: node '${node.id}' has no recipe (an ir.json from an older dlc: compile the spec again)`);
  if (node.layers.length === 0) throw new Error(`model builder: node '${node.id}' has an empty recipe`);
  let x: Sym | Sym[] = inputs.length === 1 ? inputs[0] : [...inputs];
  for (const c of node.layers) x = layerFactory(c.layer)(layerConfig(c, seedOf)).apply(x) as Sym;
  return x as Sym;
}
