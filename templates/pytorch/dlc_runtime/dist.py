"""Batch norm over the global batch on CPU: torch 1.x's SyncBatchNorm needs CUDA, so under
gloo the model's BatchNorm layers are replaced by CpuSyncBatchNorm, which sums per-channel
counts, sums and sums of squares over the ranks (a differentiable all_reduce) and normalises
with the global batch's mean and (biased) variance — what one process computes on the
whole batch. Running statistics follow the replaced module (torch's momentum convention,
unbiased running variance unless the module says `dlc_biased_running_var = True`)."""
import torch
import torch.distributed as tdist
from torch import nn


class CpuSyncBatchNorm(nn.Module):
    def __init__(self, bn):
        super().__init__()
        self.num_features, self.eps, self.momentum = bn.num_features, bn.eps, bn.momentum
        self.affine, self.track_running_stats = bn.affine, bn.track_running_stats
        self.biased_running_var = getattr(bn, 'dlc_biased_running_var', False)
        self.weight, self.bias = bn.weight, bn.bias
        self.register_buffer('running_mean', bn.running_mean)
        self.register_buffer('running_var', bn.running_var)
        self.register_buffer('num_batches_tracked', bn.num_batches_tracked)

    def forward(self, x):
        if not self.training or not (tdist.is_available() and tdist.is_initialized()):
            return nn.functional.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias, self.training, self.momentum or 0.0, self.eps)
        from torch.distributed.nn.functional import all_reduce

        dims = [0] + list(range(2, x.dim()))
        count = torch.tensor([float(x.numel() // x.shape[1])], dtype=x.dtype)
        stats = torch.cat([x.sum(dims), (x * x).sum(dims), count])
        stats = all_reduce(stats)
        c = self.num_features
        n = stats[2 * c]
        mean = stats[:c] / n
        var = stats[c:2 * c] / n - mean * mean
        shape = [1, c] + [1] * (x.dim() - 2)
        y = (x - mean.view(shape)) * torch.rsqrt(var.view(shape) + self.eps)
        if self.affine:
            y = y * self.weight.view(shape) + self.bias.view(shape)
        if self.track_running_stats:
            with torch.no_grad():
                m = self.momentum if self.momentum is not None else 0.1
                nn_ = float(n)
                rv = var if self.biased_running_var else var * (nn_ / max(nn_ - 1, 1))
                self.running_mean.mul_(1 - m).add_(mean.detach() * m)
                self.running_var.mul_(1 - m).add_(rv.detach() * m)
                self.num_batches_tracked.add_(1)
        return y


def convert_cpu_sync_batchnorm(module):
    if isinstance(module, nn.modules.batchnorm._BatchNorm):
        return CpuSyncBatchNorm(module)
    for name, child in list(module.named_children()):
        new = convert_cpu_sync_batchnorm(child)
        if new is not child:
            setattr(module, name, new)
    return module
