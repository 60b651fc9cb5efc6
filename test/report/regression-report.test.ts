/**
 * The report of a regression run (a tiny CSV with real targets, written here):
 * predicted-vs-actual scatter and residual histogram from predictions.json,
 * MAE / RMSE / R² in the test table, no classification-only section; and a
 * report written mid-run (after epoch 1 of 2) renders in Chromium too.
 */
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { readRunData, type Predictions } from '../../src/report/run-data.js';
import { writeRunReport } from '../../src/report/run-report.js';
import { checkPage, closeBrowser } from './browser.js';
import { fakeIO } from './helpers.js';

const SPEC = `name: tiny-regression
description: y = 2a - b + c/2 + noise, from a CSV written by the test
seed: 3
data:
  dataset: csv
  path: tiny.csv
  features: [a, b, c]
  target: y
  target_type: real
  test_split: {ratio: 0.25}
  validation_split: 0
  batch_size: 16
model:
  layers:
    - dense: {units: 8, activation: relu}
    - dense: {units: 1}
loss: mse
optimizer: {adam: {learning_rate: 0.01}}
train: {epochs: 2}
metrics: []
`;

/** 160 rows of a seeded linear relation with noise. */
function tinyCsv(): string {
  let s = 12345;
  const rnd = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const rows = ['a,b,c,y'];
  for (let i = 0; i < 160; i++) {
    const [a, b, c] = [rnd(), rnd(), rnd()];
    rows.push([a, b, c, 2 * a - b + 0.5 * c + 0.1 * rnd()].map((v) => v.toFixed(4)).join(','));
  }
  return rows.join('\n') + '\n';
}

function charts(html: string): string[] {
  return [...html.matchAll(/<figure class="chart" data-chart="([^"]+)">/g)].map((m) => m[1]).sort();
}

let dir: string;
let runDir: string;
let midDir: string;

