"""Another PyTorch model's weights (torchvision's, a script's nn.Module) → dlc's tfjs layer weights.

The dlc spec mirrors the module: its layers with weights (conv2d — grouped too —, depthwise_conv2d,
dense, batch_norm, layer_norm, conv1d) come in the order the module registers its weighted submodules
(`named_modules()`), which for torchvision's models is the order of the forward pass, auxiliary
heads after the trunk (docs/zoo.md). Pairing is by that order, so the spec's layer names are free;
every pair's kinds are checked here, the shapes when the weights load (load_tfjs_weights in
convert_into_project, restoreWeights in dlc).

The layout crossing is dlc_runtime.weights' own (export_tfjs_weights: conv [out, in, kh, kw] →
[kh, kw, in, out] (grouped: [out, in/G, kh, kw] → [kh, kw, in/G, out]), depthwise [c·m, 1, kh, kw]
→ [kh, kw, c, m], dense [out, in] → [in, out],
batch norm weight/bias/running stats → gamma/beta/moving_mean/moving_variance), run on an
adapter module, so the emitted PyTorch project and this converter cannot disagree.

One thing the emitted project never needs: a dense layer after `flatten` of an [h, w, c] map reads
dlc's (NHWC) feature order where PyTorch's flatten gives (c, h, w); pass `flattened={layer name:
(h, w, c)}` and its kernel rows are permuted.

In a project printed by `dlc emit --target pytorch`, the layer list and `flattened` come from its
ir.json (project_layers), and

    python -m dlc_runtime.torch_import torchvision.models.resnet18 OUT_DIR [--kwargs '{"weights": "DEFAULT"}']

writes OUT_DIR/model.json + weights.bin (tfjs's layers format with the project's tfjs_topology.json:
tf.loadLayersModel opens it) and OUT_DIR/model.pt (this project's Model's state_dict).
"""
import argparse
import importlib
import importlib.util
import json
import os
import sys

import numpy as np
import torch
from torch import nn

from .weights import export_tfjs_weights


class ConversionError(ValueError):
    """The module and the dlc layer list do not pair (count or kind); the message names both sides."""


def _role(mod):
    """The dlc_runtime.weights role of a weighted torch module, or None when it holds no weights dlc has.
    Every Conv2d is 'conv' here (grouped ones too: dlc's grouped conv2d keeps a [kh, kw, in/G, out]
    kernel, the plain transpose); pairing makes a depthwise one 'depthwise' when the dlc layer is."""
    if isinstance(mod, nn.Conv2d):
        return 'conv'
    if isinstance(mod, nn.Conv1d) and mod.groups == 1:
        return 'conv1d'
    if isinstance(mod, nn.Linear):
        return 'dense'
    if isinstance(mod, (nn.BatchNorm1d, nn.BatchNorm2d)):
        return 'batch_norm'
    if isinstance(mod, nn.LayerNorm):
        return 'layer_norm'
    if any(True for _ in mod.parameters(recurse=False)):
        raise ConversionError(f'{type(mod).__name__} has weights this converter does not know')
    return None


def weighted_modules(module):
    """[(module path, module, role)] of every submodule holding weights, in registration order."""
    out = []
    for path, mod in module.named_modules():
        role = _role(mod)
        if role:
            out.append((path, mod, role))
    return out


# Which dlc kinds a role may pair with (the kind of the dlc layer, as `dlc inspect` prints it).
_KINDS = {
    'conv': {'conv2d'},
    'conv1d': {'conv1d'},
    'dense': {'dense'},
    'batch_norm': {'batch_norm'},
    'layer_norm': {'layer_norm'},
}


