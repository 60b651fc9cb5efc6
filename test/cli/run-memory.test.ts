/**
 * Issue 14 item 6: `dlc run` refuses a model over the memory budget before
 * allocating anything (the compile's DLC119 stops it: no run directory, no
 * data, no TensorFlow.js).
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const SPEC = `name: wide
data: {dataset: mnist, batch_size: 64}
model:
  layers:
    - flatten
    - dense: {units: 100000}
    - dense: {units: 10}
`;

describe('dlc run over the memory budget', () => {
  const prev = process.env.DLC_MEMORY_BUDGET;
  afterEach(() => {
    if (prev === undefined) delete process.env.DLC_MEMORY_BUDGET;
    else process.env.DLC_MEMORY_BUDGET = prev;
  });

  it('exits 1 with DLC119 at the offending layer and creates no run directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlc-run-mem-'));
    writeFileSync(join(dir, 'wide.yaml'), SPEC);
    process.env.DLC_MEMORY_BUDGET = '256M';
    let err = '';
    const io = { stdout: { write: () => true, isTTY: false }, stderr: { write: (s: string) => (err += s), isTTY: false }, cwd: dir, env: { DLC_CACHE: join(dir, 'cache') } };
    const code = await main(['run', 'wide.yaml', '--backend', 'cpu', '--runs-dir', 'out'], io);
    expect(code).toBe(1);
    expect(err).toMatch(/DLC119/);
    expect(err).toMatch(/wide\.yaml:6:/); // the 100,000-unit dense layer
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(existsSync(join(dir, 'cache'))).toBe(false);
  });
});
