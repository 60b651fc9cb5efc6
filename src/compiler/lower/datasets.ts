/**
 * The data facts lowering needs — the input shape the model sees, its
 * dtype, the target kind and the classes — known before any data is loaded,
 * plus the checks that need them: stated `input_shape` / `num_classes`
 * (DLC111 / DLC112), transforms that do not fit the inputs (DLC115), and
 * facts that cannot be found out (DLC118). Each data set's own facts come
 * from its module in compiler/datasets/ (the registry).
 *
 * Transform shapes (the rules live in shared/transform-shape.ts, which the
 * runtime uses too; documented in docs/compiler/lowering.md): `resize` sets
 * height×width; `random_crop` pads by `padding` then crops to
 * size×size, so it keeps the image size only when size equals it (the
 * torchvision CIFAR recipe, size 32 padding 4 on 32×32). The model's input
 * shape is the shape after the *eval* transforms; the train transforms must
 * end at the same shape. Transforms apply to images ([h, w, c]) only.
 */
import type { Diagnostic } from '../diagnostics/diagnostics.js';
import { didYouMeanFix } from '../diagnostics/did-you-mean.js';
import { diag, type Locator } from '../diagnostics/report.js';
import { shapeText } from '../shared/format.js';
import { transformStep, type ImageShape } from '../shared/transform-shape.js';
import { DATASETS, type DatasetContext, type DatasetDef, type TargetKind } from '../datasets/index.js';
import type { DataSpec, TransformSpec } from '../spec.js';

export type { ImageShape };

/** What the compiler knows about the data before loading it. */
export interface DataFacts {
  /** Per-sample shape as stored / resized by the loader, before transforms. */
  readonly sourceShape: readonly number[];
  /** Shape the model sees: after the eval transforms (images [h, w, c], sequences [t] or [t, f], features [f]). */
  readonly inputShape: readonly number[];
  readonly inputDType: 'float32' | 'int32';
  /** The target kind and its width (the class count for class targets). */
  readonly target: { readonly kind: TargetKind; readonly width: number };
  /** The model's output width: the class count, or the target width. */
  readonly numClasses: number;
  readonly classNames?: readonly string[];
}

/** Lowering's view of the context: positions, and optionally a directory lister. */
export interface DataContext extends Locator, DatasetContext {}

const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

interface PipelineResult {
  readonly shape: ImageShape;
  /** The last transform that changed the shape, for mismatch messages. */
  readonly lastResize?: TransformSpec;
}

function runPipeline(ts: readonly TransformSpec[], start: ImageShape, ctx: DataContext, diags: Diagnostic[]): PipelineResult {
  let shape = start;
  let lastResize: TransformSpec | undefined;
  for (const t of ts) {
    const r = transformStep(t, shape);
    if (r.problem) diags.push(diag('DLC115', r.problem.message, ctx, `${t.path}/${t.kind}/${r.problem.key}`, r.problem.hint));
    if (!same(r.shape, shape)) lastResize = t;
    shape = r.shape;
  }
  return { shape, lastResize };
}

/**
 * Works out the data facts and checks the data section against them, from
 * the data set's definition (`def`: the registry's, or another in tests).
 * `facts` is absent only when the input shape or class count is unknowable.
 */
export function resolveDataFacts(data: DataSpec, ctx: DataContext, def: DatasetDef = DATASETS[data.dataset]): { facts?: DataFacts; diagnostics: Diagnostic[] } {
  const diags: Diagnostic[] = [];
  const src = def.facts(data, ctx);
  for (const p of src.problems ?? []) {
    const fix = p.word !== undefined ? didYouMeanFix(p.word, p.candidates ?? []) : undefined;
    const hint = fix ? `did you mean '${fix.replacement}'?` : p.candidates ? `the columns are: ${p.candidates.slice(0, 12).map((c) => `'${c}'`).join(', ')}${p.candidates.length > 12 ? ', …' : ''}` : undefined;
    diags.push(diag(p.kind === 'column' ? 'DLC130' : 'DLC131', p.message, ctx, p.pointer, { ...(hint !== undefined ? { hint } : {}), ...(fix ? { fix } : {}) }));
  }
  if (src.problems?.length) return { diagnostics: diags };

  let sourceShape = src.shape;
  if (!sourceShape && data.input_shape) sourceShape = data.input_shape;

  let numClasses = src.numClasses;
  let classNames = src.classNames;
  if (numClasses === undefined && data.num_classes !== undefined) {
    numClasses = data.num_classes;
    classNames = Array.from({ length: numClasses }, (_, i) => String(i));
  } else if (numClasses !== undefined && data.num_classes !== undefined && data.num_classes !== numClasses) {
    diags.push(diag('DLC112', `num_classes is ${data.num_classes}, but ${src.classesFrom} ${numClasses} classes`, ctx, '/data/num_classes', `use num_classes: ${numClasses}, or leave it out`));
  }
  if (!sourceShape || numClasses === undefined) {
    const missing = [!sourceShape ? 'input shape' : '', numClasses === undefined ? 'class count' : ''].filter(Boolean).join(' and ');
    const hints = new Set([!sourceShape ? def.hints.shape : '', numClasses === undefined ? def.hints.classes : ''].filter(Boolean));
    diags.push(diag('DLC118', `the ${missing} of the ${data.dataset} data set cannot be determined`, ctx, '/data/dataset', [...hints].join('; ')));
  }
  if (!sourceShape || numClasses === undefined) return { diagnostics: diags };

  let inputShape = sourceShape;
  const images = def.input === 'image' && sourceShape.length === 3;
  if (images) {
    const start = sourceShape as ImageShape;
    const train = runPipeline(data.transforms.train, start, ctx, diags);
    const evalR = runPipeline(data.transforms.eval, start, ctx, diags);
    if (!same(train.shape, evalR.shape)) {
      const at = train.lastResize ?? evalR.lastResize!;
      const which = train.lastResize ? 'training' : 'evaluation';
      diags.push(
        diag('DLC115', `${at.kind} makes ${which} images ${shapeText(which === 'training' ? train.shape : evalR.shape)}, but ${which === 'training' ? 'evaluation' : 'training'} images are ${shapeText(which === 'training' ? evalR.shape : train.shape)}; the model takes one input shape`, ctx, `${at.path}/${at.kind}`, 'apply the same resize to both train and eval transforms; random_crop should keep the image size (use padding to vary it)'),
      );
    }
    inputShape = evalR.shape;
  } else {
    for (const t of [...data.transforms.train, ...data.transforms.eval]) {
      diags.push(diag('DLC115', `${t.kind} applies to images [height, width, channels], but the ${data.dataset} data set's inputs are [${sourceShape.join(', ')}]`, ctx, `${t.path}/${t.kind}`, 'remove the transform'));
    }
  }
  if (data.input_shape && src.shape && !same(data.input_shape, inputShape)) {
    const after = same(inputShape, src.shape) ? '' : ' after the eval transforms';
    const what = images ? 'images' : 'inputs';
    diags.push(diag('DLC111', `input_shape is [${data.input_shape.join(', ')}], but ${data.dataset} ${what} are ${shapeText(inputShape)}${after}`, ctx, '/data/input_shape', `use input_shape: [${inputShape.join(', ')}], or leave it out`));
  }
  const inputDType = def.input === 'int32' ? 'int32' : 'float32';
  const target = { kind: src.targetKind ?? def.target, width: numClasses };
  return { facts: { sourceShape, inputShape, inputDType, target, numClasses, ...(classNames ? { classNames } : {}) }, diagnostics: diags };
}
