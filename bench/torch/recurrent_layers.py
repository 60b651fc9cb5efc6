"""Time of dlc_runtime's recurrent layers (templates/pytorch/dlc_runtime/layers.py) on the torch
target: forward + backward of one batch through KerasLSTM / KerasGRU / KerasBidirectional, with and
without a right-padded mask (what an embedding's mask_zero gives over sequences that end in padding),
and an LSTM under a mask with gaps (its step loop). Weights N(0, 0.3²), loss sum(y²).

usage: /usr/bin/python3 bench/torch/recurrent_layers.py [--batch 32] [--steps 300] [--units 32]
                          [--reps 5] [--threads 1] [--layers FILE] [--no-malloc-tuning]
Prints one JSON object per case: {"case", "ms_min", "ms_median", "ms_all"} over --reps timed passes
after one warm-up pass (the machine is shared: the minimum is the steadier figure).
--layers: the layers.py to time (default templates/pytorch/dlc_runtime/layers.py; it imports only
torch), e.g. another commit's for a before/after:
    git show COMMIT:templates/pytorch/dlc_runtime/layers.py > /tmp/layers_before.py
Glibc's malloc is tuned first as an emitted project's train() tunes it (dlc_runtime.loop.tune_malloc:
freed tensor memory stays in the process); --no-malloc-tuning keeps glibc's defaults, under which
every large temporary is a fresh mmap and its page faults (a model used outside train()).
"""
import argparse
import importlib.util
import json
import os
import statistics
import sys
import time

import torch

RUNTIME = os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../templates/pytorch')


def load_layers(path):
    spec = importlib.util.spec_from_file_location('timed_layers', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def right_padded_mask(batch, steps, gen):
    """Every row: 1..steps valid steps, then padding."""
    lengths = torch.randint(1, steps + 1, (batch,), generator=gen)
    return torch.arange(steps).unsqueeze(0) < lengths.unsqueeze(1)


def randomized(layer, gen):
    """Weights of N(0, 0.3²): gates neither saturated nor constant, as the layers' zeros would leave them."""
    for p in layer.parameters():
        with torch.no_grad():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.3)
    return layer


def cases(layers, args, gen):
    b, t, u = args.batch, args.steps, args.units
    x = torch.randn(b, t, u, generator=gen)
    mask = right_padded_mask(b, t, gen)
    for cls, name in ((layers.KerasLSTM, 'lstm'), (layers.KerasGRU, 'gru')):
        for backwards in (False, True):
            for masked in (False, True):
                layer = randomized(cls(u, u, return_sequences=True, go_backwards=backwards), gen)
                yield f'{name}{" backwards" if backwards else ""}{", masked" if masked else ""}', layer, x, (mask if masked else None)
    for cell in ('lstm', 'gru'):
        layer = randomized(layers.KerasBidirectional(cell, u, u, 'inner', return_sequences=True), gen)
        yield f'bidirectional {cell}, masked', layer, x, mask
    # Zeros inside the rows (not right padding): the LSTM's step loop.
    gaps = mask & (torch.arange(t) % 10 != 5).unsqueeze(0)
    yield 'lstm, mask with gaps', randomized(layers.KerasLSTM(u, u, return_sequences=True), gen), x, gaps


def time_case(layer, x, mask, args):
    x = x.clone().requires_grad_(True)
    times = []
    for rep in range(args.reps + 1):
        layer.zero_grad()
        x.grad = None
        start = time.perf_counter()
        layer(x, mask).square().sum().backward()
        if rep > 0:
            times.append((time.perf_counter() - start) * 1000)
    return times


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--batch', type=int, default=32)
    p.add_argument('--steps', type=int, default=300)
    p.add_argument('--units', type=int, default=32)
    p.add_argument('--reps', type=int, default=5)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--layers', default=os.path.join(RUNTIME, 'dlc_runtime', 'layers.py'))
    p.add_argument('--no-malloc-tuning', action='store_true')
    args = p.parse_args()
    if not os.path.isfile(args.layers):
        sys.exit(f'--layers {args.layers}: no such file')
    layers = load_layers(args.layers)
    if not args.no_malloc_tuning:
        sys.path.insert(0, RUNTIME)
        from dlc_runtime.loop import tune_malloc
        if not tune_malloc():
            print('glibc malloc tuning not applied (not glibc, or DLC_MALLOC_TUNING=0)', file=sys.stderr)
    torch.set_num_threads(args.threads)
    gen = torch.Generator().manual_seed(0)
    for name, layer, x, mask in cases(layers, args, gen):
        times = time_case(layer, x, mask, args)
        print(json.dumps({'case': name, 'ms_min': round(min(times), 1), 'ms_median': round(statistics.median(times), 1), 'ms_all': [round(v, 1) for v in times]}), flush=True)


if __name__ == '__main__':
    main()
