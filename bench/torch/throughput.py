"""Training throughput of a dlc IR rebuilt in PyTorch (CPU), on random data.

usage: python3 throughput.py IR.json --batch 64 --steps 20 --warmup 3 --threads 2
Prints one JSON object: {"samples_per_s": …, "step_ms": […], "threads": …}.
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn

from ir_model import IRModel


def main():
    p = argparse.ArgumentParser()
    p.add_argument('ir')
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--steps', type=int, default=20)
    p.add_argument('--warmup', type=int, default=3)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--lr', type=float, default=0.01)
    args = p.parse_args()
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
    times = []
    for i in range(args.warmup + args.steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        dt = time.perf_counter() - t0
        if i >= args.warmup:
            times.append(dt)
    med = statistics.median(times)
    print(json.dumps({'samples_per_s': args.batch / med, 'step_ms': [t * 1000 for t in times],
                      'threads': args.threads, 'torch': torch.__version__}))


if __name__ == '__main__':
    main()
