/**
 * The Keras-style model summary of `dlc inspect`: one row per IR node
 * (layer id and kind, output shape with the batch axis as None, params,
 * multiply-adds per sample, and the inputs when the model is not a plain
 * chain), then totals. `summarize` returns the data (for --format json and
 * tools); `formatSummary` renders the table.
 */
import type { IR } from '../ir.js';
import { shapeText, thousands } from '../shared/format.js';
import { trainingMemory, type TrainingMemory } from './passes/memory-budget.js';

export interface SummaryRow {
  readonly id: string;
  readonly op: string;
  /** Output shape with the batch axis first as null. */
  readonly shape: readonly (number | null)[];
  readonly inputs: readonly string[];
  readonly params: number;
  readonly trainable: number;
  readonly nonTrainable: number;
  readonly macs: number;
}

export interface ModelSummary {
  readonly name: string;
  readonly dataset: string;
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  /** What a sample's target is (IR.target); absent: a class index over numClasses. */
  readonly target?: { readonly kind: 'class' | 'multi_label' | 'real'; readonly width: number };
  readonly output: string;
  /** Every output with its loss weight, main first, when the spec lists `model.outputs`. */
  readonly outputs?: readonly { readonly id: string; readonly lossWeight: number }[];
  readonly rows: readonly SummaryRow[];
  readonly totals: {
    readonly params: number;
    readonly trainable: number;
    readonly nonTrainable: number;
    /** Multiply-adds per sample. */
    readonly macs: number;
    /** float32 weights: params × 4 bytes, in MiB (Keras's "MB"). */
    readonly sizeMB: number;
  };
  /** Memory to train on one batch (the estimate DLC119 checks). */
  readonly memory: TrainingMemory;
  /** The optimizer kind (for the memory line). */
  readonly optimizer: string;
}

/** Summary data of a lowered IR. */
export function summarize(ir: IR): ModelSummary {
  const rows: SummaryRow[] = ir.nodes.map((n) => ({
    id: n.id,
    op: n.op,
    shape: [null, ...n.shape],
    inputs: n.inputs,
    params: n.params.trainable + n.params.nonTrainable,
    trainable: n.params.trainable,
    nonTrainable: n.params.nonTrainable,
    macs: n.macs,
  }));
  const sum = (f: (r: SummaryRow) => number): number => rows.reduce((s, r) => s + f(r), 0);
  const params = sum((r) => r.params);
  return {
    name: ir.spec.name,
    dataset: ir.spec.data.dataset,
    inputShape: ir.inputShape,
    numClasses: ir.numClasses,
    ...(ir.target ? { target: { kind: ir.target.kind, width: ir.target.width } } : {}),
    output: ir.outputId,
    ...(ir.outputs ? { outputs: ir.outputs.map((o) => ({ id: o.id, lossWeight: o.lossWeight })) } : {}),
    rows,
    totals: { params, trainable: sum((r) => r.trainable), nonTrainable: sum((r) => r.nonTrainable), macs: sum((r) => r.macs), sizeMB: (params * 4) / 1024 ** 2 },
    memory: trainingMemory(ir),
    optimizer: ir.spec.optimizer.kind,
  };
}

/** 1234567 → "1,234,567" (fixed locale so golden files do not depend on the machine); re-exported for callers of the summary. */
export { thousands };

/** Bytes as Keras prints them: B, KB, MB, GB (powers of 1024). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(2)} ${units[u]}`;
}

/** 5163520 → "5.16 M". */
export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(2)} K`;
  return String(n);
}

/** What the model predicts, for the header: "10 classes", "1 real target (regression)", "6 labels (multi-label)". */
function targetText(s: ModelSummary): string {
  const n = s.target?.width ?? s.numClasses;
  switch (s.target?.kind) {
    case 'real':
      return `${n} real target${n === 1 ? '' : 's'} (regression)`;
    case 'multi_label':
      return `${n} label${n === 1 ? '' : 's'} (multi-label)`;
    default:
      return `${s.numClasses} class${s.numClasses === 1 ? '' : 'es'}`;
  }
}

/** True when every node reads just the node listed before it. */
function isChain(s: ModelSummary): boolean {
  return s.rows.every((r, i) => (i === 0 ? r.inputs.length === 0 : r.inputs.length === 1 && r.inputs[0] === s.rows[i - 1].id));
}

/** "output 'logits'", or "outputs 'logits' (loss weight 1, main), 'aux1' (loss weight 0.3)". */
function outputText(s: ModelSummary): string {
  if (!s.outputs) return `output '${s.output}'`;
  return `outputs ${s.outputs.map((o, i) => `'${o.id}' (loss weight ${o.lossWeight}${i === 0 ? ', main' : ''})`).join(', ')}`;
}

/** The summary as a fixed-width table. */
export function formatSummary(s: ModelSummary): string {
  const chain = isChain(s);
  const header = ['Layer (type)', 'Output shape', 'Params', 'MACs', ...(chain ? [] : ['Inputs'])];
  const body = s.rows.map((r) => [
    `${r.id} (${r.op})`,
    `(${r.shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`,
    thousands(r.params),
    thousands(r.macs),
    ...(chain ? [] : [r.inputs.join(', ')]),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const rightAligned = new Set([2, 3]);
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const width = widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  const rule = '─'.repeat(width);
  const t = s.totals;
  const nums = [thousands(t.params), thousands(t.trainable), thousands(t.nonTrainable), thousands(t.macs)];
  const numW = Math.max(...nums.map((n) => n.length));
  return [
    `Model: ${s.name} (${s.dataset}: ${shapeText(s.inputShape)} input, ${targetText(s)}; ${outputText(s)})`,
    rule,
    line(header),
    rule,
    ...body.map(line),
    rule,
    `Total params:         ${nums[0].padStart(numW)} (${formatBytes(t.params * 4)})`,
    `Trainable params:     ${nums[1].padStart(numW)} (${formatBytes(t.trainable * 4)})`,
    `Non-trainable params: ${nums[2].padStart(numW)} (${formatBytes(t.nonTrainable * 4)})`,
    `Multiply-adds:        ${nums[3].padStart(numW)} per sample (${formatCount(t.macs)})`,
    `Training memory:      ${formatBytes(s.memory.total)} for a batch of ${s.memory.batch}: parameters ${formatBytes(s.memory.parameters)}, gradients ${formatBytes(s.memory.gradients)}, ${s.optimizer} state ${formatBytes(s.memory.optimizerState)} (${s.memory.optimizerSlots} per weight), activations ${formatBytes(s.memory.activations)}`,
    '',
  ].join('\n');
}
