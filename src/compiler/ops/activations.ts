/**
 * The activation functions a layer's `activation` attribute may name, and
 * how a layer with one is built: tfjs layers take most of them as their
 * `activation` config; `leaky_relu` (whose tfjs activation has no alpha) is a
 * separate LeakyReLU layer after it, named `<layer>_act`.
 */
import type { LayerCall } from '../ir.js';
import { enumOf, type Schema } from '../front/schema/helpers.js';
import { call } from './op-def.js';

export const ACTIVATIONS = ['linear', 'relu', 'leaky_relu', 'elu', 'gelu', 'sigmoid', 'tanh', 'softmax', 'relu6', 'silu', 'swish', 'mish', 'hard_sigmoid', 'hard_swish'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/** The activation functions that are also layer kinds of their own (`- relu`). */
export type ActivationLayerName = Exclude<ActivationName, 'linear' | 'leaky_relu' | 'hard_sigmoid' | 'hard_swish'>;

/**
 * The tfjs activation a name is computed by, where the names differ: PyTorch's
 * SiLU (x·sigmoid(x)) is tfjs's `swish` (β = 1); `swish` is its Keras name.
 * relu6 = min(max(x, 0), 6) and mish = x·tanh(softplus(x)) have the same name in both.
 */
const TFJS_ACTIVATION: Partial<Record<ActivationName, string>> = { silu: 'swish' };
export const tfjsActivation = (name: ActivationName): string => TFJS_ACTIVATION[name] ?? name;

/** Slope of `activation: leaky_relu` on a layer (the `leaky_relu` layer states its own alpha). */
export const LEAKY_RELU_ACTIVATION_ALPHA = 0.01;

/** The schema definition every layer's `activation` refers to. */
export function activationDefinition(): Schema {
  return enumOf(ACTIVATIONS, 'Activation applied to the output. Use `linear` on the logits: the cross-entropy loss applies softmax itself.', { default: 'linear' });
}

/** An attribute's schema: a reference to the one definition (the schema stays small). */
export function activationAttr(): Schema {
  return { $ref: '#/definitions/activation' };
}

/**
 * PyTorch's hard sigmoid clip(x/6 + 1/2, 0, 1) from tfjs layers: a rescaling
 * by 5/6, then tfjs's (Keras's) hardSigmoid clip(0.2·x + 0.5, 0, 1).
 */
export function hardSigmoidCalls(name: string, ownLayer: boolean): LayerCall[] {
  return [call('rescaling', { name: `${name}_scale`, scale: 5 / 6, offset: 0 }, ownLayer ? 'pad' : 'act'), call('activation', { name, activation: 'hardSigmoid' }, ownLayer ? 'main' : 'act')];
}

/** PyTorch's hard swish x·relu6(x + 3)/6: dlc's own layer (runtime/model/custom-layers.ts), tfjs has no such activation. */
export function hardSwishCall(name: string, part: LayerCall['part'] = 'main'): LayerCall {
  return call('dlcHardSwish', { name }, part);
}

/** The main call's `activation` arg (none for linear) and the calls after it. */
export function withActivation(activation: ActivationName, name: string): { args: Record<string, string>; after: LayerCall[] } {
  if (activation === 'hard_swish') return { args: {}, after: [hardSwishCall(`${name}_act`, 'act')] };
  if (activation === 'hard_sigmoid') return { args: {}, after: hardSigmoidCalls(`${name}_act`, false) };
  if (activation === 'leaky_relu') return { args: {}, after: [leakyReluCall(`${name}_act`, LEAKY_RELU_ACTIVATION_ALPHA, 'act')] };
  return { args: activation === 'linear' ? {} : { activation: tfjsActivation(activation) }, after: [] };
}

/** A LeakyReLU layer call. */
export function leakyReluCall(name: string, alpha: number, part: LayerCall['part'] = 'main'): LayerCall {
  return call('leakyReLU', { name, alpha }, part);
}
