/**
 * Several outputs (issue 14): `model.outputs` lists the main output first
 * and auxiliary heads after it, each with a loss weight. The IR lists them,
 * every head is checked against the data set's target like a single output
 * (DLC108/DLC109), a dead end that is not an output is still DLC110, bad
 * lists are DLC100/DLC024 at the entry, `dlc inspect` shows each output and
 * its weight, and `dlc config` prints them back.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/compiler/compile.js';
import { documentToYaml, specToDocument } from '../../../src/compiler/front/denormalize.js';
import { formatSummary, summarize } from '../../../src/compiler/lower/summary.js';
import { modelOutputs } from '../../../src/compiler/ir-attrs.js';

export const AUX_SPEC = `name: aux
data:
  dataset: synthetic
  synthetic: {train_samples: 8, test_samples: 4, shape: [8, 8, 3], classes: 3}
model:
  outputs:
    - {layer: logits}
    - {layer: aux, loss_weight: 0.3}
  layers:
    - conv2d: {name: c1, filters: 4, kernel_size: 3, padding: same, activation: relu}
    - global_avg_pool2d: {name: gap_aux}
    - dense: {name: aux, units: 3}
    - conv2d: {name: c2, filters: 4, kernel_size: 3, padding: same, activation: relu, inputs: [c1]}
    - global_avg_pool2d
    - dense: {name: logits, units: 3}
`;

const run = (yaml: string) => compile(yaml, { file: 'spec.yaml' });
const at = (yaml: string) => run(yaml).diagnostics.map((d) => [d.code, d.line, d.col] as const);

describe('model.outputs', () => {
  it('lowers to an IR listing every output with its weight, main first', () => {
    const r = run(AUX_SPEC);
    expect(r.diagnostics).toEqual([]);
    expect(r.ir!.outputId).toBe('logits');
    expect(r.ir!.outputs).toEqual([
      { id: 'logits', lossWeight: 1 },
      { id: 'aux', lossWeight: 0.3 },
    ]);
    expect(modelOutputs(r.ir!).map((o) => o.id)).toEqual(['logits', 'aux']);
  });

  it('a single-output spec keeps its IR (no outputs field) and modelOutputs gives its one output', () => {
    const r = run(AUX_SPEC.replace(/ {2}outputs:\n.*\n.*\n/, '  output: logits\n'));
    expect(r.ir!.outputs).toBeUndefined();
    expect(modelOutputs(r.ir!)).toEqual([{ id: 'logits', lossWeight: 1 }]);
    // …and the aux head that is no longer an output is a dead end.
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['DLC110', 10]]);
  });

  it('dlc inspect shows each output and its loss weight', () => {
    const text = formatSummary(summarize(run(AUX_SPEC).ir!));
    expect(text.split('\n')[0]).toContain("outputs 'logits' (loss weight 1, main), 'aux' (loss weight 0.3)");
    expect(summarize(run(AUX_SPEC).ir!).outputs).toEqual([
      { id: 'logits', lossWeight: 1 },
      { id: 'aux', lossWeight: 0.3 },
    ]);
  });

  it("the training-memory estimate counts the auxiliary head's weights and activations", () => {
    const withAux = summarize(run(AUX_SPEC).ir!).memory;
    // The same model without the aux head (gap_aux → aux): 2 nodes fewer, 4·3 + 3 parameters fewer.
    const without = summarize(run(AUX_SPEC.replace(/ {2}outputs:\n.*\n.*\n/, '').replace('    - global_avg_pool2d: {name: gap_aux}\n    - dense: {name: aux, units: 3}\n', '')).ir!).memory;
    expect(withAux.parameters - without.parameters).toBe((4 * 3 + 3) * 4);
    expect(withAux.activations).toBeGreaterThan(without.activations);
  });

  it('checks every head against the target: class count (DLC108) and activation on logits (DLC109) at the aux head', () => {
    expect(at(AUX_SPEC.replace('{name: aux, units: 3}', '{name: aux, units: 4}'))).toEqual([['DLC108', 12, 33]]);
    expect(at(AUX_SPEC.replace('{name: aux, units: 3}', '{name: aux, units: 3, activation: relu}'))).toEqual([['DLC109', 12, 48]]);
  });

  it('a layer nobody reads that is not listed is still DLC110', () => {
    const yaml = AUX_SPEC.replace('    - conv2d: {name: c2', '    - dense: {name: dead, units: 2, inputs: [gap_aux]}\n    - conv2d: {name: c2');
    expect(at(yaml).map(([c, l]) => [c, l])).toEqual([['DLC110', 13]]);
  });

  it('an unknown output is DLC100 at its entry, with did-you-mean', () => {
    const r = run(AUX_SPEC.replace('{layer: aux,', '{layer: auxx,'));
    expect(r.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['DLC100', 8, 15]]);
    expect(r.diagnostics[0].fix?.replacement).toBe('aux');
  });

  it('an output listed twice, or output and outputs both, is DLC024', () => {
    expect(at(AUX_SPEC.replace('{layer: aux,', '{layer: logits,')).map(([c, l]) => [c, l])).toEqual([
      ['DLC024', 8], // and no DLC110 for the head the entry may have meant
    ]);
    expect(at(AUX_SPEC.replace('  outputs:\n', '  output: logits\n  outputs:\n')).map(([c, l]) => [c, l])).toEqual([['DLC024', 6]]);
  });

  it('a negative weight is a schema error at the weight', () => {
    expect(at(AUX_SPEC.replace('loss_weight: 0.3', 'loss_weight: -1'))).toEqual([['DLC012', 8, 33]]);
  });

  it('dlc config prints the outputs, and its text compiles to the same spec', () => {
    const spec = run(AUX_SPEC).spec!;
    const yaml = documentToYaml(specToDocument(spec));
    expect(yaml).toContain('outputs:');
    const again = run(yaml);
    expect(again.spec!.model.outputs).toEqual([
      { layer: 'logits', loss_weight: 1 },
      { layer: 'aux', loss_weight: 0.3 },
    ]);
    expect(again.ir!.outputs).toEqual(run(AUX_SPEC).ir!.outputs);
  });
});
