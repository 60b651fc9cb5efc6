/**
 * What lstm and gru share (and bidirectional wraps): schema, inference and
 * the tfjs layer call.
 *
 * Conventions (tfjs = Keras 2):
 * - gates use the logistic sigmoid (`recurrentActivation: 'sigmoid'`, as
 *   Keras and PyTorch; tfjs's own default is hard sigmoid), the cell/candidate
 *   activation is tanh;
 * - initial weights: input kernel glorot uniform, recurrent kernel
 *   orthogonal, biases zero — each seeded by (node id, role);
 * - parameters follow tfjs/Keras: one bias vector per gate block. An LSTM has
 *   4·u·(c + u) + 4·u; PyTorch's `nn.LSTM` counts 4·u more (b_ih and b_hh).
 *   A GRU is the reset-before convention (tfjs supports only
 *   `reset_after: false`, Keras 1 / Cho et al. 2014): 3·u·(c + u) + 3·u;
 *   PyTorch's `nn.GRU` (and Keras 2's default) is reset-after with two bias
 *   vectors, 3·u·(c + u) + 6·u, and computes something else.
 */
import { boolean, integer, type Schema } from '../front/schema/helpers.js';
import type { InitializerRecipe, RecipeArg } from '../ir.js';
import { facts, type BuildContext, type OpFacts, type Shape } from './op-def.js';
import { needSeq } from './seq-common.js';

export type RnnCell = 'lstm' | 'gru';

export interface RnnAttrs {
  readonly units: number;
  readonly return_sequences: boolean;
}

/** Gate blocks per cell: LSTM input, forget, cell, output; GRU update, reset, candidate. */
export const GATES: Readonly<Record<RnnCell, number>> = { lstm: 4, gru: 3 };

export function rnnAttrSchemas(): Record<string, Schema> {
  return {
    units: integer('Size of the hidden state (output features per step).', { minimum: 1, examples: [32, 64] }),
    return_sequences: boolean('Output the hidden state of every step ([steps, units]) instead of the last one ([units]).', { default: false }),
  };
}

export const RNN_DEFAULTS = { return_sequences: false } as const;

/** Output shape, parameters (tfjs convention) and multiply-adds of one direction. */
export function rnnFacts(op: string, cell: RnnCell, a: RnnAttrs, x: Shape): OpFacts {
  needSeq(op, x);
  const [steps, c] = x;
  const g = GATES[cell];
  const weights = g * a.units * (c + a.units);
  return facts(a.return_sequences ? [steps, a.units] : [a.units], weights + g * a.units, 0, steps * weights);
}

/** The tfjs config of the cell layer (`lstm` / `gru`); `role` prefixes the seed roles (bidirectional's 'forward'). */
export function rnnArgs(a: RnnAttrs, ctx: BuildContext, name: string, role = ''): Record<string, RecipeArg> {
  const orthogonal: InitializerRecipe = { init: 'orthogonal', ...ctx.seed(ctx.id, `${role}recurrent`) };
  const args: Record<string, RecipeArg> = { name, units: a.units, recurrentActivation: 'sigmoid' };
  if (a.return_sequences) args.returnSequences = true;
  args.kernelInitializer = ctx.glorot(`${role}kernel`);
  args.recurrentInitializer = orthogonal;
  return args;
}
