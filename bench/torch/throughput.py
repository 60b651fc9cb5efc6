"""Training throughput of a dlc IR rebuilt in PyTorch (CPU), on random data.

usage: python3 throughput.py IR.json --batch 64 --steps 20 --warmup 3 --threads 2
Prints one JSON object: {"samples_per_s": …, "step_ms": […], "threads": …}.

With --serve it warms up, prints {"ready": true, …}, then reads one integer
per line from stdin (a number of steps), runs that many steps and prints
{"samples_per_s": …} for them (after --rep-warmup unmeasured steps) — so `npm run bench` can interleave PyTorch
repetitions with dlc's without paying torch's start-up every time.

glibc's malloc is set as the emitted PyTorch loop sets it (dlc_runtime.loop.tune_malloc: freed tensor
memory stays in the process). Without it each step of the MNIST/CIFAR ConvNets paid thousands of page
faults and took 3-5x the CPU time (measured 2026-12-02) — a handicap PyTorch users with jemalloc,
tcmalloc or a process that has freed a large array do not have. --no-malloc-tuning measures glibc's defaults.
"""
import os
import argparse
import json
import statistics
import sys
import time

import torch
from torch import nn

from ir_model import IRModel

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'templates', 'pytorch'))
from dlc_runtime.loop import tune_malloc  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument('ir')
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--steps', type=int, default=20)
    p.add_argument('--warmup', type=int, default=3)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--lr', type=float, default=0.01)
    p.add_argument('--serve', action='store_true')
    p.add_argument('--rep-warmup', type=int, default=2,
                   help='--serve: unmeasured steps before each measured run (after a pause, the first steps '
                        'are slow while OpenMP threads and caches wake up; dlc\'s epochs are long enough not to care)')
    p.add_argument('--no-malloc-tuning', action='store_true')
    args = p.parse_args()
    malloc_tuned = False if args.no_malloc_tuning else tune_malloc()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    with open(args.ir) as f:
        ir = json.load(f)
    h, w, c = ir['inputShape']
    model = IRModel(ir)
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(args.batch, c, h, w)
    y = torch.randint(0, ir['numClasses'], (args.batch,))

    def step():
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        loss.item()  # dlc reads the loss every step too
        return time.perf_counter() - t0

    def run(n):
        times = [step() for _ in range(n)]
        return {'samples_per_s': args.batch * n / sum(times), 'median_step_ms': statistics.median(times) * 1000,
                'step_ms': [t * 1000 for t in times]}

    info = {'threads': torch.get_num_threads(), 'torch': torch.__version__, 'malloc_tuned': malloc_tuned}
    for _ in range(args.warmup):
        step()
    if not args.serve:
        r = run(args.steps)
        # samples_per_s from the median step, as before (robust to a stray slow step).
        print(json.dumps({**r, 'samples_per_s': args.batch / (r['median_step_ms'] / 1000), **info}))
        return
    print(json.dumps({'ready': True, **info}), flush=True)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        if line == 'quit':
            break
        for _ in range(args.rep_warmup):
            step()
        print(json.dumps(run(int(line))), flush=True)


if __name__ == '__main__':
    main()
