/**
 * The PyTorch target's recurrent layers (templates/pytorch/dlc_runtime/layers.py) on every path
 * they take — torch's fused LSTM on packed rows for a right-padded mask in either direction (the
 * backward one: the valid steps reversed, tfjs's leading zero states for the padding), KerasLSTM.loop
 * for any other mask, the GRU's loop — against the step loops layers.py had before those paths
 * (fixtures/recurrent_reference.py): outputs and the gradients (input, kernel, recurrent kernel,
 * bias) of a random linear loss within 1e-6 (absolute, or relative to the tensor's largest value
 * where that is above 1: float32 gradients of a few units differ by an ulp or two where autograd
 * sums a step's contributions in another order), on the same random weights, in float32 (what
 * runs) and float64 (where rounding cannot come near 1e-6). Each case also says which LSTM path ran
 * (how many KerasLSTM.loop calls), so a mask routed to the wrong path fails.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PYTHON, runPython } from './python.js';

type MaskKind = 'none' | 'right' | 'gaps' | 'empty_row';
interface Case {
  name: string;
  layer: 'lstm' | 'gru' | 'bidirectional';
  cell?: 'lstm' | 'gru';
  backwards?: boolean;
  sequences: boolean;
  mask: MaskKind;
  merge?: 'concat' | 'sum' | 'ave' | 'mul';
  /** KerasLSTM.loop calls expected (0: a fused path). */
  loops: number;
  dtype: 'float32' | 'float64';
}
interface Result { name: string; dtype: string; shape: number[]; out: number; out_scale: number; grad: number; grad_scale: number; loops: number }

const TOL = 1e-6;
const [BATCH, STEPS, UNITS] = [6, 9, 5];

function cases(): Case[] {
  const out: Omit<Case, 'dtype'>[] = [];
  for (const sequences of [true, false]) {
    const seq = sequences ? ', return_sequences' : '';
    for (const backwards of [true, false]) {
      const dir = backwards ? 'backwards' : 'forwards';
      out.push({ name: `lstm ${dir}, right-padded mask${seq}`, layer: 'lstm', backwards, sequences, mask: 'right', loops: 0 });
      out.push({ name: `lstm ${dir}, no mask${seq}`, layer: 'lstm', backwards, sequences, mask: 'none', loops: 0 });
      out.push({ name: `lstm ${dir}, mask with gaps${seq}`, layer: 'lstm', backwards, sequences, mask: 'gaps', loops: 1 });
      out.push({ name: `lstm ${dir}, a row without valid steps${seq}`, layer: 'lstm', backwards, sequences, mask: 'empty_row', loops: 1 });
      for (const mask of ['none', 'right', 'gaps'] as const) out.push({ name: `gru ${dir}, mask ${mask}${seq}`, layer: 'gru', backwards, sequences, mask, loops: 0 });
    }
    for (const cell of ['lstm', 'gru'] as const) {
      for (const merge of ['concat', 'sum', 'ave', 'mul'] as const) {
        out.push({ name: `bidirectional ${cell} ${merge}, right-padded mask${seq}`, layer: 'bidirectional', cell, sequences, mask: 'right', merge, loops: 0 });
      }
    }
  }
  return (['float32', 'float64'] as const).flatMap((dtype) => out.map((c) => ({ ...c, name: `${c.name}, ${dtype}`, dtype })));
}

const CASES = cases();
const RUN = `
sys.path.insert(0, ${JSON.stringify(join(import.meta.dirname, 'fixtures'))})
from recurrent_paths import main
print(json.dumps(main(INPUT)))
`;

describe.skipIf(!PYTHON)('pytorch recurrent layers: fused and loop paths = the reference step loops', () => {
  const results = new Map<string, Result>();
  beforeAll(() => {
    for (const r of runPython<Result[]>(RUN, CASES)) results.set(r.name, r);
  }, 120_000);

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = results.get(c.name)!;
    const width = c.layer === 'bidirectional' && c.merge === 'concat' ? 2 * UNITS : UNITS;
    expect(r.dtype).toBe(`torch.${c.dtype}`);
    expect(r.shape).toEqual(c.sequences ? [BATCH, STEPS, width] : [BATCH, width]);
    expect(r.loops, 'KerasLSTM.loop calls').toBe(c.loops);
    expect(r.out).toBeLessThanOrEqual(TOL);
    expect(r.grad).toBeLessThanOrEqual(TOL);
    // Not vacuous: outputs and every gradient carry values.
    expect(r.out_scale).toBeGreaterThan(0.01);
    expect(r.grad_scale).toBeGreaterThan(0.01);
  });
});
