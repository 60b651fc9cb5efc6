/**
 * Lowering's last step for each node: its recipe (IRNode.layers), from the
 * op's `build`, with the node's tfjs layer name and seeds derived from the
 * spec seed. Names are given in node order, as the model builder used to.
 */
import { deriveSeed } from '../ir-attrs.js';
import type { InitializerRecipe, IRNode, LayerCall, SeedRecipe } from '../ir.js';
import { opDef } from './index.js';
import type { BuildContext } from './op-def.js';
import { layerName } from './names.js';

/** A BuildContext for node `id` named `name`. */
export function buildContext(id: string, name: string, specSeed: number): BuildContext {
  const seed = (...parts: readonly (string | number)[]): SeedRecipe => ({ seed: deriveSeed(specSeed, ...parts), seedKey: [...parts] });
  return {
    id,
    name,
    seed,
    glorot: (role: string): InitializerRecipe => ({ init: 'glorotUniform', ...seed(id, role) }),
  };
}

/**
 * The recipe of every node, in order (nodes[0] is the input). A node that
 * could not be inferred (shape []) gets none: the IR is not handed on then.
 * The input node's call is `tf.input` with `inputDType` (the IR's).
 */
export function nodeRecipes(nodes: readonly Omit<IRNode, 'layers'>[], specSeed: number, inputDType = 'float32'): LayerCall[][] {
  const taken = new Set<string>();
  return nodes.map((node) => {
    const name = layerName(node.id, taken);
    if (node.op === 'input') return [{ layer: 'input', part: 'main', args: { name, shape: [...node.shape], dtype: inputDType } }];
    const def = opDef(node.op);
    if (!def || node.shape.length === 0) return [];
    return def.build(node.attrs as never, buildContext(node.id, name, specSeed));
  });
}
