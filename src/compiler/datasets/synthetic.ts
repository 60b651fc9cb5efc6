/** synthetic: seeded random images of data.synthetic's shape and class count (tests, smoke runs). */
import { numberedClasses } from '../shared/class-names.js';
import { array, enumOf, integer, object } from '../front/schema/helpers.js';
import type { DatasetDef } from './dataset-def.js';

export const synthetic: DatasetDef<'synthetic'> = {
  name: 'synthetic',
  description: 'Seeded random images of the shape and class count data.synthetic gives (tests, smoke runs).',
  keys: ['synthetic'],
  schema: {
    synthetic: object(
      {
        train_samples: integer('Training samples.', { minimum: 1, examples: [256] }),
        test_samples: integer('Test samples.', { minimum: 1, examples: [64] }),
        shape: array({ type: 'integer', minimum: 1 }, '[height, width, channels] of each sample.', { minItems: 3, maxItems: 3, examples: [[8, 8, 1]] }),
        classes: integer('Number of classes (multi_label and real targets: the number of targets).', { minimum: 1, examples: [3] }),
        target: enumOf(['class', 'multi_label', 'real'], 'What a sample\'s target is: a class index (default), `classes` independent 0/1 labels, or `classes` real values (regression).'),
      },
      '`synthetic` only: how much random data to make, and its shape.',
      { required: ['train_samples', 'test_samples', 'shape', 'classes'] },
    ),
  },
  requires: [{ key: 'synthetic', message: "dataset synthetic needs a 'synthetic' section", hint: 'add synthetic: {train_samples: 256, test_samples: 64, shape: [8, 8, 1], classes: 3}' }],
  input: 'image',
  target: 'class',
  downloads: false,
  source: 'The data is synthetic, generated from the seed: the same images on every run.',
  targetKindOf: (data) => data.synthetic?.target ?? 'class',
  facts(data) {
    const s = data.synthetic;
    if (!s) return {};
    const kind = s.target ?? 'class';
    if (kind !== 'class') return { shape: s.shape, numClasses: s.classes, targetKind: kind, classesFrom: 'data.synthetic.classes says' };
    return { shape: s.shape, numClasses: s.classes, classNames: numberedClasses(s.classes), classesFrom: 'data.synthetic.classes says' };
  },
  hints: { shape: 'state data.synthetic (shape and classes)', classes: 'state data.synthetic (shape and classes)' },
};
