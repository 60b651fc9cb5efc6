/**
 * PARITY: the emitted project and dlc's runtime, same spec, same seed, same
 * backend (cpu), must start from the same weights and report the same
 * per-epoch losses and metrics. The emitted program is compiled with the
 * TypeScript compiler and run as a child process through its npm script.
 *
 * Tolerance: exact (===). On the cpu backend both sides run the same JS
 * kernels on the same float32 inputs in the same order — the emitted
 * project's src/lib is a verbatim copy of the runtime, and its model.ts
 * creates the same layers with the same seeds — so any difference is a bug,
 * not rounding.
 *
 * The spec also carries hostile strings (layer name, description, name) that
 * only an IR built without the schema can hold: the project must still
 * type-check and run, and running it must not execute them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderProject } from '../../src/codegen/index.js';
import type { IR } from '../../src/compiler/ir.js';
import { initBackend } from '../../src/runtime/backend/select.js';
import { buildModel } from '../../src/runtime/model/build-model.js';
import { train } from '../../src/runtime/train/train.js';
import { lowerSpec, materialise, PARITY_SPEC_FILE, paritySpec, PWNED, transpileProject } from './helpers.js';

let ir: IR;
let dir: string;

let runOut: string;

beforeAll(() => {
  rmSync(PWNED, { force: true });
  ir = lowerSpec(paritySpec(), PARITY_SPEC_FILE);
  dir = materialise(renderProject(ir, 'tfjs-node-ts', { specFile: PARITY_SPEC_FILE }), 'dlc-parity-');
  runOut = join(dir, 'run');
  // Compiled file by file with the TypeScript compiler (this very project is type-checked with
  // tsc --strict in golden.test.ts; a second full tsc here would double the time), then run with
  // the project's own `npm run train` script.
  transpileProject(dir);
  execFileSync(npm(), ['run', 'train', '--silent', '--', '--backend', 'cpu', '--out', runOut], { cwd: dir, stdio: 'pipe', env: { ...process.env, npm_config_update_notifier: 'false' } });
}, 120_000);

/** npm's CLI next to this node (as `npm` on PATH may be another one). */
function npm(): string {
  const beside = join(dirname(process.execPath), 'npm');
  return existsSync(beside) ? beside : 'npm';
}

afterAll(() => {
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

describe('emitted project vs dlc runtime (cpu backend, exact)', () => {
  it('builds the same model with the same initial weights', async () => {
    await initBackend('cpu');
    const emitted = (await import(pathToFileURL(join(dir, 'dist/model.js')).href)) as { buildModel(): tf.LayersModel };
    const ours = emitted.buildModel();
    const theirs = buildModel(ir);
    expect(ours.layers.map((l) => l.name)).toEqual(theirs.layers.map((l) => l.name));
    const a = ours.getWeights();
    const b = theirs.getWeights();
    expect(a.map((w) => w.shape)).toEqual(b.map((w) => w.shape));
    expect(a.length).toBeGreaterThan(0);
    for (let i = 0; i < a.length; i++) expect(Array.from(a[i].dataSync())).toEqual(Array.from(b[i].dataSync()));
    expect(ours.countParams()).toBe(theirs.countParams());
    ours.dispose();
    theirs.dispose();
  });

  it('trains to the same per-epoch losses and metrics, and the same test report', async () => {
    const out = runOut;
    // The hostile layer name and description were printed as data, never run.
    expect(existsSync(PWNED)).toBe(false);

    const sink = { write: () => true };
    const runsDir = join(dir, '..', 'dlc-runs');
    const result = await train(ir, { backend: 'cpu', runsDir, progress: 'none', stdout: sink, stderr: sink });
    const emitted = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    const timeless = (r: Record<string, unknown>): Record<string, unknown> => {
      const { seconds, samples_per_second, ...rest } = r;
      void seconds;
      void samples_per_second;
      return rest;
    };
    expect(emitted).toHaveLength(ir.spec.train.epochs);
    expect(emitted.map(timeless)).toEqual(result.history.map((r) => timeless({ ...r })));
    expect(emitted[0].val_loss).toBeTypeOf('number');
    expect(emitted[1].loss).not.toBe(emitted[0].loss);

    const ourReport = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Record<string, unknown>;
    const theirReport = JSON.parse(readFileSync(join(result.runDir, 'report.json'), 'utf8')) as Record<string, unknown>;
    for (const key of ['loss', 'accuracy', 'macro', 'per_class', 'confusion', 'global_step', 'stop_reason', 'epochs']) expect(ourReport[key]).toEqual(theirReport[key]);
    expect(ourReport.train_seconds).toBeGreaterThan(0);
    // The same run directory: one epoch loop and one run writer for both.
    expect(readdirSync(out).sort()).toEqual(readdirSync(result.runDir).sort());
    expect(readdirSync(join(out, 'checkpoints')).sort()).toEqual(readdirSync(join(result.runDir, 'checkpoints')).sort());
    const csvTimeless = (f: string): string[] => readFileSync(f, 'utf8').trim().split('\n').map((l) => l.split(',').slice(0, -2).join(','));
    expect(csvTimeless(join(out, 'metrics.csv'))).toEqual(csvTimeless(join(result.runDir, 'metrics.csv')));
    expect(JSON.parse(readFileSync(join(out, 'ir.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(join(result.runDir, 'ir.json'), 'utf8')));
    expect(readFileSync(join(out, 'confusion_matrix.csv'), 'utf8')).toBe(readFileSync(join(result.runDir, 'confusion_matrix.csv'), 'utf8'));
  });
});
