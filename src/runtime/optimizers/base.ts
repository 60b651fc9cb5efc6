/**
 * The machinery every dlc optimizer shares: lazily created slot variables
 * (momentum buffers, moment estimates, accumulators), the step counter,
 * gradient clipping and coupled weight decay, and exact state save/restore.
 *
 * Why not tf.train.*: its optimizers fix their own epsilon placement and
 * weight-decay semantics and do not expose their slots in a form that
 * round-trips bit for bit. Here every update is written out with tf ops.
 *
 * State naming. Variables are numbered in the order this optimizer first saw
 * them (the train loop always passes the model's trainable weights in the
 * same order). A slot is saved as `"<index>/<slot>/<variable name>"`; the
 * step counter as `"step"`. Restoring matches by index and slot and checks
 * the shape; the variable name is informative only, because tfjs-layers
 * names weights with a process-wide counter ("dense_Dense3/kernel") that
 * differs when a model is rebuilt to resume.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerCommon } from '../../compiler/spec.js';
import type { NamedArray, TrainableOptimizer } from '../contracts.js';
import { clipByGlobalNorm, clipByValue } from './gradients.js';

/** The slot variables of one model variable, by slot name. */
export type Slots = Readonly<Record<string, tf.Variable>>;

/** Name of the step-counter entry in getState(). */
export const STEP_STATE_NAME = 'step';

// The step counter is stored as two float32 halves (hi·2^24 + lo) so it stays exact past 2^24 steps.
const STEP_SPLIT = 2 ** 24;

export abstract class SlotOptimizer implements TrainableOptimizer {
  abstract readonly kind: string;
  learningRate: number;
  /** Number of applyGradients calls so far (PyTorch's `state['step']`, shared by all variables). */
  protected stepCount = 0;

  private readonly indexOf = new Map<tf.Variable, number>();
  private readonly slotsByIndex = new Map<number, Record<string, tf.Variable>>();
  private readonly varNames = new Map<number, string>();

  protected constructor(protected readonly common: OptimizerCommon) {
    this.learningRate = common.learning_rate;
    if (common.clip_norm !== undefined && !(common.clip_norm > 0)) throw new RangeError(`clip_norm must be > 0, got ${common.clip_norm}`);
    if (common.clip_value !== undefined && !(common.clip_value > 0)) throw new RangeError(`clip_value must be > 0, got ${common.clip_value}`);
    if (!(common.weight_decay >= 0)) throw new RangeError(`weight_decay must be >= 0, got ${common.weight_decay}`);
  }

  /** Slot names and their initial fill value. */
  protected abstract slotSpecs(): Readonly<Record<string, number>>;

  /**
   * Updates one variable. `grad` is already clipped and carries coupled
   * weight decay; `step` is 1 on the first call. Runs inside a tidy.
   */
  protected abstract updateVariable(variable: tf.Variable, grad: tf.Tensor, slots: Slots, lr: number, step: number): void;

  /** True when weight_decay is added to the gradient (L2); AdamW returns false and decays the weights itself. */
  protected couplesWeightDecay(): boolean {
    return true;
  }

  /**
   * One update of `vars` by `grads` (same order). The gradients stay owned by
   * the caller. Everything that can fail (counts, shapes, restored slots) is
   * checked before any variable changes, so a failed call leaves the
   * weights, the slots and the step counter as they were.
   */
  applyGradients(vars: readonly tf.Variable[], grads: readonly tf.Tensor[]): void {
    if (vars.length !== grads.length) throw new Error(`applyGradients: ${vars.length} variables but ${grads.length} gradients`);
    vars.forEach((v, i) => {
      if (!sameShape(v.shape, grads[i].shape)) throw new Error(`applyGradients: gradient ${i} has shape [${grads[i].shape.join(', ')}] but variable "${v.name}" has [${v.shape.join(', ')}]`);
    });
    const slots = vars.map((v) => this.slotsFor(v));
    // Read once: the schedule sets learningRate before each step.
    const lr = this.learningRate;
    const step = this.stepCount + 1;
    const { clip_value, clip_norm, weight_decay } = this.common;
    tf.tidy(() => {
      let gs: readonly tf.Tensor[] = grads;
      // Value first, then norm, when a spec asks for both: the norm then measures what is actually applied.
      if (clip_value !== undefined) gs = clipByValue(gs, clip_value);
      if (clip_norm !== undefined) gs = clipByGlobalNorm(gs, clip_norm);
      vars.forEach((v, i) => {
        let g = gs[i];
        // L2 on every trainable variable, biases and norm scales included (PyTorch's default with one param group).
        if (weight_decay > 0 && this.couplesWeightDecay()) g = tf.add(g, tf.mul(v, weight_decay));
        this.updateVariable(v, g, slots[i], lr, step);
      });
    });
    this.stepCount = step;
  }

