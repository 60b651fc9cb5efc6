/**
 * Builders for the kinds without attributes of their own that are one tfjs
 * layer: global pools, flatten, and the stand-alone activation layers.
 */
import { tfjsActivation, type ActivationLayerName } from './activations.js';
import { call, facts, type OpDef, type OpFacts, type OpKind, type Shape } from './op-def.js';

/** Kinds declared with no attributes (`{}`). */
export type NoAttrs = Record<never, never>;

/** An attribute-less kind computed by one tfjs layer `layer` with extra config `args`. */
export function noAttrsOp<K extends OpKind>(
  kind: K,
  description: string,
  layer: string,
  infer: (inputs: readonly Shape[]) => OpFacts,
  more: Partial<Pick<OpDef<K>, 'keepsWidth' | 'activationLayer'>> & { args?: Readonly<Record<string, string>> } = {},
): OpDef<K> {
  const { args = {}, ...flags } = more;
  return {
    kind,
    description,
    attrs: {},
    ...flags,
    infer: (_a, inputs) => infer(inputs),
    build: (_a, ctx) => [call(layer, { name: ctx.name, ...args })],
  };
}

/** A stand-alone activation layer (`- relu`): tfjs `activation` layer, shape and width unchanged. */
export function activationOp<K extends OpKind & ActivationLayerName>(kind: K, description: string): OpDef<K> {
  return noAttrsOp(kind, description, 'activation', ([x]) => facts(x), {
    keepsWidth: true,
    activationLayer: true,
    args: { activation: tfjsActivation(kind) },
  });
}
