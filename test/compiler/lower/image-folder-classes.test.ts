import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../../src/compiler/compile.js';

/** The class count of an image folder comes from its class sub-folders only. */
describe('image_folder class count at compile time', () => {
  it('counts sub-folders of train/, not stray files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlc-classes-'));
    for (const c of ['cat', 'dog']) mkdirSync(join(dir, 'data', 'train', c), { recursive: true });
    writeFileSync(join(dir, 'data', 'train', 'README.txt'), 'not a class');
    writeFileSync(
      join(dir, 'spec.yaml'),
      [
        'name: pets',
        'data: {dataset: image_folder, path: data, image_size: [8, 8], channels: 3}',
        'model:',
        '  layers:',
        '    - flatten',
        '    - dense: {units: 3}',
        '',
      ].join('\n'),
    );
    const r = compileFile(join(dir, 'spec.yaml'));
    // 3 units against the 2 class folders: DLC108 at the dense layer's units.
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['DLC108', 6]]);
  });
});
