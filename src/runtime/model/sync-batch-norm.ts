/**
 * Batch norm with statistics synchronised across data-parallel replicas
 * (train/replicas.ts): every replica holds a slice of the batch, and in
 * training mode each batch-norm layer normalises with the *whole batch's*
 * per-channel mean and variance, back-propagates through them, and moves
 * its running statistics from them — the one-process step up to rounding.
 *
 * Forward, per layer: each replica computes its slice's count n_k, mean_k
 * and M2_k = Σ(x − mean_k)² per channel; the replicas exchange these
 * (`BatchNormExchange.gather`, blocking), and every replica combines them in
 * replica order, in float64 (Chan et al.'s pairwise update):
 *
 *   N = Σ n_k,  mean = Σ n_k·mean_k / N,  M2 = Σ M2_k + Σ n_k·(mean_k − mean)²,  var = M2 / N
 *
 * so every replica has the same bits. x̂ = (x − mean)·rstd, rstd = 1/√(var + ε).
 *
 * Backward (x̂ is a tf.customGrad of x): with g = ∂L/∂x̂ on the slice's rows
 * (each replica's loss is already scaled to its share of the batch mean, so
 * g is the whole-batch gradient there), the replicas exchange Σg and Σg·x̂
 * per channel and every replica forms
 *
 *   ∂L/∂x = rstd · (g − Σ_all g / N − x̂ · Σ_all g·x̂ / N)
 *
 * — the gradient through the global statistics. γ and β are ordinary ops
 * after x̂, so their gradients are slice sums that the replicas' gradient
 * sum completes. Running statistics: as the layer does on one process
 * (tfjs: moving ← moving − (moving − v)·(1 − momentum) with the biased
 * variance; TorchBatchNormalization adds (1 − momentum)·var/(N − 1), i.e.
 * PyTorch's unbiased variance with the *global* N).
 *
 * The sync is attached to a built model's BatchNormalization layers (tfjs's
 * own and dlc's TorchBatchNormalization, both saved under that class name)
 * by overriding their `call` on the instance, so models from the runtime's
 * builder and from an emitted project's model.ts sync alike. Inference
 * (training ≠ true) is the layer's own: running statistics.
 *
 * On wasm the same computation runs fused (`fusedNormalize`; kernels in
 * backend/wasm-training/kernels/batch-norm.ts): one read pass for Σx, Σx²
 * (→ the same [n_k, mean_k, M2_k] exchange), one pass for y = γ·x̂ + β; in
 * the backward pass one read for Σdy, Σdy·x̂ (× γ: the same [Σg, Σg·x̂]
 * exchange, g = ∂L/∂x̂ = γ·dy) and one pass for dx, with dγ = Σdy·x̂ and
 * dβ = Σdy of the slice. dlc's batch-norm layers (torch-batch-norm.ts) take that path
 * on one process too (`trainingBatchNorm` without an exchange). Other
 * backends keep the unfused code (cpu's results are unchanged).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BATCH_NORM_APPLY, BATCH_NORM_INPUT_GRAD, channelGradSums, channelMoments, fusedBatchNormActive } from '../backend/wasm-training/kernels/batch-norm.js';

/** The replicas' exchange of small vectors (train/replicas-sync.ts). */
export interface BatchNormExchange {
  /**
   * Every participating replica's `local` (the same length in each), in
   * replica order, this replica's included; blocks until all have sent theirs.
   */
  gather(local: Float64Array): Float64Array[];
}

type Kwargs = Record<string, unknown>;
type Call = (inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs) => tf.Tensor | tf.Tensor[];

/** The fields of tfjs's BatchNormalization the synced call reads. */
export interface BatchNormInternals {
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly gamma: { read(): tf.Tensor } | null;
  readonly beta: { read(): tf.Tensor } | null;
  readonly movingMean: { read(): tf.Tensor; write(v: tf.Tensor): void };
  readonly movingVariance: { read(): tf.Tensor; write(v: tf.Tensor): void };
  call: Call;
}

/** The model's batch-norm layers (tfjs's and TorchBatchNormalization: both are saved as 'BatchNormalization'). */
export function batchNormLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
}

/** Layers already synced, so attaching twice is harmless. */
const attached = new WeakSet<tf.layers.Layer>();

/**
 * Makes the model's batch-norm layers compute with statistics gathered
 * through `exchange` in training mode; returns how many layers it synced.
 */
export function attachBatchNormSync(model: tf.LayersModel, exchange: BatchNormExchange): number {
  const layers = batchNormLayers(model);
  for (const layer of layers) {
    if (attached.has(layer)) continue;
    attached.add(layer);
    const self = layer as unknown as BatchNormInternals;
    const own = self.call.bind(layer) as Call;
    const unbiased = (layer as { unbiasedRunningVariance?: boolean }).unbiasedRunningVariance === true;
    self.call = (inputs, kwargs) => (kwargs['training'] === true ? trainingBatchNorm(self, Array.isArray(inputs) ? inputs[0]! : inputs, unbiased, exchange) : own(inputs, kwargs));
  }
  return layers.length;
}

