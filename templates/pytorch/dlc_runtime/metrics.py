"""Classification metrics as dlc computes them (src/runtime/metrics/): confusion matrix,
accuracy, top-k, per-class and macro precision/recall/F1 (scikit-learn's conventions, 0/0 = 0,
macro over the classes present in labels or predictions)."""
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
