"""Layers with dlc's (TensorFlow.js / Keras) semantics that PyTorch lacks as such."""
import math

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


# --- sequence kinds -------------------------------------------------------------------------------
# These modules keep their weights as tfjs keeps them (kernels [in, out], x·W + b; one bias per
# recurrent cell), so dlc's weights load unchanged and the parameter count is tfjs's (`dlc inspect`'s).
# `tfjs_weights()` lists (parameter path, tfjs weight name under the layer, initial value when no seed
# draws it: 'zeros' or 'ones'), in the order tfjs adds them; dlc_runtime.weights and dlc_runtime.init
# read it (role 'native': no layout change).


class TfjsEmbedding(nn.Module):
    """tfjs Embedding: a row of `embeddings` [input_dim, output_dim] per token id. With mask_zero, id 0
    also yields a mask (False at padding) that recurrent layers read (tfjs masking)."""

    def __init__(self, input_dim, output_dim, mask_zero=False):
        super().__init__()
        self.embeddings = nn.Parameter(torch.zeros(input_dim, output_dim))
        self.mask_zero = mask_zero

    def tfjs_weights(self):
        return [('embeddings', 'embeddings', 'zeros')]

    def forward(self, ids):
        ids = ids.long()
        return F.embedding(ids, self.embeddings)

    def mask(self, ids):
        return ids != 0


def _masked(new, old, m):
    """tfjs rnn(): new·m + old·(1 − m) (a masked step keeps the previous output and states)."""
    return new * m + old * (1 - m)


def _steps(xw, mask):
    """The step loops' inputs: each step's xw[:, t] and mask as 1/0 [n, 1] (None without a mask).
    Read with unbind, whose backward stacks the steps' gradients once; indexing xw[:, t] gave every
    step's backward a zero-filled copy of all of xw's gradient (memory traffic quadratic in the
    steps: 4–5× the time at 300 steps, seconds under glibc's default malloc)."""
    ms = [None] * xw.shape[1] if mask is None else mask.to(xw.dtype).unsqueeze(-1).unbind(1)
    return zip(xw.unbind(1), ms)


class _KerasRecurrent(nn.Module):
    """The weights tfjs's recurrent layers share, in tfjs's layouts: kernel [input, gates·units],
    recurrent_kernel [units, gates·units] and ONE bias [gates·units]; `gates` is set by the cell."""

    gates = None

    def __init__(self, input_size, units, return_sequences=False, go_backwards=False):
        super().__init__()
        g = self.gates * units
        self.units = units
        self.return_sequences = return_sequences
        self.go_backwards = go_backwards
        self.kernel = nn.Parameter(torch.zeros(input_size, g))
        self.recurrent_kernel = nn.Parameter(torch.zeros(units, g))
        self.bias = nn.Parameter(torch.zeros(g))

    def tfjs_weights(self):
        return [('kernel', 'kernel', 'zeros'), ('recurrent_kernel', 'recurrent_kernel', 'zeros'), ('bias', 'bias', 'zeros')]

    def _in_step_order(self, x, mask):
        """x and mask in the order the steps run: reversed with go_backwards (tfjs flips the whole
        sequence, padding included)."""
        if not self.go_backwards:
            return x, mask
        return x.flip(1), None if mask is None else mask.flip(1)


def _right_padded_lengths(mask):
    """Each row's number of valid steps when `mask` [n, t] is right padding (every row: valid steps,
    then masked ones, at least one valid) — the form the fused kernels can run; otherwise None."""
    lengths = mask.sum(1)
    steps = torch.arange(mask.shape[1], device=mask.device)
    if bool((lengths > 0).all()) and bool((mask == (steps.unsqueeze(0) < lengths.unsqueeze(1))).all()):
        return lengths
    return None


