/** What `--device` accepts for the PyTorch target (train.py --device, `dlc run --backend torch --device`). A leaf: argument parsing reads it without loading the emitter. */
export const TORCH_DEVICES = ['auto', 'cpu', 'cuda', 'mps'] as const;

/** A `--device` value: auto picks cuda, then mps, then cpu. */
export type TorchDevice = (typeof TORCH_DEVICES)[number];
