/**
 * A worker thread that builds upcoming batches (gather, scale, targets,
 * transforms: gather.ts, transforms/host.ts) while the main thread trains — tfjs ops
 * run synchronously on the cpu and wasm backends, so this is the only way
 * data work truly overlaps training, on the otherwise idle second core.
 *
 * The worker runs the very same functions as the in-thread path (their
 * source text is shipped: host.ts and the PRNG are written to be
 * self-contained), so batches are identical either way (tested). The set's
 * inputs are shared with the worker through a SharedArrayBuffer, not copied
 * per batch. The worker is unref'd while idle so it never keeps a finished
 * process alive.
 */
import { Worker } from 'node:worker_threads';
import type { ExampleSet } from '../contracts.js';
import { HOST_FUNCTIONS } from '../transforms/host.js';
import { gatherBatch, type GatheredBatch, type GatherJob, type GatherSource } from './gather.js';
import { mixSeed, mulberry32, rngFor, STREAM } from './random.js';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
${mixSeed.toString()}
${mulberry32.toString()}
${rngFor.toString()}
${HOST_FUNCTIONS.map((f) => f.toString()).join('\n')}
${gatherBatch.toString()}
const lib = { rngFor, augmentStream: ${STREAM.augment}, hostTransforms };
const ARRAYS = { uint8: Uint8Array, float32: Float32Array, int32: Int32Array };
let src;
parentPort.on('message', (m) => {
  if (m.init) {
    const a = m.inputs;
    src = Object.assign({}, m.source, { inputs: new ARRAYS[m.source.dtype](a.buffer, a.byteOffset, a.length) });
    return;
  }
  try {
    const out = gatherBatch(src, m.job, lib);
    parentPort.postMessage({ id: m.id, out }, [out.xs.buffer, out.labels.buffer, out.ys.buffer]);
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String((e && e.stack) || e) });
  }
});
`;

/** The arrays of `set` a batch reads, in gather.ts's terms. */
export function gatherSource(set: ExampleSet): GatherSource {
  return {
    inputs: set.x.values,
    dtype: set.x.dtype,
    divisor: set.x.dtype === 'uint8' ? set.x.divisor : 1,
    shape: set.shape,
    targetKind: set.target.kind,
    labels: set.labels,
    targets: set.targets,
  };
}

/** Inputs in shared memory: the set's own when already shared (loaders and subset() allocate so), else one copy. */
function sharedInputs(values: Uint8Array | Float32Array | Int32Array): { buffer: SharedArrayBuffer; byteOffset: number; length: number } {
  const buf = values.buffer;
  if (buf instanceof SharedArrayBuffer) return { buffer: buf, byteOffset: values.byteOffset, length: values.length };
  const sab = new SharedArrayBuffer(values.byteLength);
  new Uint8Array(sab).set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  return { buffer: sab, byteOffset: 0, length: values.length };
}

/** One worker bound to one ExampleSet. */
export class BatchWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (b: GatheredBatch) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private broken: Error | undefined;

  constructor(set: ExampleSet) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    this.worker.unref();
    this.worker.on('message', (m: { id: number; out?: GatheredBatch; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref();
      if (m.error !== undefined) p.reject(new Error(`batch worker: ${m.error}`));
      else p.resolve(m.out!);
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`batch worker exited with code ${code}`)));
    const { inputs, ...source } = gatherSource(set);
    this.worker.postMessage({ init: true, source, inputs: sharedInputs(inputs) });
  }

  /** Builds one batch in the worker. */
  request(job: GatherJob): Promise<GatheredBatch> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextId++;
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, job });
    });
  }

  /** True once the thread failed or was closed (a new one is made on next use). */
  get isBroken(): boolean {
    return this.broken !== undefined;
  }

  private fail(e: Error): void {
    this.broken ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  /** Stops the thread; pending requests fail. */
  async close(): Promise<void> {
    this.fail(new Error('batch worker closed'));
    await this.worker.terminate();
  }
}

const workers = new WeakMap<ExampleSet, BatchWorker>();
/** Live workers, oldest first; capped so sets made on the fly (e.g. per evaluation) cannot pile up threads. */
const live: BatchWorker[] = [];
const MAX_LIVE = 4;

/** The worker for `set`, created on first use and reused by later epochs. */
export function batchWorkerFor(set: ExampleSet): BatchWorker {
  let w = workers.get(set);
  if (!w || w.isBroken) {
    w = new BatchWorker(set);
    workers.set(set, w);
    live.push(w);
    while (live.length > MAX_LIVE) void live.shift()!.close();
  }
  return w;
}

/** Terminates every batch worker (end of a run; tests). Idle workers never hold the process open anyway. */
export async function closeBatchWorkers(): Promise<void> {
  const list = live.splice(0);
  await Promise.all(list.map((w) => w.close()));
}
