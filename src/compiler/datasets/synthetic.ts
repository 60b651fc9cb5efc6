/** synthetic: seeded random images of data.synthetic's shape and class count (tests, smoke runs). */
import { numberedClasses } from '../shared/class-names.js';
import type { DatasetDef } from './dataset-def.js';

export const synthetic: DatasetDef<'synthetic'> = {
  name: 'synthetic',
  description: 'Seeded random images of the shape and class count data.synthetic gives (tests, smoke runs).',
  keys: ['synthetic'],
  requires: [{ key: 'synthetic', message: "dataset synthetic needs a 'synthetic' section", hint: 'add synthetic: {train_samples: 256, test_samples: 64, shape: [8, 8, 1], classes: 3}' }],
  input: 'image',
  target: 'class',
  downloads: false,
  source: 'The data is synthetic, generated from the seed: the same images on every run.',
  facts(data) {
    const s = data.synthetic;
    if (!s) return {};
    return { shape: s.shape, numClasses: s.classes, classNames: numberedClasses(s.classes), classesFrom: 'data.synthetic.classes says' };
  },
  hints: { shape: 'state data.synthetic (shape and classes)', classes: 'state data.synthetic (shape and classes)' },
};
