/**
 * Loaded data checked against the IR before a run directory is made or a
 * model is built (issue 16): a valid IDX of 32×32 images under
 * `dataset: mnist`, or a label past the class count, must be one clear
 * error naming the data, not a tfjs stack trace after the run has started.
 */
import type { IR } from '../../compiler/ir.js';
import { transformedShape } from '../../compiler/shared/transform-shape.js';
import type { ExampleSet, LoadedDataset } from '../contracts.js';

const shapeText = (s: readonly number[]): string => s.join('×');
const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** What the model would see of one sample of `set`: its shape after the eval transforms (images), else its own shape. */
function modelShape(ir: IR, set: ExampleSet): readonly number[] {
  if (set.shape.length !== 3) return set.shape;
  return transformedShape(set.shape as [number, number, number], ir.spec.data.transforms?.eval ?? []);
}

/** Why `data` cannot feed the model `ir` describes (undefined when it can). */
export function dataMismatch(ir: IR, data: LoadedDataset): string | undefined {
  const what = `data set ${ir.spec.data.dataset}${ir.spec.data.path ? ` (${ir.spec.data.path})` : ''}`;
  for (const [name, set] of [['training', data.train], ['test', data.test]] as const) {
    const seen = modelShape(ir, set);
    if (!same(seen, ir.inputShape)) return `the ${name} samples of the ${what} are ${shapeText(set.shape)}, but the model was compiled for ${shapeText(ir.inputShape)}`;
    const isClass = ir.target === undefined || ir.target.kind === 'class';
    if (!isClass || set.count === 0) continue;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < set.labels.length; i++) {
      const l = set.labels[i]!;
      if (l < lo) lo = l;
      if (l > hi) hi = l;
    }
    if (lo < 0 || hi >= ir.numClasses) return `the ${name} labels of the ${what} run from ${lo} to ${hi}, but the model has ${ir.numClasses} classes`;
  }
  if ((ir.target === undefined || ir.target.kind === 'class') && data.classNames.length > 0 && data.classNames.length !== ir.numClasses) {
    return `the ${what} has ${data.classNames.length} classes, but the model was compiled for ${ir.numClasses}`;
  }
  return undefined;
}
