/**
 * The threaded wasm build in Node: initBackend starts XNNPACK's pthreadpool
 * with one thread per core, frees the idle preallocated workers, and the
 * ops XNNPACK spreads over threads give bit-identical results to tfjs's
 * single-threaded build (run in a child process: a process creates the
 * wasm module once). Gradients against cpu and bit-for-bit repetition on the
 * threaded build are the other test files' job (they run on it by default).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendInfo } from '../../../src/runtime/backend/select.js';
import { defaultWasmThreads } from '../../../src/runtime/backend/wasm-training/threads.js';
// @ts-expect-error plain JS fixture without types (a child node runs it too)
import { xnnpackOps } from './fixtures/xnnpack-ops.mjs';

interface PThreadState {
  unusedWorkers: unknown[];
  runningWorkers: unknown[];
}
const wasmModule = () => (tf.backend() as unknown as { wasm: { PThread?: PThreadState; tfjs: { getThreadsCount(): number } } }).wasm;

const threads = defaultWasmThreads();
let info: BackendInfo;

beforeAll(async () => {
  info = await initBackend('wasm');
});

describe('threaded wasm', () => {
  it.skipIf(threads < 2)('runs XNNPACK on one thread per core and says so', () => {
    expect(info.threads).toBe(threads);
    expect(info.reason).toMatch(new RegExp(`, ${threads} threads\\)$`));
    expect(wasmModule().tfjs.getThreadsCount()).toBe(threads);
    // The pool's helpers (the calling thread is the first); emscripten's 8 preallocated workers, the idle ones terminated.
    expect(wasmModule().PThread?.runningWorkers.length).toBe(threads - 1);
    expect(wasmModule().PThread?.unusedWorkers.length).toBe(0);
  });

  it('keeps its thread count when initialised again (the module is created once per process)', async () => {
    const again = await initBackend('wasm', { threads: 1 });
    expect(again.threads).toBe(info.threads);
  });

  it.skipIf(threads < 2)('computes convs and matmuls bit for bit as the single-threaded build', () => {
    const fixture = fileURLToPath(new URL('./fixtures/xnnpack-ops.mjs', import.meta.url));
    const single = JSON.parse(execFileSync(process.execPath, [fixture, 'single'], { encoding: 'utf8' })) as { threads: number; results: string[] };
    expect(single.threads).toBe(1);
    const threaded = xnnpackOps() as string[];
    expect(threaded.length).toBe(single.results.length);
    threaded.forEach((r, i) => expect(r === single.results[i], `op ${i} differs`).toBe(true));
  });
});
