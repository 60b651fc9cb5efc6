/**
 * Issue 14 item 3: a spec typed character by character, from empty to
 * complete, through the language server's analysis (analyze() with the
 * previous version, as the server calls it). Once a layer has a hover, it
 * keeps one at every later keystroke (syntax errors, half-typed layers and
 * schema errors in later layers included).
 */
import { describe, expect, it } from 'vitest';
import { analyze, type Analysis } from '../../src/lsp/analyze.js';
import { hoverMarkdown, layerAt } from '../../src/lsp/layers.js';

const FINAL = `name: typed
data: {dataset: mnist}
model:
  layers:
    - conv2d: {filters: 8, kernel_size: 3, activation: relu}
    - max_pool2d: 2
    - flatten
    - dense: {units: 32, activation: relu}
    - dense: {units: 10}
`;

const FILE = '/tmp/dlc-typing/typed.yaml';
const noFiles = () => undefined;

/** Offsets of the layer kinds in the final text (each layer's hover spot). */
const SPOTS = ['conv2d', 'max_pool2d', 'flatten', 'dense: {units: 32', 'dense: {units: 10'].map((k) => FINAL.indexOf(k) + 1);

describe('typing a spec from empty to complete', () => {
  it('hovers on earlier layers never disappear once they were valid', { timeout: 60_000 }, () => {
    let prev: Analysis | undefined;
    const since = new Map<number, number>(); // spot → first length at which it had a hover
    let staleSteps = 0;
    for (let n = 0; n <= FINAL.length; n++) {
      const text = FINAL.slice(0, n);
      const a: Analysis = analyze(text, FILE, n, noFiles, prev);
      if (a.stale) staleSteps++;
      prev = a;
      for (const spot of SPOTS) {
        if (spot + 3 > n) continue; // the layer is not typed yet
        const hit = a.ir ? layerAt(a.parsed, spot, a.ir, (f) => f === FILE) : undefined;
        if (hit) {
          expect(hoverMarkdown(a.ir!, hit)).toMatch(/\d/);
          if (!since.has(spot)) since.set(spot, n);
        } else if (since.has(spot)) {
          throw new Error(`the hover at offset ${spot} (had one since length ${since.get(spot)}) disappeared at length ${n}: ${JSON.stringify(text.slice(-40))}`);
        }
      }
    }
    // Every layer got a hover by the end, and the final text is a clean analysis.
    expect([...since.keys()].sort((x, y) => x - y)).toEqual(SPOTS);
    expect(prev!.stale).toBeFalsy();
    expect(prev!.partial).toBe(false);
    expect(prev!.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // Some keystrokes really were unparseable or graph-less (the fallback was exercised).
    expect(staleSteps).toBeGreaterThan(0);
  });

  it('a YAML syntax error keeps the last graph; the next good text replaces it', () => {
    const good = analyze(FINAL, FILE, 1, noFiles);
    const broken = analyze(FINAL + '    - dense: {\n', FILE, 2, noFiles, good);
    expect(broken.stale).toBe(true);
    expect(broken.ir).toBe(good.ir);
    expect(broken.diagnostics.some((d) => d.code === 'DLC001')).toBe(true);
    const fixed = analyze(FINAL.replace('units: 10', 'units: 10, activation: softmax'), FILE, 3, noFiles, broken);
    expect(fixed.stale).toBeFalsy();
    expect(fixed.ir).not.toBe(good.ir);
  });

  it('a schema error in the layer being typed keeps the hovers of the others (no stale graph needed)', () => {
    const a = analyze(FINAL.replace('units: 32', 'unit: 32'), FILE, 1, noFiles);
    expect(a.stale).toBeFalsy();
    expect(a.ir).toBeDefined();
    for (const spot of SPOTS) expect(layerAt(a.parsed, spot, a.ir!, (f) => f === FILE)).toBeDefined();
  });
});