def _paired_role(mod, role, kind):
    """The role under which `mod` converts for a dlc layer of `kind`, or None when they do not pair."""
    if role == 'conv' and kind == 'depthwise_conv2d':
        # nn.Conv2d(c, c·m, groups=c): tfjs's depthwise kernel [kh, kw, c, m]
        return 'depthwise' if mod.groups == mod.in_channels and mod.groups > 1 else None
    if role == 'conv' and kind == 'dense':
        # a 1x1 conv on a 1x1 map (squeeze-excitation's fc1/fc2) is a dense layer on the pooled vector
        return 'dense' if tuple(mod.kernel_size) == (1, 1) and mod.groups == 1 else None
    return role if kind in _KINDS[role] else None


class _Adapter(nn.Module):
    """The paired torch modules under flat attribute names, with the TFJS_NAMES an emitted model has."""

    def __init__(self, pairs):
        super().__init__()
        self.TFJS_NAMES = {}
        for i, (mod, tfjs_name, role) in enumerate(pairs):
            attr = f'm{i}'
            self.add_module(attr, mod)
            self.TFJS_NAMES[attr] = (tfjs_name, role, {})


def torch_to_dlc_weights(module, layers, flattened=None):
    """{tfjs weight name ("<layer>/kernel", …): float32 array in tfjs layout} for the dlc model whose
    weighted layers are `layers` — [(tfjs layer name, dlc kind)] in the spec's order — taking the
    weights of `module`'s weighted submodules in registration order. Raises ConversionError when the
    two lists differ in length or a pair in kind."""
    mods = weighted_modules(module)
    if len(mods) != len(layers):
        raise ConversionError(f'the module has {len(mods)} weighted layers, the dlc model {len(layers)}'
                              + _first_difference(mods, layers))
    pairs = []
    for (path, mod, role), (name, kind) in zip(mods, layers):
        paired = _paired_role(mod, role, kind)
        if paired is None:
            raise ConversionError(f"torch module '{path}' ({type(mod).__name__}) pairs with dlc layer '{name}' of kind {kind}"
                                  + _first_difference(mods, layers))
        pairs.append((_as_linear(mod) if paired == 'dense' and role == 'conv' else mod, name, paired))
    arrays = export_tfjs_weights(_Adapter(pairs))
    for name, hwc in (flattened or {}).items():
        key = f'{name}/kernel'
        if key not in arrays:
            raise ConversionError(f"flattened names '{name}', which is not a dense layer of the dlc model")
        h, w, c = hwc
        k = arrays[key]
        if k.shape[0] != h * w * c:
            raise ConversionError(f"'{name}': kernel has {k.shape[0]} inputs, flatten of {list(hwc)} gives {h * w * c}")
        # rows in PyTorch's (c, h, w) order → dlc's (h, w, c)
        arrays[key] = np.ascontiguousarray(k.reshape(c, h, w, -1).transpose(1, 2, 0, 3).reshape(h * w * c, -1))
    return arrays


def _as_linear(conv):
    lin = nn.Linear(conv.in_channels, conv.out_channels, bias=conv.bias is not None)
    lin.weight.data = conv.weight.data[:, :, 0, 0].clone()
    if conv.bias is not None:
        lin.bias.data = conv.bias.data.clone()
    return lin


def _first_difference(mods, layers):
    """Where the two lists stop agreeing in kind (to say which side has the extra layer)."""
    for i, ((path, mod, role), (name, kind)) in enumerate(zip(mods, layers)):
        if _paired_role(mod, role, kind) is None:
            return f"; first mismatch at weighted layer {i + 1}: torch '{path}' ({type(mod).__name__}) vs dlc '{name}' ({kind})"
    n = min(len(mods), len(layers))
    if len(mods) > n:
        return f"; first unpaired torch module: '{mods[n][0]}' ({type(mods[n][1]).__name__})"
    if len(layers) > n:
        return f"; first unpaired dlc layer: '{layers[n][0]}' ({layers[n][1]})"
    return ''


