"""Builds a PyTorch module from a dlc IR dumped as JSON (`JSON.stringify(ir)`).

The benchmark and the accuracy comparison need "the same model in PyTorch":
building it from the IR instead of by hand keeps the two from drifting apart.
Shapes in the IR are per sample HWC; torch runs NCHW, which changes nothing
but the order in which `flatten` lays out features.
"""
import math
import torch
from torch import nn
import torch.nn.functional as F


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _same_pad(in_size, k, s, d):
    """TensorFlow's 'same' padding: (before, after) for one spatial axis."""
    eff = (k - 1) * d + 1
    out = math.ceil(in_size / s)
    total = max((out - 1) * s + eff - in_size, 0)
    return total // 2, total - total // 2


ACTIVATIONS = {
    'linear': None, 'relu': nn.ReLU, 'elu': nn.ELU, 'gelu': nn.GELU, 'sigmoid': nn.Sigmoid,
    'tanh': nn.Tanh, 'softmax': lambda: nn.Softmax(dim=1),
}


class _Pad(nn.Module):
    def __init__(self, pads):
        super().__init__()
        self.pads = pads  # (left, right, top, bottom)

    def forward(self, x):
        return F.pad(x, self.pads)


def _activation(name, attrs):
    if name in (None, 'linear'):
        return None
    if name == 'leaky_relu':
        return nn.LeakyReLU(attrs.get('alpha', 0.3))
    return ACTIVATIONS[name]()


def _conv_padding(attrs, in_hw, k, s, d):
    pad = attrs.get('padding', 'valid')
    if pad == 'valid':
        return None
    if isinstance(pad, int):
        return (pad, pad, pad, pad)
    ph = _same_pad(in_hw[0], k[0], s[0], d[0])
    pw = _same_pad(in_hw[1], k[1], s[1], d[1])
    return (pw[0], pw[1], ph[0], ph[1])


def _layer(node, in_shapes):
    """One IR node → (module, is_merge). in_shapes are HWC / F per input."""
    op, a = node['op'], node.get('attrs', {})
    x = in_shapes[0] if in_shapes else None
    seq = []
    if op in ('conv2d', 'depthwise_conv2d', 'separable_conv2d'):
        k, s = _pair(a['kernel_size']), _pair(a.get('strides', 1))
        d = _pair(a.get('dilation_rate', 1))
        pads = _conv_padding(a, x, k, s, d)
        # Symmetric padding goes into the conv itself, as a PyTorch user writes
        # it (padding=1): a separate F.pad copies the activation every step and
        # would make the reference slower than what users would pick.
        inner = 0
        if pads and pads[0] == pads[1] and pads[2] == pads[3]:
            inner, pads = (pads[2], pads[0]), None
        if pads:
            seq.append(_Pad(pads))
        cin = x[2]
        bias = a.get('use_bias', True)
        if op == 'conv2d':
            seq.append(nn.Conv2d(cin, a['filters'], k, s, inner, d, bias=bias))
        else:
            mult = a.get('depth_multiplier', 1)
            dw_bias = bias if op == 'depthwise_conv2d' else False
            seq.append(nn.Conv2d(cin, cin * mult, k, s, inner, d, groups=cin, bias=dw_bias))
            if op == 'separable_conv2d':
                seq.append(nn.Conv2d(cin * mult, a['filters'], 1, bias=bias))
        act = _activation(a.get('activation'), a)
        if act:
            seq.append(act)
    elif op in ('max_pool2d', 'avg_pool2d'):
        k, s = _pair(a['pool_size']), _pair(a.get('strides', a['pool_size']))
        if a.get('padding', 'valid') == 'same':
            seq.append(_Pad(_conv_padding(a, x, k, s, (1, 1))))
        seq.append((nn.MaxPool2d if op == 'max_pool2d' else nn.AvgPool2d)(k, s))
    elif op == 'zero_pad2d':
        p = a.get('padding', 0)
        p = (p, p, p, p) if isinstance(p, int) else tuple(p)
        seq.append(_Pad(p))
    elif op == 'global_avg_pool2d':
        seq += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
    elif op == 'global_max_pool2d':
        seq += [nn.AdaptiveMaxPool2d(1), nn.Flatten()]
    elif op == 'dense':
        seq.append(nn.Linear(x[-1], a['units'], bias=a.get('use_bias', True)))
        act = _activation(a.get('activation'), a)
        if act:
            seq.append(act)
    elif op == 'flatten':
        seq.append(nn.Flatten())
    elif op == 'dropout':
        seq.append(nn.Dropout(a['rate']))
    elif op == 'batch_norm':
        # Keras momentum m ↔ torch momentum 1 - m.
        mod = nn.BatchNorm2d if len(x) == 3 else nn.BatchNorm1d
        seq.append(mod(x[-1], eps=a.get('epsilon', 1e-3), momentum=1 - a.get('momentum', 0.99)))
    elif op in ACTIVATIONS or op == 'leaky_relu':
        act = _activation(op, a)
        if act:
            seq.append(act)
    elif op in ('add', 'concat'):
        return None, True
    else:
        raise ValueError(f'op {op} not supported by the torch reference builder')
    return nn.Sequential(*seq), False


class IRModel(nn.Module):
    def __init__(self, ir):
        super().__init__()
        self.nodes = ir['nodes']
        self.output_id = ir['outputId']
        shapes = {}
        self.mods = nn.ModuleDict()
        for n in self.nodes:
            if n['op'] == 'input':
                shapes[n['id']] = n['shape']
                continue
            mod, _ = _layer(n, [shapes[i] for i in n['inputs']])
            if mod is not None:
                self.mods[self._key(n['id'])] = mod
            shapes[n['id']] = n['shape']

    @staticmethod
    def _key(node_id):
        return node_id.replace('.', '__')

    def forward(self, x):
        values = {}
        for n in self.nodes:
            if n['op'] == 'input':
                values[n['id']] = x
            elif n['op'] == 'add':
                vals = [values[i] for i in n['inputs']]
                out = vals[0]
                for v in vals[1:]:
                    out = out + v
                values[n['id']] = out
            elif n['op'] == 'concat':
                values[n['id']] = torch.cat([values[i] for i in n['inputs']], dim=1)
            else:
                values[n['id']] = self.mods[self._key(n['id'])](values[n['inputs'][0]])
        return values[self.output_id]
