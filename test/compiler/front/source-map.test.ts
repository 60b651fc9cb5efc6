/** Positions: key vs value, nearest existing ancestor, escaped pointers, null values, aliases. */
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../../src/compiler/front/parse.js';
import { childPointer, splitPointer } from '../../../src/compiler/front/source-map.js';

const TEXT = `name: t
model:
  layers:
    - conv2d: {filters: 8}
    - batch_norm:
"a/b~c": 1
base: &b {x: 1}
copy: *b
`;

describe('SourceMap.locate', () => {
  const { sourceMap, data } = parseSpec(TEXT, 's.yaml');

  it('gives the value range, or the key range on request', () => {
    expect(sourceMap.locate('/model/layers/0/conv2d/filters')).toEqual({ file: 's.yaml', line: 4, col: 25, endLine: 4, endCol: 26 });
    expect(sourceMap.locate('/model/layers/0/conv2d/filters', 'key')).toEqual({ file: 's.yaml', line: 4, col: 16, endLine: 4, endCol: 23 });
    // A list item has no key: its value range.
    expect(sourceMap.locate('/model/layers/1', 'key')).toMatchObject({ line: 5, col: 7 });
  });

  it('falls back to the nearest existing ancestor', () => {
    expect(sourceMap.locate('/model/layers/0/conv2d/kernel_size')).toMatchObject({ line: 4, col: 15 });
    expect(sourceMap.locate('/nothing/here')).toMatchObject({ line: 1, col: 1 });
  });

  it('locates keys with no value, and escaped keys', () => {
    expect(sourceMap.locate('/model/layers/1/batch_norm', 'key')).toMatchObject({ line: 5, col: 7, endCol: 17 });
    expect(sourceMap.locate(childPointer('', 'a/b~c'))).toMatchObject({ line: 6, col: 10 });
    expect(splitPointer('/a~1b~0c/0')).toEqual(['a/b~c', '0']);
  });

  it('expands aliases into data, positioned at the alias', () => {
    expect(data).toMatchObject({ copy: { x: 1 } });
    expect(sourceMap.locate('/copy/x')).toMatchObject({ line: 8, col: 7 });
  });
});
