/** The pure shared helpers every layer prints and points with. */
import { describe, expect, it } from 'vitest';
import { shapeList, shapeText, thousands } from '../../../src/compiler/shared/format.js';
import { escapePointer, joinPointer, resolveLocalRef, splitPointer } from '../../../src/compiler/shared/json-pointer.js';

describe('format', () => {
  it('writes shapes in the two notations and groups thousands', () => {
    expect(shapeText([32, 32, 3])).toBe('32×32×3');
    expect(shapeList([32, 32, 3])).toBe('[32, 32, 3]');
    expect(shapeList([])).toBe('[]');
    expect([0, 999, 1000, 61706, 1234567].map(thousands)).toEqual(['0', '999', '1,000', '61,706', '1,234,567']);
    // The same grouping en-US uses, for every size.
    for (const n of [7, 12_345, 9_876_543_210]) expect(thousands(n)).toBe(n.toLocaleString('en-US'));
  });
});

describe('json-pointer', () => {
  it('escapes, joins and splits segments as RFC 6901 says', () => {
    expect(escapePointer('a/b~c')).toBe('a~1b~0c');
    const segs = ['model', 'layers', '3', 'a/b', '~x', ''];
    expect(joinPointer(segs)).toBe('/model/layers/3/a~1b/~0x/');
    expect(splitPointer(joinPointer(segs))).toEqual(segs);
    expect(splitPointer('')).toEqual([]);
    expect(joinPointer([])).toBe('');
  });

  it('resolves local $refs, own properties only', () => {
    const root = { definitions: { layer: { type: 'object' }, 'a/b': { n: 1 }, 'sp ace': { n: 2 } } };
    expect(resolveLocalRef(root, '#/definitions/layer')).toBe(root.definitions.layer);
    expect(resolveLocalRef(root, '#/definitions/a~1b')).toEqual({ n: 1 });
    expect(resolveLocalRef(root, '#/definitions/sp%20ace')).toEqual({ n: 2 });
    expect(resolveLocalRef(root, '#')).toBe(root);
    expect(resolveLocalRef(root, '#/definitions/missing')).toBeUndefined();
    expect(resolveLocalRef(root, '#/definitions/constructor')).toBeUndefined();
    expect(resolveLocalRef(root, 'other.json#/definitions/layer')).toBeUndefined();
  });
});
