/**
 * The class names of the built-in data sets, stated once: the compiler's
 * data-set facts (compiler/datasets/) and the runtime's loaders
 * (runtime/data/sets/) both read them.
 *
 * Pure and dependency-free: the runtime may import it (it is copied into
 * emitted projects), so it must stay that way.
 */

/** MNIST: the ten digits. */
export const MNIST_CLASSES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Fashion-MNIST, in label order (Zalando's README). */
export const FASHION_MNIST_CLASSES: readonly string[] = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** CIFAR-10, in label order (its batches.meta.txt). */
export const CIFAR10_CLASSES: readonly string[] = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** Names of classes known only by number: "0", "1", … */
export function numberedClasses(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(i));
}
