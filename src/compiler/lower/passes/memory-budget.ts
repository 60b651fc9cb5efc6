/**
 * Memory budget (DLC119): a model that cannot fit in memory must fail in
 * `dlc check`, at the layer that makes it too big, not minutes later in
 * `dlc run` (or in the language server). The estimate, in float32 bytes:
 *
 *   parameters (trainable and not)
 *   + trainable parameters × (1 gradient + the optimizer's slots)
 *   + batch × Σ node outputs × 2 (each activation and its gradient)
 *   + synthetic samples × sample size (data made in memory)
 *
 * Optimizer slots per weight: sgd 0 (1 with momentum), adagrad 1, adam,
 * adamw and rmsprop 2 (`optimizerSlots`). `trainingMemory` is the one
 * estimate; `dlc inspect` prints it.
 * The budget is 80% of this machine's memory, at most MAX_BUDGET_BYTES, and
 * DLC_MEMORY_BUDGET (bytes, or with a K/M/G/T suffix) overrides it. It is
 * documented in docs/hostile-input.md.
 */
import { totalmem } from 'node:os';
import { diag } from '../../diagnostics/report.js';
import type { Diagnostic } from '../../diagnostics/diagnostics.js';
import type { IR, IRNode } from '../../ir.js';
import type { OptimizerSpec } from '../../spec.js';
import { shapeText, thousands } from '../../shared/format.js';
import { isInferred, type Pass } from './context.js';

/** Largest budget whatever the machine: 64 GiB (tfjs on one host is never the tool for more). */
export const MAX_BUDGET_BYTES = 64 * 1024 ** 3;
/** Bytes per activation element: the value and its gradient, float32. */
const BYTES_PER_ACTIVATION = 2 * 4;

/** Parses "512M", "8G", "1000000" (bytes); undefined when malformed. */
export function parseBytes(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(text);
  if (!m) return undefined;
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.floor(Number(m[1]) * mult);
}

/** The memory budget in bytes, and where it comes from (for messages). */
export function memoryBudget(env: Readonly<Record<string, string | undefined>> = process.env): { bytes: number; source: string } {
  const stated = env.DLC_MEMORY_BUDGET !== undefined ? parseBytes(env.DLC_MEMORY_BUDGET) : undefined;
  if (stated !== undefined && stated > 0) return { bytes: stated, source: 'DLC_MEMORY_BUDGET' };
  const machine = Math.floor(totalmem() * 0.8);
  return machine < MAX_BUDGET_BYTES ? { bytes: machine, source: "80% of this machine's memory" } : { bytes: MAX_BUDGET_BYTES, source: 'the 64 GiB cap' };
}

/** "253.3 GB"-style size (decimal units, like the summary table). */
export function humanBytes(n: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${n} bytes` : `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

const elements = (shape: readonly number[]): number => shape.reduce((a, d) => a * d, 1);

/** Float32 tensors an optimizer keeps per trainable weight (tfjs: Adam's two moments, RMSprop's mean square and momentum, …). */
export function optimizerSlots(opt: OptimizerSpec): number {
  switch (opt.kind) {
    case 'sgd':
      return opt.momentum > 0 ? 1 : 0;
    case 'adagrad':
      return 1;
    default:
      return 2;
  }
}

/** Training memory of a model for one batch, in bytes (float32), by what holds it. */
export interface TrainingMemory {
  readonly batch: number;
  /** Weights (trainable and not). */
  readonly parameters: number;
  /** One gradient per trainable weight. */
  readonly gradients: number;
  /** The optimizer's slots per trainable weight. */
  readonly optimizerState: number;
  readonly optimizerSlots: number;
  /** Every layer output for the batch and its gradient. */
  readonly activations: number;
  readonly total: number;
}

/** Bytes a node holds while training on a batch of `batch` with `slots` optimizer slots. */
function nodeMemory(n: IRNode, batch: number, slots: number): { parameters: number; gradients: number; optimizerState: number; activations: number; total: number } {
  const parameters = (n.params.trainable + n.params.nonTrainable) * 4;
  const gradients = n.params.trainable * 4;
  const optimizerState = n.params.trainable * 4 * slots;
  const activations = isInferred(n) ? elements(n.shape) * batch * BYTES_PER_ACTIVATION : 0;
  return { parameters, gradients, optimizerState, activations, total: parameters + gradients + optimizerState + activations };
}

/**
 * The one memory estimate (dlc inspect prints it, DLC119 checks it, dlc run
 * refuses through it): parameters, gradients, optimizer state and
 * activations of the training batch.
 */
export function trainingMemory(ir: IR): TrainingMemory {
  const batch = ir.spec.data.batch_size;
  const slots = optimizerSlots(ir.spec.optimizer);
  let parameters = 0;
  let gradients = 0;
  let optimizerState = 0;
  let activations = 0;
  for (const n of ir.nodes) {
    const m = nodeMemory(n, batch, slots);
    parameters += m.parameters;
    gradients += m.gradients;
    optimizerState += m.optimizerState;
    activations += m.activations;
  }
  return { batch, parameters, gradients, optimizerState, optimizerSlots: slots, activations, total: parameters + gradients + optimizerState + activations };
}

export const checkMemoryBudget: Pass = (ir, ctx) => {
  const batch = ir.spec.data.batch_size;
  const { bytes: budget, source } = memoryBudget();
  const slots = optimizerSlots(ir.spec.optimizer);
  let total = trainingMemory(ir).total;
  let worst: { node: IRNode; bytes: number } | undefined;
  for (const n of ir.nodes) {
    const b = nodeMemory(n, batch, slots).total;
    if (!worst || b > worst.bytes) worst = { node: n, bytes: b };
  }
  const diags: Diagnostic[] = [];
  const synthetic = (ir.spec.data as { synthetic?: { train_samples: number; test_samples: number; shape: readonly number[] } }).synthetic;
  if (ir.spec.data.dataset === 'synthetic' && synthetic) {
    const data = (synthetic.train_samples + synthetic.test_samples) * elements(synthetic.shape) * 4;
    if (data > budget) {
      diags.push(diag('DLC119', `the synthetic data set needs about ${humanBytes(data)} in memory; the budget is ${humanBytes(budget)} (${source})`, ctx, '/data/synthetic', 'use fewer samples or a smaller shape'));
      return diags;
    }
    total += data;
  }
  if (total > budget && worst) {
    const layer = ctx.layerOf(worst.node.id);
    const params = worst.node.params.trainable + worst.node.params.nonTrainable;
    const what = params * (8 + 4 * slots) >= worst.bytes / 2 ? `${thousands(params)} parameters` : `an output of ${shapeText(worst.node.shape)} per sample × batch ${batch}`;
    diags.push(
      diag(
        'DLC119',
        `the model needs about ${humanBytes(total)} to train (parameters × weights, gradients and optimizer slots, plus activations for batch ${batch}); the budget is ${humanBytes(budget)} (${source}). Layer '${worst.node.id}' alone takes ${humanBytes(worst.bytes)} (${what})`,
        ctx,
        layer?.path ?? '/model/layers',
        'make this layer smaller (units, filters, kernel size) or reduce the batch size; DLC_MEMORY_BUDGET raises the budget',
      ),
    );
  }
  return diags;
};
