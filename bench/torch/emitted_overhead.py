"""dlc's own overhead in an emitted PyTorch project: the project's training loop (dlc_runtime.loop:
seeded batches, transforms, one-hot loss, clipping, schedule, bookkeeping) against a hand-written
loop over the same model on ready-made tensors, interleaved.

usage: python3 bench/torch/emitted_overhead.py PROJECT_DIR [--samples 640] [--reps 3] [--threads 2] [--hand-only] [--synthetic]
                                                           [--augment] [--no-malloc-tuning]
PROJECT_DIR is a `dlc emit --target pytorch` output. Prints one JSON object:
{"dlc_samples_per_s": [...], "hand_samples_per_s": [...], "ratio_median": median of per-rep dlc/hand}.
The dlc figure is the second epoch's samples_per_second of a 2-epoch train() (training steps only,
as dlc reports it; the first epoch warms up as the hand loop's warm-up pass does); the data set is
random uint8 images of the spec's input shape (no disk I/O), or with --synthetic the spec's own
synthetic images.
--hand-only: only the hand-written loop (one warm-up pass, then --reps measured passes, all on one
model and optimizer, as a hand-written training loop keeps them), {"hand_samples_per_s": [...]} —
bench/lib/torch-run.js interleaves it with whole `dlc run --backend torch` runs.
--augment: the hand loop does the data work the spec asks for, as a hand-written loop would: each pass
shuffles the training images (torch.randperm), gathers each batch of uint8 pixels, scales them and applies
the spec's train transforms with torch ops (bench/torch/hand_augment.py). Without it the hand loop trains
on one batch made once: the model alone, a bound no loop that reads data reaches.
Both loops run with dlc_runtime.loop.tune_malloc() applied (glibc keeps freed tensor memory; without
it PyTorch's step time depends on the allocator's history, 3-4x on these models): the ratio then
measures dlc's loop, not malloc. --no-malloc-tuning leaves glibc's defaults (for the hand loop; the
dlc loop's train() applies it unless DLC_MALLOC_TUNING=0).
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
    p.add_argument('--no-malloc-tuning', action='store_true')
    p.add_argument('--augment', action='store_true', help='the hand loop shuffles, gathers and transforms every batch (see the module comment)')
    p.add_argument('--synthetic', action='store_true',
                   help="train both loops on the spec's own synthetic data set (dlc_runtime's seeded images; the hand loop's one batch is its "
                        "first batch through the eval transforms) instead of random images and labels, as bench/lib/torch-run.js runs the dlc side")
    a = p.parse_args()
    sys.path.insert(0, os.path.abspath(a.project))
    torch.set_num_threads(a.threads)
    from model import build_model
    from dlc_runtime.data import ImageSet, LoadedDataset, load_synthetic
    from dlc_runtime.transforms import apply_transforms
    from dlc_runtime.loop import train, tune_malloc
    malloc_tuned = False if a.no_malloc_tuning else tune_malloc()

    with open(os.path.join(a.project, 'ir.json'), encoding='utf8') as f:
        ir = json.load(f)
    spec = dict(ir['spec'])
    spec['data'] = {**spec['data'], 'validation_split': 0}
    spec['train'] = {**spec['train'], 'epochs': 2, 'early_stopping': None, 'checkpoint': {**spec['train']['checkpoint'], 'keep_best': False}}
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

    # One model and optimizer for the warm-up and every measured pass, as a hand-written loop keeps them.
    model = build_model().train()
    # dlc's update: SGD momentum 0.9 at the spec's rate under the spec's schedule, stepped over the warm-up pass and the
    # measured passes as dlc's 2-epoch run steps it (bench/lib/torch-run.js): the same training trajectory, as far as
    # the data allows. (ResNet-20's hand loops still step 1.5–4× slower than dlc's on the synthetic images as they fit
    # them — bench/README.md §6 — so its ratio there is not a measure of dlc's overhead.)
    from dlc_runtime.schedules import make_schedule
    opt = torch.optim.SGD(model.parameters(), lr=spec['optimizer']['learning_rate'], momentum=0.9)
    schedule = make_schedule(spec['schedule'], spec['optimizer']['learning_rate'], steps, 1 + a.reps)
    step = [0]
    loss_fn = torch.nn.CrossEntropyLoss()
    x = torch.rand(bs, *shape) if hand_x is None else hand_x
    y = torch.randint(0, k, (bs,)) if hand_y is None else hand_y

    if a.augment:
        from hand_augment import augment
        # The training images as one uint8 NCHW tensor, and the spec's train transforms.
        pixels = torch.from_numpy(np.ascontiguousarray(data.train.images)).permute(0, 3, 1, 2).contiguous()
        labels = torch.from_numpy(np.asarray(data.train.labels, dtype=np.int64))
        train_transforms = spec['data']['transforms']['train']
        gen = torch.Generator().manual_seed(0)

        def batches():
            order = torch.randperm(pixels.shape[0], generator=gen)
            for b in range(steps):
                idx = order[b * bs:(b + 1) * bs]
                # NCHW → the model's NHWC input, contiguous as dlc's batches (the model's permute then gives channels-last
                # strides, which oneDNN convolves faster here than contiguous NCHW).
                yield augment(pixels[idx].float().div_(255), train_transforms, gen).permute(0, 2, 3, 1).contiguous(), labels[idx]
    else:
        def batches():
            return ((x, y) for _ in range(steps))

    def hand():
        t0 = time.perf_counter()
        for xb, yb in batches():
            for g in opt.param_groups:
                g['lr'] = schedule.lr_at(step[0])
            step[0] += 1
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            loss.item()
        return steps * bs / (time.perf_counter() - t0)

    def dlc():
        with tempfile.TemporaryDirectory() as runs:
            # progress='json': every step's event is written, as under `dlc run --backend torch`.
            with open(os.devnull, 'w') as null:
                r = train(spec, build_model, runs_dir=runs, device='cpu', dataset=data, stdout=null, progress='json')
        return r['history'][1]['samples_per_second']

    hand()  # warm-up
    info = {'threads': torch.get_num_threads(), 'batch': bs, 'steps': steps, 'malloc_tuned': malloc_tuned, 'augment': a.augment}
    if a.hand_only:
        print(json.dumps({'hand_samples_per_s': [hand() for _ in range(a.reps)], **info}))
        return
    d, h = [], []
    for i in range(a.reps):
        # ABBA order: a load that drifts during the run weighs on both loops alike.
        if i % 2 == 0:
            d.append(dlc())
            h.append(hand())
        else:
            h.append(hand())
            d.append(dlc())
    print(json.dumps({'dlc_samples_per_s': d, 'hand_samples_per_s': h, 'ratio_median': statistics.median([a / b for a, b in zip(d, h)]),
                      'load_1m_end': os.getloadavg()[0], **info}))


if __name__ == '__main__':
    main()
