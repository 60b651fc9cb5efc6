/**
 * Reproducible dropout with built-in layers. tfjs's Dropout draws its mask
 * from `layer.seed` on every call, so a fixed seed repeats the same mask at
 * every step (and no seed is not reproducible). The train loop therefore
 * sets each Dropout layer's seed to seed(specSeed, layer, step) before every
 * step: masks differ per step, and a resumed run draws the same ones.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../../compiler/ir-attrs.js';

interface SeededLayer {
  seed?: number;
}

/** Dropout layers of a model (by tfjs class name). */
export function dropoutLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => l.getClassName() === 'Dropout');
}

/** Points every dropout layer at the mask for `step`. */
export function setDropoutStep(layers: readonly tf.layers.Layer[], specSeed: number, step: number): void {
  for (const l of layers) (l as unknown as SeededLayer).seed = deriveSeed(specSeed, l.name, 'dropout', step);
}

/** The rows of the whole batch one data-parallel replica computes: [start, start + its batch size). */
export interface RowWindow {
  /** Size of the whole (undivided) batch. */
  readonly batch: number;
  /** First row of this replica's slice. */
  readonly start: number;
}

interface RowWindowLayer {
  rate: number;
  noiseShape?: unknown;
  seed?: number;
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[];
  dlcRowWindow?: RowWindow;
  dlcStockCall?: RowWindowLayer['call'];
}

/**
 * Makes every dropout layer draw the mask of the *whole* batch and keep the
 * rows of this replica's slice, so data-parallel replicas drop exactly the
 * units a single process would: tf.dropout's mask is one seeded uniform draw
 * over the input's shape in row-major order, and the element-wise ops after
 * it (add keep, floor, divide by keep, multiply) commute with taking rows.
 * `undefined` restores the stock layer.
 */
export function setDropoutRows(layers: readonly tf.layers.Layer[], window: RowWindow | undefined): void {
  for (const layer of layers) {
    const l = layer as unknown as RowWindowLayer;
    if (l.noiseShape != null) throw new Error(`dropout layer '${layer.name}' has a noise shape; data-parallel training does not support it`);
    l.dlcRowWindow = window;
    if (l.dlcStockCall) continue;
    const stock = l.call.bind(l);
    l.dlcStockCall = stock;
    l.call = (inputs, kwargs) => {
      const w = l.dlcRowWindow;
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      if (!w || kwargs['training'] !== true || !(l.rate > 0 && l.rate < 1) || (w.start === 0 && x.shape[0] === w.batch)) return stock(inputs, kwargs);
      return tf.tidy(() => {
        const rows = x.shape[0]!;
        const keep = 1 - l.rate;
        const whole = tf.randomUniform([w.batch, ...x.shape.slice(1)], 0, 1, 'float32', l.seed);
        const mine = tf.slice(whole, [w.start, ...x.shape.slice(1).map(() => 0)], [rows, ...x.shape.slice(1)]);
        return tf.mul(x, tf.div(tf.floor(tf.add(mine, keep)), keep));
      });
    };
  }
}
