"""Classification metrics as dlc computes them (src/runtime/metrics/): confusion matrix,
accuracy, top-k, per-class and macro precision/recall/F1 (scikit-learn's conventions, 0/0 = 0,
macro over the classes present in labels or predictions); and, ported from
src/runtime/metrics/target-metrics.ts with the same float64 sums in the same order (so the same
numbers): regression (MAE/RMSE/R² per output and their means), multi-label (exact match,
per-label, micro/macro precision/recall/F1, ROC AUC per label) and binary ROC AUC."""
import math

import numpy as np


def _div(a, b):
    return 0 if b == 0 else a / b


class MetricsAccumulator:
    def __init__(self, num_classes, top_k=()):
        self.k = int(num_classes)
        self.top_k = sorted(set(int(v) for v in top_k))
        self.reset()

    def reset(self):
        self.confusion = np.zeros((self.k, self.k), dtype=np.int64)
        self.hits = {kk: 0 for kk in self.top_k}

    def update(self, scores, labels):
        """scores [n, k] (logits or probabilities), labels [n] int. Prediction = first maximum
        (NaN never wins); top-k hit when fewer than k classes score strictly higher."""
        s = np.asarray(scores, dtype=np.float32)
        y = np.asarray(labels, dtype=np.int64)
        if s.shape != (len(y), self.k):
            raise ValueError(f'metrics: scores of shape {s.shape} for {len(y)} labels × {self.k} classes')
        if len(y) and (y.min() < 0 or y.max() >= self.k):
            raise ValueError(f'metrics: class index outside 0..{self.k - 1}')
        filled = np.where(np.isnan(s), -np.inf, s)
        pred = np.argmax(filled, axis=1)
        # A row of only NaN/-inf: dlc keeps class 0.
        pred = np.where(np.isneginf(filled).all(axis=1), 0, pred)
        np.add.at(self.confusion, (y, pred), 1)
        if self.top_k:
            own = s[np.arange(len(y)), y]
            higher = (s > own[:, None]).sum(axis=1)
            higher = np.where(np.isnan(own), self.k, higher)
            for kk in self.top_k:
                self.hits[kk] += int((higher < kk).sum())

    def merge(self, confusion, hits):
        self.confusion += np.asarray(confusion, dtype=np.int64)
        for kk, v in hits.items():
            self.hits[kk] += int(v)

    def report(self):
        return report_from_confusion(self.confusion, self.hits)


def report_from_confusion(confusion, top_k_hits=None):
    c = np.asarray(confusion, dtype=np.int64)
    k = c.shape[0]
    support = c.sum(axis=1).tolist()
    predicted = c.sum(axis=0).tolist()
    samples = int(sum(support))
    correct = 0
    per_class = []
    for i in range(k):
        tp = int(c[i, i])
        correct += tp
        fp = predicted[i] - tp
        fn = support[i] - tp
        per_class.append({'precision': _div(tp, tp + fp), 'recall': _div(tp, tp + fn), 'f1': _div(2 * tp, 2 * tp + fp + fn), 'support': int(support[i])})
    present = [m for i, m in enumerate(per_class) if support[i] > 0 or predicted[i] > 0]

    def mean(key):
        return _div(sum(m[key] for m in present), len(present))

    return {
        'samples': samples,
        'accuracy': _div(correct, samples),
        'topK': {int(kk): _div(h, samples) for kk, h in (top_k_hits or {}).items()},
        'perClass': per_class,
        'macro': {'precision': mean('precision'), 'recall': mean('recall'), 'f1': mean('f1')},
        'confusion': c.tolist(),
    }


def _csv_field(v):
    s = str(v)
    return '"' + s.replace('"', '""') + '"' if any(ch in s for ch in ',"\r\n') else s


def confusion_matrix_csv(report, class_names):
    names = [class_names[i] if i < len(class_names) else str(i) for i in range(len(report['confusion']))]
    rows = [['true\\pred'] + names] + [[names[i]] + row for i, row in enumerate(report['confusion'])]
    return '\n'.join(','.join(_csv_field(v) for v in r) for r in rows) + '\n'


# --- non-class targets (target-metrics.ts) ------------------------------------------------------------

def _flat(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).reshape(-1)]


