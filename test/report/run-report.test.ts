/**
 * `dlc run` writes report.html after every epoch and at the end; `dlc report`
 * rebuilds it. The page is self-contained (no script, no external URL), has
 * every chart as non-empty SVG, and shows hostile text as text.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { bestEpoch, monitorOf } from '../../src/report/run-report.js';
import { readRunData } from '../../src/report/run-data.js';
import { checkPage, closeBrowser } from './browser.js';
import { fakeIO, tinyRun } from './helpers.js';

let dir: string;
let runDir: string;
let reportsSeen: string[] = [];

function charts(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of html.matchAll(/<figure class="chart" data-chart="([^"]+)">(.*?)<\/figure>/gs)) out.set(m[1], m[2]);
  return out;
}

/** The attribute names of every tag, reading attribute values as double-quoted strings (as the page writes them). */
function attributeNames(html: string): string[] {
  const names: string[] = [];
  for (const tag of html.matchAll(/<([a-zA-Z][\w:-]*)((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    for (const a of tag[2].matchAll(/\s([\w:-]+)(?:="[^"]*")?/g)) names.push(a[1]);
  }
  return names;
}

describe('run report', () => {
  beforeAll(async () => {
    ({ dir, runDir } = await tinyRun());
    reportsSeen = (await fs.readdir(runDir)).filter((f) => f.startsWith('report'));
  });
  afterAll(async () => {
    await closeBrowser();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('dlc run leaves report.html with every chart, the misclassified grid and the graph', async () => {
    expect(reportsSeen).toContain('report.html');
    const html = await fs.readFile(path.join(runDir, 'report.html'), 'utf8');
    const c = charts(html);
    expect([...c.keys()].sort()).toEqual(['accuracy', 'confusion', 'graph', 'loss', 'lr', 'per-class', 'step-loss'].sort());
    for (const [name, svg] of c) {
      expect(svg, name).toMatch(/<svg[^>]*>/);
      expect(svg.length, name).toBeGreaterThan(500);
    }
    // The graph shows every node with its output shape, and the residual edge into the add node.
    for (const id of ['c1', 'c2', 'add_1', 'dense_1']) expect(c.get('graph')).toContain(`data-id="${id}"`);
    expect(c.get('graph')).toContain('[8×8×4]');
    expect(c.get('graph')!.match(/class="edge skip"/g)).toHaveLength(1);
    // Misclassified images are inline PNGs with their true/predicted labels.
    const mis = JSON.parse(await fs.readFile(path.join(runDir, 'misclassified.json'), 'utf8')) as { items: { trueClass: number; predicted: number }[]; scanned: number };
    const report = JSON.parse(await fs.readFile(path.join(runDir, 'report.json'), 'utf8')) as { confusion: number[][]; samples: number };
    const wrong = report.confusion.flatMap((r, t) => r.filter((_, p) => p !== t)).reduce((a, b) => a + b, 0);
    expect(mis.items.length).toBe(Math.min(32, wrong));
    for (const it of mis.items) expect(it.predicted).not.toBe(it.trueClass);
    expect((html.match(/<img [^>]*src="data:image\/png;base64,/g) ?? []).length).toBe(mis.items.length);
    // Self-contained: no script, no external URL.
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html).toContain('Test results');
  });

  it('keeps every optimizer step (TrainOptions.onStep) in steps.jsonl, numbered and tagged with its epoch', async () => {
    const d = await readRunData(runDir);
    const lastStep = d.epochs[d.epochs.length - 1].step;
    expect(d.steps.map((s) => s.step)).toEqual(Array.from({ length: lastStep }, (_, i) => i + 1));
    for (const e of d.epochs) {
      const first = e.epoch === 1 ? 0 : d.epochs[e.epoch - 2].step;
      expect(d.steps.filter((s) => s.epoch === e.epoch).map((s) => s.step)).toEqual(Array.from({ length: e.step - first }, (_, i) => first + i + 1));
      expect(d.steps.filter((s) => s.epoch === e.epoch).every((s) => s.lr === e.lr && Number.isFinite(s.loss))).toBe(true);
    }
  });

  it('marks the best epoch by the checkpoint monitor', async () => {
    const d = await readRunData(runDir);
    expect(d.epochs).toHaveLength(2);
    const mon = monitorOf(d);
    const specMonitor = (d.ir!.spec as { train: { checkpoint: { monitor: string } } }).train.checkpoint.monitor;
    expect(mon).toEqual({ key: specMonitor, lower: specMonitor.endsWith('loss') });
    const best = bestEpoch(d.epochs, mon)!;
    const values = d.epochs.map((e) => e[mon.key]);
    expect(best[mon.key]).toBe(mon.lower ? Math.min(...values) : Math.max(...values));
    expect(best.epoch).toBe(d.epochs[values.indexOf(best[mon.key])].epoch);
    const html = await fs.readFile(path.join(runDir, 'report.html'), 'utf8');
    expect(html).toContain(`Best epoch by <b>${mon.key}</b>: ${best.epoch}`);
    // The chart marks it with a rule and a label.
    expect(html).toContain(`best (${mon.key}`);
  });

  it('renders hostile class names and spec strings as text', async () => {
    const hostile = ['<script>window.__pwned=1</script>', '"onload="alert(1)', "<img src=x onerror=alert(1)>"];
    const info = JSON.parse(await fs.readFile(path.join(runDir, 'run.json'), 'utf8'));
    await fs.writeFile(path.join(runDir, 'run.json'), JSON.stringify({ ...info, classNames: hostile }));
    // A real run with these classes names them in report.json's per-class rows too.
    const report = JSON.parse(await fs.readFile(path.join(runDir, 'report.json'), 'utf8'));
    if (Array.isArray(report.per_class)) report.per_class = report.per_class.map((c: { class: string }, i: number) => ({ ...c, class: hostile[i] ?? c.class }));
    await fs.writeFile(path.join(runDir, 'report.json'), JSON.stringify(report));
    const out = path.join(dir, 'hostile.html');
    const io = fakeIO(dir);
    expect(await main(['report', runDir, '-o', out, '--images', '0'], io), io.err()).toBe(0);
    const html = await fs.readFile(out, 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img src=x/i);
    // No hostile string became markup: no tag carries an event handler.
    expect(attributeNames(html).filter((a) => /^on/i.test(a))).toEqual([]);
    expect(html).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;'); // the description, escaped
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;'); // a class name in the SVG and the tables
  });

  it('opens in headless Chromium: no console error, no request, every chart drawn, every image decoded', async () => {
    const page = await checkPage(path.join(runDir, 'report.html'), 'run-report');
    if (!page) return;
    expect(page.consoleErrors).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.charts.map((c) => c.name).sort()).toEqual(['accuracy', 'confusion', 'graph', 'loss', 'lr', 'per-class', 'step-loss']);
    for (const c of page.charts) {
      expect(c.width, c.name).toBeGreaterThan(50);
      expect(c.height, c.name).toBeGreaterThan(50);
      expect(c.marks, c.name).toBeGreaterThan(5);
      expect(c.data, `${c.name}: data marks`).toBeGreaterThan(0);
    }
    const d = await readRunData(runDir);
    expect(page.charts.find((c) => c.name === 'graph')!.data).toBe(d.ir!.nodes.length);
    const classes = d.report!.confusion!.length;
    expect(page.charts.find((c) => c.name === 'confusion')!.data).toBeGreaterThanOrEqual(classes * classes);
    expect(page.charts.find((c) => c.name === 'per-class')!.data).toBeGreaterThanOrEqual(classes * 3);
    expect(page.images.loaded).toBe(page.images.total);
    expect(page.text).toContain('Misclassified test images');
  });

  it('in Chromium, hostile class names and spec strings show as text and run nothing', async () => {
    const page = await checkPage(path.join(dir, 'hostile.html'), 'run-report-hostile');
    if (!page) return;
    expect(page.pwned).toBeUndefined();
    expect(page.dialogs).toEqual([]);
    expect(page.consoleErrors).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.text).toContain('<script>window.__pwned = 1</script> "onload=alert(1) & <b>bold</b>');
    // Chart labels may be clipped and the per-class table sits in a closed <details>: read all text nodes.
    expect(page.allText).toContain('<img src=x onerror=alert(1)>');
  });

  it('dlc report rejects a directory that is not a run', async () => {
    const io = fakeIO(dir);
    expect(await main(['report', dir, '--images', '0'], io)).toBe(2);
    expect(io.err()).toMatch(/not a dlc run directory/);
  });
});
