/**
 * Shared helpers for the codegen tests: a small synthetic spec lowered to IR
 * without the YAML front end, and materialising an emitted project so it runs
 * offline (its node_modules is a symlink to dlc's own).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import type { IR } from '../../src/compiler/ir.js';
import { lower } from '../../src/compiler/lower/lower.js';
import type { LayerSpec, Spec } from '../../src/compiler/spec.js';
import { writeProject } from '../../src/codegen/common/write-project.js';

export const DLC_ROOT = resolve(import.meta.dirname, '../..');

/** A tiny synthetic spec: 8×8×1 images, 3 classes, augmentation, a conv net with batch norm and dropout. */
export function tinySpec(overrides: Partial<Spec> = {}, layers?: LayerSpec[]): Spec {
  const base: Spec = {
    name: 'tiny',
    seed: 7,
    conventions: 'keras',
    data: {
      dataset: 'synthetic',
      synthetic: { train_samples: 240, test_samples: 60, shape: [8, 8, 1], classes: 3 },
      validation_split: 0.2,
      batch_size: 32,
      transforms: {
        train: [
          { kind: 'random_crop', size: 8, padding: 1, path: '/data/transforms/train/0' },
          { kind: 'random_flip', mode: 'horizontal', path: '/data/transforms/train/1' },
          { kind: 'normalize', mean: [0.5], std: [0.25], path: '/data/transforms/train/2' },
        ],
        eval: [{ kind: 'normalize', mean: [0.5], std: [0.25], path: '/data/transforms/eval/0' }],
      },
    },
    model: {
      layers: layers ?? [
        { kind: 'conv2d', filters: 4, kernel_size: [3, 3], strides: [1, 1], padding: 1, dilation_rate: [1, 1], activation: 'relu', use_bias: true, path: '/model/layers/0' },
        { kind: 'max_pool2d', pool_size: [2, 2], strides: [2, 2], padding: 'valid', path: '/model/layers/1' },
        { kind: 'batch_norm', momentum: 0.9, epsilon: 1e-5, path: '/model/layers/1b' },
        { kind: 'conv2d', filters: 6, kernel_size: [3, 3], strides: [2, 2], padding: 1, dilation_rate: [1, 1], activation: 'leaky_relu', use_bias: true, path: '/model/layers/2' },
        { kind: 'flatten', path: '/model/layers/3' },
        { kind: 'dropout', rate: 0.25, path: '/model/layers/4' },
        { kind: 'dense', units: 3, activation: 'linear', use_bias: true, path: '/model/layers/5' },
      ],
    },
    loss: { kind: 'cross_entropy', label_smoothing: 0.1 },
    optimizer: { kind: 'sgd', learning_rate: 0.05, momentum: 0.9, nesterov: false, weight_decay: 0 },
    schedule: { kind: 'cosine', min_lr: 0, warmup_epochs: 0 },
    train: { epochs: 2, checkpoint: { every_epochs: 1, keep_best: true, monitor: 'val_loss' } },
    metrics: [{ kind: 'accuracy' }, { kind: 'f1' }],
  };
  return { ...base, ...overrides };
}

/** Lowers `spec` (no YAML positions: everything is at 1:1). Throws on error diagnostics. */
export function lowerSpec(spec: Spec, file = 'specs/tiny.yaml'): IR {
  const { ir, diagnostics } = lower(spec, { file, locate: () => ({ line: 1, col: 1 }) });
  if (!ir) throw new Error(`lowering failed: ${JSON.stringify(diagnostics, null, 2)}`);
  return ir;
}

