/**
 * Data-parallel training on worker threads: the wasm backend computes on
 * one core per process, so the train loop splits every batch into
 * contiguous row slices, one per replica. The main thread is replica 0;
 * each other replica is a worker_threads Worker (./replica-serve.ts) with
 * its own copy of the model.
 *
 * One step: the main thread sends each worker its rows (and the weights,
 * when they changed), computes its own slice's gradients meanwhile, then
 * adds the workers' gradients to its own in replica order and applies the
 * optimizer once. Each replica's loss is its slice's mean × (slice rows ÷
 * batch rows), so the sum is the whole batch's mean loss and the summed
 * gradients are the whole batch's gradients: mathematically the
 * single-process step; numerically the batch sums inside the backward
 * pass are split in two (rounding-level differences, measured in the
 * tests), and the same replica count always gives the same bits. Dropout
 * draws the whole batch's mask in every replica and keeps its rows
 * (model/dropout.ts), so masks are the single-process ones. Batch norm
 * normalises with the whole batch's statistics: the replicas exchange
 * per-channel sums through shared memory in the middle of the forward and
 * backward passes (model/sync-batch-norm.ts, ./replicas-sync.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { IR } from '../../compiler/ir.js';
import type { Batch, LossFn, TrainableOptimizer } from '../contracts.js';
import { setDropoutRows } from '../model/dropout.js';
import { attachBatchNormSync, type BatchNormExchange } from '../model/sync-batch-norm.js';
import { flattenTensors, type ReplicaInit, type ReplicaReply, type StepRequest } from './replica-protocol.js';
import { RunError } from './errors.js';
import { createExchange, SharedExchange } from './replicas-sync.js';
import { computeGradients, type StepResult } from './step.js';

/** Most replicas an automatic plan uses (each holds a model and a wasm heap). */
const MAX_AUTO_REPLICAS = 8;
/**
 * Most replicas anyone may ask for (--replicas, DLC_REPLICAS): each is a
 * worker thread with its own model copy and heap, so `--replicas 1000` would
 * exhaust memory before training a step. Documented in docs/hostile-input.md.
 */
export const MAX_REPLICAS = 32;

/** How many replicas a run uses and why, for its log line. */
export interface ReplicaPlan {
  readonly count: number;
  readonly reason: string;
}

/** The compiled worker script, when this module runs from the build (not from TypeScript sources). */
export function replicaWorkerScript(): URL | undefined {
  const url = new URL('./replica-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/** Why the model cannot be split across replicas exactly, or undefined. */
export function whyNotParallel(ir: IR): string | undefined {
  if (ir.spec.data.batch_size < 2) return 'batch_size is 1';
  return undefined;
}

/**
 * The replica count for a run. `requested` (--replicas, DLC_REPLICAS)
 * wins when the model allows it; otherwise: one per core on the wasm
 * backend, one elsewhere (tfjs-node is multi-threaded itself; cpu is the
 * reference backend).
 */
export function planReplicas(ir: IR, backend: string, requested: number | undefined, script: URL | undefined = replicaWorkerScript()): ReplicaPlan {
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 1)) throw new RunError(`replicas must be a positive integer, got ${requested}`);
  if (requested !== undefined && requested > MAX_REPLICAS) throw new RunError(`cannot train on ${requested} replicas: at most ${MAX_REPLICAS} (each is a thread with its own copy of the model)`);
  if (requested === 1) return { count: 1, reason: '1 replica (asked for)' };
  const why = whyNotParallel(ir);
  if (requested !== undefined) {
    if (why) throw new RunError(`cannot train on ${requested} replicas: ${why}; use 1 replica`);
    if (!script) throw new RunError(`cannot train on ${requested} replicas: the replica worker is not built (run npm run build)`);
    if (backend !== 'wasm' && backend !== 'cpu') throw new RunError(`data-parallel replicas need the wasm or cpu backend, not ${backend}`);
    return { count: requested, reason: `${requested} data-parallel replicas (asked for)` };
  }
  const cores = availableParallelism();
  if (backend !== 'wasm') return { count: 1, reason: '1 replica' };
  if (cores < 2) return { count: 1, reason: '1 replica (one core)' };
  if (why) return { count: 1, reason: `1 replica: ${why}` };
  if (!script) return { count: 1, reason: '1 replica (running from sources: the replica worker is not built)' };
  const count = Math.min(cores, MAX_AUTO_REPLICAS, ir.spec.data.batch_size);
  return { count, reason: `${count} data-parallel replicas (one per core)` };
}

