/**
 * `dlc sweep` end to end: 2 learning rates × 2 batch sizes from the spec's
 * sweep: section, trials in parallel child processes; a failing trial is
 * recorded and the sweep goes on; a sweep killed with SIGKILL and re-run
 * finishes only the remaining trials and ends with the same summary as the
 * uninterrupted one.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { compile } from '../../src/compiler/compile.js';
import type { SweepSummary } from '../../src/sweep/summary.js';
import { checkPage, closeBrowser } from '../report/browser.js';
import { fakeIO } from '../report/helpers.js';
import { bundleCli, SWEEP_SPEC } from './helpers.js';

let dir: string;
let cli: { run: string; sweep: string };
const ARGS = ['--backend', 'cpu', '--no-report'];

async function summary(out: string): Promise<SweepSummary> {
  return JSON.parse(await fs.readFile(path.join(out, 'summary.json'), 'utf8')) as SweepSummary;
}

/** What must not depend on interruptions: everything but paths and timings. */
function comparable(s: SweepSummary): unknown {
  return { ...s, rows: s.rows.map(({ run, seconds, ...rest }) => ({ ...rest, hasRun: run !== undefined && seconds !== undefined })) };
}

describe('dlc sweep', () => {
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dlc-sweep-'));
    await fs.writeFile(path.join(dir, 'tiny.yaml'), SWEEP_SPEC);
    cli = await bundleCli(dir);
  });
  afterAll(async () => {
    await closeBrowser();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('the sweep: section is valid spec (schema) and dlc run ignores it', () => {
    const r = compile(SWEEP_SPEC);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const bad = compile(SWEEP_SPEC.replace('monitor: val_loss', 'monitor: val_loss\n  methd: grid'));
    expect(bad.diagnostics.some((d) => d.severity === 'error' && d.message.includes('methd'))).toBe(true);
  });

  it('runs 2 × 2 trials in parallel, sorts the summary by the monitor, writes best.yaml and the report', async () => {
    const io = fakeIO(dir);
    const code = await main(['sweep', 'tiny.yaml', '--out', 'full', '--parallel', '2', '--entry', cli.run, ...ARGS], io);
    expect(code, io.err()).toBe(0);
    const out = path.join(dir, 'full');
    const s = await summary(out);
    expect(s.monitor).toBe('val_loss');
    expect(s.mode).toBe('min');
    expect(s.rows).toHaveLength(4);
    expect(s.rows.every((r) => r.status === 'done' && typeof r.metric === 'number' && typeof r.test_accuracy === 'number')).toBe(true);
    const metrics = s.rows.map((r) => r.metric!);
    expect(metrics).toEqual([...metrics].sort((a, b) => a - b));
    expect(new Set(s.rows.map((r) => JSON.stringify(r.params))).size).toBe(4);
    // Each metric is the trial run's best val_loss, read back from its own metrics.jsonl.
    for (const r of s.rows) {
      const lines = (await fs.readFile(path.join(out, r.run!, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { val_loss: number });
      expect(lines).toHaveLength(2);
      expect(r.metric).toBe(Math.min(...lines.map((l) => l.val_loss)));
      const spec = await fs.readFile(path.join(out, r.run!, 'spec.yaml'), 'utf8');
      expect(spec).toContain(`batch_size: ${r.params['data.batch_size']}`);
    }
    expect(s.best).toBe(s.rows[0].trial);
    const best = await fs.readFile(path.join(out, 'best.yaml'), 'utf8');
    expect(best).toContain(`learning_rate: ${s.rows[0].params['optimizer.sgd.learning_rate']}`);
    expect(compile(best).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // The printed table lists the trials in the same order.
    const order = io.out().split('\n').filter((l) => /^t\d{3}/.test(l)).map((l) => l.slice(0, 4));
    expect(order).toEqual(s.rows.map((r) => r.trial));
    const html = await fs.readFile(path.join(out, 'report.html'), 'utf8');
    for (const chart of ['metric-vs-optimizer.sgd.learning_rate', 'metric-vs-data.batch_size', 'parallel']) expect(html).toContain(`data-chart="${chart}"`);
    expect(html).not.toMatch(/<script/i);
  });

  it('the sweep report opens in Chromium with every chart drawn', async () => {
    const page = await checkPage(path.join(dir, 'full', 'report.html'), 'sweep-report');
    if (!page) return;
    expect(page.consoleErrors).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.charts.map((c) => c.name).sort()).toEqual(['metric-vs-data.batch_size', 'metric-vs-optimizer.sgd.learning_rate', 'parallel']);
    for (const c of page.charts) {
      expect(c.width, c.name).toBeGreaterThan(50);
      expect(c.marks, c.name).toBeGreaterThan(5);
    }
    // One point per trial in each scatter, one line per trial in the parallel coordinates.
    for (const c of page.charts.filter((c) => c.name.startsWith('metric-vs-'))) expect(c.data, c.name).toBeGreaterThanOrEqual(4);
    expect(page.charts.find((c) => c.name === 'parallel')!.data).toBeGreaterThanOrEqual(4);
    expect(page.text).toContain('best.yaml');
  });

  it('dlc compare shows the differing spec keys of two trials and overlays their curves', async () => {
    const s = await summary(path.join(dir, 'full'));
    const [a, b] = [s.rows[0], s.rows.find((r) => r.params['data.batch_size'] !== s.rows[0].params['data.batch_size'] && r.params['optimizer.sgd.learning_rate'] !== s.rows[0].params['optimizer.sgd.learning_rate'])!];
    const io = fakeIO(dir);
    const runs = [path.join(dir, 'full', a.run!), path.join(dir, 'full', b.run!)];
    expect(await main(['compare', ...runs, '-o', 'compare.html'], io), io.err()).toBe(0);
    const diff = io.out().split('Spec keys that differ:')[1].split('\n\n')[0];
    const keys = diff.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[0]);
    expect(keys.sort()).toEqual(['data.batch_size', 'optimizer.sgd.learning_rate']);
    expect(diff).toMatch(new RegExp(`data\\.batch_size\\s+${a.params['data.batch_size']}\\s+${b.params['data.batch_size']}`));
    const acc = io.out().split('\n').find((l) => l.startsWith('test accuracy'))!;
    expect(acc.split(/\s{2,}/).slice(1).map(Number)).toEqual([a.test_accuracy, b.test_accuracy].map((v) => Number(v!.toPrecision(4))));
    const page = await checkPage(path.join(dir, 'compare.html'), 'compare');
    if (!page) return;
    expect(page.consoleErrors).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.charts.map((c) => c.name)).toEqual(['loss', 'val_loss', 'accuracy', 'val_accuracy', 'lr']);
  });

  it('records a failing trial and goes on', async () => {
    // Two trials, both rejected by dlc run (batch_size below 1): the first failure does not stop the sweep.
    const io = fakeIO(dir);
    const code = await main(['sweep', 'tiny.yaml', '--grid', 'data.batch_size=0,-3', '--out', 'failing', '--parallel', '2', '--entry', cli.run, ...ARGS], io);
    expect(code).toBe(1);
    const s = await summary(path.join(dir, 'failing'));
    expect(s.rows.map((r) => [r.trial, r.params['data.batch_size'], r.status])).toEqual([['t000', 0, 'failed'], ['t001', -3, 'failed']]);
    for (const r of s.rows) expect(r.error).toMatch(/batch_size/);
    expect(s.best).toBeUndefined();
    expect(io.out()).toMatch(/t001 .*failed/);
  });

  it('after a SIGKILL, re-running finishes only the remaining trials, with the uninterrupted summary', async () => {
    const out = path.join(dir, 'killed');
    const args = [cli.sweep, 'sweep', 'tiny.yaml', '--out', 'killed', '--parallel', '2', '--entry', cli.run, ...ARGS];
    const script = `const m = await import(process.argv[1]);
process.exitCode = await m.command.run(process.argv.slice(3), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // Kill once two trials are done (the other two are then running or about to start).
    const finished = async (): Promise<string[]> => {
      const ids = await fs.readdir(path.join(out, 'trials')).catch(() => [] as string[]);
      const states = await Promise.all(ids.map(async (id) => JSON.parse(await fs.readFile(path.join(out, 'trials', id, 'trial.json'), 'utf8').catch(() => '{}')) as { id?: string; status?: string }));
      return states.filter((s) => s.status === 'done').map((s) => s.id!);
    };
    const deadline = Date.now() + 90_000;
    let done: string[] = [];
    while ((done = await finished()).length < 2) {
      if (child.exitCode !== null) throw new Error(`the sweep ended before the kill:\n${err}`);
      if (Date.now() > deadline) throw new Error(`no two trials finished in time:\n${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.on('exit', r)));
    expect(child.signalCode).toBe('SIGKILL');
    expect(done.length).toBeLessThan(4);
    await new Promise((r) => setTimeout(r, 500)); // the orphaned trials see their stdin close and exit
    const before = new Map(await Promise.all(done.map(async (id) => [id, await fs.readFile(path.join(out, 'trials', id, 'trial.json'), 'utf8')] as const)));

    const io = fakeIO(dir);
    expect(await main(args.slice(1), io), io.err()).toBe(0);
    expect(io.err()).toContain(`${4 - done.length} trial${4 - done.length > 1 ? 's' : ''} to run, ${done.length} already finished`);
    for (const [id, text] of before) expect(await fs.readFile(path.join(out, 'trials', id, 'trial.json'), 'utf8'), id).toBe(text);
    expect(comparable(await summary(out))).toEqual(comparable(await summary(path.join(dir, 'full'))));
  });
});
