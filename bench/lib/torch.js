/**
 * The PyTorch side of the throughput comparison: a long-lived
 * `bench/torch/throughput.py --serve` process per model, so repetitions can
 * be interleaved with dlc's without paying torch's start-up each time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const SCRIPT = path.join(here, '..', 'torch', 'throughput.py');
export const PYTHON = process.env.DLC_BENCH_PYTHON ?? '/usr/bin/python3';

/** {ok: true, version} when `python3 -c 'import torch'` works, else {ok: false, reason}. */
export function probeTorch() {
  const r = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) return { ok: false, reason: `${PYTHON} could not run (${r.error.message})` };
  if (r.status !== 0) return { ok: false, reason: `\`${PYTHON} -c 'import torch'\` failed: ${(r.stderr || '').trim().split('\n').pop()}` };
  return { ok: true, version: r.stdout.trim() };
}

/**
 * Starts a torch worker for `ir` and resolves once it has warmed up. mallocTuning false keeps glibc's
 * default allocator settings (a plain PyTorch script's; see bench/README.md §6).
 */
export async function startTorch(ir, { batch, threads, warmup = 3, tmpDir, mallocTuning = true }) {
  const irPath = path.join(tmpDir, `${ir.spec.name}.ir.json`);
  writeFileSync(irPath, JSON.stringify(ir));
  const child = spawn(PYTHON, [SCRIPT, irPath, '--batch', String(batch), '--threads', String(threads), '--warmup', String(warmup), '--serve', ...(mallocTuning ? [] : ['--no-malloc-tuning'])], {
    stdio: ['pipe', 'pipe', 'pipe'],
    cwd: path.dirname(SCRIPT),
  });
  let buf = '';
  let stderr = '';
  const waiting = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      waiting.shift()?.resolve(JSON.parse(line));
    }
  });
  child.stderr.on('data', (d) => (stderr += d));
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`torch worker exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
  });
  const next = () => new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  const ready = await next();
  return {
    info: ready,
    /** Runs `steps` training steps; resolves to {samples_per_s, median_step_ms}. */
    run(steps) {
      const p = next();
      child.stdin.write(`${steps}\n`);
      return p;
    },
    close() {
      child.stdin.end('quit\n');
    },
  };
}
