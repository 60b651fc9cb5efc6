/**
 * Plain-JS (float64) reference implementations of PyTorch's update equations,
 * written straight from the torch.optim documentation, for the optimizer tests.
 */
import type { OptimizerSpec } from '../../../src/compiler/spec.js';

export interface RefState {
  step: number;
  slots: Record<string, number[]>[];
}

export function newRefState(): RefState {
  return { step: 0, slots: [] };
}

/** One update of params (list of flat arrays) by grads, mutating params and state. */
export function refStep(spec: OptimizerSpec, params: number[][], grads: number[][], lr: number, state: RefState): void {
  state.step += 1;
  const t = state.step;
  let gs = grads.map((g) => g.slice());
  if (spec.clip_value !== undefined) gs = gs.map((g) => g.map((x) => Math.min(spec.clip_value!, Math.max(-spec.clip_value!, x))));
  if (spec.clip_norm !== undefined) {
    const total = Math.sqrt(gs.flat().reduce((a, x) => a + x * x, 0));
    const coef = Math.min(1, spec.clip_norm / (total + 1e-6));
    gs = gs.map((g) => g.map((x) => x * coef));
  }
  params.forEach((p, vi) => {
    const s = (state.slots[vi] ??= {});
    const fill = (name: string, v = 0) => (s[name] ??= p.map(() => v));
    for (let i = 0; i < p.length; i++) {
      let g = gs[vi][i];
      const wd = spec.weight_decay;
      if (spec.kind !== 'adamw') g += wd * p[i];
      switch (spec.kind) {
        case 'sgd': {
          if (spec.momentum > 0) {
            const b = fill('momentum');
            b[i] = spec.momentum * b[i] + g;
            p[i] -= lr * (spec.nesterov ? g + spec.momentum * b[i] : b[i]);
          } else p[i] -= lr * g;
          break;
        }
        case 'adam':
        case 'adamw': {
          if (spec.kind === 'adamw') p[i] *= 1 - lr * wd;
          const m = fill('m');
          const v = fill('v');
          m[i] = spec.beta1 * m[i] + (1 - spec.beta1) * g;
          v[i] = spec.beta2 * v[i] + (1 - spec.beta2) * g * g;
          const bc1 = 1 - spec.beta1 ** t;
          const bc2 = 1 - spec.beta2 ** t;
          p[i] -= (lr / bc1) * (m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + spec.epsilon));
          break;
        }
        case 'rmsprop': {
          const sq = fill('square_avg');
          sq[i] = spec.rho * sq[i] + (1 - spec.rho) * g * g;
          const d = g / (Math.sqrt(sq[i]) + spec.epsilon);
          if (spec.momentum > 0) {
            const b = fill('momentum');
            b[i] = spec.momentum * b[i] + d;
            p[i] -= lr * b[i];
          } else p[i] -= lr * d;
          break;
        }
        case 'adagrad': {
          const sum = fill('sum', spec.initial_accumulator_value);
          sum[i] += g * g;
          p[i] -= (lr * g) / (Math.sqrt(sum[i]) + spec.epsilon);
          break;
        }
      }
    }
  });
}
