"""Learning-rate schedules, per optimizer step: a port of dlc's src/runtime/schedules/.

`make_schedule(spec, base_lr, steps_per_epoch, epochs)` returns an object with
`lr_at(step)` (step 0-based: the step about to be taken), `momentum_at(step)` for one_cycle
with cycle_momentum (else None), `end_epoch(epoch, metrics)`,
`get_state()` and `set_state(state)` — the same numbers and the same checkpoint state
as dlc's LrSchedule.
"""
import math

from . import jsmath

_THRESHOLD = 1e-4
_MIN_CHANGE = 1e-8


def monitor_mode(monitor):
    return 'min' if monitor in ('loss', 'val_loss') else 'max'


def _epoch_of(step, steps_per_epoch):
    return step // steps_per_epoch


def _with_warmup(curve, warmup, target):
    if warmup <= 0:
        return curve
    return lambda step: (target(step) * (step + 1)) / warmup if step < warmup else curve(step)


def _anneal_cos(start, end, pct):
    return end + ((start - end) / 2) * (jsmath.cos(math.pi * pct) + 1)


def _js_round(x):
    f = math.floor(x)
    return f + 1 if x - f >= 0.5 else f


class _Stateless:
    momentum_at = None

    def __init__(self, kind, curve):
        self.kind, self.lr_at = kind, curve

    def end_epoch(self, epoch, metrics):
        pass

    def get_state(self):
        return {'kind': self.kind}

    def set_state(self, state):
        _check_kind(state, self.kind)


class PlateauTracker:
    """ReduceLROnPlateau with PyTorch's threshold 1e-4 (relative) and cooldown 0."""

    def __init__(self, base_lr, monitor, factor, patience, min_lr):
        if not (0 < factor < 1):
            raise ValueError(f'reduce_on_plateau: factor must be in (0, 1), got {factor}')
        if not (patience >= 0):
            raise ValueError(f'reduce_on_plateau: patience must be >= 0, got {patience}')
        self.lr, self.monitor, self.factor, self.patience, self.min_lr = base_lr, monitor, factor, patience, min_lr
        self.mode = monitor_mode(monitor)
        self.best = self._worst()
        self.bad_epochs = 0

    def _worst(self):
        return math.inf if self.mode == 'min' else -math.inf

    def _is_better(self, v):
        b = self.best
        if self.mode == 'min':
            return v < (b - abs(b) * _THRESHOLD if math.isfinite(b) else b)
        return v > (b + abs(b) * _THRESHOLD if math.isfinite(b) else b)

    def observe(self, metrics):
        v = metrics.get(self.monitor)
        if v is None:
            return
        if self._is_better(v):
            self.best, self.bad_epochs = v, 0
        else:
            self.bad_epochs += 1
        if self.bad_epochs > self.patience:
            nxt = max(self.lr * self.factor, self.min_lr)
            if self.lr - nxt > _MIN_CHANGE:
                self.lr = nxt
            self.bad_epochs = 0

    def get_state(self):
        return {'lr': self.lr, 'best': self.best if math.isfinite(self.best) else None, 'badEpochs': self.bad_epochs}

    def set_state(self, s):
        self.lr = s['lr']
        self.best = self._worst() if s.get('best') is None else s['best']
        self.bad_epochs = s['badEpochs']


class _Plateau:
    kind = 'reduce_on_plateau'

    def __init__(self, tracker, warmup):
        self.tracker, self.warmup = tracker, warmup

    def lr_at(self, step):
        lr = self.tracker.lr
        return (lr * (step + 1)) / self.warmup if step < self.warmup else lr

    def end_epoch(self, epoch, metrics):
        self.tracker.observe(metrics)

    def get_state(self):
        return {'kind': 'reduce_on_plateau', **self.tracker.get_state()}

    def set_state(self, state):
        _check_kind(state, 'reduce_on_plateau')
        self.tracker.set_state(state)


def _check_kind(state, kind):
    got = state.get('kind') if isinstance(state, dict) else None
    if got != kind:
        raise ValueError(f'schedule state is for "{got}", but this run\'s schedule is "{kind}"')


def make_schedule(spec, base_lr, steps_per_epoch, epochs):
    if not (isinstance(steps_per_epoch, int) and steps_per_epoch >= 1):
        raise ValueError(f'steps_per_epoch must be a positive integer, got {steps_per_epoch}')
    if not (epochs >= 1):
        raise ValueError(f'epochs must be >= 1, got {epochs}')
    warmup_epochs = spec.get('warmup_epochs', 0)
    total = _js_round(epochs * steps_per_epoch)
    warmup = _js_round(warmup_epochs * steps_per_epoch)
    spe = steps_per_epoch
    kind = spec['kind']

    def constant(step):
        return base_lr

    if kind == 'constant':
        return _Stateless(kind, _with_warmup(constant, warmup, constant))
    if kind == 'step':
        size, gamma = spec['step_size'], spec['gamma']
        if not size > 0:
            raise ValueError(f'step schedule: step_size must be > 0, got {size}')
        return _Stateless(kind, _with_warmup(lambda s: base_lr * gamma ** math.floor(_epoch_of(s, spe) / size), warmup, constant))
    if kind == 'multi_step':
        ms, gamma = list(spec['milestones']), spec['gamma']
        return _Stateless(kind, _with_warmup(lambda s: base_lr * gamma ** len([m for m in ms if m <= _epoch_of(s, spe)]), warmup, constant))
    if kind == 'exponential':
        gamma = spec['gamma']
        return _Stateless(kind, _with_warmup(lambda s: base_lr * gamma ** _epoch_of(s, spe), warmup, constant))
    if kind == 'cosine':
        min_lr = spec['min_lr']
        span = max(1, total - 1 - warmup)

        def cosine(step):
            t = min(1, max(0, (step - warmup) / span))
            return min_lr + 0.5 * (base_lr - min_lr) * (1 + jsmath.cos(math.pi * t))

        return _Stateless(kind, _with_warmup(cosine, warmup, constant))
    if kind == 'one_cycle':
        pct = spec['pct_start']
        if not (0 < pct < 1):
            raise ValueError(f'one_cycle: pct_start must be in (0, 1), got {pct}')
        max_lr = spec['max_lr']
        initial = max_lr / spec['div_factor']
        low = initial / spec['final_div_factor']
        end1 = pct * total - 1
        end2 = total - 1

        def two_phase(a, b, c):
            def curve(step):
                s = min(step, end2)
                if s <= end1:
                    return _anneal_cos(a, b, s / end1 if end1 > 0 else 1)
                return _anneal_cos(b, c, (s - end1) / (end2 - end1) if end2 > end1 else 1)

            return curve

        sched = _Stateless(kind, two_phase(initial, max_lr, low))
        if spec.get('cycle_momentum'):
            # OneCycleLR's cycle_momentum: max_momentum -> base_momentum -> max_momentum, against the rate.
            lo, hi = spec.get('base_momentum', 0.85), spec.get('max_momentum', 0.95)
            sched.momentum_at = two_phase(hi, lo, hi)
        return sched
    if kind == 'reduce_on_plateau':
        tr = PlateauTracker(base_lr, spec['monitor'], spec['factor'], spec['patience'], spec['min_lr'])
        return _Plateau(tr, warmup)
    raise ValueError(f'unknown schedule: {kind}')
