/**
 * `dlc emit --target pytorch` projects: for every shipped spec (and a spec using every op)
 * the emitted files compile (`python -m py_compile`), model.py builds, takes a batch of
 * the spec's input shape to [batch, classes] logits, and its parameter count (trainable +
 * moving statistics) equals dlc's (`dlc inspect`).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileFile } from '../../../src/compiler/compile.js';
import type { IR } from '../../../src/compiler/ir.js';
import { command as emitCommand } from '../../../src/cli/emit.js';
import type { CliIO } from '../../../src/cli/io.js';
import { pytorchRefusal, renderPytorch } from '../../../src/codegen/pytorch/index.js';
import { DLC_ROOT, PYTHON, runPython, writeFiles } from './python.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlc-torch-emit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function compiled(file: string): IR {
  const r = compileFile(file);
  if (!r.ir) throw new Error(`${file} did not compile: ${JSON.stringify(r.diagnostics?.slice(0, 2))}`);
  return r.ir;
}

// The shipped specs this target trains (all of them now: images, csv tables and texts; a refused spec would be left out, and emit-every-spec.test.ts lists the allowed refusals).
const SPECS = readdirSync(join(DLC_ROOT, 'specs')).filter((f) => f.endsWith('.yaml') && pytorchRefusal(compiled(join(DLC_ROOT, 'specs', f)), f) === undefined).sort();

describe.skipIf(!PYTHON)('pytorch target: emitted projects', () => {
  it('compile, build and count dlc\'s parameters for every shipped spec', () => {
    const cases = SPECS.map((f) => {
      const ir = compiled(join(DLC_ROOT, 'specs', f));
      const dir = join(tmp, f.replace(/\.yaml$/, ''));
      writeFiles(dir, renderPytorch(ir, { specFile: `specs/${f}` }));
      const params = ir.nodes.reduce((s, n) => s + n.params.trainable + n.params.nonTrainable, 0);
      return { dir, params, input: ir.inputShape, classes: ir.numClasses };
    });
    const got = runPython<{ dir: string; compiled: number; params: number; out: number[] }[]>(
      `import os, py_compile, importlib, sys, torch
out = []
for c in INPUT:
    n = 0
    for root, _, files in os.walk(c['dir']):
        for f in files:
            if f.endswith('.py'):
                py_compile.compile(os.path.join(root, f), doraise=True)
                n += 1
    sys.path.insert(0, c['dir'])
    for m in [k for k in sys.modules if k == 'model' or k.startswith('dlc_runtime')]:
        del sys.modules[m]
    model = importlib.import_module('model').build_model()
    sys.path.pop(0)
    p = sum(t.numel() for t in model.parameters()) + sum(b.numel() for name, b in model.named_buffers() if not name.endswith('num_batches_tracked'))
    model.eval()
    with torch.no_grad():
        y = model(torch.rand(2, *c['input']))
    out.append({'dir': c['dir'], 'compiled': n, 'params': p, 'out': list(y.shape)})
print(json.dumps(out))`,
      cases,
    );
    cases.forEach((c, i) => {
      expect(got[i].compiled, c.dir).toBeGreaterThanOrEqual(10);
      expect(got[i].params, c.dir).toBe(c.params);
      expect(got[i].out, c.dir).toEqual([2, c.classes]);
    });
  });

  it('is what dlc emit --target pytorch writes, and dlc says how to run it', async () => {
    let stdout = '';
    let stderr = '';
    const io: CliIO = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, cwd: DLC_ROOT, env: {} };
    const out = join(tmp, 'cli');
    const status = await emitCommand.run(['specs/lenet5.yaml', '--target', 'pytorch', '-o', out], io);
    expect(status, stderr).toBe(0);
    for (const f of ['model.py', 'train.py', 'ir.json', 'tfjs_topology.json', 'requirements.txt', 'README.md', 'dlc_runtime/loop.py', 'spec.yaml']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(stdout + stderr).toContain('python train.py');
  });
});
