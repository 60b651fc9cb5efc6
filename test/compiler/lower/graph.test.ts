import { describe, expect, it } from 'vitest';
import { resolveGraph } from '../../../src/compiler/lower/graph.js';
import { fakeLocate, L, withPaths, type Draft } from '../helpers/spec-builder.js';

const ctx = { file: 'spec.yaml', locate: fakeLocate };
const resolve = (layers: Draft[], output?: string) => resolveGraph({ layers: withPaths(layers), ...(output ? { output } : {}) }, ctx);

describe('resolveGraph', () => {
  it.each([
    ['self reference', [L.conv(8, 3, { name: 'a', inputs: ['a'] }), L.gap()], [['DLC102', '/model/layers/0/conv2d/inputs']], ['a → a']],
    [
      'two separate cycles, one diagnostic each',
      [L.act('relu', { name: 'a', inputs: ['b'] }), L.act('relu', { name: 'b', inputs: ['a'] }), L.act('relu', { name: 'c', inputs: ['d'] }), L.act('relu', { name: 'd', inputs: ['c'] })],
      [['DLC102', '/model/layers/0/relu/inputs'], ['DLC102', '/model/layers/2/relu/inputs']],
      ['a → b → a', 'c → d → c'],
    ],
    [
      'a cycle through an implicit previous-layer input',
      [L.conv(8, 3, { name: 'a', padding: 'same' }), L.add(['a', 'c'], { name: 'b' }), L.act('relu', { name: 'c' }), L.gap()],
      [['DLC102', '/model/layers/1/add/inputs']],
      ['b → c → b'],
    ],
  ] as const)('%s', (_name, layers, want, rings) => {
    const g = resolve([...layers] as Draft[]);
    expect(g.diagnostics.map((d) => [d.code, d.path])).toEqual(want);
    rings.forEach((ring, i) => expect(g.diagnostics[i].message).toContain(ring));
  });

  it('marks a cycle and everything downstream of it broken, and still orders every layer', () => {
    const g = resolve([L.conv(8, 3, { name: 'a' }), L.add(['a', 'c'], { name: 'b' }), L.act('relu', { name: 'c' }), L.gap({ name: 'g' }), L.dense(10, { name: 'out', inputs: ['a'] })]);
    expect([...g.broken].sort()).toEqual(['b', 'c', 'g']);
    expect(g.order.map((n) => n.id).sort()).toEqual(['a', 'b', 'c', 'g', 'out']);
  });

  it('did-you-mean suggests the nearest name', () => {
    const g = resolve([L.conv(8, 3, { name: 'shortcut' }), L.gap({ inputs: ['shortcutt'] })]);
    expect(g.diagnostics[0].message).toContain("did you mean 'shortcut'");
    const far = resolve([L.conv(8, 3, { name: 'shortcut' }), L.gap({ inputs: ['zzz'] })]);
    expect(far.diagnostics[0].message).not.toContain('did you mean');
  });

  it('the output defaults to the last layer in spec order', () => {
    expect(resolve([L.conv(8, 3, { name: 'a', inputs: ['input'] }), L.act('relu', { name: 'b', inputs: ['a'] })]).outputId).toBe('b');
  });

  it('a long chain resolves in linear-ish time', () => {
    const layers: Draft[] = Array.from({ length: 20000 }, () => L.act('relu'));
    const t0 = performance.now();
    const g = resolve(layers);
    expect(g.order).toHaveLength(20000);
    expect(g.order[19999].id).toBe('relu_20000');
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