def project_layers(ir):
    """([(tfjs layer name, kind)] of the weighted layers in order, {dense layer name: (h, w, c)} of the
    dense layers reading a flatten of an [h, w, c] map) from an emitted project's ir.json (a dict)."""
    nodes = ir['nodes']
    by_id = {n['id']: n for n in nodes}
    layers, flattened = [], {}
    for n in nodes:
        if n['params']['trainable'] + n['params']['nonTrainable'] == 0:
            continue
        name = next(c['args']['name'] for c in n['layers'] if c['part'] == 'main')
        layers.append((name, n['op']))
        src = by_id.get(n['inputs'][0]) if n['inputs'] else None
        pre = by_id.get(src['inputs'][0]) if src and src['inputs'] else None
        if n['op'] == 'dense' and src['op'] == 'flatten' and pre and len(pre['shape']) == 3 and pre['shape'][0] * pre['shape'][1] > 1:
            flattened[name] = tuple(pre['shape'])
    return layers, flattened


def write_tfjs_model(arrays, topology, out_dir):
    """out_dir/model.json + weights.bin in tfjs's layers format (weights in `arrays` order)."""
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, 'weights.bin'), 'wb') as f:
        for a in arrays.values():
            f.write(np.ascontiguousarray(a, dtype='<f4').tobytes())
    manifest = [{'paths': ['./weights.bin'], 'weights': [{'name': k, 'shape': list(a.shape), 'dtype': 'float32'} for k, a in arrays.items()]}]
    with open(os.path.join(out_dir, 'model.json'), 'w', encoding='utf8') as f:
        json.dump({'format': 'layers-model', 'generatedBy': f'dlc_runtime.torch_import (torch {torch.__version__})', 'convertedBy': None,
                   'modelTopology': topology, 'weightsManifest': manifest}, f)


def convert_into_project(module, project_dir, out_dir=None):
    """Converts `module`'s weights for the emitted project in `project_dir`; returns (arrays, the
    project's Model with them loaded). With out_dir, also writes model.json + weights.bin + model.pt."""
    with open(os.path.join(project_dir, 'ir.json'), encoding='utf8') as f:
        layers, flattened = project_layers(json.load(f))
    arrays = torch_to_dlc_weights(module, layers, flattened)
    spec = importlib.util.spec_from_file_location(f'dlc_project_model_{abs(hash(project_dir))}', os.path.join(project_dir, 'model.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    model = mod.Model()
    from .weights import load_tfjs_weights
    load_tfjs_weights(model, arrays)
    if out_dir:
        with open(os.path.join(project_dir, 'tfjs_topology.json'), encoding='utf8') as f:
            topology = json.load(f)
        write_tfjs_model(arrays, topology, out_dir)
        torch.save(model.state_dict(), os.path.join(out_dir, 'model.pt'))
    return arrays, model


def _factory(dotted):
    mod_name, _, attr = dotted.rpartition('.')
    if not mod_name:
        raise SystemExit(f'{dotted}: give a module path and a callable, e.g. torchvision.models.resnet18')
    return getattr(importlib.import_module(mod_name), attr)


def main(argv=None):
    ap = argparse.ArgumentParser(description='Converts a PyTorch model\'s weights for this dlc-emitted project (run in its directory).')
    ap.add_argument('factory', help='module.callable building the source model, e.g. torchvision.models.resnet18')
    ap.add_argument('out_dir', help='where model.json, weights.bin and model.pt go')
    ap.add_argument('--kwargs', default='{}', help='JSON keyword arguments of the callable, e.g. {"weights": "DEFAULT"}')
    ap.add_argument('--project', default='.', help='the emitted project (default: the current directory)')
    args = ap.parse_args(argv)
    source = _factory(args.factory)(**json.loads(args.kwargs)).eval()
    try:
        arrays, _ = convert_into_project(source, args.project, args.out_dir)
    except ValueError as e:  # ConversionError, or a shape that does not fit (dlc_runtime.weights.load_tfjs_weights)
        print(f'dlc_runtime.torch_import: {e}', file=sys.stderr)
        return 2
    print(f'{len(arrays)} weights of {args.factory} written to {args.out_dir} (model.json, weights.bin, model.pt)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
