/**
 * Lowering's last step for each node: its recipe (IRNode.layers), from the
 * op's `build`, with the node's tfjs layer name and seeds derived from the
 * spec seed. Names are given in node order, as the model builder used to.
 */
import { deriveSeed } from '../ir-attrs.js';
import type { InitializerRecipe, IRNode, LayerCall, RecipeArg, SeedRecipe } from '../ir.js';
import type { Conventions } from '../spec.js';
import { opDef } from './index.js';
import type { BuildContext } from './op-def.js';
import { layerName } from './names.js';

/** A BuildContext for node `id` named `name` (with `shape`, its inferred output shape). */
export function buildContext(id: string, name: string, specSeed: number, shape?: readonly number[]): BuildContext {
  const seed = (...parts: readonly (string | number)[]): SeedRecipe => ({ seed: deriveSeed(specSeed, ...parts), seedKey: [...parts] });
  return {
    id,
    name,
    seed,
    glorot: (role: string): InitializerRecipe => ({ init: 'glorotUniform', ...seed(id, role) }),
    ...(shape ? { shape } : {}),
  };
}

/**
 * The recipe of every node, in order (nodes[0] is the input). A node that
 * could not be inferred (shape []) gets none: the IR is not handed on then.
 * The input node's call is `tf.input` with `inputDType` (the IR's).
 * Under `conventions: pytorch` batch norm keeps PyTorch's running variance
 * and the initial weights are PyTorch's (`pytorchInit`), unless the layer's
 * `init` (`initOf(id)`) says keras; the ops' own recipes draw Keras's
 * (Glorot, zero bias), which `init: pytorch` replaces under keras too.
 */
export function nodeRecipes(
  nodes: readonly Omit<IRNode, 'layers'>[],
  specSeed: number,
  inputDType = 'float32',
  conventions: Conventions = 'keras',
  initOf: (id: string) => Conventions | undefined = () => undefined,
): LayerCall[][] {
  const taken = new Set<string>();
  const shapes = new Map(nodes.map((n) => [n.id, n.shape] as const));
  return nodes.map((node) => {
    const name = layerName(node.id, taken);
    if (node.op === 'input') return [{ layer: 'input', part: 'main', args: { name, shape: [...node.shape], dtype: inputDType } }];
    const def = opDef(node.op);
    if (!def || node.shape.length === 0) return [];
    const calls = def.build(node.attrs as never, buildContext(node.id, name, specSeed, node.shape));
    const init = initOf(node.id) ?? conventions;
    const inShape = shapes.get(node.inputs[0]) ?? [];
    return calls.map((c) => {
      // PyTorch's running variance is the unbiased one (runtime/model/torch-batch-norm.ts).
      if (c.layer === 'batchNormalization' && conventions === 'pytorch') return { ...c, layer: 'torchBatchNormalization' };
      return init === 'pytorch' ? pytorchInit(c, inShape, buildContext(node.id, name, specSeed)) : c;
    });
  });
}

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);
const sizes = (v: RecipeArg | undefined): number[] => (Array.isArray(v) ? v.map(Number) : typeof v === 'number' ? [v] : []);

/**
 * PyTorch's fan-in of a call's kernel (torch.nn.init._calculate_fan_in_and_fan_out
 * on its weight), from the call's input shape (channels last); undefined for
 * calls PyTorch initialises otherwise or dlc leaves Keras's (separable conv:
 * tfjs draws its pointwise kernel with the depthwise initializer).
 */
function torchFanIn(c: LayerCall, inShape: readonly number[]): number | undefined {
  const cin = inShape[inShape.length - 1];
  if (!(cin > 0)) return undefined;
  switch (c.layer) {
    case 'dense':
      return cin;
    case 'conv2d':
    case 'conv1d':
      return prod(sizes(c.args.kernelSize)) * cin;
    case 'dlcGroupedConv2d':
      // PyTorch's grouped weight is [filters, cin/groups, kh, kw]: fan-in k·cin/groups.
      return (prod(sizes(c.args.kernelSize)) * cin) / Number(c.args.groups);
    case 'depthwiseConv2d':
      return prod(sizes(c.args.kernelSize));
    case 'conv2dTranspose':
      return prod(sizes(c.args.kernelSize)) * Number(c.args.filters);
    default:
      return undefined;
  }
}

/**
 * A call with PyTorch's default initial weights: kaiming_uniform(a=√5) on
 * the kernel, which is uniform(±1/√fan_in), and uniform(±1/√fan_in) on the
 * bias (seeded by (node id, 'bias')). Batch norm starts as in both (γ 1, β 0).
 */
export function pytorchInit(c: LayerCall, inShape: readonly number[], ctx: BuildContext): LayerCall {
  const seq = pytorchSequenceInit(c, ctx);
  if (seq) return seq;
  const fanIn = torchFanIn(c, inShape);
  const key = c.layer === 'depthwiseConv2d' ? 'depthwiseInitializer' : 'kernelInitializer';
  const kernel = c.args[key] as InitializerRecipe | undefined;
  if (fanIn === undefined || !kernel || typeof kernel !== 'object' || !('init' in kernel)) return c;
  const limit = 1 / Math.sqrt(fanIn);
  const args: Record<string, RecipeArg> = { ...c.args, [key]: { ...kernel, init: 'randomUniform', limit } };
  if (c.args.useBias !== false) args.biasInitializer = { init: 'randomUniform', limit, ...ctx.seed(ctx.id, 'bias') };
  return { ...c, args };
}

const isInit = (v: RecipeArg | undefined): v is InitializerRecipe => typeof v === 'object' && v !== null && !Array.isArray(v) && 'init' in v;

/**
 * PyTorch's initial weights of the sequence kinds (issue 14): nn.Embedding's weight is
 * normal(0, 1); nn.LSTM / nn.GRU / nn.RNN draw every weight and bias from uniform(±1/√hidden)
 * (dlc's cells have tfjs's one bias per gate block: drawn the same way, seeded by (node id,
 * 'bias')); bidirectional's wrapped cell likewise. Undefined for other calls.
 */
function pytorchSequenceInit(c: LayerCall, ctx: BuildContext): LayerCall | undefined {
  if (c.layer === 'embedding' && isInit(c.args.embeddingsInitializer)) {
    return { ...c, args: { ...c.args, embeddingsInitializer: { ...c.args.embeddingsInitializer, init: 'randomNormal', stddev: 1 } } };
  }
  const rnnArgs = (args: Readonly<Record<string, RecipeArg>>): Record<string, RecipeArg> => {
    const limit = 1 / Math.sqrt(Number(args.units));
    const out: Record<string, RecipeArg> = { ...args };
    for (const key of ['kernelInitializer', 'recurrentInitializer']) {
      const init = args[key];
      if (isInit(init)) out[key] = { ...init, init: 'randomUniform', limit };
    }
    if (args.useBias !== false) out.biasInitializer = { init: 'randomUniform', limit, ...ctx.seed(ctx.id, 'bias') };
    return out;
  };
  if (c.layer === 'lstm' || c.layer === 'gru' || c.layer === 'simpleRNN') return { ...c, args: rnnArgs(c.args) };
  const inner = c.args.layer;
  if (c.layer === 'bidirectional' && typeof inner === 'object' && inner !== null && 'layer' in inner) return { ...c, args: { ...c.args, layer: { ...inner, args: rnnArgs(inner.args) } } };
  return undefined;
}
