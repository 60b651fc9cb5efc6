/**
 * dlc's group normalisation layer (op group_norm), PyTorch `nn.GroupNorm`
 * semantics on channels-last tensors: the last axis (C channels) splits into
 * G contiguous groups of C/G; per sample and group, mean and biased variance
 * over every position and the group's channels; (x − μ)/√(σ² + ε), then γ·x̂ + β
 * per channel. Written with tfjs ops (reshape, moments, arithmetic), so it has
 * gradients on every backend (cpu, wasm, tfjs-node). Any rank ≥ 2: [n, C],
 * [n, steps, C], [n, h, w, C].
 */
import * as tf from '@tensorflow/tfjs';

type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];
type Shape = (number | null)[];

const lastShape = (s: Shape | Shape[]): Shape => (Array.isArray(s[0]) ? (s[0] as Shape) : (s as Shape));

/** y = γ · GroupNorm_G(x) + β over the last axis of `x` (see the module comment). */
export function groupNorm(x: tf.Tensor, groups: number, epsilon: number, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const shape = x.shape;
    const c = shape[shape.length - 1]!;
    const n = shape[0]!;
    // [n, positions, G, C/G]: statistics over axes 1 and 3.
    const grouped = tf.reshape(x, [n, -1, groups, c / groups]);
    const { mean, variance } = tf.moments(grouped, [1, 3], true);
    const normed = tf.div(tf.sub(grouped, mean), tf.sqrt(tf.add(variance, epsilon)));
    return tf.add(tf.mul(tf.reshape(normed, shape), gamma), beta);
  });
}

export class DlcGroupNorm extends tf.layers.Layer {
  static className = 'DlcGroupNorm';
  private readonly groups: number;
  private readonly epsilon: number;
  private gamma?: tf.LayerVariable;
  private beta?: tf.LayerVariable;

  constructor(args: LayerArgs & { groups: number; epsilon?: number }) {
    super(args);
    this.groups = args.groups;
    this.epsilon = args.epsilon ?? 1e-5;
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = lastShape(inputShape);
    const c = s[s.length - 1] as number;
    if (c % this.groups !== 0) throw new Error(`group_norm: groups ${this.groups} does not divide ${c} channels`);
    this.gamma = this.addWeight('gamma', [c], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [c], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return groupNorm(x, this.groups, this.epsilon, this.gamma!.read(), this.beta!.read());
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return lastShape(inputShape);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), groups: this.groups, epsilon: this.epsilon };
  }
}

tf.serialization.registerClass(DlcGroupNorm);

/** The recipe factory `dlcGroupNorm`. */
export const dlcGroupNorm = (args: Record<string, unknown>): tf.layers.Layer => new DlcGroupNorm(args as never);
