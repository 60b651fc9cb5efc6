/**
 * Static facts of each data set — the image shape the model sees and the
 * classes — known before any data is loaded, plus the checks that need
 * them: stated `input_shape` / `num_classes` (DLC111 / DLC112), transforms
 * that do not fit the images (DLC115), and facts that cannot be found out
 * (DLC118).
 *
 * Transform shapes (the rules live in shared/transform-shape.ts, which the
 * runtime uses too; documented in docs/compiler/lowering.md): `resize` sets
 * height×width; `random_crop` pads by `padding` then crops to
 * size×size, so it keeps the image size only when size equals it (the
 * torchvision CIFAR recipe, size 32 padding 4 on 32×32). The model's input
 * shape is the shape after the *eval* transforms; the train transforms must
 * end at the same shape.
 */
import { diagAt, type Locator } from '../diagnostics/diag-at.js';
import type { Diagnostic } from '../diagnostics/diagnostics.js';
import { transformStep, type ImageShape } from '../shared/transform-shape.js';
import type { DataSpec, TransformSpec } from '../spec.js';

export type { ImageShape };

/** What the compiler knows about the data before loading it. */
export interface DataFacts {
  /** Shape of the images as stored / resized by the loader, before transforms. */
  readonly imageShape: ImageShape;
  /** Shape the model sees: after the eval transforms. */
  readonly inputShape: ImageShape;
  readonly numClasses: number;
  readonly classNames?: readonly string[];
}

/** Lowering's view of the context: positions, and optionally a directory lister. */
export interface DataContext extends Locator {
  listDir?(path: string): string[] | undefined;
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const FASHION = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const CIFAR10 = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** Built-in data sets with fixed facts. */
export const BUILTIN_DATASETS: Readonly<Record<'mnist' | 'fashion_mnist' | 'cifar10', { shape: ImageShape; classNames: readonly string[] }>> = {
  mnist: { shape: [28, 28, 1], classNames: DIGITS },
  fashion_mnist: { shape: [28, 28, 1], classNames: FASHION },
  cifar10: { shape: [32, 32, 3], classNames: CIFAR10 },
};

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

const fmt = (s: readonly number[]): string => s.join('×');
const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

interface Source {
  shape?: ImageShape;
  numClasses?: number;
  classNames?: readonly string[];
  /** Where the class count came from, for messages. */
  classesFrom?: string;
}

/** The data set's own shape and classes, before transforms. */
function sourceFacts(data: DataSpec, ctx: DataContext): Source {
  switch (data.dataset) {
    case 'mnist':
    case 'fashion_mnist':
    case 'cifar10': {
      const b = BUILTIN_DATASETS[data.dataset];
      return { shape: b.shape, numClasses: b.classNames.length, classNames: b.classNames, classesFrom: `${data.dataset} has` };
    }
    case 'synthetic': {
      const s = data.synthetic;
      if (!s) return {};
      return { shape: s.shape, numClasses: s.classes, classNames: Array.from({ length: s.classes }, (_, i) => String(i)), classesFrom: 'data.synthetic.classes says' };
    }
    case 'image_folder': {
      const out: Source = {};
      if (data.image_size) out.shape = [data.image_size[0], data.image_size[1], data.channels ?? 3];
      const dir = data.path !== undefined ? joinPath(data.path, 'train') : undefined;
      const listed = dir !== undefined ? ctx.listDir?.(dir) : undefined;
      const names = listed?.filter((n) => !n.startsWith('.')).sort();
      if (names && names.length > 0) {
        out.numClasses = names.length;
        out.classNames = names;
        out.classesFrom = `${dir} has ${names.length} class folders (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}), so the data set has`;
      }
      return out;
    }
  }
}

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
    if (r.problem) diags.push(diagAt(ctx, 'DLC115', `${t.path}/${t.kind}/${r.problem.key}`, r.problem.message, r.problem.hint));
    if (!same(r.shape, shape)) lastResize = t;
    shape = r.shape;
  }
  return { shape, lastResize };
}

/**
 * Works out the data facts and checks the data section against them.
 * `facts` is absent only when the input shape or class count is unknowable.
 */
export function resolveDataFacts(data: DataSpec, ctx: DataContext): { facts?: DataFacts; diagnostics: Diagnostic[] } {
  const diags: Diagnostic[] = [];
  const src = sourceFacts(data, ctx);

  let imageShape = src.shape;
  if (!imageShape && data.input_shape) imageShape = data.input_shape;

  let numClasses = src.numClasses;
  let classNames = src.classNames;
  if (numClasses === undefined && data.num_classes !== undefined) {
    numClasses = data.num_classes;
    classNames = Array.from({ length: numClasses }, (_, i) => String(i));
  } else if (numClasses !== undefined && data.num_classes !== undefined && data.num_classes !== numClasses) {
    diags.push(diagAt(ctx, 'DLC112', '/data/num_classes', `num_classes is ${data.num_classes}, but ${src.classesFrom} ${numClasses} classes`, `use num_classes: ${numClasses}, or leave it out`));
  }
  if (!imageShape || numClasses === undefined) {
    const missing = [!imageShape ? 'input shape' : '', numClasses === undefined ? 'class count' : ''].filter(Boolean).join(' and ');
    const hints =
      data.dataset === 'image_folder'
        ? [!imageShape ? 'state data.image_size (and channels), or data.input_shape' : '', numClasses === undefined ? 'state data.num_classes, or give data.path with one sub-folder per class under train/' : '']
        : ['state data.synthetic (shape and classes)'];
    diags.push(diagAt(ctx, 'DLC118', '/data/dataset', `the ${missing} of the ${data.dataset} data set cannot be determined`, hints.filter(Boolean).join('; ')));
  }
  if (!imageShape || numClasses === undefined) return { diagnostics: diags };

  const train = runPipeline(data.transforms.train, imageShape, ctx, diags);
  const evalR = runPipeline(data.transforms.eval, imageShape, ctx, diags);
  if (!same(train.shape, evalR.shape)) {
    const at = train.lastResize ?? evalR.lastResize!;
    const which = train.lastResize ? 'training' : 'evaluation';
    diags.push(
      diagAt(ctx, 'DLC115', `${at.path}/${at.kind}`, `${at.kind} makes ${which} images ${fmt(which === 'training' ? train.shape : evalR.shape)}, but ${which === 'training' ? 'evaluation' : 'training'} images are ${fmt(which === 'training' ? evalR.shape : train.shape)}; the model takes one input shape`, 'apply the same resize to both train and eval transforms; random_crop should keep the image size (use padding to vary it)'),
    );
  }
  const inputShape = evalR.shape;
  if (data.input_shape && src.shape && !same(data.input_shape, inputShape)) {
    const after = same(inputShape, src.shape) ? '' : ' after the eval transforms';
    diags.push(diagAt(ctx, 'DLC111', '/data/input_shape', `input_shape is [${data.input_shape.join(', ')}], but ${data.dataset} images are ${fmt(inputShape)}${after}`, `use input_shape: [${inputShape.join(', ')}], or leave it out`));
  }
  return { facts: { imageShape, inputShape, numClasses, ...(classNames ? { classNames } : {}) }, diagnostics: diags };
}
