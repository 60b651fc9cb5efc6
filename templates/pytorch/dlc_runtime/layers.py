"""Layers with dlc's (TensorFlow.js / Keras) semantics that PyTorch lacks as such."""
import torch
import torch.nn.functional as F
from torch import nn


class KerasBatchNorm(nn.modules.batchnorm._BatchNorm):
    """Batch norm over dim 1 as tfjs computes it: training normalises with the batch mean and
    biased variance; moving ← moving − (moving − batch)·(1 − momentum) with the Keras
    momentum and the *biased* batch variance (PyTorch would use the unbiased one). The
    state_dict keys are BatchNorm's (weight = gamma, bias = beta, running_mean/var)."""

    dlc_biased_running_var = True

    def __init__(self, num_features, momentum=0.99, epsilon=1e-3, unbiased=False):
        super().__init__(num_features, eps=epsilon, momentum=1 - momentum, affine=True, track_running_stats=True)
        self.keras_momentum = momentum
        # conventions: pytorch: the running variance moves toward the unbiased batch variance, as nn.BatchNorm*.
        self.unbiased = unbiased
        self.dlc_biased_running_var = not unbiased

    def _check_input_dim(self, x):
        if x.dim() < 2:
            raise ValueError(f'expected at least 2-D input, got {x.dim()}-D')

    def forward(self, x):
        self._check_input_dim(x)
        shape = [1, self.num_features] + [1] * (x.dim() - 2)
        if self.training:
            dims = [0] + list(range(2, x.dim()))
            mean = x.mean(dims)
            var = x.var(dims, unbiased=False)
            with torch.no_grad():
                decay = 1 - self.keras_momentum
                self.running_mean.sub_((self.running_mean - mean) * decay)
                n = x.numel() // x.shape[1]
                run_var = var * (n / (n - 1)) if self.unbiased and n > 1 else var
                self.running_var.sub_((self.running_var - run_var) * decay)
                self.num_batches_tracked.add_(1)
        else:
            mean, var = self.running_mean, self.running_var
        inv = torch.rsqrt(var + self.eps)
        return (x - mean.view(shape)) * (inv * self.weight).view(shape) + self.bias.view(shape)


def max_pool2d_same(x, kernel, stride, pads):
    """TF "same" max pooling: pad (left, right, top, bottom) with -inf, then pool."""
    return F.max_pool2d(F.pad(x, pads, value=float('-inf')), kernel, stride)


def avg_pool2d_same(x, kernel, stride, pads):
    """TF "same" average pooling: the mean over the real pixels of each window (padding excluded)."""
    summed = F.avg_pool2d(F.pad(x, pads), kernel, stride)
    count = F.avg_pool2d(F.pad(torch.ones_like(x[:1, :1]), pads), kernel, stride)
    return summed / count


def conv_transpose2d_tf(x, conv, out_hw, start_hw):
    """TensorFlow's conv2d_transpose with `conv` (an nn.ConvTranspose2d, padding 0) holding the
    weights: the full transposed convolution, cropped from (top, left) = start_hw to out_hw and
    zero-padded where the full result is shorter (kernel < stride); the bias is added to every
    output position, as TF adds it after the convolution."""
    y = F.conv_transpose2d(x, conv.weight, None, conv.stride)
    (oh, ow), (top, left) = out_hw, start_hw
    y = y[:, :, top:top + oh, left:left + ow]
    if y.shape[2] < oh or y.shape[3] < ow:
        y = F.pad(y, (0, ow - y.shape[3], 0, oh - y.shape[2]))
    if conv.bias is not None:
        y = y + conv.bias.view(1, -1, 1, 1)
    return y


def max_pool1d_same(x, kernel, stride, pads):
    """TF "same" max pooling over the steps of an NCL tensor: pad (left, right) with -inf."""
    return F.max_pool1d(F.pad(x, pads, value=float('-inf')), kernel, stride)


def avg_pool1d_same(x, kernel, stride, pads):
    """TF "same" average pooling over steps: the mean over the real steps of each window."""
    summed = F.avg_pool1d(F.pad(x, pads), kernel, stride)
    count = F.avg_pool1d(F.pad(torch.ones_like(x[:1, :1]), pads), kernel, stride)
    return summed / count


def upsample_bilinear_tf(x, sh, sw):
    """tfjs UpSampling2D(interpolation='bilinear'): resizeBilinear without aligned corners or
    half-pixel centres — source = destination / factor (not PyTorch's half-pixel rule)."""
    n, c, h, w = x.shape

    def axis(size, factor):
        src = torch.arange(size * factor, dtype=torch.float64, device=x.device) * (size / (size * factor))
        i0 = torch.clamp(src.floor().long(), max=size - 1)
        i1 = torch.clamp(i0 + 1, max=size - 1)
        return i0, i1, (src - i0.double()).to(x.dtype)

    y0, y1, dy = axis(h, sh)
    x0, x1, dx = axis(w, sw)
    top = x[:, :, y0][:, :, :, x0] + (x[:, :, y0][:, :, :, x1] - x[:, :, y0][:, :, :, x0]) * dx
    bot = x[:, :, y1][:, :, :, x0] + (x[:, :, y1][:, :, :, x1] - x[:, :, y1][:, :, :, x0]) * dx
    return top + (bot - top) * dy.view(-1, 1)
