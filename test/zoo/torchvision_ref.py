"""The PyTorch side of test/zoo/torchvision.test.ts (run with dlc_runtime on PYTHONPATH).

INPUT (JSON): {"out": dir, "models": [{"name": torchvision constructor, "size": [h, w], "batch": n,
"project": the spec's emitted PyTorch project (dlc emit --target pytorch)}]}.
Per model: builds the randomly initialised torchvision model with a fixed seed, gives every batch
norm random statistics and affine weights (torchvision starts them at 0/1/1/0, which would hide a
wrong mean/variance/gamma/beta pairing), runs a seeded random NCHW batch in eval mode, converts the
weights with dlc_runtime.torch_import.convert_into_project (→ <out>/<name>/model.json + weights.bin,
tfjs layers format, and the project's Model with them loaded), runs that Model on the same batch
(NHWC), and writes <out>/<name>.{x,logits,emitted}.bin (float32 little endian; GoogLeNet also its
two auxiliary heads' logits, which torchvision computes in training mode only: here through hooks,
in eval mode).
The command line (python -m dlc_runtime.torch_import) converts MobileNetV3-Small once more into
<out>/cli, and torchvision's ResNet-18 into the MobileNetV3 project (a mismatch: exit status 2).
Prints {name: {"params": trainable parameter count, "buffers": BN statistics count, "outputs": [names]},
"_cli": {"status", "same_bytes", "bad_status", "bad_message"}}.
"""
import contextlib
import io
import json
import os
import sys

import numpy as np
import torch
import torchvision
from torch import nn

from dlc_runtime.torch_import import convert_into_project, main as torch_import_main

torch.set_num_threads(1)
INPUT = json.loads(sys.stdin.read())
out_dir = INPUT['out']


def build(name):
    torch.manual_seed(0)
    kw = {'aux_logits': True, 'init_weights': True} if name == 'googlenet' else {}
    model = getattr(torchvision.models, name)(weights=None, **kw)
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                c = m.num_features
                m.running_mean.copy_(torch.randn(c, generator=g) * 0.2)
                m.running_var.copy_(torch.rand(c, generator=g) * 1.5 + 0.5)
                m.weight.copy_(torch.rand(c, generator=g) + 0.5)
                m.bias.copy_(torch.randn(c, generator=g) * 0.2)
    return model.eval()


def save(path, a):
    np.ascontiguousarray(a, dtype='<f4').tofile(path)


summary = {}
for spec in INPUT['models']:
    name = spec['name']
    model = build(name)
    h, w = spec['size']
    x = torch.randn(spec['batch'], 3, h, w, generator=torch.Generator().manual_seed(2))
    outputs = {}
    hooks = []
    if name == 'googlenet':
        feats = {}
        hooks = [model.inception4a.register_forward_hook(lambda m, i, o: feats.__setitem__('4a', o)),
                 model.inception4d.register_forward_hook(lambda m, i, o: feats.__setitem__('4d', o))]
    with torch.no_grad():
        outputs['logits'] = model(x)
        if name == 'googlenet':
            outputs['aux1'] = model.aux1(feats['4a'])
            outputs['aux2'] = model.aux2(feats['4d'])
    for hk in hooks:
        hk.remove()
    _, emitted = convert_into_project(model, spec['project'], os.path.join(out_dir, name))
    with torch.no_grad():
        y = emitted.eval()(x.permute(0, 2, 3, 1))
        outputs['emitted'] = y[0] if isinstance(y, (tuple, list)) else y
    save(os.path.join(out_dir, f'{name}.x.bin'), x.numpy())
    for k, v in outputs.items():
        save(os.path.join(out_dir, f'{name}.{k}.bin'), v.numpy())
    summary[name] = {
        'params': sum(p.numel() for p in model.parameters()),
        'buffers': sum(b.numel() for n, b in model.named_buffers() if not n.endswith('num_batches_tracked')),
        'outputs': [k for k in outputs if k != 'emitted'],
    }


def build_mobilenet_v3_small():
    return build('mobilenet_v3_small')


projects = {spec['name']: spec['project'] for spec in INPUT['models']}
if 'mobilenet_v3_small' in projects:
    project = projects['mobilenet_v3_small']
    cli_out = os.path.join(out_dir, 'cli')
    status = torch_import_main(['__main__.build_mobilenet_v3_small', cli_out, '--project', project])
    with open(os.path.join(cli_out, 'weights.bin'), 'rb') as a, open(os.path.join(out_dir, 'mobilenet_v3_small', 'weights.bin'), 'rb') as b:
        same = a.read() == b.read()
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        bad = torch_import_main(['torchvision.models.resnet18', os.path.join(out_dir, 'cli-bad'), '--project', project])
    summary['_cli'] = {'status': status, 'same_bytes': same, 'bad_status': bad, 'bad_message': err.getvalue()}
print(json.dumps(summary))
