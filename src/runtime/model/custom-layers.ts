/**
 * dlc's own tfjs layers, for kinds tfjs-layers lacks (it has no attention,
 * hard swish or grouped convolution): positional_embedding,
 * multi_head_attention, transformer_encoder, hard_swish and conv2d with `groups`. Recipes
 * name them by factory (`dlcPositionalEmbedding`, …); the runtime's
 * interpreter (layers.ts) builds them from here, and an emitted project's
 * model.ts imports this file (copied verbatim) for the same classes.
 * Each class is registered with tf.serialization, so a saved model.json that
 * holds one loads wherever this module was imported.
 *
 * Weights are 2-D kernels like tfjs dense ([in, out], x·W + b), drawn by
 * glorot uniform from the seeds the recipe carries (one per kernel); biases
 * and layer-norm β start at 0, γ at 1.
 */
import * as tf from '@tensorflow/tfjs';

type Kwargs = Record<string, unknown>;
type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];
type Shape = (number | null)[];

const glorot = (seed: number) => tf.initializers.glorotUniform({ seed });
const lastShape = (s: Shape | Shape[]): Shape => (Array.isArray(s[0]) ? (s[0] as Shape) : (s as Shape));
const single = (x: tf.Tensor | tf.Tensor[]): tf.Tensor => (Array.isArray(x) ? x[0] : x);

/** Learned position vectors added to a [steps, features] sequence. */
export class DlcPositionalEmbedding extends tf.layers.Layer {
  static className = 'DlcPositionalEmbedding';
  private readonly seed: number;
  private positions?: tf.LayerVariable;

  constructor(args: LayerArgs & { seed: number }) {
    super(args);
    this.seed = args.seed;
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const [, steps, width] = lastShape(inputShape);
    this.positions = this.addWeight('embeddings', [steps as number, width as number], 'float32', glorot(this.seed));
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.add(single(inputs), (this.positions as tf.LayerVariable).read()));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return lastShape(inputShape);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), seed: this.seed };
  }
}

interface AttentionWeights {
  q: tf.LayerVariable; qb: tf.LayerVariable; k: tf.LayerVariable; kb: tf.LayerVariable;
  v: tf.LayerVariable; vb: tf.LayerVariable; o: tf.LayerVariable; ob: tf.LayerVariable;
}

/** Adds the projection weights of self-attention with `heads` heads of `keyDim` to `layer`. */
type Init = ReturnType<typeof tf.initializers.zeros>;
type AddWeight = (name: string, shape: number[], init: Init) => tf.LayerVariable;

function attentionWeights(addWeight: AddWeight, width: number, heads: number, keyDim: number, seeds: readonly number[], prefix = ''): AttentionWeights {
  const hk = heads * keyDim;
  const add = (name: string, shape: number[], init: Init) => addWeight(`${prefix}${name}`, shape, init);
  return {
    q: add('query_kernel', [width, hk], glorot(seeds[0])), qb: add('query_bias', [hk], tf.initializers.zeros()),
    k: add('key_kernel', [width, hk], glorot(seeds[1])), kb: add('key_bias', [hk], tf.initializers.zeros()),
    v: add('value_kernel', [width, hk], glorot(seeds[2])), vb: add('value_bias', [hk], tf.initializers.zeros()),
    o: add('output_kernel', [hk, width], glorot(seeds[3])), ob: add('output_bias', [width], tf.initializers.zeros()),
  };
}

/** The head size: `keyDim`, or (0) width / heads. */
const headDim = (keyDim: number, width: number, heads: number): number => keyDim || width / heads;

/** x·W + b over the last axis of a [batch, steps, in] tensor. */
function project(x: tf.Tensor, w: tf.LayerVariable, b: tf.LayerVariable): tf.Tensor {
  const [n, t, d] = x.shape as [number, number, number];
  const kernel = w.read();
  return tf.add(tf.reshape(tf.matMul(tf.reshape(x, [n * t, d]), kernel), [n, t, kernel.shape[1] as number]), b.read());
}

/** Scaled dot-product self-attention of [batch, steps, width] x (no mask): [batch, steps, width]. */
function selfAttention(x: tf.Tensor, w: AttentionWeights, heads: number, keyDim: number): tf.Tensor {
  const [n, t] = x.shape as [number, number, number];
  const split = (y: tf.Tensor) => tf.transpose(tf.reshape(y, [n, t, heads, keyDim]), [0, 2, 1, 3]); // [n, h, t, k]
  const q = split(project(x, w.q, w.qb));
  const k = split(project(x, w.k, w.kb));
  const v = split(project(x, w.v, w.vb));
  const scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(keyDim)); // [n, h, t, t]
  const context = tf.matMul(tf.softmax(scores, -1), v); // [n, h, t, k]
  const merged = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [n, t, heads * keyDim]);
  return project(merged, w.o, w.ob);
}

/** Multi-head self-attention on one [steps, width] input (Keras MultiHeadAttention(x, x), PyTorch nn.MultiheadAttention). */
export class DlcMultiHeadAttention extends tf.layers.Layer {
  static className = 'DlcMultiHeadAttention';
  private readonly numHeads: number;
  private readonly keyDim: number;
  private readonly seeds: number[];
  private w?: AttentionWeights;

