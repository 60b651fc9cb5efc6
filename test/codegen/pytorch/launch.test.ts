/**
 * dlc_runtime.launch (DDP without torchrun, for Debian's torch 1.13): the worker environment of
 * one or several machines (torchrun's static rendezvous: global rank = node rank · nproc + local
 * rank), refusals of an incomplete multi-machine command, and two launchers acting as two
 * machines on this one (--nnodes 2, one process each) joining one gloo process group.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderPytorch } from '../../../src/codegen/pytorch/index.js';
import { compile } from '../../../src/compiler/compile.js';
import type { IR } from '../../../src/compiler/ir.js';
import { PYTHON, RUNTIME_DIR, runPython } from './python.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlc-launch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs `python -m dlc_runtime.launch ARGS`; resolves with its exit code, stdout and stderr. */
function launch(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((res, rej) => {
    const p = spawn(PYTHON!, ['-m', 'dlc_runtime.launch', ...args], { cwd: tmp, env: { ...process.env, PYTHONPATH: RUNTIME_DIR, OMP_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', rej);
    p.on('close', (code) => res({ code: code ?? 1, out, err }));
  });
}

function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

describe('the emitted README', () => {
  it('shows both multi-machine commands: torchrun with a rendezvous endpoint, and the launcher for torch 1.13', () => {
    const ir = compile('name: r\ndata: {dataset: synthetic, synthetic: {train_samples: 8, test_samples: 4, shape: [2, 2, 1], classes: 2}}\nmodel: {layers: [flatten, {dense: {units: 2}}]}\n', { file: 'r.yaml' }).ir as IR;
    const readme = renderPytorch(ir, { specFile: 'r.yaml' }).get('README.md')!;
    expect(readme).toMatch(/^torchrun --nnodes M --nproc_per_node N --rdzv-backend c10d --rdzv-endpoint HOST:PORT .*train\.py$/m);
    expect(readme).toMatch(/^python -m dlc_runtime\.launch --nnodes M --node-rank I --master-addr HOST --master-port PORT --nproc N train\.py$/m);
    expect(readme).toMatch(/^python -m dlc_runtime\.launch --nproc 2 train\.py/m);
  });
});

describe.skipIf(!PYTHON)('dlc_runtime.launch', () => {
  it('gives each worker torchrun\'s environment, on one machine and on node 1 of 3', () => {
    const envs = runPython<Record<string, string>[]>(
      `
from dlc_runtime.launch import worker_env
keys = ['MASTER_ADDR', 'MASTER_PORT', 'RANK', 'LOCAL_RANK', 'WORLD_SIZE', 'LOCAL_WORLD_SIZE', 'GROUP_RANK', 'KEEP']
one = [worker_env({'KEEP': 'x'}, nproc=2, local_rank=r, master_port=1234) for r in range(2)]
node1 = [worker_env({'KEEP': 'y'}, nproc=2, local_rank=r, nnodes=3, node_rank=1, master_addr='10.0.0.5', master_port=29500) for r in range(2)]
print(json.dumps([{k: e[k] for k in keys} for e in one + node1]))
`,
    );
    expect(envs.map((e) => [e.RANK, e.LOCAL_RANK, e.WORLD_SIZE, e.LOCAL_WORLD_SIZE, e.GROUP_RANK])).toEqual([
      ['0', '0', '2', '2', '0'],
      ['1', '1', '2', '2', '0'],
      ['2', '0', '6', '2', '1'],
      ['3', '1', '6', '2', '1'],
    ]);
    expect(envs.slice(0, 2).every((e) => e.MASTER_ADDR === '127.0.0.1' && e.MASTER_PORT === '1234' && e.KEEP === 'x')).toBe(true);
    expect(envs.slice(2).every((e) => e.MASTER_ADDR === '10.0.0.5' && e.MASTER_PORT === '29500' && e.KEEP === 'y')).toBe(true);
  });

  it('refuses several machines without --master-addr/--master-port and a node rank out of range', async () => {
    const noAddr = await launch(['--nnodes', '2', '--node-rank', '0', '--nproc', '1', 'none.py']);
    expect(noAddr.code).toBe(2);
    expect(noAddr.err).toMatch(/need --master-addr and --master-port/);
    const badRank = await launch(['--nnodes', '2', '--node-rank', '2', '--master-addr', '127.0.0.1', '--master-port', '1', '--nproc', '1', 'none.py']);
    expect(badRank.code).toBe(2);
    expect(badRank.err).toMatch(/--node-rank must be in 0\.\.1, got 2/);
  });

  it('two launchers with --nnodes 2 join one process group (ranks 0 and 1 of 2)', async () => {
    writeFileSync(
      join(tmp, 'worker.py'),
      `import json, os, torch, torch.distributed as dist
dist.init_process_group('gloo')
t = torch.tensor([float(dist.get_rank() + 1)])
dist.all_reduce(t)
print(json.dumps({'rank': dist.get_rank(), 'world': dist.get_world_size(), 'sum': float(t), 'local': int(os.environ['LOCAL_RANK'])}))
dist.destroy_process_group()
`,
    );
    const port = String(await freePort());
    const common = ['--nnodes', '2', '--master-addr', '127.0.0.1', '--master-port', port, '--nproc', '1', 'worker.py'];
    const [a, b] = await Promise.all([launch(['--node-rank', '0', ...common]), launch(['--node-rank', '1', ...common])]);
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    expect(JSON.parse(a.out)).toEqual({ rank: 0, world: 2, sum: 3, local: 0 });
    expect(JSON.parse(b.out)).toEqual({ rank: 1, world: 2, sum: 3, local: 0 });
  }, 120_000);
});