/** `DLC_REPLICAS=n`, if set to a positive integer. */
export function envReplicas(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const v = env['DLC_REPLICAS'];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!(Number.isInteger(n) && n >= 1)) throw new RunError(`DLC_REPLICAS must be a positive integer, got '${v}'`);
  if (n > MAX_REPLICAS) throw new RunError(`DLC_REPLICAS=${n} is too many: at most ${MAX_REPLICAS} replicas`);
  return n;
}

/** Rows per replica for a batch of `rows`: as even as possible, the first ones one larger. */
export function splitRows(rows: number, replicas: number): number[] {
  const base = Math.floor(rows / replicas);
  return Array.from({ length: replicas }, (_, k) => base + (k < rows % replicas ? 1 : 0));
}

type Grads = Extract<ReplicaReply, { type: 'grads' }>;

/** One worker replica and its single outstanding request. */
class ReplicaWorker {
  private readonly worker: Worker;
  private waiting: { resolve: (r: ReplicaReply) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  private stderr = '';
  /** Weights version this replica has. */
  version = -1;

  constructor(script: URL, init: ReplicaInit, readonly index: number) {
    this.worker = new Worker(script, { workerData: init, stdout: true, stderr: true });
    this.worker.stdout.resume();
    this.worker.stderr.setEncoding('utf8').on('data', (d: string) => (this.stderr = (this.stderr + d).slice(-2000)));
    this.worker.on('message', (msg: ReplicaReply) => {
      const w = this.waiting;
      this.waiting = undefined;
      if (msg.type === 'error') w?.reject(this.error(msg.message));
      else w?.resolve(msg);
    });
    this.worker.on('error', (e) => this.fail(this.error(e.message)));
    this.worker.on('exit', (code) => this.fail(this.error(`exited with code ${code}`)));
  }

  private error(message: string): Error {
    const tail = this.stderr.trim().split('\n').slice(-3).join(' | ');
    return new Error(`data-parallel replica ${this.index} failed: ${message}${tail ? ` (stderr: ${tail})` : ''}`);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    const w = this.waiting;
    this.waiting = undefined;
    w?.reject(e);
  }

  /** The next reply (ready, or a step's gradients). */
  next(): Promise<ReplicaReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  send(req: StepRequest, transfer: ArrayBuffer[]): Promise<Grads> {
    const reply = this.next();
    this.worker.postMessage(req, transfer);
    return reply as Promise<Grads>;
  }

  async close(): Promise<void> {
    this.failure ??= new Error('closed');
    await this.worker.terminate();
  }
}

/** The worker replicas of a run; the caller's thread is replica 0. */
export class ReplicaGroup {
  /** Bumped whenever the main thread's weights change. */
  private version = 0;

  /** True while step() computes: main's batch norm may exchange only then. */
  private stepping = false;
  /** Main's side of the batch-norm exchange, as its layers see it (throws outside a step). */
  private readonly bnExchange: BatchNormExchange | undefined;

  private constructor(
    private readonly workers: ReplicaWorker[],
    readonly count: number,
    private readonly exchange: SharedExchange | undefined,
  ) {
    this.bnExchange = exchange && {
      gather: (local) => {
        if (!this.stepping) throw new Error('batch norm in training mode outside a data-parallel step: its statistics would wait for the other replicas');
        return exchange.gather(local);
      },
    };
  }

  /** Starts `count - 1` workers with the model of `ir` and waits until each is ready. */
  static async start(ir: IR, count: number, backend: 'wasm' | 'cpu', script: URL): Promise<ReplicaGroup> {
    // Batch norm: per-channel [n, mean, M2] forward and [Σg, Σg·x̂] backward, C channels on the last axis.
    const bnChannels = ir.nodes.filter((n) => n.op === 'batch_norm').map((n) => n.shape[n.shape.length - 1] ?? 1);
    const sync = bnChannels.length > 0 ? createExchange(count, 1 + 2 * Math.max(...bnChannels)) : undefined;
    const workers = Array.from({ length: count - 1 }, (_, k) => new ReplicaWorker(script, { ir, backend, index: k + 1, sync }, k + 1));
    try {
      await Promise.all(workers.map((w) => w.next()));
    } catch (e) {
      await Promise.all(workers.map((w) => w.close()));
      throw e;
    }
    return new ReplicaGroup(workers, count, sync && new SharedExchange(sync, 0));
  }