/** Writes `files` into a fresh temp dir with node_modules linked to dlc's; returns the dir. */
export function materialise(files: ReadonlyMap<string, string>, prefix = 'dlc-emit-'): string {
  const dir = join(mkdtempSync(join(tmpdir(), prefix)), 'project');
  writeProject(dir, files);
  symlinkSync(join(DLC_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Layer shorthand for allOpsSpec: kind + attributes + optional name/inputs; path filled in. */
function L(i: number, layer: Record<string, unknown>): LayerSpec {
  return { ...layer, path: `/model/layers/${i}` } as unknown as LayerSpec;
}

/** A spec whose model uses every op the IR knows (a DAG with merges), on 8×8×3 synthetic data. */
export function allOpsSpec(): Spec {
  const c = { strides: [1, 1], dilation_rate: [1, 1], use_bias: true };
  const layers = [
    { kind: 'conv2d', name: 'stem', filters: 4, kernel_size: [3, 3], padding: 'same', activation: 'relu', ...c },
    { kind: 'depthwise_conv2d', name: 'dw', kernel_size: [3, 3], depth_multiplier: 2, padding: 'valid', activation: 'elu', ...c },
    { kind: 'separable_conv2d', name: 'sep', filters: 8, kernel_size: [3, 3], depth_multiplier: 1, padding: 1, activation: 'gelu', ...c, use_bias: false },
    { kind: 'avg_pool2d', name: 'avg', inputs: ['dw'], pool_size: [3, 3], strides: [1, 1], padding: 'same' },
    { kind: 'conv2d', name: 'proj', filters: 8, kernel_size: [1, 1], padding: 'valid', activation: 'leaky_relu', ...c },
    { kind: 'add', name: 'sum', inputs: ['sep', 'proj'] },
    { kind: 'batch_norm', name: 'bn', momentum: 0.9, epsilon: 1e-5 },
    { kind: 'layer_norm', name: 'ln', epsilon: 1e-6 },
    { kind: 'concat', name: 'cat', inputs: ['ln', 'sum'], axis: -1 },
    { kind: 'max_pool2d', name: 'pool', pool_size: [2, 2], strides: [2, 2], padding: 'valid' },
    { kind: 'leaky_relu', name: 'lrelu', alpha: 0.2 },
    { kind: 'global_avg_pool2d', name: 'gap', inputs: ['lrelu'] },
    { kind: 'global_max_pool2d', name: 'gmp', inputs: ['lrelu'] },
    { kind: 'concat', name: 'pooled', inputs: ['gap', 'gmp'], axis: 0 },
    { kind: 'sigmoid', name: 'sig' },
    { kind: 'flatten', name: 'flat', inputs: ['lrelu'] },
    { kind: 'reshape', name: 'reshaped', target_shape: [9, 16] },
    { kind: 'flatten', name: 'flat2' },
    { kind: 'dense', name: 'hidden', units: 16, activation: 'tanh', use_bias: true },
    { kind: 'elu', name: 'elu' },
    { kind: 'gelu', name: 'gelu' },
    { kind: 'tanh', name: 'tanh' },
    { kind: 'relu', name: 'relu' },
    { kind: 'dropout', name: 'drop', rate: 0.3 },
    { kind: 'zero_padding2d', name: 'zp', inputs: ['pool'], padding: [[1, 0], [0, 1]] },
    { kind: 'conv2d_transpose', name: 'up', filters: 2, kernel_size: [2, 2], strides: [2, 2], padding: 'same', activation: 'leaky_relu', use_bias: true },
    { kind: 'global_avg_pool2d', name: 'up_gap' },
    // PyTorch-style pooling (dlc's own layers): explicit padding, ceil_mode, count_include_pad, adaptive.
    { kind: 'max_pool2d', name: 'tpool', inputs: ['cat'], pool_size: [3, 3], strides: [2, 2], padding: [1, 1], ceil_mode: true },
    { kind: 'avg_pool2d', name: 'tavg', pool_size: [2, 2], strides: [1, 1], padding: [1, 1], count_include_pad: false },
    { kind: 'adaptive_avg_pool2d', name: 'adapt', output_size: [3, 2] },
    { kind: 'adaptive_max_pool2d', name: 'amax', output_size: [1, 1] },
    { kind: 'global_avg_pool2d', name: 'tgap' },
    // Grouped conv2d, hard swish and a squeeze-excitation gate (multiply broadcasting [C] over [H, W, C]): dlc's own layers.
    { kind: 'conv2d', name: 'gconv', inputs: ['stem'], filters: 6, kernel_size: [3, 3], padding: 1, groups: 2, activation: 'hard_swish', ...c },
    { kind: 'global_avg_pool2d', name: 'se_pool' },
    { kind: 'dense', name: 'se_gate', units: 6, activation: 'hard_sigmoid', use_bias: true },
    { kind: 'multiply', name: 'se', inputs: ['gconv', 'se_gate'] },
    { kind: 'hard_swish', name: 'hswish' },
    { kind: 'global_avg_pool2d', name: 'se_gap' },
    { kind: 'concat', name: 'features', inputs: ['drop', 'sig', 'up_gap', 'tgap', 'se_gap'], axis: -1 },
    { kind: 'dense', name: 'logits', units: 4, activation: 'linear', use_bias: true },
  ].map((l, i) => L(i, l));
  return tinySpec({
    name: 'all-ops',
    data: { ...tinySpec().data, synthetic: { train_samples: 64, test_samples: 16, shape: [8, 8, 3], classes: 4 }, transforms: { train: [], eval: [] } },
  }, layers);
}

export const PWNED = '/tmp/pwned';
export const HOSTILE_LAYER = 'x"); require("child_process").execSync("touch /tmp/pwned"); ("';
export const HOSTILE_TEXT = 'quotes " \' backticks ` ${process.exit(3)} */ /* <!-- --> \n second line \u2028 third';

/** The tiny spec with hostile strings where only a hand-built IR can put them (parity and type-check tests). */
export function paritySpec(): Spec {
  const base = tinySpec();
  const layers = base.model.layers.map((l, i): LayerSpec => (i === 0 ? { ...l, name: HOSTILE_LAYER } : l));
  return tinySpec({ name: 'tiny"; process.exit(4); "', description: HOSTILE_TEXT, model: { layers } });
}

/**
 * Compiles every .ts under dir/src to dir/dist with ts.transpileModule (no type-check; see golden.test.ts for that);
 * with `entry` (e.g. 'src/model.ts'), only that file and the project files it imports, transitively.
 */
export function transpileProject(dir: string, entry?: string): void {
  const walk = (sub: string): string[] =>
    readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(sub, e.name)) : e.name.endsWith('.ts') ? [join(sub, e.name)] : []));
  const closure = (start: string): string[] => {
    const seen = new Set<string>();
    const visit = (rel: string): void => {
      if (seen.has(rel)) return;
      seen.add(rel);
      for (const m of readFileSync(join(dir, rel), 'utf8').matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) visit(join(dirname(rel), `${m[1]}.ts`));
    };
    visit(start);
    return [...seen];
  };
  for (const rel of entry ? closure(entry) : walk('src')) {
    const out = join(dir, 'dist', rel.slice('src/'.length).replace(/\.ts$/, '.js'));
    const js = ts.transpileModule(readFileSync(join(dir, rel), 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true }, fileName: rel }).outputText;
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, js);
  }
}

/** The parity project's spec file name: hostile too (backticks, newline, comment end). */
export const PARITY_SPEC_FILE = 'specs/`tiny`\n*/.yaml';
