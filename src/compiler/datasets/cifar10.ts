/** CIFAR-10: 32×32 colour images, the binary version downloaded into the cache (or data.path). */
import { CIFAR10_CLASSES } from '../shared/class-names.js';
import { fixedImageSet } from './fixed-images.js';

export const cifar10 = fixedImageSet('cifar10', 'CIFAR-10: 50,000 train and 10,000 test 32×32 colour images, 10 classes (downloaded once).', [32, 32, 3], CIFAR10_CLASSES, true,
  'CIFAR-10 (binary version) is downloaded on the first run from its official\naddress into `$DLC_CACHE` (default `~/.cache/dlc`), verified by checksum and\nunpacked. Without network access the error message says which files to put\nwhere.',
);
