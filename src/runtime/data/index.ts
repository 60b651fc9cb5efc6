/** Data sets in their real formats, splits and the batching pipeline. */
export { epochBatches, epochOrder, batchCount, type EpochBatchOptions } from './batches.js';
export { closeBatchWorkers } from './batch-worker.js';
export { loadDataset, type DataLoadOptions } from './load.js';
export { loadWith } from './load-with.js';
export { LOADERS, type DataSetLoader } from './sets/index.js';
export { splitValidation } from './split.js';
export { DataError } from './errors.js';
export { defaultCacheDir, type FetchLike, type RemoteFile } from './download.js';
export { decodeImageFile } from './image-decode.js';
export { loadImageFolder, listImageFolder, type ImageFolderOptions } from './image-folder.js';
export { loadIdxPair, parseIdx, encodeIdx } from './idx.js';
export { loadCifarBatches, loadCifar10Dir, encodeCifarBatch } from './cifar10.js';
export { loadMnist, loadFashionMnist, mnistDataDir } from './mnist.js';
export { loadSynthetic } from './synthetic.js';
export { checkExampleSet, imageSet, isImageShaped, limitBalanced, sampleSize, subset, targetWidth } from './example-set.js';
export { mixSeed, mulberry32, rngFor, permutation, STREAM, type Rng } from './random.js';
