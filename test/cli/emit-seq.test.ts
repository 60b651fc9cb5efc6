/**
 * The sequence kinds end to end through the CLI, on synthetic 8×8×1 images
 * read as 8 steps of 8 features: `dlc inspect` shows their rows (shapes and
 * tfjs parameter counts), `dlc emit` writes them for the TypeScript target,
 * and `dlc emit --target pytorch` prints them too
 * yet with an error naming it (exit 2, nothing written).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { command as emitCommand } from '../../src/cli/emit.js';
import { command as inspectCommand } from '../../src/cli/inspect.js';
import type { CliIO, Command } from '../../src/cli/io.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlc-cli-seq-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(cmd: Command, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: tmp, env: {} };
  const status = await cmd.run(args, io);
  return { status, stdout, stderr };
}

function spec(layers: string): string {
  const file = join(tmp, `s${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    `name: seq
seed: 3
data:
  dataset: synthetic
  synthetic: {train_samples: 40, test_samples: 10, shape: [8, 8, 1], classes: 3}
  batch_size: 10
model:
  layers:
    - reshape: {target_shape: [8, 8]}
${layers}
    - dense: {units: 3}
loss: cross_entropy
optimizer: {adam: {learning_rate: 0.01}}
train: {epochs: 1}
`,
  );
  return file;
}

describe('sequence kinds through the CLI', () => {
  it('dlc inspect shows their shapes and parameter counts', async () => {
    const file = spec(`    - conv1d: {filters: 6, kernel_size: 3, padding: same}
    - max_pool1d: 2
    - lstm: {units: 5, return_sequences: true}
    - bidirectional: {layer: gru, units: 4}`);
    const r = await run(inspectCommand, [file]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const row = (kind: string) => r.stdout.split('\n').find((l) => l.includes(kind)) ?? '';
    expect(row('conv1d')).toMatch(/\(None, 8, 6\)\s+150\b/); // 3·8·6 + 6
    expect(row('max_pool1d')).toMatch(/\(None, 4, 6\)\s+0\b/);
    expect(row('lstm')).toMatch(/\(None, 4, 5\)\s+240\b/); // 4·5·(6 + 5) + 4·5
    expect(row('bidirectional')).toMatch(/\(None, 8\)\s+240\b/); // 2·(3·4·(5 + 4) + 3·4)
  });

  it('dlc emit writes them for the TypeScript target and for --target pytorch (Keras gate order, one bias)', async () => {
    const file = spec('    - lstm: {units: 4}');
    const ok = await run(emitCommand, [file, '-o', join(tmp, 'ts')]);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(readFileSync(join(tmp, 'ts/src/model.ts'), 'utf8')).toMatch(/\.lstm\(\{/);
    const py = await run(emitCommand, [file, '-o', join(tmp, 'py'), '--target', 'pytorch']);
    expect(py.stderr).toBe('');
    expect(py.status).toBe(0);
    expect(readFileSync(join(tmp, 'py/model.py'), 'utf8')).toMatch(/KerasLSTM\(/);
  });
});
