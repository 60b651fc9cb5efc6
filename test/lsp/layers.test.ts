import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/compile.js';
import type { IR } from '../../src/compiler/ir.js';
import { hoverMarkdown, layerAt, layerSymbols } from '../../src/lsp/layers.js';
import { parseYaml } from '../../src/lsp/yaml-ast.js';

const RESNET = fileURLToPath(new URL('../../specs/resnet20-cifar.yaml', import.meta.url));
const text = readFileSync(RESNET, 'utf8');
const here = (f: string) => f === RESNET;

function compiled(src: string): { ir?: IR; parsed: ReturnType<typeof parseYaml> } {
  const r = compile(src, { file: RESNET });
  return { ir: r.ir, parsed: parseYaml(src) };
}

/** Hover text at the first occurrence of `needle` (plus `delta` characters). */
function hoverAt(needle: string, delta = 0): string | undefined {
  const { ir, parsed } = compiled(text);
  const hit = layerAt(parsed, text.indexOf(needle) + delta, ir!, here);
  return hit && hoverMarkdown(ir!, hit);
}

describe('layer hovers on ResNet-20 (blocks, repeat, DAG)', () => {
  it('a layer of a block definition lists every copy with its shapes', () => {
    const got = hoverAt('conv2d: {filters: $filters, kernel_size: 3, strides: 2');
    // `down` is used twice (stage2_down, stage3_down).
    expect(got).toContain('**stage2_down.0.conv2d_1** · `conv2d`');
    expect(got).toContain('input `[32, 32, 16]` → output `[16, 16, 32]`');
    expect(got).toContain('**stage3_down.0.conv2d_1** · `conv2d`');
    expect(got).toContain('input `[16, 16, 32]` → output `[8, 8, 64]`');
    expect(got).toContain('params: 4,640'); // 3·3·16·32 + 32 biases
  });

  it('a block use sums its copies', () => {
    const got = hoverAt('block: {name: stage1');
    expect(got).toContain('**stage1** · block `basic` ×3 (21 layers)');
    expect(got).toContain('input `[32, 32, 16]` → output `[32, 32, 16]`');
    // Per copy: two 3·3·16·16 convs with 16 biases + two batch norms (64 params each, half non-trainable).
    expect(got).toContain(`params: ${(3 * (2 * 2320 + 2 * 64)).toLocaleString('en-US')} (${(3 * (2 * 2320 + 2 * 32)).toLocaleString('en-US')} trainable)`);
  });

  it('an add merge shows both inputs', () => {
    expect(hoverAt('add: [bn2, proj]')).toContain('input `[16, 16, 32] + [16, 16, 32]` → output `[16, 16, 32]`');
  });

  it('the data set shows the model input', () => {
    expect(hoverAt('dataset: cifar10', 10)).toBe('**model input** `[32, 32, 3]` · 10 classes');
  });

  it('nothing to show outside the model', () => {
    const { ir, parsed } = compiled(text);
    expect(layerAt(parsed, text.indexOf('epochs: 30'), ir!, here)).toBeUndefined();
  });
});

describe('layerSymbols', () => {
  it('lists every IR layer with kind and output shape', () => {
    const { ir, parsed } = compiled(text);
    const symbols = layerSymbols(parsed, ir, here);
    expect(symbols).toHaveLength(ir!.nodes.length - 1);
    expect(symbols.at(-1)).toMatchObject({ detail: 'dense → [10]' });
    expect(symbols.map((s) => s.name)).toContain('stage3.1.bn2');
  });

  it('falls back to the YAML list while the spec does not compile', () => {
    const broken = text.replace('global_avg_pool2d', 'global_avg_pool');
    const { ir, parsed } = compiled(broken);
    expect(ir).toBeUndefined();
    const symbols = layerSymbols(parsed, ir, here);
    expect(symbols.map((s) => s.name)).toEqual(['0: conv2d', '1: batch_norm', '2: relu', '3: block', '4: block', '5: block', '6: block', '7: block', '8: global_avg_pool', '9: dense']);
    const line = broken.split('\n').findIndex((l) => l.includes('global_avg_pool'));
    expect(symbols[8]!.range.start).toEqual({ line, character: 6 });
  });
});

describe('analyze: hovers while the model has errors', () => {
  const SPEC = 'name: p\ndata: {dataset: mnist}\nmodel:\n  layers:\n    - conv2d: {filters: 4, kernel_size: 3}\n    - max_pool2d: 64\n    - flatten\n    - dense: {units: 10}\n';

  it('keeps the partial graph: shapes before the error, "not inferred" after it', async () => {
    const { analyze } = await import('../../src/lsp/analyze.js');
    const a = analyze(SPEC, '/nowhere/p.dlc.yaml', 1, () => undefined);
    expect(a.diagnostics.map((d) => d.code)).toEqual(['DLC106']);
    expect(a.partial).toBe(true);
    const at = (needle: string) => hoverMarkdown(a.ir!, layerAt(a.parsed, SPEC.indexOf(needle), a.ir!, () => true)!);
    expect(at('conv2d')).toContain('input `[28, 28, 1]` → output `[26, 26, 4]`');
    expect(at('dense')).toContain('_not inferred');
    expect(layerSymbols(a.parsed, a.ir, () => true).map((s) => s.detail)).toEqual(['conv2d → [26, 26, 4]', 'max_pool2d → ?', 'flatten → ?', 'dense → ?']);
  });
});

describe('hovers on nested blocks', () => {
  const SPEC = `name: n
data:
  dataset: synthetic
  synthetic: {train_samples: 8, test_samples: 4, shape: [8, 8, 3], classes: 3}
model:
  blocks:
    bc:
      params: {filters: 8}
      layers:
        - conv2d: {name: conv, filters: $filters, kernel_size: 1}
        - relu
    inc:
      layers:
        - block: {name: branch1, use: bc, with: {filters: 4}}
        - block: {name: branch2, use: bc, inputs: [input], with: {filters: 6}}
        - concat: [branch1, branch2]
  layers:
    - conv2d: {name: stem, filters: 8, kernel_size: 3, padding: same}
    - block: {name: i1, use: inc, repeat: 2}
    - global_avg_pool2d
    - dense: {units: 3}
`;
  const hover = (needle: string) => {
    const r = compile(SPEC, { file: 'n.yaml' });
    const parsed = parseYaml(SPEC);
    const hit = layerAt(parsed, SPEC.indexOf(needle), r.ir!, (f) => f === 'n.yaml');
    return hit && hoverMarkdown(r.ir!, hit);
  };

  it('a use inside a block definition sums its copies in every copy of the outer block', () => {
    const got = hover('block: {name: branch2')!;
    // 2 outer copies × (conv + relu); conv 1·1·c·6 + 6 (c = 8 in the first copy, 10 in the second).
    expect(got).toContain('**branch2** · block `bc` (4 layers)');
    expect(got).toContain(`params: ${8 * 6 + 6 + 10 * 6 + 6}`);
  });

  it("a layer of a nested block's definition lists every copy", () => {
    const got = hover('conv2d: {name: conv')!;
    for (const id of ['i1.0.branch1.0.conv', 'i1.0.branch2.0.conv', 'i1.1.branch1.0.conv', 'i1.1.branch2.0.conv']) expect(got).toContain(`**${id}**`);
  });
});
