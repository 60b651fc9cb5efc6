/**
 * The emitted TypeScript project depends on the npm package its data file
 * comes from (`data.path: vega-datasets/data/…`), at dlc's own version of it;
 * a spec whose data is not in a package gets no such dependency.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderProject } from '../../src/codegen/index.js';
import { dataPackages } from '../../src/codegen/tfjs-node-ts/package-json.js';
import { compileFile } from '../../src/compiler/compile.js';
import type { DataSpec } from '../../src/compiler/spec.js';
import { DLC_ROOT, lowerSpec, tinySpec } from './helpers.js';

const ours = JSON.parse(readFileSync(join(DLC_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const deps = (files: Map<string, string>): Record<string, string> => (JSON.parse(files.get('package.json')!) as { dependencies: Record<string, string> }).dependencies;

describe('emitted package.json and data packages', () => {
  it('a csv spec reading vega-datasets/data/… depends on vega-datasets at our version', () => {
    const rel = 'specs/auto-mpg.yaml';
    const { ir } = compileFile(join(DLC_ROOT, rel), { displayPath: rel });
    const files = renderProject(ir!, 'tfjs-node-ts', { specFile: rel });
    expect(deps(files)['vega-datasets']).toBe(ours.dependencies['vega-datasets']);
  });

  it('a synthetic spec does not', () => {
    const files = renderProject(lowerSpec(tinySpec()), 'tfjs-node-ts', { specFile: 'specs/tiny.yaml' });
    expect(deps(files)['vega-datasets']).toBeUndefined();
  });

  it('dataPackages: package paths (also scoped, also a test file) count; local, dotted, absolute and unknown ones do not', () => {
    const known = ['vega-datasets', '@scope/pkg', 'yaml'];
    const d = (path?: string, test?: string): DataSpec => ({ dataset: 'csv', path, test_split: test === undefined ? undefined : { path: test } }) as unknown as DataSpec;
    expect(dataPackages(d('vega-datasets/data/cars.json'), known)).toEqual(['vega-datasets']);
    expect(dataPackages(d('data/cars.csv', '@scope/pkg/test.csv'), known)).toEqual(['@scope/pkg']);
    expect(dataPackages(d('./vega-datasets/data/cars.json'), known)).toEqual([]);
    expect(dataPackages(d('/abs/vega-datasets/x.csv'), known)).toEqual([]);
    expect(dataPackages(d('vega-datasets'), known)).toEqual([]);
    expect(dataPackages(d('other/x.csv'), known)).toEqual([]);
    expect(dataPackages(d(), known)).toEqual([]);
  });
});
