"""dlc's initial weights without TensorFlow.js: tfjs's seeded glorotUniform (seedrandom's alea
PRNG, VarianceScaling fan_avg / uniform) ported exactly, so the emitted model starts from the
very weights `dlc run` starts from (kernels from the recipe's seeds, biases and beta zero,
gamma and moving variance one)."""
import math

import numpy as np
import torch


def _mash():
    n = [0xEFC8249D]

    def mash(data):
        for ch in str(data):
            n[0] += ord(ch)
            h = 0.02519603282416938 * n[0]
            n[0] = int(h) % 4294967296
            h -= n[0]
            h *= n[0]
            n[0] = int(h) % 4294967296
            h -= n[0]
            n[0] += h * 4294967296.0
        return (int(n[0]) % 4294967296) * 2.3283064365386963e-10

    return mash


class Alea:
    """seedrandom's alea (what tfjs's random ops use), same numbers for the same seed string."""

    def __init__(self, seed):
        mash = _mash()
        self.c = 1
        self.s0 = mash(' ')
        self.s1 = mash(' ')
        self.s2 = mash(' ')
        self.s0 -= mash(seed)
        if self.s0 < 0:
            self.s0 += 1
        self.s1 -= mash(seed)
        if self.s1 < 0:
            self.s1 += 1
        self.s2 -= mash(seed)
        if self.s2 < 0:
            self.s2 += 1

    def __call__(self):
        t = 2091639 * self.s0 + self.c * 2.3283064365386963e-10
        self.s0 = self.s1
        self.s1 = self.s2
        self.c = int(t)
        self.s2 = t - self.c
        return self.s2


def _js_seed_string(seed):
    return str(int(seed)) if float(seed).is_integer() else repr(float(seed))


def glorot_uniform(shape, seed):
    """tf.initializers.glorotUniform({seed}).apply(shape) as a float32 array in tfjs layout."""
    shape = [int(d) for d in shape]
    if len(shape) == 2:
        fan_in, fan_out = shape
    elif len(shape) in (3, 4, 5):
        rf = int(np.prod(shape[:-2]))
        fan_in, fan_out = shape[-2] * rf, shape[-1] * rf
    else:
        p = int(np.prod(shape))
        fan_in = fan_out = math.sqrt(p)
    scale = 1.0 / max(1, (fan_in + fan_out) / 2)
    return uniform(shape, seed, math.sqrt(3 * scale))


def uniform(shape, seed, limit):
    """tf.initializers.randomUniform({minval: -limit, maxval: limit, seed}).apply(shape), tfjs layout."""
    shape = [int(d) for d in shape]
    lo, rng = -limit, limit - (-limit)
    r = Alea(_js_seed_string(seed))
    n = int(np.prod(shape))
    return np.array([lo + rng * r() for _ in range(n)], dtype=np.float32).reshape(shape)


def random_normal(shape, seed):
    """tf.randomNormal(shape, 0, 1, 'float32', seed): tfjs's MPRandGauss (Marsaglia polar method on
    seedrandom's alea), the same draws in the same order, as float32."""
    r = Alea(_js_seed_string(seed))
    n = int(np.prod(shape))
    out = []
    while len(out) < n:
        while True:
            v1 = 2 * r() - 1
            v2 = 2 * r() - 1
            s = v1 * v1 + v2 * v2
            if 0 < s < 1:
                break
        m = math.sqrt(-2.0 * math.log(s) / s)
        out.append(v1 * m)
        out.append(v2 * m)
    return np.array(out[:n], dtype=np.float32).reshape([int(d) for d in shape])


def orthogonal(shape, seed):
    """tf.initializers.orthogonal({seed}).apply(shape) (gain 1): the QR decomposition of the seeded
    normal matrix [max(rows, cols), min(rows, cols)] with Q's columns signed by R's diagonal,
    transposed when rows < cols. The normal draws are tfjs's exactly; tfjs factorises them in float32
    (Householder on its backend), this in float64, so values agree to float32 rounding (~1e-6), not bit
    for bit: `dlc run --backend torch` and the tests start from dlc's exported weights when that matters."""
    shape = [int(d) for d in shape]
    rows, cols = int(np.prod(shape[:-1])), shape[-1]
    a = random_normal([max(rows, cols), min(rows, cols)], seed).astype(np.float64)
    q, r = np.linalg.qr(a)
    q = q * np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return q.reshape(shape).astype(np.float32)


def _draw(shape, seed):
    """A TFJS_NAMES seeds entry: seed → glorot uniform; (seed, limit) → uniform(±limit); ('orthogonal', seed);
    ('normal', seed, stddev) → tfjs's randomNormal(0, stddev) (conventions: pytorch embeddings)."""
    if isinstance(seed, tuple) and seed[0] == 'orthogonal':
        return orthogonal(shape, seed[1])
    if isinstance(seed, tuple) and seed[0] == 'normal':
        return (random_normal(shape, seed[1]).astype(np.float64) * seed[2]).astype(np.float32)
    if isinstance(seed, tuple):
        return uniform(shape, seed[0], seed[1])
    return glorot_uniform(shape, seed)


def _tfjs_kernel_shape(role, mod):
    w = mod.weight
    if role == 'dense':
        return [w.shape[1], w.shape[0]]
    if role == 'conv1d':
        return [w.shape[2], w.shape[1], w.shape[0]]
    if role == 'depthwise':
        cin = mod.groups
        return [w.shape[2], w.shape[3], cin, w.shape[0] // cin]
    return [w.shape[2], w.shape[3], w.shape[1], w.shape[0]]


def init_like_dlc(model):
    """Sets every weight to dlc's initial value (model.TFJS_NAMES carries the kernel seeds)."""
    from .weights import _to_torch

    with torch.no_grad():
        for attr, entry in model.TFJS_NAMES.items():
            role = entry[1]
            seeds = entry[2] if len(entry) > 2 else {}
            mod = getattr(model, attr)
            if role == 'native':
                # Sequence kinds (layers.py) hold tfjs layouts: seeds are keyed by the tfjs weight name.
                for path, weight, default in mod.tfjs_weights():
                    p = mod.get_parameter(path)
                    if weight in seeds:
                        p.copy_(torch.from_numpy(_draw(list(p.shape), seeds[weight])))
                    else:
                        p.fill_(1 if default == 'ones' else 0)
            elif role in ('conv', 'conv1d', 'depthwise', 'pointwise', 'dense'):
                # A seed: glorot uniform (Keras); (seed, limit): uniform(±limit) (conventions: pytorch).
                for weight, seed in seeds.items():
                    if weight == 'bias':
                        continue
                    shape = _tfjs_kernel_shape(role, mod)
                    a = uniform(shape, seed[0], seed[1]) if isinstance(seed, tuple) else glorot_uniform(shape, seed)
                    mod.weight.copy_(_to_torch(role, weight, a))
                if getattr(mod, 'bias', None) is not None:
                    if 'bias' in seeds:
                        seed, limit = seeds['bias']
                        mod.bias.copy_(torch.from_numpy(uniform([mod.bias.shape[0]], seed, limit)))
                    else:
                        mod.bias.zero_()
            elif role in ('batch_norm', 'layer_norm'):
                mod.weight.fill_(1)
                mod.bias.zero_()
                if role == 'batch_norm':
                    mod.running_mean.zero_()
                    mod.running_var.fill_(1)
    return model
