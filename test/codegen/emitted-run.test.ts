/**
 * End to end: `dlc emit` a tiny synthetic spec, train the emitted project
 * with its own entry (`npm run train`, the compiled src/train.ts) on 2
 * data-parallel replicas for one epoch, resume it for a second, then
 * `dlc eval` and `dlc predict` on the run directory it wrote. Nothing is
 * installed: the project's node_modules is a link to dlc's (as in the
 * parity test), and it is compiled file by file (golden.test.ts type-checks
 * emitted projects with tsc --strict).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { DLC_ROOT, transpileProject } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'dlc-emitted-run-'));
const project = join(root, 'project');
const runDir = join(root, 'run');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fakeIO(): CliIO & { out(): string; err(): string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s), isTTY: false },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    cwd: root,
    env: { DLC_CACHE: join(root, 'cache') },
    out: () => out,
    err: () => err,
  };
}

/** npm's CLI next to this node (as `npm` on PATH may be another one). */
function npm(): string {
  const beside = join(dirname(process.execPath), 'npm');
  return existsSync(beside) ? beside : 'npm';
}

/** Runs the project's `npm run train -- …` (its compiled src/train.ts). */
function spawnTrain(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(npm(), ['run', 'train', '--silent', '--', ...args], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false', DLC_CACHE: join(root, 'cache'), DLC_REPLICAS: '' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lines(file: string): Record<string, number>[] {
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
}

describe('an emitted project trains like dlc run and its run directory serves dlc eval / predict', () => {
  beforeAll(async () => {
    const io = fakeIO();
    const code = await main(['emit', join(DLC_ROOT, 'test/codegen/fixtures/tiny-synthetic.yaml'), '-o', project, '--set', 'train.epochs=1'], io);
    if (code !== 0) throw new Error(`dlc emit failed: ${io.err()}`);
    symlinkSync(join(DLC_ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
    transpileProject(project);
  }, 60_000);

  it('trains on 2 replicas and writes the run directory dlc run writes', () => {
    const { status, stdout, stderr } = spawnTrain(['--backend', 'cpu', '--replicas', '2', '--out', runDir]);
    expect(status, stderr).toBe(0);
    expect(stderr).toMatch(/backend: cpu .*; 2 data-parallel replicas/);
    expect(stdout).toMatch(/Test: 40 samples/);
    expect(readdirSync(runDir).sort()).toEqual(['checkpoints', 'confusion_matrix.csv', 'ir.json', 'metrics.csv', 'metrics.jsonl', 'report.json', 'run.json', 'spec.yaml']);
    expect(readdirSync(join(runDir, 'checkpoints')).sort()).toEqual(['best', 'last']);
    const records = lines(join(runDir, 'metrics.jsonl'));
    expect(records.map((r) => r.epoch)).toEqual([1]);
    expect(readFileSync(join(runDir, 'metrics.csv'), 'utf8').trim().split('\n')).toHaveLength(2);
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Record<string, unknown>;
    expect(report.samples).toBe(40);
    expect(report.epochs).toBe(1);
    expect(report.train_seconds).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')).backend).toBe('cpu');
    // The run directory's IR is the project's: dlc eval and predict rebuild the model from it.
    expect(JSON.parse(readFileSync(join(runDir, 'ir.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(join(project, 'ir.json'), 'utf8')));
    expect(readFileSync(join(runDir, 'spec.yaml'), 'utf8')).toBe(readFileSync(join(project, 'spec.resolved.yaml'), 'utf8'));
  });

  it('resumes the run for a second epoch, keeping the first', () => {
    const first = lines(join(runDir, 'metrics.jsonl'));
    const { status, stderr } = spawnTrain(['--backend', 'cpu', '--replicas', '2', '--resume', runDir, '--epochs', '2']);
    expect(status, stderr).toBe(0);
    expect(stderr).toMatch(/resuming .* after epoch 1/);
    const records = lines(join(runDir, 'metrics.jsonl'));
    expect(records.map((r) => r.epoch)).toEqual([1, 2]);
    expect(records[0]).toEqual(first[0]);
    expect(records[1]!.step).toBe(2 * records[0]!.step);
    expect(JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')).epochs).toBe(2);
  });

  it('dlc eval reads the run directory', async () => {
    const io = fakeIO();
    expect(await main(['eval', runDir, '--backend', 'cpu'], io), io.err()).toBe(0);
    expect(io.out()).toMatch(/40 samples/);
    expect(existsSync(join(runDir, 'eval_best_test_report.json'))).toBe(true);
  });

  it('dlc predict reads the run directory', async () => {
    const png = new PNG({ width: 8, height: 8 });
    for (let i = 0; i < png.data.length; i += 4) png.data.set([(i * 7) % 256, (i * 7) % 256, (i * 7) % 256, 255], i);
    writeFileSync(join(root, 'x.png'), PNG.sync.write(png));
    const io = fakeIO();
    expect(await main(['predict', runDir, 'x.png', '--top-k', '2', '--backend', 'cpu', '--json'], io), io.err()).toBe(0);
    const preds = JSON.parse(io.out()) as { file: string; top: { class: string; probability: number }[] }[];
    expect(preds[0]!.file).toBe('x.png');
    expect(preds[0]!.top).toHaveLength(2);
  });
});
