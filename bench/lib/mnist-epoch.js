/**
 * Child process of the bench: one epoch of specs/mnist-convnet.yaml through
 * `train()` (the `dlc run` path: load MNIST, validation split, the epoch,
 * validation, checkpoint, test evaluation), then prints one JSON line with
 * the process's peak RSS.
 *
 *   node bench/lib/mnist-epoch.js BACKEND [TRAIN_LIMIT] [TEST_LIMIT]
 *
 * A limit of 0 means the whole split. The full 60,000 + 10,000 images are
 * loaded either way (limits apply after loading).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { compileFile } from '../../dist/compiler/compile.js';
import { train } from '../../dist/runtime/train/train.js';

const [backend = 'wasm', trainLimit = '0', testLimit = '0'] = process.argv.slice(2);
const set = ['train.epochs=1'];
if (+trainLimit > 0) set.push(`data.train_limit=${trainLimit}`);
if (+testLimit > 0) set.push(`data.test_limit=${testLimit}`);
const { ir, diagnostics } = compileFile('specs/mnist-convnet.yaml', { overrides: set });
if (!ir) throw new Error(diagnostics.map((d) => d.message).join('; '));
const runsDir = mkdtempSync(path.join(os.tmpdir(), 'dlc-bench-rss-'));
const sink = { write: () => true, isTTY: false };
const t0 = performance.now();
try {
  const r = await train(ir, { backend, runsDir, stdout: sink, stderr: sink, progress: 'none' });
  const rec = r.history[0];
  process.stdout.write(
    JSON.stringify({
      max_rss_mb: process.resourceUsage().maxRSS / 1024, // resourceUsage reports kilobytes
      seconds_total: (performance.now() - t0) / 1000,
      epoch_seconds: rec.seconds,
      samples_per_s: rec.samples_per_second,
      backend: r.backend.name,
      train_limit: +trainLimit || null,
      test_limit: +testLimit || null,
    }) + '\n',
  );
} finally {
  rmSync(runsDir, { recursive: true, force: true });
}
