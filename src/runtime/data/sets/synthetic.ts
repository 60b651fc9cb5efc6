/** synthetic: seeded images generated in memory (tests, smoke runs). */
import { loadSynthetic } from '../synthetic.js';
import type { DataSetLoader } from './set-loader.js';

export const loader: DataSetLoader<'synthetic'> = {
  name: 'synthetic',
  load: (data, opts) => loadSynthetic(data.synthetic, opts.seed ?? 0),
};
