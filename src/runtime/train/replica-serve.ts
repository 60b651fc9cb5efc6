/**
 * The body of a data-parallel replica (a worker_threads Worker started by
 * ./replicas.ts): the same model, built by the caller's `build` from the
 * same IR, computing the gradients of its rows of each batch. It never
 * updates weights itself: the train loop sends the current weights with
 * each step, so every replica always computes with exactly the main
 * thread's weights.
 *
 * The model builder is a parameter so that both kinds of worker script
 * share this code: dlc's own (./replica-worker.ts, the runtime's model
 * builder) and an emitted project's (src/replica.ts, its generated model.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { parentPort, workerData } from 'node:worker_threads';
import type { IR } from '../../compiler/ir.js';
import { initBackend } from '../backend/select.js';
import { makeLoss } from '../losses/index.js';
import { dropoutLayers, setDropoutRows, setDropoutStep } from '../model/dropout.js';
import { attachBatchNormSync } from '../model/sync-batch-norm.js';
import { flattenTensors, type ReplicaInit, type ReplicaReply, type ReplicaRequest, type StepRequest } from './replica-protocol.js';
import { SharedExchange } from './replicas-sync.js';
import { computeGradients, trainableVariables } from './step.js';

/** Runs this worker thread as a replica whose model `build` makes (with the seeded initial weights). */
export function serveReplica(build: (ir: IR) => tf.LayersModel): void {
  const port = parentPort;
  if (!port) throw new Error('a replica runs as a worker thread');
  const reply = (msg: ReplicaReply, transfer: ArrayBuffer[] = []): void => port.postMessage(msg, transfer);

  const main = async (): Promise<void> => {
    const init = workerData as ReplicaInit;
    const backend = await initBackend(init.backend, { threads: 1 });
    const ir = init.ir;
    const model = build(ir);
    const vars = trainableVariables(model);
    const weights = model.weights;
    const lossFn = makeLoss(ir.spec.loss);
    const drops = dropoutLayers(model);
    // Batch norm normalises with the whole batch's statistics, gathered from every replica mid-step.
    const exchange = init.sync ? new SharedExchange(init.sync, init.index ?? 0) : undefined;
    if (exchange) attachBatchNormSync(model, exchange);

    const step = (req: StepRequest): void => {
      if (req.weights) {
        tf.tidy(() => {
          let off = 0;
          for (const w of weights) {
            const n = tf.util.sizeFromShape(w.shape as number[]);
            w.write(tf.tensor(req.weights!.subarray(off, off + n), w.shape as number[], 'float32'));
            off += n;
          }
        });
      }
      setDropoutStep(drops, ir.spec.seed, req.step);
      setDropoutRows(drops, req.rows);
      const rows = req.xsShape[0]!;
      const xs = tf.tensor(req.xs, req.xsShape, 'float32');
      const ys = tf.tensor2d(req.ys, [rows, ir.numClasses], 'float32');
      try {
        const g = computeGradients(model, vars, lossFn, xs, ys, req.labels, req.scale);
        const flat = flattenTensors(g.grads);
        tf.dispose(g.grads);
        reply({ type: 'grads', grads: flat, loss: g.loss, correct: g.correct }, [flat.buffer]);
      } finally {
        tf.dispose([xs, ys]);
      }
    };

    port.on('message', (req: ReplicaRequest) => {
      if (req.type === 'close') {
        model.dispose();
        port.close();
        return;
      }
      try {
        step(req);
      } catch (e) {
        // The other replicas may be waiting for this one's statistics: let them stop too.
        exchange?.abort();
        reply({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      }
    });
    reply({ type: 'ready', reason: backend.reason });
  };

  main().catch((e: unknown) => reply({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
}