  getState(): NamedArray[] {
    const out: NamedArray[] = [{ name: STEP_STATE_NAME, shape: [2], values: new Float32Array([Math.floor(this.stepCount / STEP_SPLIT), this.stepCount % STEP_SPLIT]) }];
    for (const index of [...this.slotsByIndex.keys()].sort((a, b) => a - b)) {
      const slots = this.slotsByIndex.get(index)!;
      const varName = this.varNames.get(index) ?? '';
      for (const slot of Object.keys(slots).sort()) {
        const s = slots[slot];
        out.push({ name: `${index}/${slot}/${varName}`, shape: [...s.shape], values: Float32Array.from(s.dataSync() as Float32Array) });
      }
    }
    return out;
  }

  setState(state: readonly NamedArray[]): void {
    const wanted = this.slotSpecs();
    const restored = new Map<number, Record<string, tf.Variable>>();
    let step: number | undefined;
    try {
      for (const entry of state) {
        if (entry.name === STEP_STATE_NAME) {
          step = entry.values.length === 2 ? entry.values[0] * STEP_SPLIT + entry.values[1] : entry.values[0];
          continue;
        }
        const m = /^(\d+)\/([^/]+)(?:\/(.*))?$/.exec(entry.name);
        if (!m) throw new Error(`${this.kind} optimizer state: unexpected entry "${entry.name}"`);
        const index = Number(m[1]);
        const slot = m[2];
        if (!(slot in wanted)) throw new Error(`${this.kind} optimizer state: slot "${slot}" does not belong to ${this.kind} (entry "${entry.name}")`);
        const size = entry.shape.reduce((a, b) => a * b, 1);
        if (size !== entry.values.length) throw new Error(`${this.kind} optimizer state: "${entry.name}" has ${entry.values.length} values for shape [${entry.shape.join(', ')}]`);
        const slots = restored.get(index) ?? {};
        slots[slot] = tf.tidy(() => tf.variable(tf.tensor(entry.values, [...entry.shape], 'float32'), false));
        restored.set(index, slots);
        if (m[3] !== undefined && !this.varNames.has(index)) this.varNames.set(index, m[3]);
      }
    } catch (e) {
      for (const slots of restored.values()) for (const v of Object.values(slots)) v.dispose();
      throw e;
    }
    if (step === undefined) {
      for (const slots of restored.values()) for (const v of Object.values(slots)) v.dispose();
      throw new Error(`${this.kind} optimizer state: no "${STEP_STATE_NAME}" entry`);
    }
    this.disposeSlots();
    for (const [index, slots] of restored) this.slotsByIndex.set(index, slots);
    this.stepCount = step;
  }

  dispose(): void {
    this.disposeSlots();
    this.indexOf.clear();
  }

  private disposeSlots(): void {
    for (const slots of this.slotsByIndex.values()) for (const v of Object.values(slots)) v.dispose();
    this.slotsByIndex.clear();
  }

  /** The variable's slots, numbering the variable and creating missing slots on first sight. */
  private slotsFor(v: tf.Variable): Slots {
    let index = this.indexOf.get(v);
    if (index === undefined) {
      index = this.indexOf.size;
      this.indexOf.set(v, index);
      this.varNames.set(index, v.name);
    }
    const slots = this.slotsByIndex.get(index) ?? {};
    for (const [slot, fill] of Object.entries(this.slotSpecs())) {
      const existing = slots[slot];
      if (existing) {
        if (!sameShape(existing.shape, v.shape)) {
          throw new Error(`${this.kind} optimizer: restored slot "${index}/${slot}" has shape [${existing.shape.join(', ')}] but variable ${index} ("${v.name}") has shape [${v.shape.join(', ')}]`);
        }
        continue;
      }
      slots[slot] = tf.tidy(() => tf.variable(tf.fill(v.shape, fill, 'float32'), false));
    }
    this.slotsByIndex.set(index, slots);
    return slots;
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
