/**
 * Runs tfjs's threaded-SIMD wasm build in Node, so XNNPACK spreads convs and
 * matmuls over a pthreadpool (both cores of a 2-core machine).
 *
 * tfjs 4.22 turns threads off in Node (`WASM_HAS_MULTITHREAD_SUPPORT` is
 * false there, tensorflow/tfjs#3830). Forcing the flag fails for three
 * reasons, each worked around here for the duration of backend creation:
 *
 * 1. The pthread worker script is handed to `new Worker` as a `blob:` URL,
 *    which Node's worker_threads rejects (ERR_WORKER_PATH). We write our own
 *    worker script to a file and answer `URL.createObjectURL` with its path.
 * 2. The worker then receives the main glue as a `Blob` and `importScripts`
 *    it with `fs.readFileSync`, which cannot read a blob URL. Our script
 *    reads the Blob (async), queues messages until then, and evaluates the
 *    glue with the bundle-level names it refers to (`commonjsGlobal`,
 *    `require$$0`…) defined globally.
 * 3. The C side caps the pool at `emscripten_num_logical_cores() / 2`
 *    (assumes hyper-threading), i.e. `os.cpus().length / 2` in Node: 1 on a
 *    2-core machine. `os.cpus` reports 2 × threads while the module starts.
 *
 * Emscripten preallocates 8 workers (each a Node isolate with the module:
 * ~0.6 s CPU and 20–60 MB at start, measured; answering "loaded" at once
 * and loading lazily saved nothing measurable); the idle ones are
 * terminated once the pool exists.
 *
 * Determinism: XNNPACK splits convs and matmuls by output tiles, never a
 * reduction, so results are bit-identical to the single-threaded build
 * (tested on a training step); dlc's own JS kernels run on the main thread.
 */
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

const require = createRequire(import.meta.url);
const WASM = '@tensorflow/tfjs-backend-wasm';

/** Globals of tfjs's node bundle that the threaded glue's source refers to (see its `var require$$N = require(...)` lines). */
const BUNDLE_REQUIRES: Record<string, string> = { require$$0: 'fs', require$$1: 'path', require$$3: 'perf_hooks', require$$4: 'os' };

/**
 * Emscripten's pthread worker script, as tfjs inlines it in its node bundle.
 * Checks first that the bundle is laid out as this file expects (a worker
 * that fails to start throws in the main thread, uncatchably), so another
 * tfjs version falls back to one thread instead.
 */
function emscriptenWorkerSource(): string {
  const file = require.resolve(WASM);
  const bundle = fs.readFileSync(file, 'utf8');
  const expected = [
    'var commonjsGlobal = ',
    ...Object.entries(BUNDLE_REQUIRES).map(([name, mod]) => `var ${name} = require('${mod}');`),
    'factoryConfig.mainScriptUrlOrBlob = new Blob(',
    'var pthreadMainJs = locateFile(',
  ];
  const missing = expected.filter((text) => !bundle.includes(text));
  if (missing.length > 0) throw new Error(`${file} is not laid out as dlc expects (tested with 4.22): no ${missing.map((t) => JSON.stringify(t)).join(', ')}`);
  const m = /var wasmWorkerContents = ("(?:[^"\\]|\\.)*");/.exec(bundle);
  if (!m) throw new Error(`${WASM}: its pthread worker script (wasmWorkerContents) was not found in ${file}`);
  // As tfjs does before making a Blob of it: keep "\n" inside string literals escaped.
  return (JSON.parse(m[1]) as string).replace(/\n/g, '\\n');
}

/** Our worker: reads the glue Blob, then hands every message to emscripten's worker code in order. */
function bootstrapSource(): string {
  const requires = Object.entries(BUNDLE_REQUIRES)
    .map(([name, mod]) => `${name}: require(${JSON.stringify(mod)})`)
    .join(', ');
  return `"use strict";
// Written by dlc (src/runtime/backend/wasm-training/threads.ts): runs tfjs-backend-wasm's pthread worker under Node.
const { parentPort } = require('worker_threads');
Object.assign(globalThis, { commonjsGlobal: globalThis, require, __filename, __dirname, ${requires} });
const MAIN = '<dlc-wasm-main-script>';
const queue = [];
let mainSource;
function early(data) {
  queue.push(data);
  if (data && data.cmd === 'load' && typeof data.urlOrBlob !== 'string') {
    const blob = data.urlOrBlob;
    data.urlOrBlob = MAIN;
    blob.text().then((text) => { mainSource = text; start(); }, (e) => { throw e; });
  }
}
parentPort.on('message', early);
function start() {
  parentPort.off('message', early);
  (0, eval)(${JSON.stringify(emscriptenWorkerSource())});
  const importFile = globalThis.importScripts;
  globalThis.importScripts = (f) => (f === MAIN ? (0, eval)(mainSource) : importFile(f));
  for (const data of queue) globalThis.onmessage({ data });
}
`;
}

/** Writes the worker script once per content (atomically: several processes may start at once). */
function workerScriptPath(): string {
  const source = bootstrapSource();
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), `dlc-wasm-pthread-${hash}.cjs`);
  if (!fs.existsSync(file)) {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, source);
    fs.renameSync(tmp, file);
  }
  return file;
}

/**
 * Sets up the threaded build with `threads` threads; call just before the
 * wasm backend is first created (`tf.setBackend('wasm')`), and call the
 * returned function right after, whatever happened.
 */
export function prepareWasmThreads(wasm: typeof import('@tensorflow/tfjs-backend-wasm'), threads: number): () => void {
  const workerFile = workerScriptPath();
  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  // Only the worker script's Blob is 'application/javascript'; the glue's is 'text/javascript' and goes to the worker as is.
  URL.createObjectURL = (obj: Blob) => (obj instanceof Blob && obj.type === 'application/javascript' ? workerFile : createObjectURL(obj));
  os.cpus = () => {
    const real = cpus();
    return Array.from({ length: 2 * threads }, (_, i) => real[i % real.length]);
  };
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  return () => {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  };
}

interface EmscriptenWorker {
  unref(): void;
  terminate(): unknown;
}
interface PThreadState {
  unusedWorkers: EmscriptenWorker[];
  runningWorkers: EmscriptenWorker[];
}

/**
 * After the backend exists: frees the idle preallocated workers, makes sure
 * the pool's workers do not keep the process alive (emscripten unrefs them
 * once loaded; again here in case a version does not), and returns the
 * pool's size.
 */
export function settleWasmThreads(backend: tf.KernelBackend): number {
  const module = (backend as unknown as { wasm?: { PThread?: PThreadState; tfjs: { getThreadsCount(): number } } }).wasm;
  const pthread = module?.PThread;
  if (pthread) {
    for (const w of pthread.unusedWorkers.splice(0)) void w.terminate();
    for (const w of pthread.runningWorkers) w.unref();
  }
  return module?.tfjs.getThreadsCount() ?? 1;
}

/** Threads that help here: one per core (the pool's threads only compute; they never wait on I/O). */
export function defaultWasmThreads(): number {
  return Math.max(1, Math.min(8, os.availableParallelism?.() ?? os.cpus().length));
}