/** Combines the replicas' [n, mean(C), M2(C)] in replica order: N, mean and biased variance per channel (float64). */
export function combineMoments(parts: readonly Float64Array[], channels: number): { n: number; mean: Float64Array; variance: Float64Array } {
  let n = 0;
  for (const p of parts) n += p[0]!;
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    let s = 0;
    for (const p of parts) s += p[0]! * p[1 + c]!;
    const m = s / n;
    let m2 = 0;
    for (const p of parts) {
      const d = p[1 + c]! - m;
      m2 += p[1 + channels + c]! + p[0]! * d * d;
    }
    mean[c] = m;
    variance[c] = m2 / n;
  }
  return { n, mean, variance };
}

function synced(x: tf.Tensor, axis: number, epsilon: number, exchange: BatchNormExchange, out: { n: number; mean?: tf.Tensor1D; variance?: tf.Tensor1D }): tf.Tensor {
  const channels = x.shape[axis]!;
  const axes = [...Array(x.rank).keys()].filter((a) => a !== axis);
  const bshape = x.shape.map((d, i) => (i === axis ? d : 1));
  const normalize = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const nLocal = input.size / channels;
    const local = new Float64Array(1 + 2 * channels);
    local[0] = nLocal;
    tf.tidy(() => {
      const { mean, variance } = tf.moments(input, axes);
      local.set(mean.dataSync(), 1);
      const v = variance.dataSync();
      for (let c = 0; c < channels; c++) local[1 + channels + c] = v[c]! * nLocal;
    });
    const { n, mean, variance } = combineMoments(exchange.gather(local), channels);
    const rstd = new Float32Array(channels);
    for (let c = 0; c < channels; c++) rstd[c] = 1 / Math.sqrt(variance[c]! + epsilon);
    out.n = n;
    out.mean = tf.keep(tf.tensor1d(Float32Array.from(mean)));
    out.variance = tf.keep(tf.tensor1d(Float32Array.from(variance)));
    const rstdT = tf.tensor(rstd, bshape);
    const xhat = tf.tidy(() => tf.mul(tf.sub(input, tf.reshape(out.mean!, bshape)), rstdT));
    save([xhat, rstdT]);
    return {
      value: xhat,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, rs] = saved as [tf.Tensor, tf.Tensor];
        const sums = new Float64Array(2 * channels);
        tf.tidy(() => {
          sums.set(tf.sum(dy, axes).dataSync(), 0);
          sums.set(tf.sum(tf.mul(dy, xh), axes).dataSync(), channels);
        });
        const total = new Float64Array(2 * channels);
        for (const p of exchange.gather(sums)) for (let i = 0; i < total.length; i++) total[i]! += p[i]!;
        const mg = new Float32Array(channels);
        const mgx = new Float32Array(channels);
        for (let c = 0; c < channels; c++) {
          mg[c] = total[c]! / n;
          mgx[c] = total[channels + c]! / n;
        }
        return tf.tidy(() => tf.mul(rs, tf.sub(tf.sub(dy, tf.tensor(mg, bshape)), tf.mul(xh, tf.tensor(mgx, bshape)))));
      },
    };
  });
  return normalize(x) as tf.Tensor;
}

/** Whether `layer`'s training call on `x` can take the fused path: wasm with dlc's kernels, float32, channels last, γ and β present. */
export function canFuseBatchNorm(layer: BatchNormInternals, x: tf.Tensor): boolean {
  return fusedBatchNormActive() && x.dtype === 'float32' && x.rank >= 2 && (layer.axis === -1 || layer.axis === x.rank - 1) && layer.gamma !== null && layer.beta !== null;
}

/** The per-channel statistics a training call normalised with (float32 tensors, kept until the running statistics have moved). */
interface Stats {
  n: number;
  mean?: tf.Tensor1D;
  variance?: tf.Tensor1D;
}

/**
 * Fused y = γ·(x − mean)·rstd + β over the channels of x's last axis, with
 * statistics over this replica's x (and the others' through `exchange`),
 * and its gradient for x, γ and β. wasm only (canFuseBatchNorm).
 */