  constructor(args: LayerArgs & { numHeads: number; keyDim: number; seeds: number[] }) {
    super(args);
    this.numHeads = args.numHeads;
    this.keyDim = args.keyDim;
    this.seeds = [...args.seeds];
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const width = lastShape(inputShape)[2] as number;
    this.w = attentionWeights((name, shape, init) => this.addWeight(name, shape, 'float32', init), width, this.numHeads, headDim(this.keyDim, width, this.numHeads), this.seeds);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = single(inputs);
    return tf.tidy(() => selfAttention(x, this.w as AttentionWeights, this.numHeads, headDim(this.keyDim, x.shape[2] as number, this.numHeads)));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return lastShape(inputShape);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), numHeads: this.numHeads, keyDim: this.keyDim, seeds: this.seeds };
  }
}

/** Layer normalisation over the last axis: (x − mean) / √(var + ε) · γ + β. */
function layerNorm(x: tf.Tensor, gamma: tf.LayerVariable, beta: tf.LayerVariable, epsilon: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), gamma.read()), beta.read());
}

/**
 * One post-norm transformer encoder block on [steps, width]:
 * y = LN(x + MHA(x)); out = LN(y + W₂·relu(W₁·y + b₁) + b₂) — PyTorch's
 * nn.TransformerEncoderLayer (norm_first=False, relu, no dropout here) and
 * keras-nlp's TransformerEncoder.
 */
export class DlcTransformerEncoder extends tf.layers.Layer {
  static className = 'DlcTransformerEncoder';
  private readonly numHeads: number;
  private readonly keyDim: number;
  private readonly ffDim: number;
  private readonly epsilon: number;
  private readonly seeds: number[];
  private w?: AttentionWeights;
  private ff?: { w1: tf.LayerVariable; b1: tf.LayerVariable; w2: tf.LayerVariable; b2: tf.LayerVariable };
  private norms?: { g1: tf.LayerVariable; b1: tf.LayerVariable; g2: tf.LayerVariable; b2: tf.LayerVariable };

  constructor(args: LayerArgs & { numHeads: number; keyDim: number; ffDim: number; epsilon: number; seeds: number[] }) {
    super(args);
    this.numHeads = args.numHeads;
    this.keyDim = args.keyDim;
    this.ffDim = args.ffDim;
    this.epsilon = args.epsilon;
    this.seeds = [...args.seeds];
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const width = lastShape(inputShape)[2] as number;
    this.w = attentionWeights((name, shape, init) => this.addWeight(name, shape, 'float32', init), width, this.numHeads, headDim(this.keyDim, width, this.numHeads), this.seeds, 'attention_');
    const ones = tf.initializers.ones();
    const zeros = tf.initializers.zeros();
    this.norms = {
      g1: this.addWeight('norm1_gamma', [width], 'float32', ones), b1: this.addWeight('norm1_beta', [width], 'float32', zeros),
      g2: this.addWeight('norm2_gamma', [width], 'float32', ones), b2: this.addWeight('norm2_beta', [width], 'float32', zeros),
    };
    this.ff = {
      w1: this.addWeight('ff1_kernel', [width, this.ffDim], 'float32', glorot(this.seeds[4])), b1: this.addWeight('ff1_bias', [this.ffDim], 'float32', zeros),
      w2: this.addWeight('ff2_kernel', [this.ffDim, width], 'float32', glorot(this.seeds[5])), b2: this.addWeight('ff2_bias', [width], 'float32', zeros),
    };
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const n = this.norms as NonNullable<DlcTransformerEncoder['norms']>;
      const f = this.ff as NonNullable<DlcTransformerEncoder['ff']>;
      const k = headDim(this.keyDim, x.shape[2] as number, this.numHeads);
      const y = layerNorm(tf.add(x, selfAttention(x, this.w as AttentionWeights, this.numHeads, k)), n.g1, n.b1, this.epsilon);
      const h = project(tf.relu(project(y, f.w1, f.b1)), f.w2, f.b2);
      return layerNorm(tf.add(y, h), n.g2, n.b2, this.epsilon);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return lastShape(inputShape);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), numHeads: this.numHeads, keyDim: this.keyDim, ffDim: this.ffDim, epsilon: this.epsilon, seeds: this.seeds };
  }
}

/**
 * Hard swish as PyTorch's `nn.Hardswish`: x·relu6(x + 3)/6 (tfjs has no such
 * activation). No weights; the `hard_swish` layer and `activation: hard_swish`.
 */
export class DlcHardSwish extends tf.layers.Layer {
  static className = 'DlcHardSwish';

  constructor(args: LayerArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      return tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6));
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return lastShape(inputShape);
  }
}

type Conv2DArgs = Parameters<typeof tf.layers.conv2d>[0];
/** tfjs's Conv2D class (tf.layers exports only its factory). */
const Conv2D = tf.layers.conv2d({ filters: 1, kernelSize: 1 }).constructor as new (args: Conv2DArgs) => tf.layers.Layer;

