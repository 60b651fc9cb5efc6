"""The synthetic data set's multi-label and real targets (makeMixedSet in dlc's
src/runtime/data/synthetic.ts): each sample mixes the `classes` patterns with weights a_k
(0/1 for multi_label, uniform in [0, 1] for real); its target is a (real: 2·a − 1). The same
draws in the same order as dlc, so the same bytes and targets."""
import numpy as np

from .data import DataError, ImageSet, LoadedDataset
from .rng import STREAM_SYNTHETIC, js_round, rng_for

F32 = np.float32


def make_mixed_set(spec, protos, count, rng):
    h, w, c = spec['shape']
    per = h * w * c
    k = spec['classes']
    multi = spec.get('target') == 'multi_label'
    draws = k + 1 + 2 * per
    targets = np.zeros((count, k), dtype=F32)
    images = np.zeros((count, per), dtype=np.uint8)
    chunk = max(1, (1 << 22) // draws)
    p64 = [p.astype(np.float64) for p in protos]
    for s0 in range(0, count, chunk):
        m = min(chunk, count - s0)
        r = rng.draw(m * draws).reshape(m, draws)
        a = np.where(r[:, :k] < 0.5, 1.0, 0.0) if multi else r[:, :k]
        targets[s0:s0 + m] = (a if multi else 2 * a - 1).astype(F32)
        mix = np.zeros((m, per), dtype=F32)
        for j in range(k):
            # Float32Array accumulation: each += rounds to float32.
            mix = (mix.astype(np.float64) + a[:, j:j + 1] * p64[j][None, :]).astype(F32)
        gain = 90 + r[:, k:k + 1] * 40
        noise = (r[:, k + 1::2] + r[:, k + 2::2] - 1) * 30
        v = 128 + gain * mix.astype(np.float64) + noise
        images[s0:s0 + m] = np.where(v < 0, 0, np.where(v > 255, 255, js_round(np.clip(v, 0, 255)))).astype(np.uint8)
    kind = 'multi_label' if multi else 'real'
    return ImageSet(images.reshape(count, h, w, c), np.zeros(count, dtype=np.int64), targets, kind)


def load_synthetic_targets(spec, seed, prototypes):
    h, w, c = spec['shape']
    if not (h > 0 and w > 0 and c > 0 and spec['classes'] >= 1):
        raise DataError(f"data.synthetic needs a positive shape and at least 1 target (got shape {'×'.join(map(str, spec['shape']))}, classes {spec['classes']})")
    protos = prototypes(spec, seed)
    return LoadedDataset('synthetic', [], make_mixed_set(spec, protos, spec['train_samples'], rng_for(seed, STREAM_SYNTHETIC, 1)),
                         make_mixed_set(spec, protos, spec['test_samples'], rng_for(seed, STREAM_SYNTHETIC, 2)))
