/** Bundles the CLI commands the sweep's child processes run (rolldown, which vitest's vite ships), as the kill-resume test does. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/** Bundles src/cli/{run,sweep}.ts into `<dir>/cli/`; bare imports resolve through a node_modules link in `dir`. */
export async function bundleCli(dir: string): Promise<{ run: string; sweep: string }> {
  await fs.symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules')).catch(() => {});
  const { build } = (await import('rolldown')) as { build: (o: unknown) => Promise<unknown> };
  await build({
    input: { run: path.join(ROOT, 'src/cli/run.ts'), sweep: path.join(ROOT, 'src/cli/sweep.ts') },
    platform: 'node',
    external: (id: string) => !id.startsWith('.') && !path.isAbsolute(id) && !id.startsWith('\0'),
    output: { dir: path.join(dir, 'cli'), format: 'esm' },
    logLevel: 'silent',
  });
  return { run: path.join(dir, 'cli', 'run.js'), sweep: path.join(dir, 'cli', 'sweep.js') };
}

export const SWEEP_SPEC = `name: tiny-sweep
seed: 9
data:
  dataset: synthetic
  synthetic: {train_samples: 96, test_samples: 32, shape: [6, 6, 1], classes: 3}
  validation_split: 0.25
  batch_size: 16
model:
  layers:
    - conv2d: {filters: 3, kernel_size: 3, padding: same, activation: relu}
    - flatten
    - dense: {units: 3}
optimizer: {sgd: {learning_rate: 0.1}}
train: {epochs: 2}
metrics: [accuracy]
sweep:
  parameters:
    optimizer.sgd.learning_rate: [0.3, 0.03]
    data.batch_size: [16, 32]
  monitor: val_loss
`;