/** The fields of tfjs's Conv2D this layer reads and sets (its own build and call use them). */
interface ConvInternals {
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dilationRate: number[];
  readonly useBias: boolean;
  readonly kernelInitializer: Init;
  readonly biasInitializer: Init;
  readonly activation: { apply(x: tf.Tensor): tf.Tensor };
  kernel: tf.LayerVariable | null;
  bias: tf.LayerVariable | null;
  inputSpec: { ndim: number; axes: Record<number, number> }[];
}

/**
 * Grouped 2-D convolution (PyTorch `nn.Conv2d(groups=G)`; tfjs has none):
 * input channels and filters are cut into G groups, group g's filters see
 * only group g's input channels. tfjs's Conv2D with a [kh, kw, in/G, filters]
 * kernel (PyTorch's weight [filters, in/G, kh, kw] transposed like any conv
 * kernel) and the same config plus `groups`; its call is split → conv2d per
 * group → concat (a depthwise convolution when each group is one input
 * channel), then bias and activation as Conv2D. Trains on every backend
 * (SplitV/Concat/Conv2D and their gradients are registered on wasm).
 */
export class DlcGroupedConv2d extends Conv2D {
  static className = 'DlcGroupedConv2d';
  readonly groups: number;

  constructor(args: Conv2DArgs & { groups: number }) {
    super(args);
    this.groups = args.groups;
    if (!Number.isInteger(this.groups) || this.groups < 1) throw new Error(`DlcGroupedConv2d: groups must be a positive integer, got ${String(args.groups)}`);
    if ((this as unknown as ConvInternals).filters % this.groups !== 0) throw new Error(`DlcGroupedConv2d: filters ${(this as unknown as ConvInternals).filters} are not divisible by groups ${this.groups}`);
  }

  override build(inputShape: Shape | Shape[]): void {
    const self = this as unknown as ConvInternals;
    const cin = lastShape(inputShape)[3];
    if (typeof cin !== 'number' || cin % this.groups !== 0) throw new Error(`DlcGroupedConv2d: ${String(cin)} input channels are not divisible by groups ${this.groups}`);
    self.kernel = this.addWeight('kernel', [...self.kernelSize, cin / this.groups, self.filters], 'float32', self.kernelInitializer);
    if (self.useBias) self.bias = this.addWeight('bias', [self.filters], 'float32', self.biasInitializer);
    self.inputSpec = [{ ndim: 4, axes: { [-1]: cin } }];
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const self = this as unknown as ConvInternals;
      const x = single(inputs) as tf.Tensor4D;
      const kernel = (self.kernel as tf.LayerVariable).read() as tf.Tensor4D;
      const [kh, kw, per, filters] = kernel.shape;
      const strides = self.strides as [number, number];
      const dilations = self.dilationRate as [number, number];
      let y: tf.Tensor4D;
      if (per === 1) {
        // One input channel per group: a depthwise convolution with filters/G outputs per channel, in PyTorch's order.
        y = tf.depthwiseConv2d(x, tf.reshape(kernel, [kh, kw, this.groups, filters / this.groups]) as tf.Tensor4D, strides, self.padding, 'NHWC', dilations) as tf.Tensor4D;
      } else {
        const xs = tf.split(x, this.groups, 3) as tf.Tensor4D[];
        const ks = tf.split(kernel, this.groups, 3) as tf.Tensor4D[];
        y = tf.concat(xs.map((xi, g) => tf.conv2d(xi, ks[g], strides, self.padding, 'NHWC', dilations)), 3);
      }
      const biased = self.bias ? tf.add(y, self.bias.read()) : y;
      return self.activation.apply(biased);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), groups: this.groups };
  }
}

tf.serialization.registerClass(DlcPositionalEmbedding);
tf.serialization.registerClass(DlcMultiHeadAttention);
tf.serialization.registerClass(DlcTransformerEncoder);
tf.serialization.registerClass(DlcHardSwish);
tf.serialization.registerClass(DlcGroupedConv2d as unknown as tf.serialization.SerializableConstructor<tf.layers.Layer>);

/** The factories recipes name (`tf.layers`-style: config in, layer out). */
export const dlcPositionalEmbedding = (args: Kwargs): tf.layers.Layer => new DlcPositionalEmbedding(args as never);
export const dlcMultiHeadAttention = (args: Kwargs): tf.layers.Layer => new DlcMultiHeadAttention(args as never);
export const dlcTransformerEncoder = (args: Kwargs): tf.layers.Layer => new DlcTransformerEncoder(args as never);
export const dlcHardSwish = (args: Kwargs): tf.layers.Layer => new DlcHardSwish(args as never);
export { DlcGroupNorm, dlcGroupNorm } from './group-norm.js';
export const dlcGroupedConv2d = (args: Kwargs): tf.layers.Layer => new DlcGroupedConv2d(args as never);

// PyTorch's pooling (explicit padding, ceil_mode, count_include_pad, adaptive): its own module, re-exported for model.ts.
export { dlcAdaptivePool2d, dlcTorchPool } from './torch-pool.js';
