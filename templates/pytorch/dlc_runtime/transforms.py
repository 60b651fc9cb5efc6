"""The batch transforms of dlc (src/runtime/transforms/host.ts), on numpy float32 NHWC batches.

Random transforms draw their per-sample parameters from rng_for(seed, STREAM_AUGMENT,
epoch, batch, position in the list) in the same order as dlc, and every pixel is
computed with the same float32/float64 arithmetic, so a batch equals dlc's bit for bit.

Parameters are drawn for the whole (global) batch and applied to rows [lo, hi): a
data-parallel rank augments its slice exactly as the single process would.

Eval semantics (training=False): random_flip, random_rotation, random_translation and
cutout are skipped; random_crop becomes a centre crop of the padded image.
"""
import math

import numpy as np

from . import jsmath
from .rng import STREAM_AUGMENT, js_round, rng_for

F32 = np.float32


class TransformError(ValueError):
    pass


def check_transform(t, shape):
    """Raises TransformError naming the spec path when a transform cannot apply to [h, w, c] images."""
    h, w, c = shape
    kind = t['kind']

    def fail(msg):
        raise TransformError(f"{t.get('path', '')}: {kind} {msg}")

    if kind == 'normalize':
        if len(t['mean']) != len(t['std']):
            fail(f"has {len(t['mean'])} means but {len(t['std'])} stds")
        if len(t['mean']) not in (1, c):
            fail(f"has {len(t['mean'])} means/stds for {c}-channel images (give 1 or {c})")
        if any(not (s > 0) for s in t['std']):
            fail('needs every std > 0')
    elif kind == 'random_crop':
        if t['size'] > h + 2 * t['padding'] or t['size'] > w + 2 * t['padding']:
            fail(f"size {t['size']} is larger than the padded {h + 2 * t['padding']}×{w + 2 * t['padding']} image")
    elif kind == 'resize':
        if not (t['size'][0] > 0 and t['size'][1] > 0):
            fail(f"needs a positive size, got {t['size'][0]}×{t['size'][1]}")
    elif kind not in ('rescale', 'random_flip', 'random_rotation', 'random_translation', 'cutout'):
        fail('is not a known transform')


def transformed_shape(shape, transforms):
    """The [h, w, c] a transform list turns `shape` into (crop and resize change it)."""
    h, w, c = shape
    for t in transforms:
        check_transform(t, (h, w, c))
        if t['kind'] == 'random_crop':
            h, w = t['size'], t['size']
        elif t['kind'] == 'resize':
            h, w = t['size'][0], t['size'][1]
    return [h, w, c]


# --- per-sample parameters (the draws of host.ts, vectorised) ----------------------------

def flip_params(n, mode, rng):
    """[n, 2] flags (fh, fv); draws fh then fv per sample, only for the axes the mode allows."""
    out = np.zeros((n, 2), dtype=np.uint8)
    if mode == 'both':
        r = rng.draw(2 * n).reshape(n, 2)
        out[:] = r < 0.5
    elif mode == 'horizontal':
        out[:, 0] = rng.draw(n) < 0.5
    else:
        out[:, 1] = rng.draw(n) < 0.5
    return out


