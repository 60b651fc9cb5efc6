"""A spec's image transforms written by hand in PyTorch, as a PyTorch user augments a batch in a training
loop: NCHW float in [0, 1], torch's own random numbers (not dlc's streams: the same kind of work, not the
same pixels). The reference for accuracy (train_image_folder.py) and for dlc's own overhead
(emitted_overhead.py --augment)."""
import torch
import torch.nn.functional as F


def augment(x, transforms, gen):
    """x: float [n,c,h,w] in [0,1]. Per-sample random crop/flip, then normalize."""
    n, c, h, w = x.shape
    for t in transforms:
        k = t['kind']
        if k == 'random_crop':
            p, size = t['padding'], t['size']
            padded = F.pad(x, (p, p, p, p))
            oy = torch.randint(0, h + 2 * p - size + 1, (n,), generator=gen)
            ox = torch.randint(0, w + 2 * p - size + 1, (n,), generator=gen)
            x = torch.stack([padded[i, :, oy[i]:oy[i] + size, ox[i]:ox[i] + size] for i in range(n)])
        elif k == 'random_flip':
            if t['mode'] in ('horizontal', 'both'):
                m = torch.rand(n, generator=gen) < 0.5
                x = torch.where(m[:, None, None, None], x.flip(3), x)
            if t['mode'] in ('vertical', 'both'):
                m = torch.rand(n, generator=gen) < 0.5
                x = torch.where(m[:, None, None, None], x.flip(2), x)
        elif k == 'normalize':
            mean = torch.tensor(t['mean']).view(1, -1, 1, 1)
            std = torch.tensor(t['std']).view(1, -1, 1, 1)
            x = (x - mean) / std
        else:
            raise ValueError(f'transform {k} not in the reference script')
    return x
