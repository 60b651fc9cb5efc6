/**
 * Injection safety of the pytorch target: spec strings reach Python only as string literals
 * (pyString round-trips through Python's literal_eval), comment text (no line breaks or
 * NUL), docstring text, or sanitised identifiers. A project emitted from a spec with
 * hostile names (the TypeScript target's corpus plus Python-specific ones) compiles, builds
 * its model and runs nothing injected.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pyDocText, renderPytorch } from '../../../src/codegen/pytorch/index.js';
import { pyCommentText, pyString } from '../../../src/codegen/pytorch/literals.js';
import type { LayerSpec } from '../../../src/compiler/spec.js';
import { HOSTILE_LAYER, HOSTILE_TEXT, lowerSpec, tinySpec } from '../helpers.js';
import { PYTHON, runPython, writeFiles } from './python.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlc-torch-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const MARK = join(tmp, 'pwned');

const NASTY = [
  HOSTILE_LAYER,
  HOSTILE_TEXT,
  `"""; import os; os.system("touch ${MARK}"); """`,
  `'''; __import__('os').system('touch ${MARK}'); '''`,
  'back\\slash \\N{ \\x \\u12 end\\',
  'nul \u0000 bell \u0007 esc \u001b del \u007f',
  'lines\r\nmore\rand\u2028\u2029\u0085end',
  '# comment ) ] } :',
  'lone surrogate \ud800 and emoji 😀',
];

describe('python literals', () => {
  it('keep every string data, never code', () => {
    for (const s of NASTY) {
      expect(pyString(s)).not.toMatch(/[\n\r\u0000]/);
      expect(pyCommentText(s)).not.toMatch(/[\n\r\u0000]/);
      expect(pyDocText(s)).not.toMatch(/[\n\r\u0000]|(?<!\\)"/);
    }
  });

  it.skipIf(!PYTHON)('round-trip through Python (literal_eval of the literal, a docstring of the doc text)', () => {
    const got = runPython<{ lit: string[]; doc: boolean[] }>(
      `import ast
lit = [ast.literal_eval(s) for s in INPUT['lits']]
doc = []
for d in INPUT['docs']:
    tree = ast.parse('"""' + d + '"""')
    doc.append(len(tree.body) == 1 and isinstance(tree.body[0].value, ast.Constant))
print(json.dumps({'lit': lit, 'doc': doc}))`,
      { lits: NASTY.map(pyString), docs: NASTY.map(pyDocText) },
    );
    expect(got.lit).toEqual(NASTY);
    expect(got.doc).toEqual(NASTY.map(() => true));
  });
});

describe.skipIf(!PYTHON)('a project from a hostile spec', () => {
  it('compiles, builds its model and runs nothing injected', () => {
    const base = tinySpec();
    const layers = base.model.layers.map((l, i): LayerSpec => (i === 0 ? { ...l, name: NASTY[2] } : i === 1 ? { ...l, name: NASTY[3] } : l));
    const spec = tinySpec({ name: NASTY[2], description: NASTY.join(' | '), model: { layers } });
    const specFile = `specs/${NASTY[3]}\n${NASTY[6]}.yaml`;
    const files = renderPytorch(lowerSpec(spec, specFile), { specFile, specSource: `# ${NASTY.join('\n# ')}\nname: x\n`, overrides: [NASTY[4]] });
    const dir = join(tmp, 'project');
    writeFiles(dir, files);
    const got = runPython<{ compiled: number; out: number[] }>(
      `import os, py_compile, sys, torch
n = 0
for root, _, fs in os.walk(INPUT['dir']):
    for f in fs:
        if f.endswith('.py'):
            py_compile.compile(os.path.join(root, f), doraise=True)
            n += 1
sys.path.insert(0, INPUT['dir'])
import model, train
m = model.build_model().eval()
y = m(torch.rand(2, *model.INPUT_SHAPE))
print(json.dumps({'compiled': n, 'out': list(y.shape)}))`,
      { dir },
    );
    expect(got.compiled).toBeGreaterThanOrEqual(10);
    expect(got.out[0]).toBe(2);
    expect(existsSync(MARK)).toBe(false);
    // The hostile name is in model.py's docstring, escaped.
    expect(files.get('model.py')!).toContain(pyDocText(NASTY[2]));
  });
});
