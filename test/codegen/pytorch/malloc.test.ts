/**
 * dlc_runtime.loop.tune_malloc (called by train()): glibc keeps freed tensor memory in the process.
 * With glibc's defaults a small ConvNet's training step (batch 64, 32×32×3, the CIFAR ConvNet's
 * first blocks) maps and unmaps its activations every step — thousands of minor page faults per
 * step, 3–4× the step's CPU time on this machine — and PyTorch's speed then depends on what the
 * process happened to free before (issue 12's "data-dependent" step time). After tune_malloc the
 * steady-state step has (almost) no page faults. DLC_MALLOC_TUNING=0 leaves the allocator alone.
 */
import { describe, expect, it } from 'vitest';
import { PYTHON, runPython } from './python.js';

// The process starts from glibc's default thresholds pinned (128 kB, set explicitly, which also turns
// off glibc's dynamic raising of them after a large free): the adverse case every time, where an
// untouched default process is adverse or not depending on what it freed before (seen: 0, 200 and
// 2,000 faults per step in three runs). tune_malloc must then lift them.
const STEPS = `
import ctypes, resource
import torch
from dlc_runtime.loop import tune_malloc
libc = ctypes.CDLL('libc.so.6')
libc.mallopt(-3, 128 * 1024)  # M_MMAP_THRESHOLD
libc.mallopt(-1, 128 * 1024)  # M_TRIM_THRESHOLD
applied = tune_malloc()
torch.manual_seed(0)
torch.set_num_threads(1)
net = torch.nn.Sequential(torch.nn.Conv2d(3, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                          torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                          torch.nn.Flatten(), torch.nn.Linear(32 * 8 * 8, 10))
opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
x = torch.rand(64, 3, 32, 32)
y = torch.randint(0, 10, (64,))
def step():
    opt.zero_grad(set_to_none=True)
    torch.nn.functional.cross_entropy(net(x), y).backward()
    opt.step()
# Warm-up: the heap grows to its steady size (first-touch faults, once).
for _ in range(6):
    step()
f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(10):
    step()
print(json.dumps({'applied': applied, 'faults_per_step': (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0) / 10}))
`;

interface Faults {
  applied: boolean;
  faults_per_step: number;
}

describe.skipIf(!PYTHON || process.platform !== 'linux')('tune_malloc (glibc)', () => {
  it('removes the per-step page faults of a ConvNet training step; DLC_MALLOC_TUNING=0 opts out', () => {
    const tuned = runPython<Faults>(STEPS);
    const untuned = runPython<Faults>(STEPS, null, { env: { DLC_MALLOC_TUNING: '0' } });
    expect(tuned.applied).toBe(true);
    expect(untuned.applied).toBe(false);
    // Measured 0 vs ~4,800 faults per step (glibc 2.36, torch 1.13).
    expect(tuned.faults_per_step).toBeLessThan(50);
    expect(untuned.faults_per_step).toBeGreaterThan(10 * Math.max(tuned.faults_per_step, 50));
  }, 120_000);
});
