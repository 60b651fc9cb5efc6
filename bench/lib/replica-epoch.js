/**
 * Child process of the bench: one epoch of a spec through `train()` (the `dlc run` path) on
 * seeded synthetic images of the spec's input shape, with a given number of data-parallel
 * replicas, then one JSON line with the process's peak RSS. Replicas are worker threads of
 * this process, so maxRSS covers them all.
 *
 *   node bench/lib/replica-epoch.js SPEC REPLICAS TRAIN_SAMPLES [BACKEND]
 *
 * Synthetic data instead of the real CIFAR-10 files (which need network) keeps the data set's own
 * memory the same as CIFAR-10's for the same sample count: uint8 images of 32×32×3.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { compileFile } from '../../dist/compiler/compile.js';
import { train } from '../../dist/runtime/train/train.js';

const [specPath, replicas = '1', samples = '5000', backend = 'wasm'] = process.argv.slice(2);
const probe = compileFile(specPath);
if (!probe.ir) throw new Error(probe.diagnostics.map((d) => d.message).join('; '));
const shape = probe.ir.inputShape;
const classes = probe.ir.numClasses;
const set = [
  'data.dataset=synthetic',
  `data.synthetic={train_samples: ${+samples}, test_samples: 200, shape: [${shape.join(', ')}], classes: ${classes}}`,
  'data.validation_split=0',
  'train.epochs=1',
  'train.early_stopping=null',
];
const { ir, diagnostics } = compileFile(specPath, { overrides: set });
if (!ir) throw new Error(diagnostics.map((d) => `${d.code} ${d.message}`).join('; '));
const runsDir = mkdtempSync(path.join(os.tmpdir(), 'dlc-bench-rss-replicas-'));
const sink = { write: () => true, isTTY: false };
const t0 = performance.now();
try {
  const r = await train(ir, { backend, runsDir, stdout: sink, stderr: sink, progress: 'none', replicas: +replicas });
  const rec = r.history[0];
  process.stdout.write(
    JSON.stringify({
      spec: ir.spec.name,
      replicas: +replicas,
      train_samples: +samples,
      max_rss_mb: process.resourceUsage().maxRSS / 1024, // kilobytes
      epoch_seconds: rec.seconds,
      samples_per_s: rec.samples_per_second,
      seconds_total: (performance.now() - t0) / 1000,
      backend: r.backend.name,
      loadavg: os.loadavg().map((x) => +x.toFixed(2)),
    }) + '\n',
  );
} finally {
  rmSync(runsDir, { recursive: true, force: true });
}
