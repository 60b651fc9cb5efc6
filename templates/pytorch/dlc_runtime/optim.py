"""Optimizers with dlc's semantics (docs/runtime/training-math.md in dlc).

dlc's optimizers are written to follow PyTorch's update equations, so each maps onto
torch.optim with the spec's hyper-parameters (one parameter group; weight decay on every
trainable tensor, biases and norm scales included; AdamW's decoupled decay; Adam's ε
added to the bias-corrected sqrt(v̂); RMSprop's ε outside the root; SGD's lr multiplying
the whole momentum buffer). What torch.optim does not do is here: the per-step learning
rate (`set_lr`), the momentum of a cycling schedule (`set_momentum`) and gradient clipping in dlc's order (value, then global norm). (The optimizer
state is saved as torch's state_dict; dlc's named-array form is not written yet.)
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


def set_momentum(optimizer, momentum):
    """A momentum-cycling schedule's value (one_cycle), as torch's OneCycleLR sets it: Adam's beta1,
    else the group's momentum (SGD, RMSprop); optimizers with neither (Adagrad) are left alone."""
    for g in optimizer.param_groups:
        if 'betas' in g:
            g['betas'] = (momentum, *g['betas'][1:])
        elif 'momentum' in g:
            g['momentum'] = momentum


def clip_gradients(params, spec):
    """dlc's order: clip by value, then by global norm (coef = min(1, max_norm / (norm + 1e-6)))."""
    params = [p for p in params if p.grad is not None]
    if spec.get('clip_value') is not None:
        torch.nn.utils.clip_grad_value_(params, spec['clip_value'])
    if spec.get('clip_norm') is not None:
        torch.nn.utils.clip_grad_norm_(params, spec['clip_norm'])