def crop_params(n, h, w, size, padding, rng):
    """[n, 2] window offsets (oy, ox) in the padded image; rng None = centred (eval)."""
    ry = h + 2 * padding - size
    rx = w + 2 * padding - size
    if rng is None:
        return np.tile(np.array([ry // 2, rx // 2], dtype=np.int64), (n, 1))
    r = rng.draw(2 * n).reshape(n, 2)
    return np.stack([np.floor(r[:, 0] * (ry + 1)), np.floor(r[:, 1] * (rx + 1))], axis=1).astype(np.int64)


def translate_params(n, max_pixels, rng):
    """[n, 2] shifts (dy, dx) in [-max, max]."""
    r = rng.draw(2 * n).reshape(n, 2)
    return (np.floor(r * (2 * max_pixels + 1)) - max_pixels).astype(np.int64)


def rotate_params(n, degrees, rng):
    """[n] angles in radians, uniform in [-degrees, degrees]."""
    r = rng.draw(n)
    return ((r * 2 - 1) * degrees * math.pi) / 180


def cutout_params(n, h, w, size, rng):
    """[n, 4] zeroed rectangles [y0, x0, y1, x1): a size×size square centred uniformly, clipped."""
    r = rng.draw(2 * n).reshape(n, 2)
    half = size // 2
    cy = np.floor(r[:, 0] * h).astype(np.int64)
    cx = np.floor(r[:, 1] * w).astype(np.int64)
    return np.stack([np.maximum(0, cy - half), np.maximum(0, cx - half), np.minimum(h, cy - half + size), np.minimum(w, cx - half + size)], axis=1)


# --- pixel moves --------------------------------------------------------------------------------
# random_crop, random_translation and random_flip only move pixels: every output pixel is one input
# pixel or zero. A run of them is composed per sample into one affine map per axis and done as one
# copy per sample — on the uint8 pixels when the run comes before any transform that changes values
# (zero padding is 0 before or after the ÷255, so the bytes are the same, and a quarter of them).

MOVES = frozenset(('random_crop', 'random_translation', 'random_flip'))


class Moves:
    """Per sample and axis: output position p reads source position o + s·p (s = ±1), for p in
    [lo, hi) — the positions that stayed inside the image at every step — and is zero elsewhere."""

    def __init__(self, rows, h, w):
        z = np.zeros(rows, dtype=np.int64)
        self.size = [h, w]
        self.o, self.s = [z.copy(), z.copy()], [z + 1, z + 1]
        self.lo, self.hi = [z.copy(), z.copy()], [z + h, z + w]

    def shift(self, out_h, out_w, offsets):
        """out(y, x) = current(y + oy, x + ox), zero outside (a crop window or a translation)."""
        for a, out in enumerate((out_h, out_w)):
            off = offsets[:, a].astype(np.int64)
            self.o[a] = self.o[a] + self.s[a] * off
            self.lo[a] = np.maximum(0, self.lo[a] - off)
            self.hi[a] = np.minimum(out, self.hi[a] - off)
            self.size[a] = out

    def flip(self, flags):
        """Mirrors the samples whose flag is set: flags[:, 0] horizontally, flags[:, 1] vertically."""
        for a, f in ((1, flags[:, 0] != 0), (0, flags[:, 1] != 0)):
            last = self.size[a] - 1
            self.o[a] = np.where(f, self.o[a] + self.s[a] * last, self.o[a])
            self.s[a] = np.where(f, -self.s[a], self.s[a])
            self.lo[a], self.hi[a] = np.where(f, last + 1 - self.hi[a], self.lo[a]), np.where(f, last + 1 - self.lo[a], self.hi[a])

    def apply(self, x):
        """The moved batch: a new array of x's dtype, [rows, out_h, out_w, c]."""
        out = np.zeros((x.shape[0], self.size[0], self.size[1], x.shape[3]), dtype=x.dtype)
        o, s, lo, hi = ([v.tolist() for v in vs] for vs in (self.o, self.s, self.lo, self.hi))
        for k in range(x.shape[0]):
            y0, y1, x0, x1 = lo[0][k], hi[0][k], lo[1][k], hi[1][k]
            if y1 > y0 and x1 > x0:
                out[k, y0:y1, x0:x1] = x[k, _source(o[0][k], s[0][k], y0, y1), _source(o[1][k], s[1][k], x0, x1)]
        return out


def _source(o, s, p0, p1):
    """The source slice of output positions [p0, p1) under p → o + s·p."""
    first, end = o + s * p0, o + s * p1
    return slice(first, end) if s > 0 else slice(first, end if end >= 0 else None, -1)


# --- other pixel operations -----------------------------------------------------------------------

def rotate(x, angles):
    """Nearest-neighbour rotation about the centre, zero fill (dlc's hostRotate)."""
    n, h, w, c = x.shape
    out = np.zeros_like(x)
    cy, cx = (h - 1) / 2, (w - 1) / 2
    yy, xx = np.meshgrid(np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64), indexing='ij')
    dy, dx = yy - cy, xx - cx
    for s in range(n):
        cos, sin = jsmath.cos(angles[s]), jsmath.sin(angles[s])
        sy = js_round(cy + dy * cos - dx * sin).astype(np.int64)
        sx = js_round(cx + dy * sin + dx * cos).astype(np.int64)
        ok = (sy >= 0) & (sy < h) & (sx >= 0) & (sx < w)
        out[s][ok] = x[s][sy[ok], sx[ok]]
    return out


def cutout(x, rects, in_place=False):
    """Zeroes each sample's rectangle; into x itself when in_place (a batch apply_transforms made)."""
    if not in_place:
        x = x.copy()
    for s in range(x.shape[0]):
        y0, x0, y1, x1 = (int(v) for v in rects[s])
        if y1 > y0 and x1 > x0:
            x[s, y0:y1, x0:x1] *= F32(0)  # multiply, as dlc does (-x * 0 is -0)
    return x


def resize(x, out_h, out_w):
    """Bilinear with half-pixel centres, float64 arithmetic on float32 inputs (dlc's hostResize)."""
    n, h, w, c = x.shape
    ry, rx = h / out_h, w / out_w
    fy = ry * (np.arange(out_h) + 0.5) - 0.5
    fx = rx * (np.arange(out_w) + 0.5) - 0.5
    y0 = np.maximum(0, np.floor(fy)).astype(np.int64)
    y1 = np.minimum(h - 1, np.ceil(fy)).astype(np.int64)
    x0 = np.maximum(0, np.floor(fx)).astype(np.int64)
    x1 = np.minimum(w - 1, np.ceil(fx)).astype(np.int64)
    dy = (fy - y0)[None, :, None, None]
    dx = (fx - x0)[None, None, :, None]
    src = x.astype(np.float64)
    tl = src[:, y0][:, :, x0]
    tr = src[:, y0][:, :, x1]
    bl = src[:, y1][:, :, x0]
    br = src[:, y1][:, :, x1]
    top = tl + (tr - tl) * dx
    bot = bl + (br - bl) * dx
    return (top + (bot - top) * dy).astype(F32)


def to_float(x):
    """uint8 pixels → float32 ÷ 255 (correctly rounded: the values of dlc's scale table); float32 as it is."""
    if x.dtype == np.uint8:
        x = x.astype(F32)
        x /= F32(255)
    return x


def apply_transforms(x, transforms, training, seed, epoch, batch, total=None, lo=0):
    """Applies the list to x, rows lo.. of a batch of `total` samples: float32 [rows, h, w, c], or uint8
    pixels, scaled ÷ 255 to float32 before the first transform that changes values (see MOVES).

    Parameters are drawn for all `total` samples (default: x's rows), so a slice gets
    the same augmentation as in the whole batch.
    """
    rows = x.shape[0]
    n = rows if total is None else total
    sl = slice(lo, lo + rows)
    given = x  # the caller's array is never written; later ones are this function's own
    moves = None
    for i, t in enumerate(transforms):
        kind = t['kind']
        rng = rng_for(seed, STREAM_AUGMENT, epoch, batch, i)
        if kind in MOVES:
            h, w = moves.size if moves else x.shape[1:3]
            if kind == 'random_flip':
                if training:
                    moves = moves or Moves(rows, h, w)
                    moves.flip(flip_params(n, t['mode'], rng)[sl])
            elif kind == 'random_crop':
                size, pad = t['size'], t['padding']
                if training or size != h or size != w:
                    moves = moves or Moves(rows, h, w)
                    moves.shift(size, size, crop_params(n, h, w, size, pad, rng if training else None)[sl] - pad)
            elif kind == 'random_translation':
                if training and t['max_pixels'] > 0:
                    moves = moves or Moves(rows, h, w)
                    moves.shift(h, w, -translate_params(n, t['max_pixels'], rng)[sl])
            continue
        if moves:
            x, moves = moves.apply(x), None
        x = to_float(x)
        _, h, w, c = x.shape
        if kind == 'normalize':
            mean = np.array([t['mean'][0] if len(t['mean']) == 1 else t['mean'][k] for k in range(c)], dtype=F32)
            std = np.array([t['std'][0] if len(t['std']) == 1 else t['std'][k] for k in range(c)], dtype=F32)
            # The same float32 subtract and divide per element, over rows of w×c values: numpy's
            # broadcast over a last axis of c (1–4) runs ~7× slower than over the tiled row.
            x = x.reshape(rows, h, w * c) - np.tile(mean, w)
            x /= np.tile(std, w)
            x = x.reshape(rows, h, w, c)
        elif kind == 'rescale':
            x = x * F32(t['scale']) + F32(t['offset'])
        elif kind == 'resize':
            if t['size'][0] != h or t['size'][1] != w:
                x = resize(x, t['size'][0], t['size'][1])
        elif kind == 'random_rotation':
            if training and t['degrees'] > 0:
                x = rotate(x, rotate_params(n, t['degrees'], rng)[sl])
        elif kind == 'cutout':
            if training and t['size'] > 0:
                x = cutout(x, cutout_params(n, h, w, t['size'], rng)[sl], in_place=x is not given)
        else:
            raise TransformError(f'unknown transform {kind}')
    if moves:
        x = moves.apply(x)
    return np.ascontiguousarray(to_float(x), dtype=F32)
