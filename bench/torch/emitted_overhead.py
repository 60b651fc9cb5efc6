"""dlc's own overhead in an emitted PyTorch project: the project's training loop (dlc_runtime.loop:
seeded batches, transforms, one-hot loss, clipping, schedule, bookkeeping) against a hand-written
loop over the same model on ready-made tensors, interleaved.

usage: python3 bench/torch/emitted_overhead.py PROJECT_DIR [--samples 640] [--reps 3] [--threads 2] [--hand-only] [--synthetic]
PROJECT_DIR is a `dlc emit --target pytorch` output. Prints one JSON object:
{"dlc_samples_per_s": [...], "hand_samples_per_s": [...], "ratio_median": dlc/hand}.
The dlc figure is the epoch's samples_per_second from metrics.jsonl (training steps only, as dlc
reports it); the data set is random uint8 images of the spec's input shape (no disk I/O).
--hand-only: only the hand-written loop (after one warm-up pass), {"hand_samples_per_s": [...]} —
bench/lib/torch-run.js interleaves it with whole `dlc run --backend torch` runs.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time

import numpy as np
import torch


def main():
    p = argparse.ArgumentParser()
    p.add_argument('project')
    p.add_argument('--samples', type=int, default=640)
    p.add_argument('--reps', type=int, default=3)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--hand-only', action='store_true')
    p.add_argument('--synthetic', action='store_true',
                   help="train both loops on the spec's own synthetic data set (dlc_runtime's seeded images; the hand loop's one batch is its "
                        "first batch through the eval transforms) instead of random images and labels: bench/lib/torch-run.js runs the dlc "
                        "side on that data, and PyTorch's speed was seen to differ with the data (4,000 vs 1,350 samples/s for the CIFAR ConvNet)")
    a = p.parse_args()
    sys.path.insert(0, os.path.abspath(a.project))
    torch.set_num_threads(a.threads)
    from model import build_model
    from dlc_runtime.data import ImageSet, LoadedDataset, load_synthetic
    from dlc_runtime.transforms import apply_transforms
    from dlc_runtime.loop import train

    with open(os.path.join(a.project, 'ir.json'), encoding='utf8') as f:
        ir = json.load(f)
    spec = dict(ir['spec'])
    spec['data'] = {**spec['data'], 'validation_split': 0}
    spec['train'] = {**spec['train'], 'epochs': 1, 'early_stopping': None, 'checkpoint': {**spec['train']['checkpoint'], 'keep_best': False}}
    shape = ir['inputShape']
    k = ir['numClasses']
    rng = np.random.default_rng(0)
    data = LoadedDataset('bench', [str(i) for i in range(k)],
                         ImageSet(rng.integers(0, 256, (a.samples, *shape), dtype=np.uint8), rng.integers(0, k, a.samples)),
                         ImageSet(rng.integers(0, 256, (k, *shape), dtype=np.uint8), np.arange(k)))
    bs = spec['data']['batch_size']
    steps = a.samples // bs
    if a.synthetic:
        if spec['data']['dataset'] != 'synthetic':
            raise SystemExit('--synthetic: the project\'s data set is not synthetic')
        data = load_synthetic(spec['data']['synthetic'], spec.get('seed', 42))
        first = np.asarray(data.train.images[:bs], dtype=np.float32) / np.float32(255)
        hand_x = torch.from_numpy(np.ascontiguousarray(apply_transforms(first, spec['data']['transforms']['eval'], False, spec.get('seed', 42), 0, 0)))
        hand_y = torch.from_numpy(np.asarray(data.train.labels[:bs], dtype=np.int64))
    else:
        hand_x = hand_y = None

    def hand():
        model = build_model().train()
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        loss_fn = torch.nn.CrossEntropyLoss()
        x = torch.rand(bs, *shape) if hand_x is None else hand_x
        y = torch.randint(0, k, (bs,)) if hand_y is None else hand_y
        t0 = time.perf_counter()
        for _ in range(steps):
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            loss.item()
        return steps * bs / (time.perf_counter() - t0)

    def dlc():
        with tempfile.TemporaryDirectory() as runs:
            r = train(spec, build_model, runs_dir=runs, device='cpu', dataset=data, log=lambda line: None, stdout=open(os.devnull, 'w'))
        return r['history'][0]['samples_per_second']

    hand()  # warm-up
    if a.hand_only:
        print(json.dumps({'hand_samples_per_s': [hand() for _ in range(a.reps)], 'threads': torch.get_num_threads(), 'batch': bs, 'steps': steps}))
        return
    d, h = [], []
    for _ in range(a.reps):
        d.append(dlc())
        h.append(hand())
    print(json.dumps({'dlc_samples_per_s': d, 'hand_samples_per_s': h, 'ratio_median': statistics.median(d) / statistics.median(h),
                      'threads': torch.get_num_threads(), 'batch': bs, 'steps': steps}))


if __name__ == '__main__':
    main()
