"""Optimizers with dlc's semantics (docs/runtime/training-math.md in dlc).

dlc's optimizers are written to follow PyTorch's update equations, so each maps onto
torch.optim with the spec's hyper-parameters (one parameter group; weight decay on every
trainable tensor, biases and norm scales included; AdamW's decoupled decay; Adam's ε
added to the bias-corrected sqrt(v̂); RMSprop's ε outside the root; SGD's lr multiplying
the whole momentum buffer). What torch.optim does not do is here: the per-step learning
rate (`set_lr`), gradient clipping in dlc's order (value, then global norm), and the
optimizer state as dlc's named arrays, so checkpoints cross over.
"""
import torch


def make_optimizer(spec, params):
    """The torch optimizer for spec.optimizer over `params` (the model's trainable tensors, in order)."""
    params = list(params)
    kind, lr, wd = spec['kind'], spec['learning_rate'], spec.get('weight_decay', 0)
    if not wd >= 0:
        raise ValueError(f'weight_decay must be >= 0, got {wd}')
    if kind == 'sgd':
        if spec['nesterov'] and not spec['momentum'] > 0:
            raise ValueError('sgd: nesterov needs momentum > 0')
        return torch.optim.SGD(params, lr=lr, momentum=spec['momentum'], dampening=0, nesterov=spec['nesterov'], weight_decay=wd)
    if kind in ('adam', 'adamw'):
        cls = torch.optim.Adam if kind == 'adam' else torch.optim.AdamW
        return cls(params, lr=lr, betas=(spec['beta1'], spec['beta2']), eps=spec['epsilon'], weight_decay=wd, amsgrad=False)
    if kind == 'rmsprop':
        return torch.optim.RMSprop(params, lr=lr, alpha=spec['rho'], eps=spec['epsilon'], weight_decay=wd, momentum=spec['momentum'], centered=False)
    if kind == 'adagrad':
        return torch.optim.Adagrad(params, lr=lr, lr_decay=0, weight_decay=wd, initial_accumulator_value=spec['initial_accumulator_value'], eps=spec['epsilon'])
    raise ValueError(f'unknown optimizer: {kind}')


def set_lr(optimizer, lr):
    for g in optimizer.param_groups:
        g['lr'] = lr


def clip_gradients(params, spec):
    """dlc's order: clip by value, then by global norm (coef = min(1, max_norm / (norm + 1e-6)))."""
    params = [p for p in params if p.grad is not None]
    if spec.get('clip_value') is not None:
        torch.nn.utils.clip_grad_value_(params, spec['clip_value'])
    if spec.get('clip_norm') is not None:
        torch.nn.utils.clip_grad_norm_(params, spec['clip_norm'])


# dlc's slot names for each optimizer, and torch's state key for each.
_SLOTS = {
    'sgd': {'momentum': 'momentum_buffer'},
    'adam': {'m': 'exp_avg', 'v': 'exp_avg_sq'},
    'adamw': {'m': 'exp_avg', 'v': 'exp_avg_sq'},
    'rmsprop': {'square_avg': 'square_avg', 'momentum': 'momentum_buffer'},
    'adagrad': {'sum': 'sum'},
}
_STEP_SPLIT = 2 ** 24


def _nhwc(t):
    """A torch slot in dlc's layout: conv kernels [out, in, kh, kw] → [kh, kw, in, out], dense [out, in] → [in, out]."""
    if t.dim() == 4:
        return t.permute(2, 3, 1, 0)
    if t.dim() == 2:
        return t.t()
    return t


def _from_nhwc(a, like):
    if like.dim() == 4:
        return a.permute(3, 2, 0, 1)
    if like.dim() == 2:
        return a.t()
    return a


def state_arrays(kind, optimizer, params, names=None, layout=None):
    """The optimizer state as dlc's named arrays: [{name, shape, values (float32 numpy)}],
    "step" first, then "<index>/<slot>/<name>" in variable order. `layout(i, tensor)` maps a
    slot to dlc's weight layout (default: torch → Keras kernel transposes)."""
    import numpy as np

    layout = layout or (lambda i, t: _nhwc(t))
    step = 0
    out = []
    slots = _SLOTS[kind]
    for i, p in enumerate(params):
        st = optimizer.state.get(p, {})
        if 'step' in st:
            step = int(st['step'])
        for slot in sorted(slots):
            key = slots[slot]
            if key in st and st[key] is not None:
                a = layout(i, st[key].detach()).contiguous().cpu().numpy().astype(np.float32)
                out.append({'name': f"{i}/{slot}/{names[i] if names else ''}", 'shape': list(a.shape), 'values': a.reshape(-1)})
    return [{'name': 'step', 'shape': [2], 'values': np.array([step // _STEP_SPLIT, step % _STEP_SPLIT], dtype=np.float32)}] + out
