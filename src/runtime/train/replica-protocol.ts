/**
 * Messages between the train loop and its data-parallel replica workers
 * (./replicas.ts, ./replica-serve.ts). Arrays travel as transferred
 * Float32Array/Int32Array buffers, in `model.weights` / trainable-weights
 * order, which is the same in every process that builds the model from the
 * same IR.
 */
import type * as tf from '@tensorflow/tfjs';
import type { IR } from '../../compiler/ir.js';
import type { RowWindow } from '../model/dropout.js';
import type { ExchangeInit } from './replicas-sync.js';

/** workerData of a replica. */
export interface ReplicaInit {
  readonly ir: IR;
  /** 'wasm' (single-threaded: the replicas are the parallelism) or 'cpu'. */
  readonly backend: 'wasm' | 'cpu';
  /** This replica's position (the main thread is 0). */
  readonly index?: number;
  /** The batch-norm statistics exchange (./replicas-sync.ts), when the model has batch norm. */
  readonly sync?: ExchangeInit;
}

/** One step's work for a replica: its rows of the batch, and the weights if they changed since its last step. */
export interface StepRequest {
  readonly type: 'step';
  /** All of `model.weights`, flattened; absent when unchanged. */
  readonly weights?: Float32Array;
  readonly xs: Float32Array;
  readonly xsShape: number[];
  readonly ys: Float32Array;
  readonly labels: Int32Array;
  /** Rows of this slice ÷ rows of the whole batch. */
  readonly scale: number;
  /** For dropout masks: global step and where the slice sits in the batch. */
  readonly step: number;
  readonly rows: RowWindow;
}

export type ReplicaRequest = StepRequest | { readonly type: 'close' };

export type ReplicaReply =
  | { readonly type: 'ready'; readonly reason: string }
  | { readonly type: 'grads'; readonly grads: Float32Array; readonly loss: number; readonly correct: number }
  | { readonly type: 'error'; readonly message: string };

/** Tensors' values end to end, in order: the weights or gradients as they travel. */
export function flattenTensors(tensors: readonly tf.Tensor[]): Float32Array<ArrayBuffer> {
  const out = new Float32Array(tensors.reduce((t, x) => t + x.size, 0));
  let off = 0;
  for (const t of tensors) {
    out.set(t.dataSync() as Float32Array, off);
    off += t.size;
  }
  return out;
}