function fusedNormalize(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number, exchange: BatchNormExchange | undefined, out: Stats): tf.Tensor {
  const channels = x.shape[x.rank - 1]!;
  const normalize = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const m = channelMoments(tf.backend() as unknown as BackendWasm, input);
    const local = new Float64Array(1 + 2 * channels);
    local[0] = m.count;
    for (let c = 0; c < channels; c++) {
      const mk = m.count > 0 ? m.sum[c]! / m.count : 0;
      local[1 + c] = mk;
      // M2 = Σx² − n·mean², in float64 (Σx² of float32 values is exact to ~1e-16 relative); never below 0.
      local[1 + channels + c] = Math.max(0, m.sumSq[c]! - m.sum[c]! * mk);
    }
    const { n, mean, variance } = combineMoments(exchange ? exchange.gather(local) : [local], channels);
    const gam = g.dataSync() as Float32Array;
    const rstd = new Float64Array(channels);
    const scale = new Float64Array(channels);
    for (let c = 0; c < channels; c++) {
      rstd[c] = 1 / Math.sqrt(variance[c]! + epsilon);
      scale[c] = gam[c]! * rstd[c]!;
    }
    const shift = Float64Array.from(b.dataSync() as Float32Array);
    out.n = n;
    out.mean = tf.keep(tf.tensor1d(Float32Array.from(mean)));
    out.variance = tf.keep(tf.tensor1d(Float32Array.from(variance)));
    const value = tf.engine().runKernel(BATCH_NORM_APPLY, { x: input }, { mean, scale, shift } as unknown as tf.NamedAttrMap) as tf.Tensor;
    save([input]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs] = saved as [tf.Tensor];
        const s = channelGradSums(tf.backend() as unknown as BackendWasm, dy, xs, mean);
        // β's and γ's gradients: Σdy and Σdy·x̂ over this slice.
        const dBeta = new Float32Array(channels);
        const dGamma = new Float32Array(channels);
        // What the replicas exchange, as the unfused path: [Σg, Σg·x̂] with g = ∂L/∂x̂ = γ·dy.
        const sums = new Float64Array(2 * channels);
        for (let c = 0; c < channels; c++) {
          const sdx = s.sumDyXc[c]! * rstd[c]!;
          dBeta[c] = s.sumDy[c]!;
          dGamma[c] = sdx;
          sums[c] = gam[c]! * s.sumDy[c]!;
          sums[channels + c] = gam[c]! * sdx;
        }
        let total = sums;
        if (exchange) {
          total = new Float64Array(2 * channels);
          for (const p of exchange.gather(sums)) for (let i = 0; i < total.length; i++) total[i]! += p[i]!;
        }
        // ∂L/∂x = rstd·(g − Σg/N − x̂·Σg·x̂/N) = γ·rstd·dy − rstd·Σg/N − (x − mean)·rstd²·Σg·x̂/N.
        const a = new Float64Array(channels);
        const e = new Float64Array(channels);
        for (let c = 0; c < channels; c++) {
          a[c] = (rstd[c]! * total[c]!) / n;
          e[c] = (rstd[c]! * rstd[c]! * total[channels + c]!) / n;
        }
        const dx = tf.engine().runKernel(BATCH_NORM_INPUT_GRAD, { dy, x: xs }, { mean, k: scale, a, e } as unknown as tf.NamedAttrMap) as tf.Tensor;
        return [dx, tf.tensor1d(dGamma), tf.tensor1d(dBeta)];
      },
    };
  });
  return normalize(x, gamma, beta) as tf.Tensor;
}

/**
 * A batch-norm layer's training call: statistics of this replica's x, or of
 * the whole batch through `exchange`; fused on wasm (canFuseBatchNorm),
 * otherwise (an exchange required then) the unfused synced formulation.
 * Moves the layer's running statistics. `unbiased`: PyTorch's running variance.
 */
export function trainingBatchNorm(layer: BatchNormInternals, x: tf.Tensor, unbiased: boolean, exchange?: BatchNormExchange): tf.Tensor {
  const axis = layer.axis >= 0 ? layer.axis : layer.axis + x.rank;
  const bshape = x.shape.map((d, i) => (i === axis ? d : 1));
  const stats: Stats = { n: 0 };
  const fuse = canFuseBatchNorm(layer, x);
  if (!fuse && !exchange) throw new Error('trainingBatchNorm: without an exchange only the fused path (wasm) applies; call the layer itself');
  try {
    return tf.tidy(() => {
      let y: tf.Tensor;
      if (fuse) {
        y = fusedNormalize(x, layer.gamma!.read(), layer.beta!.read(), layer.epsilon, exchange, stats);
      } else {
        y = synced(x, axis, layer.epsilon, exchange!, stats);
        if (layer.gamma) y = tf.mul(y, tf.reshape(layer.gamma.read(), bshape));
        if (layer.beta) y = tf.add(y, tf.reshape(layer.beta.read(), bshape));
      }
      // The running statistics, as tfjs's layer moves them (and TorchBatchNormalization's unbiased correction).
      const decay = 1 - layer.momentum;
      tf.tidy(() => {
        for (const [v, value] of [[layer.movingMean, stats.mean!], [layer.movingVariance, stats.variance!]] as const) {
          const orig = v.read();
          v.write(tf.sub(orig, tf.mul(tf.sub(orig, value), decay)));
        }
        if (unbiased && stats.n > 1) {
          const mv = layer.movingVariance;
          mv.write(tf.add(mv.read(), tf.mul(stats.variance!, decay / (stats.n - 1))));
        }
      });
      return y;
    });
  } finally {
    tf.dispose([stats.mean, stats.variance].filter((t): t is tf.Tensor1D => t !== undefined));
  }
}
