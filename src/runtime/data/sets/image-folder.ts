/** image_folder: PNG/JPEG files in one folder per class under path/train and path/test. */
import { DataError } from '../errors.js';
import { loadImageFolder } from '../image-folder.js';
import type { DataSetLoader } from './set-loader.js';

export const loader: DataSetLoader<'image_folder'> = {
  name: 'image_folder',
  load: (data, opts) => {
    if (!data.path) throw new DataError('data.dataset is image_folder but data.path (the folder holding train/ and test/) is missing');
    return loadImageFolder({ root: data.path, imageSize: data.image_size, channels: data.channels, cacheDir: opts.cacheDir, log: opts.log, workers: opts.workers });
  },
};
