"""The same recipe as a dlc spec, in PyTorch: the reference for accuracy.

Reads a dlc IR dumped as JSON (it carries the normalised spec), trains the
model it describes on an image folder (root/train/<class>/*.jpg, root/test/…)
with the spec's optimizer, schedule, epochs, batch size and transforms, and
prints one JSON line per epoch, then the test accuracy.

usage: python3 train_image_folder.py IR.json ROOT [--threads 2] [--epochs N]
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
from PIL import Image
from torch import nn

from hand_augment import augment
from ir_model import IRModel


def load_split(root, split, classes):
    xs, ys = [], []
    for label, name in enumerate(classes):
        folder = os.path.join(root, split, name)
        for f in sorted(os.listdir(folder)):
            with Image.open(os.path.join(folder, f)) as im:
                xs.append(np.asarray(im.convert('RGB'), dtype=np.uint8))
            ys.append(label)
    x = torch.from_numpy(np.stack(xs)).permute(0, 3, 1, 2).contiguous()
    return x, torch.tensor(ys)


def make_optimizer(params, o):
    kind, lr, wd = o['kind'], o['learning_rate'], o.get('weight_decay', 0)
    if kind == 'sgd':
        return torch.optim.SGD(params, lr=lr, momentum=o['momentum'], nesterov=o['nesterov'], weight_decay=wd)
    if kind == 'adam':
        return torch.optim.Adam(params, lr=lr, betas=(o['beta1'], o['beta2']), eps=o['epsilon'], weight_decay=wd)
    if kind == 'adamw':
        return torch.optim.AdamW(params, lr=lr, betas=(o['beta1'], o['beta2']), eps=o['epsilon'], weight_decay=wd)
    raise ValueError(f'optimizer {kind} not in the reference script')


def lr_at(s, base, step, steps_per_epoch, epochs):
    """Per-step learning rate, same definitions as dlc's schedules."""
    total = steps_per_epoch * epochs
    warm = s.get('warmup_epochs', 0) * steps_per_epoch
    if warm and step < warm:
        return base * (step + 1) / warm
    kind = s['kind']
    epoch = step / steps_per_epoch
    if kind == 'constant':
        return base
    if kind == 'cosine':
        t = (step - warm) / max(1, total - warm)
        return s['min_lr'] + (base - s['min_lr']) * 0.5 * (1 + math.cos(math.pi * min(t, 1.0)))
    if kind == 'step':
        return base * s['gamma'] ** math.floor(epoch / s['step_size'])
    if kind == 'multi_step':
        return base * s['gamma'] ** sum(1 for m in s['milestones'] if epoch >= m)
    if kind == 'exponential':
        return base * s['gamma'] ** math.floor(epoch)
    raise ValueError(f'schedule {kind} not in the reference script')


def evaluate(model, x, y, transforms, batch):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 500):
            xb = augment(x[i:i + 500].float() / 255, transforms, None)
            correct += (model(xb).argmax(1) == y[i:i + 500]).sum().item()
    model.train()
    return correct / len(x)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('ir')
    p.add_argument('root')
    p.add_argument('--threads', type=int, default=os.cpu_count())
    p.add_argument('--epochs', type=int)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    with open(args.ir) as f:
        ir = json.load(f)
    spec = ir['spec']
    torch.manual_seed(spec['seed'])
    gen = torch.Generator().manual_seed(spec['seed'])
    classes = sorted(os.listdir(os.path.join(args.root, 'train')))
    t0 = time.time()
    x_train, y_train = load_split(args.root, 'train', classes)
    x_test, y_test = load_split(args.root, 'test', classes)
    load_s = time.time() - t0
    data = spec['data']
    perm = torch.randperm(len(x_train), generator=gen)
    n_val = int(round(len(x_train) * data['validation_split']))
    train_idx = perm[n_val:]
    model = IRModel(ir)
    opt = make_optimizer(model.parameters(), spec['optimizer'])
    loss_fn = nn.CrossEntropyLoss(label_smoothing=spec['loss'].get('label_smoothing', 0))
    bs = data['batch_size']
    epochs = args.epochs or spec['train']['epochs']
    steps_per_epoch = math.ceil(len(train_idx) / bs)
    base_lr = spec['optimizer']['learning_rate']
    step = 0
    for epoch in range(epochs):
        t_epoch = time.time()
        order = train_idx[torch.randperm(len(train_idx), generator=gen)]
        total_loss = 0.0
        for b in range(steps_per_epoch):
            idx = order[b * bs:(b + 1) * bs]
            for g in opt.param_groups:
                g['lr'] = lr_at(spec['schedule'], base_lr, step, steps_per_epoch, epochs)
            xb = augment(x_train[idx].float() / 255, data['transforms']['train'], gen)
            loss = loss_fn(model(xb), y_train[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total_loss += loss.item() * len(idx)
            step += 1
        acc = evaluate(model, x_test, y_test, data['transforms']['eval'], bs)
        print(json.dumps({'epoch': epoch + 1, 'loss': total_loss / len(train_idx), 'test_accuracy': acc,
                          'epoch_s': time.time() - t_epoch}), flush=True)
    print(json.dumps({'final_test_accuracy': acc, 'epochs': epochs, 'load_s': load_s,
                      'threads': args.threads, 'torch': torch.__version__}), flush=True)


if __name__ == '__main__':
    main()
