/**
 * IR → a functional tfjs-layers model whose output is the logits. Layer
 * names are the IR ids (sanitised), so weights in a checkpoint read as
 * "<node id>/kernel".
 */
import * as tf from '@tensorflow/tfjs';
import type { IR } from '../../compiler/ir.js';
import { applyNode } from './layers.js';

export interface BuildOptions {
  /** The spec's seed; defaults to ir.spec.seed. Every layer's init seed derives from it. */
  readonly seed?: number;
}

/** Turns an IR id into a tfjs layer name ([A-Za-z0-9_], unique within `taken`). */
export function layerName(id: string, taken: Set<string>): string {
  let base = id.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z_]/.test(base)) base = `l_${base}`;
  let name = base;
  for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}

/** Builds the model for `ir` with seeded initial weights (same seed → same weights on every backend). */
export function buildModel(ir: IR, options: BuildOptions = {}): tf.LayersModel {
  const seed = options.seed ?? ir.spec.seed;
  const taken = new Set<string>();
  const outputs = new Map<string, tf.SymbolicTensor>();
  const [inputNode, ...rest] = ir.nodes;
  if (!inputNode || inputNode.op !== 'input') throw new Error('IR must start with its input node');
  const input = tf.input({ shape: [...ir.inputShape], name: layerName(inputNode.id, taken), dtype: 'float32' });
  outputs.set(inputNode.id, input);
  for (const node of rest) {
    const ins = node.inputs.map((id) => {
      const t = outputs.get(id);
      if (!t) throw new Error(`model builder: node '${node.id}' reads unknown node '${id}'`);
      return t;
    });
    outputs.set(node.id, applyNode(node, ins, { name: layerName(node.id, taken), seed }));
  }
  const out = outputs.get(ir.outputId);
  if (!out) throw new Error(`model builder: output node '${ir.outputId}' not found`);
  return tf.model({ inputs: input, outputs: out, name: ir.spec.name.replace(/[^A-Za-z0-9_]/g, '_') });
}
