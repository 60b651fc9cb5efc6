/** Fashion-MNIST: 28×28 grayscale clothing images, downloaded into the cache (or data.path). */
import { FASHION_MNIST_CLASSES } from '../shared/class-names.js';
import { fixedImageSet } from './fixed-images.js';

export const fashion_mnist = fixedImageSet('fashion_mnist', 'Fashion-MNIST: 60,000 train and 10,000 test 28×28 grayscale clothing images, 10 classes (downloaded once).', [28, 28, 1], FASHION_MNIST_CLASSES, true,
  'Fashion-MNIST is downloaded on the first run from its official address into\n`$DLC_CACHE` (default `~/.cache/dlc`) and verified by checksum. Without\nnetwork access the error message says which files to put where.',
);