class RegressionAccumulator:
    """Streams regression outputs and targets ([n, width] each); report() = dlc's RegressionReport:
    {samples, perOutput: [{mae, rmse, r2}], mae, rmse, r2} (means over the outputs; R² of a constant
    target is 1 when predicted exactly, else 0 — sklearn's force_finite)."""

    def __init__(self, width):
        if not (isinstance(width, int) and width >= 1):
            raise ValueError(f'regression metrics: width must be a positive integer, got {width}')
        self.width = width
        self.n = 0
        self.abs_err = [0.0] * width
        self.sq_err = [0.0] * width
        self.sum_y = [0.0] * width
        self.sum_y2 = [0.0] * width

    def update(self, outputs, targets):
        o, t, w = _flat(outputs), _flat(targets), self.width
        if len(o) != len(t) or len(o) % w != 0:
            raise ValueError(f'regression metrics: {len(o)} outputs for {len(t)} targets of width {w}')
        for i, (out, y) in enumerate(zip(o, t)):
            j = i % w
            e = out - y
            self.abs_err[j] += abs(e)
            self.sq_err[j] += e * e
            self.sum_y[j] += y
            self.sum_y2[j] += y * y
        self.n += len(o) // w

    def report(self):
        n = self.n
        per = []
        for j in range(self.width):
            ss_tot = self.sum_y2[j] - (self.sum_y[j] * self.sum_y[j]) / n if n else math.nan
            ss_res = self.sq_err[j]
            constant = not (ss_tot > 1e-12 * max(1, self.sum_y2[j]))
            r2 = math.nan if n == 0 else ((1 if ss_res == 0 else 0) if constant else 1 - ss_res / ss_tot)
            per.append({'mae': self.abs_err[j] / n if n else math.nan, 'rmse': math.sqrt(ss_res / n) if n else math.nan, 'r2': r2})

        def mean(k):
            total = 0
            for o in per:
                total += o[k]
            return total / len(per)

        return {'samples': n, 'perOutput': per, 'mae': mean('mae'), 'rmse': mean('rmse'), 'r2': mean('r2')}


def roc_auc(scores, labels):
    """ROC AUC of scores against 0/1 labels (Mann–Whitney, ties one half = sklearn's roc_auc_score);
    NaN when the labels are all one value; NaN scores rank lowest."""
    s, y = _flat(scores), _flat(labels)
    n = len(s)
    if len(y) != n:
        raise ValueError(f'roc auc: {n} scores for {len(y)} labels')
    key = [-math.inf if math.isnan(v) else v for v in s]
    order = sorted(range(n), key=lambda i: key[i])
    pos, rank_sum = 0, 0.0
    i = 0
    while i < n:
        j = i
        while j + 1 < n and key[order[j + 1]] == key[order[i]]:
            j += 1
        avg = (i + j) / 2 + 1
        for k in range(i, j + 1):
            if y[order[k]] == 1:
                pos += 1
                rank_sum += avg
        i = j + 1
    neg = n - pos
    if pos == 0 or neg == 0:
        return math.nan
    return (rank_sum - (pos * (pos + 1)) / 2) / (pos * neg)


def binary_scores(logits, width):
    """The class-1 score of two-class predictions: logit₁ − logit₀ (two outputs) or the one logit."""
    a = np.asarray(logits, dtype=np.float64).reshape(-1, width)
    return a[:, 0] if width == 1 else a[:, 1] - a[:, 0]


class MultiLabelAccumulator:
    """Streams multi-label logits and 0/1 targets ([n, width]); a label is predicted when its logit
    is > 0. report() = dlc's MultiLabelReport: {samples, subsetAccuracy, perLabel, micro, macro,
    rocAuc: {perLabel, macro}} (0/0 = 0; the ROC AUC macro is the mean over the defined labels)."""

    def __init__(self, width):
        if not (isinstance(width, int) and width >= 1):
            raise ValueError(f'multi-label metrics: width must be a positive integer, got {width}')
        self.width = width
        self.tp = [0.0] * width
        self.fp = [0.0] * width
        self.fn = [0.0] * width
        self.exact = 0
        self.n = 0
        self.scores = [[] for _ in range(width)]
        self.labels = [[] for _ in range(width)]

    def update(self, logits, targets):
        s, t, w = _flat(logits), _flat(targets), self.width
        if len(s) != len(t) or len(s) % w != 0:
            raise ValueError(f'multi-label metrics: {len(s)} scores for {len(t)} targets of width {w}')
        for r in range(len(s) // w):
            right = True
            for j in range(w):
                score, y = s[r * w + j], t[r * w + j]
                if y not in (0, 1):
                    raise ValueError(f'multi-label metrics: target {y} is not 0 or 1')
                p = 1 if score > 0 else 0
                if p == 1 and y == 1:
                    self.tp[j] += 1
                elif p == 1:
                    self.fp[j] += 1
                elif y == 1:
                    self.fn[j] += 1
                if p != y:
                    right = False
                self.scores[j].append(score)
                self.labels[j].append(y)
            if right:
                self.exact += 1
            self.n += 1

    def report(self):
        per = [{'precision': _div(tp, tp + fp), 'recall': _div(tp, tp + fn), 'f1': _div(2 * tp, 2 * tp + fp + fn), 'support': tp + fn}
               for tp, fp, fn in zip(self.tp, self.fp, self.fn)]

        def total(a):
            t = 0
            for v in a:
                t += v
            return t

        tp, fp, fn = total(self.tp), total(self.fp), total(self.fn)

        def macro(k):
            return total(l[k] for l in per) / len(per)

        aucs = [roc_auc(sc, lb) for sc, lb in zip(self.scores, self.labels)]
        defined = [a for a in aucs if not math.isnan(a)]
        return {
            'samples': self.n,
            'subsetAccuracy': _div(self.exact, self.n),
            'perLabel': per,
            'micro': {'precision': _div(tp, tp + fp), 'recall': _div(tp, tp + fn), 'f1': _div(2 * tp, 2 * tp + fp + fn)},
            'macro': {'precision': macro('precision'), 'recall': macro('recall'), 'f1': macro('f1')},
            'rocAuc': {'perLabel': aucs, 'macro': total(defined) / len(defined) if defined else math.nan},
        }
