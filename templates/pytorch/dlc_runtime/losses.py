"""dlc's losses (src/runtime/losses/), batch means. Every loss takes (outputs, target): the target is
class indices (int64 [B]) or one-hot / real / multi-label values (float [B, k])."""
import torch
import torch.nn.functional as F


def resolve_class_weights(cw, class_names, train_labels, num_classes):
    """loss.cross_entropy.class_weight → one weight per class (src/runtime/losses/class-weights.ts):
    'balanced' is N / (K * n_c) over the training split (1 for a class without rows), a mapping names
    classes (others 1), a list is taken as it is."""
    where = 'loss.cross_entropy.class_weight'
    if cw is None:
        return None
    if cw == 'balanced':
        counts = [0] * num_classes
        for y in train_labels:
            counts[int(y)] += 1
        n = len(train_labels)
        return [n / (num_classes * c) if c > 0 else 1.0 for c in counts]
    if isinstance(cw, list):
        if len(cw) != num_classes:
            raise ValueError(f'{where} lists {len(cw)} weights but the data has {num_classes} classes')
        return [float(w) for w in cw]
    out = [1.0] * num_classes
    for name, w in cw.items():
        if name not in class_names:
            raise ValueError(f'{where} names the class {name!r}, which the data does not have (classes: {", ".join(class_names)})')
        out[class_names.index(name)] = float(w)
    return out


def _tfjs_abs(x):
    """|x| whose gradient at 0 is −1, as tfjs's abs (dy · step(x, −1)); torch's abs gives 0 there."""
    return torch.where(x > 0, x, -x)


def _dense(target, out):
    """Class indices → one-hot rows of out's width and dtype; float targets as they are."""
    if target.dtype.is_floating_point:
        return target
    return F.one_hot(target.long(), out.shape[1]).to(out.dtype)


def make_loss(spec, class_weights=None):
    """The spec's loss. class_weights (one per class) weigh cross_entropy: each class's term times its
    weight, the batch sum divided by the batch size — CrossEntropyLoss(weight=w, reduction='sum') / B
    (Keras's class_weight; dlc's softmaxCrossEntropy does the same). Pass them only for the training loss."""
    kind = spec['kind']
    if kind == 'cross_entropy':
        eps = spec.get('label_smoothing', 0)
        cw = spec.get('class_weight')
        weights = class_weights if class_weights is not None else (cw if isinstance(cw, list) else None)

        def ce(logits, target):
            if eps == 0 and weights is None and not target.dtype.is_floating_point:
                # −log_softmax at the label, mean: the one-hot form's value (up to the order of the batch
                # sum) and exactly its gradient, without building and multiplying a one-hot matrix.
                return F.cross_entropy(logits, target.long())
            onehot = _dense(target, logits)
            k = logits.shape[1]
            q = onehot * (1 - eps) + eps / k if eps > 0 else onehot
            if weights is not None:
                q = q * torch.tensor(weights, dtype=logits.dtype, device=logits.device)
            return -(q * F.log_softmax(logits, dim=1)).sum(dim=1).mean()

        return ce
    if kind == 'binary_cross_entropy':
        eps = spec.get('label_smoothing', 0)

        def bce(logits, target):
            onehot = _dense(target, logits)
            t = onehot * (1 - eps) + eps / 2 if eps > 0 else onehot
            # |x| with tfjs's gradient at 0 (−1, not torch's 0), so a logit of exactly 0 gets sigmoid(0) − t as in dlc.
            return (torch.relu(logits) - logits * t + torch.log1p(torch.exp(-_tfjs_abs(logits)))).mean()

        return bce
    if kind == 'mse':
        return lambda out, t: ((out - _dense(t, out)) ** 2).mean()
    if kind == 'mae':
        def mae(out, t):
            return _tfjs_abs(out - _dense(t, out)).mean()

        return mae
    if kind == 'huber':
        delta = spec['delta']

        def huber(out, t):
            d = _tfjs_abs(out - _dense(t, out))
            q = torch.clamp(d, max=delta)
            return (0.5 * q * q + delta * (d - q)).mean()

        return huber
    raise ValueError(f'unknown loss: {kind}')


def evaluation_loss(spec):
    """The loss validation and test report: never class-weighted."""
    if spec['kind'] == 'cross_entropy':
        return make_loss({'kind': 'cross_entropy', 'label_smoothing': spec.get('label_smoothing', 0)})
    return make_loss(spec)
