/**
 * `dlc predict RUN --row COLUMN=VALUE` names a column the run does not have (a typo such as
 * `island` for `Island` was ignored and the real column silently filled with the training's
 * fill value), with "did you mean" from the run's columns, exit 2; a feature column left out
 * is filled as training filled missing cells and said so on stderr.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fakeIO } from '../report/helpers.js';

const SPEC = `name: rows
seed: 4
data:
  dataset: csv
  path: t.csv
  features: [Island, Mass]
  target: y
  missing: mode
  test_split: {ratio: 0.25}
  validation_split: 0
  batch_size: 8
model:
  layers:
    - dense: {units: 2}
train: {epochs: 1}
`;

let dir: string;
let runDir: string;

describe('dlc predict --row checks the columns against the run', () => {
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dlc-predict-row-'));
    const rows = ['Island,Mass,y', ...Array.from({ length: 24 }, (_, i) => `${['Biscoe', 'Dream'][i % 2]},${3000 + 100 * i},${i % 3 ? 'a' : 'b'}`)];
    await fs.writeFile(path.join(dir, 't.csv'), rows.join('\n') + '\n');
    await fs.writeFile(path.join(dir, 'rows.yaml'), SPEC);
    const io = fakeIO(dir);
    expect(await main(['run', 'rows.yaml', '--backend', 'cpu', '--runs-dir', 'out', '--no-report'], io), io.err()).toBe(0);
    const stamps = await fs.readdir(path.join(dir, 'out', 'rows'));
    runDir = path.join(dir, 'out', 'rows', stamps[0]!);
  }, 120_000);
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('refuses a column the run does not have, with did-you-mean', async () => {
    const io = fakeIO(dir);
    expect(await main(['predict', runDir, '--row', 'island=Dream', '--row', 'Mass=3500', '--backend', 'cpu'], io)).toBe(2);
    expect(io.err()).toBe("dlc predict: --row 'island': not a feature column of this run (did you mean 'Island'?); its columns: Island, Mass\n");
    expect(io.out()).toBe('');
  });

  it('says which left-out columns are filled; none when every column is given', async () => {
    const part = fakeIO(dir);
    expect(await main(['predict', runDir, '--row', 'Mass=3500', '--backend', 'cpu', '--json'], part), part.err()).toBe(0);
    expect(part.err()).toContain('dlc predict: no --row value for Island: filled as the training filled missing cells (data.missing)\n');
    const full = fakeIO(dir);
    expect(await main(['predict', runDir, '--row', 'Island=Dream', '--row', 'Mass=3500', '--backend', 'cpu', '--json'], full), full.err()).toBe(0);
    expect(full.err()).not.toContain('no --row value');
    const probs = (JSON.parse(full.out()) as { classes: { probability: number }[] }[])[0]!.classes.map((c) => c.probability);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });
});