describe('regression run report', () => {
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dlc-report-reg-'));
    await fs.writeFile(path.join(dir, 'tiny.csv'), tinyCsv());
    await fs.writeFile(path.join(dir, 'tiny.yaml'), SPEC);
    const io = fakeIO(dir);
    // The training must finish (checkpoints/last); the run's own test evaluation of real targets is the metrics owner's part.
    await main(['run', 'tiny.yaml', '--backend', 'cpu', '--runs-dir', 'runs', '--replicas', '1'], io);
    const name = (await fs.readdir(path.join(dir, 'runs')))[0];
    runDir = path.join(dir, 'runs', name, (await fs.readdir(path.join(dir, 'runs', name)))[0]);
    if (!existsSync(path.join(runDir, 'checkpoints', 'last'))) throw new Error(`dlc run did not train:\n${io.err()}`);
    const rio = fakeIO(dir);
    expect(await main(['report', runDir], rio), rio.err()).toBe(0);
    // A report as dlc run writes it after epoch 1 of 2: the run directory as it was then (one metrics line, that epoch's steps, no test results yet).
    midDir = path.join(dir, 'mid');
    await fs.cp(runDir, midDir, { recursive: true });
    const first = (await fs.readFile(path.join(runDir, 'metrics.jsonl'), 'utf8')).split('\n')[0];
    await fs.writeFile(path.join(midDir, 'metrics.jsonl'), first + '\n');
    for (const f of ['report.json', 'predictions.json', 'report.html']) await fs.rm(path.join(midDir, f), { force: true });
    await writeRunReport(midDir);
  }, 60_000);
  afterAll(async () => {
    await closeBrowser();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('records every test prediction (bounded) with MAE, RMSE and R² over the whole test split', async () => {
    const p = JSON.parse(await fs.readFile(path.join(runDir, 'predictions.json'), 'utf8')) as Predictions;
    expect(p.width).toBe(1);
    expect(p.samples).toBe(40); // 25% of 160 rows
    expect(p.points).toHaveLength(Math.min(p.limit, 40));
    expect(p.limit).toBe(2000);
    // The stored pairs are all of them here, so the metrics follow from them.
    const err = p.points.map(([, a, q]) => q - a);
    const ys = p.points.map(([, a]) => a);
    const mean = ys.reduce((x, y) => x + y, 0) / ys.length;
    const mae = err.reduce((x, e) => x + Math.abs(e), 0) / err.length;
    const sse = err.reduce((x, e) => x + e * e, 0);
    expect(p.metrics.mae).toBeCloseTo(mae, 5);
    expect(p.metrics.rmse).toBeCloseTo(Math.sqrt(sse / err.length), 5);
    expect(p.metrics.r2).toBeCloseTo(1 - sse / ys.reduce((x, y) => x + (y - mean) ** 2, 0), 5);
    // Actual values are the CSV's test targets (standardised or not, they are not all equal) and predictions are finite.
    expect(new Set(ys).size).toBeGreaterThan(30);
    expect(p.points.every(([o, a, q]) => o === 0 && Number.isFinite(a) && Number.isFinite(q))).toBe(true);
  });

  it('shows the scatter, the residual histogram and the task metrics, and no classification section', async () => {
    const html = await fs.readFile(path.join(runDir, 'report.html'), 'utf8');
    const names = charts(html);
    expect(names).toEqual(expect.arrayContaining(['loss', 'predicted-actual', 'residuals', 'graph']));
    for (const c of ['confusion', 'per-class', 'accuracy']) expect(names).not.toContain(c);
    expect(html).not.toContain('Misclassified');
    expect(html).toMatch(/Best epoch by <b>(val_)?loss<\/b>/);
    const d = await readRunData(runDir);
    expect(d.ir?.target?.kind).toBe('real');
    for (const label of ['MAE', 'RMSE', 'R²']) expect(html).toMatch(new RegExp(`<td>${label}</td><td>-?[0-9.e-]+</td>`));
    expect(html).not.toMatch(/<script/i);
  });

  it('opens in headless Chromium: no console error, no request, every chart drawn with its points and bars', async () => {
    const page = await checkPage(path.join(runDir, 'report.html'), 'regression-report');
    if (!page) return;
    expect(page.consoleErrors).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.charts.map((c) => c.name)).toEqual(expect.arrayContaining(['predicted-actual', 'residuals']));
    for (const c of page.charts) {
      expect(c.width, c.name).toBeGreaterThan(50);
      expect(c.height, c.name).toBeGreaterThan(50);
      expect(c.data, `${c.name}: data marks`).toBeGreaterThan(0);
    }
    const d = await readRunData(runDir);
    expect(page.charts.find((c) => c.name === 'predicted-actual')!.data).toBeGreaterThanOrEqual(d.predictions!.points.length);
    expect(page.text).toContain('Predicted against actual');
    expect(page.text).not.toContain('Confusion matrix');
  });

  it('a report written after epoch 1 of 2 says so and renders in Chromium', async () => {
    const html = await fs.readFile(path.join(midDir, 'report.html'), 'utf8');
    expect(html).toContain('in progress: 1 epoch done');
    expect(html).toContain('The run has not finished: no test evaluation yet');
    // The curves (charts, per-epoch table, best-epoch note) use the loss, not the loop's class accuracy of a real output.
    const curves = html.slice(html.indexOf('<section id="curves">'), html.indexOf('<section id="test">'));
    expect(curves).toContain('Best epoch by <b>loss</b>: 1');
    expect(curves).not.toMatch(/accuracy/i);
    expect(charts(html)).toEqual(expect.arrayContaining(['loss', 'graph']));
    expect(charts(html)).not.toContain('predicted-actual');
    const page = await checkPage(path.join(midDir, 'report.html'), 'regression-report-mid-run');
    if (!page) return;
    expect(page.consoleErrors).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.charts.length).toBeGreaterThanOrEqual(3);
    for (const c of page.charts) {
      expect(c.width, c.name).toBeGreaterThan(50);
      expect(c.data, `${c.name}: data marks`).toBeGreaterThan(0);
    }
  });
});