class KerasLSTM(_KerasRecurrent):
    """tfjs/Keras LSTM: z = x·kernel + h·recurrent_kernel + bias, gates (i, f, c, o) with the logistic
    sigmoid, c = f·c + i·tanh(z_c), h = o·tanh(c); ONE bias vector (PyTorch's nn.LSTM has two).
    Without a mask it runs PyTorch's fused LSTM (same gate order i, f, g, o) with the transposed
    kernels, this bias as b_ih and zeros as b_hh; with a right-padding mask the same over the padded
    rows, each row's outputs picked (either direction; on CPU that measured faster than packing the
    rows, docs/codegen/pytorch.md); with any other mask, `loop`: a Python loop over the steps."""

    gates = 4

    def _fused_weights(self):
        """PyTorch's fused-LSTM weights (w_ih, w_hh, b_ih, b_hh) from tfjs's: transposed kernels, the one bias as b_ih."""
        return [self.kernel.t(), self.recurrent_kernel.t(), self.bias, torch.zeros_like(self.bias)]

    def _fused(self, x):
        n = x.shape[0]
        h0 = x.new_zeros(1, n, self.units)
        weights = self._fused_weights()
        # (input, (h0, c0), weights, has_biases, num_layers, dropout, train, bidirectional, batch_first) → (out, h, c)
        return torch._VF.lstm(x, (h0, h0), weights, True, 1, 0.0, self.training, False, True)[0]

    def _step(self, xw, h, c):
        z = xw + h @ self.recurrent_kernel
        i, f, g, o = z.chunk(4, dim=-1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(c), c

    def _last_valid(self, out, lengths):
        """Each row's output at its last valid step (lengths − 1) [n, units]."""
        return out.gather(1, (lengths - 1).view(-1, 1, 1).expand(-1, 1, self.units)).squeeze(1)

    def _right_padded(self, x, mask, lengths):
        """Forwards over a right-padded mask, what tfjs gives: the last valid state, and for
        return_sequences that state carried over the padding. The fused LSTM runs over the whole
        rows: the padding comes after a row's valid steps, so it cannot change their outputs, and its
        own outputs are not read (no gradient reaches them)."""
        out = self._fused(x)
        last = self._last_valid(out, lengths)
        return torch.where(mask.unsqueeze(-1), out, last.unsqueeze(1)) if self.return_sequences else last

    def _right_padded_backwards(self, x, lengths):
        """go_backwards over a right-padded mask. tfjs flips the whole sequence: the padding comes first
        and keeps the zero state, then each row's valid steps in reverse order. So: the fused LSTM over
        each row's valid steps reversed, followed by its padding (as forwards), the state after them
        the last state; for return_sequences, in tfjs's flipped order, zeros at a row's t − L leading
        positions and then those outputs."""
        t = x.shape[1]
        steps = torch.arange(t, device=x.device).unsqueeze(0)
        span = lengths.unsqueeze(1)
        # Row i's valid steps reversed (L−1 … 0), then its padding positions in place.
        reversed_valid = torch.where(steps < span, span - 1 - steps, steps)
        out = self._fused(x.gather(1, reversed_valid.unsqueeze(-1).expand(-1, -1, x.shape[2])))
        if not self.return_sequences:
            return self._last_valid(out, lengths)
        # Flipped position k ≥ t − L holds output k − (t − L) = (k + L) mod t; k < t − L is padding: zero.
        seq = out.gather(1, ((steps + span) % t).unsqueeze(-1).expand(-1, -1, self.units))
        return torch.where((steps >= t - span).unsqueeze(-1), seq, torch.zeros_like(seq))

    def forward(self, x, mask=None):
        if mask is None:
            out = self._fused(self._in_step_order(x, None)[0])
            return out if self.return_sequences else out[:, -1]
        lengths = _right_padded_lengths(mask)
        if lengths is None:
            return self.loop(x, mask)
        return self._right_padded_backwards(x, lengths) if self.go_backwards else self._right_padded(x, mask, lengths)

    def loop(self, x, mask=None):
        """tfjs rnn() step by step; any mask."""
        x, mask = self._in_step_order(x, mask)
        xw = x @ self.kernel + self.bias
        h = x.new_zeros(x.shape[0], self.units)
        c = h
        outs = []
        for xw_t, m in _steps(xw, mask):
            hn, cn = self._step(xw_t, h, c)
            h, c = (hn, cn) if m is None else (_masked(hn, h, m), _masked(cn, c, m))
            outs.append(h)
        return torch.stack(outs, 1) if self.return_sequences else h


class KerasGRU(_KerasRecurrent):
    """tfjs's GRU (Keras reset_after=False — the only form tfjs has; PyTorch's nn.GRU is reset-after):
    x·kernel + bias split (z, r, h); z = σ(x_z + h·U_z), r = σ(x_r + h·U_r),
    ĥ = tanh(x_h + (r·h)·U_h), h = z·h + (1 − z)·ĥ; one bias of 3·units. No fused kernel computes
    it, so a Python loop over the steps (measured faster on torch 1.13's CPU than the same loop
    compiled by torch.jit.script, which runs it op by op too: docs/codegen/pytorch.md)."""

    gates = 3

    def forward(self, x, mask=None):
        x, mask = self._in_step_order(x, mask)
        u = self.units
        xw = x @ self.kernel + self.bias
        rk_zr, rk_h = self.recurrent_kernel[:, :2 * u], self.recurrent_kernel[:, 2 * u:]
        h = x.new_zeros(x.shape[0], u)
        outs = []
        for xw_t, m in _steps(xw, mask):
            xz, xr, xh = xw_t.split(u, dim=-1)
            rz, rr = (h @ rk_zr).split(u, dim=-1)
            z = torch.sigmoid(xz + rz)
            r = torch.sigmoid(xr + rr)
            hn = z * h + (1 - z) * torch.tanh(xh + (r * h) @ rk_h)
            h = hn if m is None else _masked(hn, h, m)
            outs.append(h)
        return torch.stack(outs, 1) if self.return_sequences else h


class KerasBidirectional(nn.Module):
    """tfjs Bidirectional: a forward layer and a go_backwards copy (weights `forward_<name>/…`,
    `backward_<name>/…`); with return_sequences the backward outputs are reversed back to step
    order; merged by concat (forward first), sum, mul or ave."""

    def __init__(self, cell, input_size, units, inner_name, return_sequences=False, merge_mode='concat'):
        super().__init__()
        cls = {'lstm': KerasLSTM, 'gru': KerasGRU}[cell]
        self.forward_layer = cls(input_size, units, return_sequences)
        self.backward_layer = cls(input_size, units, return_sequences, go_backwards=True)
        self.inner_name = inner_name
        self.return_sequences = return_sequences
        self.merge_mode = merge_mode

    def tfjs_weights(self):
        return [(f'{d}_layer.{p}', f'{d}_{self.inner_name}/{w}', init)
                for d in ('forward', 'backward') for p, w, init in getattr(self, f'{d}_layer').tfjs_weights()]

    def forward(self, x, mask=None):
        y = self.forward_layer(x, mask)
        y_rev = self.backward_layer(x, mask)
        if self.return_sequences:
            y_rev = y_rev.flip(1)
        if self.merge_mode == 'concat':
            return torch.cat([y, y_rev], dim=-1)
        if self.merge_mode == 'sum':
            return y + y_rev
        if self.merge_mode == 'ave':
            return 0.5 * (y + y_rev)
        if self.merge_mode == 'mul':
            return y * y_rev
        raise ValueError(f'merge mode {self.merge_mode!r}')


class DlcPositionalEmbedding(nn.Module):
    """dlc's positional_embedding (runtime/model/custom-layers.ts): x + embeddings [steps, width]."""

    def __init__(self, steps, width):
        super().__init__()
        self.embeddings = nn.Parameter(torch.zeros(steps, width))

    def tfjs_weights(self):
        return [('embeddings', 'embeddings', 'zeros')]

    def forward(self, x):
        return x + self.embeddings


def _tf_layer_norm(x, gamma, beta, eps):
    """tf.moments over the last axis (biased variance): (x − mean) / √(var + ε) · γ + β."""
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * gamma + beta


class _Attention(nn.Module):
    """Self-attention weights as dlc's custom layers keep them: query/key/value kernels [width, heads·key_dim],
    output kernel [heads·key_dim, width], each with a bias."""

    def __init__(self, width, heads, key_dim):
        super().__init__()
        hk = heads * key_dim
        self.heads, self.key_dim = heads, key_dim
        for w, shape in (('query', (width, hk)), ('key', (width, hk)), ('value', (width, hk)), ('output', (hk, width))):
            setattr(self, f'{w}_kernel', nn.Parameter(torch.zeros(*shape)))
            setattr(self, f'{w}_bias', nn.Parameter(torch.zeros(shape[1])))

    def names(self, prefix=''):
        return [(f'{prefix}{w}_{p}', f'{w}_{p}', 'zeros') for w in ('query', 'key', 'value', 'output') for p in ('kernel', 'bias')]

    def forward(self, x):
        n, t, _ = x.shape
        h, k = self.heads, self.key_dim

        def split(y):
            return y.reshape(n, t, h, k).permute(0, 2, 1, 3)

        q = split(x @ self.query_kernel + self.query_bias)
        kk = split(x @ self.key_kernel + self.key_bias)
        v = split(x @ self.value_kernel + self.value_bias)
        scores = (q @ kk.transpose(-1, -2)) * (1 / math.sqrt(k))
        context = torch.softmax(scores, -1) @ v
        merged = context.permute(0, 2, 1, 3).reshape(n, t, h * k)
        return merged @ self.output_kernel + self.output_bias


class DlcMultiHeadAttention(nn.Module):
    """dlc's multi_head_attention (custom-layers.ts DlcMultiHeadAttention): scaled dot-product self-attention."""

    def __init__(self, width, heads, key_dim):
        super().__init__()
        self.attention = _Attention(width, heads, key_dim)

    def tfjs_weights(self):
        return [(f'attention.{p}', w, init) for p, w, init in self.attention.names()]

    def forward(self, x):
        return self.attention(x)


class DlcTransformerEncoder(nn.Module):
    """dlc's transformer_encoder (custom-layers.ts DlcTransformerEncoder), post-norm, no dropout:
    y = LN₁(x + MHA(x)); out = LN₂(y + relu(y·W₁ + b₁)·W₂ + b₂)."""

    def __init__(self, width, heads, key_dim, ff_dim, epsilon):
        super().__init__()
        self.attention = _Attention(width, heads, key_dim)
        self.epsilon = epsilon
        self.norm1_gamma = nn.Parameter(torch.ones(width))
        self.norm1_beta = nn.Parameter(torch.zeros(width))
        self.norm2_gamma = nn.Parameter(torch.ones(width))
        self.norm2_beta = nn.Parameter(torch.zeros(width))
        self.ff1_kernel = nn.Parameter(torch.zeros(width, ff_dim))
        self.ff1_bias = nn.Parameter(torch.zeros(ff_dim))
        self.ff2_kernel = nn.Parameter(torch.zeros(ff_dim, width))
        self.ff2_bias = nn.Parameter(torch.zeros(width))

    def tfjs_weights(self):
        # The order tfjs adds them (build()): attention, norms, feed-forward.
        att = [(f'attention.{p}', f'attention_{w}', init) for p, w, init in self.attention.names()]
        rest = [('norm1_gamma', 'norm1_gamma', 'ones'), ('norm1_beta', 'norm1_beta', 'zeros'), ('norm2_gamma', 'norm2_gamma', 'ones'),
                ('norm2_beta', 'norm2_beta', 'zeros'), ('ff1_kernel', 'ff1_kernel', 'zeros'), ('ff1_bias', 'ff1_bias', 'zeros'),
                ('ff2_kernel', 'ff2_kernel', 'zeros'), ('ff2_bias', 'ff2_bias', 'zeros')]
        return att + rest

    def forward(self, x):
        y = _tf_layer_norm(x + self.attention(x), self.norm1_gamma, self.norm1_beta, self.epsilon)
        h = torch.relu(y @ self.ff1_kernel + self.ff1_bias) @ self.ff2_kernel + self.ff2_bias
        return _tf_layer_norm(y + h, self.norm2_gamma, self.norm2_beta, self.epsilon)
