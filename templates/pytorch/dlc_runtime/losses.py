"""dlc's losses (src/runtime/losses/), from logits and one-hot targets, batch means."""
import torch
import torch.nn.functional as F


def make_loss(spec):
    kind = spec['kind']
    if kind == 'cross_entropy':
        eps = spec.get('label_smoothing', 0)

        def ce(logits, onehot):
            k = logits.shape[1]
            q = onehot * (1 - eps) + eps / k if eps > 0 else onehot
            return -(q * F.log_softmax(logits, dim=1)).sum(dim=1).mean()

        return ce
    if kind == 'binary_cross_entropy':
        eps = spec.get('label_smoothing', 0)

        def bce(logits, onehot):
            t = onehot * (1 - eps) + eps / 2 if eps > 0 else onehot
            return (torch.relu(logits) - logits * t + torch.log1p(torch.exp(-logits.abs()))).mean()

        return bce
    if kind == 'mse':
        return lambda out, t: ((out - t) ** 2).mean()
    if kind == 'mae':
        return lambda out, t: (out - t).abs().mean()
    if kind == 'huber':
        delta = spec['delta']

        def huber(out, t):
            d = (out - t).abs()
            q = torch.clamp(d, max=delta)
            return (0.5 * q * q + delta * (d - q)).mean()

        return huber
    raise ValueError(f'unknown loss: {kind}')