  /** Marks the weights as changed outside of step() (e.g. restored from a checkpoint). */
  weightsChanged(): void {
    this.version++;
  }

  /**
   * One data-parallel step on `batch` (see the module comment); the
   * optimizer update is skipped when the loss is not finite, as in trainStep.
   */
  async step(model: tf.LayersModel, vars: readonly tf.Variable[], drops: readonly tf.layers.Layer[], lossFn: LossFn, optimizer: TrainableOptimizer, batch: Batch, globalStep: number): Promise<StepResult> {
    const rows = batch.size;
    const sizes = splitRows(rows, this.count);
    const busy = this.workers.filter((_, k) => sizes[k + 1]! > 0);
    if (this.exchange) {
      attachBatchNormSync(model, this.bnExchange!);
      this.exchange.setParticipants(1 + busy.length);
    }
    const weights = busy.some((w) => w.version !== this.version) ? flattenTensors(model.weights.map((w) => w.read())) : undefined;
    const xsAll = busy.length > 0 ? (batch.xs.dataSync() as Float32Array) : undefined;
    const ysAll = busy.length > 0 ? (batch.ys.dataSync() as Float32Array) : undefined;
    const rowX = batch.xs.size / rows;
    const rowY = batch.ys.size / rows;
    const pending: Promise<Grads>[] = [];
    let start = sizes[0]!;
    for (const [k, w] of this.workers.entries()) {
      const n = sizes[k + 1]!;
      if (n === 0) continue;
      const sendWeights = w.version !== this.version ? weights!.slice() : undefined;
      const req: StepRequest = {
        type: 'step',
        weights: sendWeights,
        xs: xsAll!.slice(start * rowX, (start + n) * rowX),
        xsShape: [n, ...batch.xs.shape.slice(1)],
        ys: ysAll!.slice(start * rowY, (start + n) * rowY),
        labels: batch.labels.slice(start, start + n),
        scale: n / rows,
        step: globalStep,
        rows: { batch: rows, start },
      };
      const transfer = [req.xs.buffer, req.ys.buffer, req.labels.buffer] as ArrayBuffer[];
      if (sendWeights) transfer.push(sendWeights.buffer as ArrayBuffer);
      pending.push(w.send(req, transfer));
      w.version = this.version;
      start += n;
    }

    const n0 = sizes[0]!;
    let own: ReturnType<typeof computeGradients> | undefined;
    let replies: Grads[];
    try {
      setDropoutRows(drops, { batch: rows, start: 0 });
      const [xs0, ys0] = n0 === rows ? [batch.xs, batch.ys] : [tf.slice(batch.xs, 0, n0), tf.slice(batch.ys, 0, n0)];
      this.stepping = true;
      try {
        own = computeGradients(model, vars, lossFn, xs0, ys0, batch.labels.subarray(0, n0), n0 / rows);
      } catch (e) {
        // Workers waiting in a batch-norm exchange for this replica stop instead.
        this.exchange?.abort();
        throw e;
      } finally {
        this.stepping = false;
        if (xs0 !== batch.xs) tf.dispose([xs0, ys0]);
      }
    } finally {
      // Wait for every replica even if this one failed, so no reply is left for the next step.
      const settled = await Promise.allSettled(pending);
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) {
        if (own) tf.dispose(own.grads);
        throw failed.reason;
      }
      replies = settled.map((s) => (s as PromiseFulfilledResult<Grads>).value);
    }
    const mine = own!;
    const loss = replies.reduce((t, r) => t + r.loss, mine.loss);
    const correct = replies.reduce((t, r) => t + r.correct, mine.correct);
    try {
      if (Number.isFinite(loss)) {
        tf.tidy(() => {
          let off = 0;
          const grads = vars.map((v, i) => {
            let g = mine.grads[i]!;
            for (const r of replies) g = tf.add(g, tf.tensor(r.grads.subarray(off, off + v.size), v.shape, 'float32'));
            off += v.size;
            return g;
          });
          optimizer.applyGradients(vars, grads);
        });
        this.version++;
      }
      return { loss, correct };
    } finally {
      tf.dispose(mine.grads);
    }
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
