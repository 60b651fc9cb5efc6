"""dlc's run directory (src/runtime/run-dir/ and train/monitor.ts in dlc): file names, metrics.jsonl /
metrics.csv / report.json writers, the epoch summary line, and the early-stopping / best-checkpoint
monitors. No torch import, so tools can read and write run directories without it."""
import json
import math
import os
import time
from datetime import datetime

import numpy as np

from .metrics import confusion_matrix_csv
from .schedules import monitor_mode

FILES = {
    'spec': 'spec.yaml', 'ir': 'ir.json', 'run': 'run.json', 'metrics_jsonl': 'metrics.jsonl',
    'metrics_csv': 'metrics.csv', 'report': 'report.json', 'confusion': 'confusion_matrix.csv', 'checkpoints': 'checkpoints',
    'steps': 'steps.jsonl',
}
CSV_COLUMNS = ['epoch', 'step', 'lr', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'val_f1', 'seconds', 'samples_per_second']


# --- small helpers ---------------------------------------------------------------------------

def js_number(v):
    """A number as JavaScript's String(v) writes it (metrics.csv is compared with dlc's)."""
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, int):
        return str(v)
    if math.isnan(v):
        return 'NaN'
    if math.isinf(v):
        return 'Infinity' if v > 0 else '-Infinity'
    if v == int(v) and abs(v) < 1e21:
        return str(int(v))
    r = repr(v)
    if 'e' in r:
        mant, exp = r.split('e')
        e = int(exp)
        if -7 < e < 21:
            return np.format_float_positional(v, unique=True, trim='-')
        return f"{mant}e{'+' if e > 0 else '-'}{abs(e)}"
    return r


def write_atomic(path, text):
    tmp = f'{path}.tmp-{os.getpid()}-{time.time_ns()}'
    with open(tmp, 'w', encoding='utf8') as f:
        f.write(text)
    os.replace(tmp, path)


def format_duration(seconds):
    if not math.isfinite(seconds) or seconds < 0:
        return '--:--'
    s = int(math.floor(seconds + 0.5))
    h, m = s // 3600, (s % 3600) // 60
    return f'{h}:{m:02d}:{s % 60:02d}' if h > 0 else f'{m}:{s % 60:02d}'


def _pct(x):
    return '-' if x is None else f'{x * 100:.2f}%'


def to_precision(x, p=3):
    """JavaScript's Number.prototype.toPrecision(p)."""
    if not math.isfinite(x):
        return js_number(x)
    if x == 0:
        return '0.' + '0' * (p - 1) if p > 1 else '0'
    mant, exp = f'{x:.{p - 1}e}'.split('e')
    e = int(exp)
    if e < -6 or e >= p:
        return f"{mant}e{'+' if e >= 0 else '-'}{abs(e)}"
    return f'{x:.{max(0, p - 1 - e)}f}'


def json_safe(v):
    """v with NaN and ±Infinity as None (JSON.stringify writes them as null)."""
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dict):
        return {k: json_safe(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [json_safe(x) for x in v]
    return v


def summary_line(r, epochs, best, target='class'):
    """Real-valued targets print the validation MAE instead of accuracies (dlc's summaryLine)."""
    real = target == 'real'
    metric = f"val_mae {'-' if r.get('val_mae') is None else format(r['val_mae'], '.4f')}" if real else f"val_acc {_pct(r.get('val_accuracy'))}"
    val = f"  val_loss {r['val_loss']:.4f} {metric}" if r.get('val_loss') is not None else ''
    acc = '' if real else f" acc {_pct(r['accuracy'])}"
    return (f"epoch {r['epoch']}/{epochs}  loss {r['loss']:.4f}{acc}{val}  lr {to_precision(r['lr'])}  "
            f"{format_duration(r['seconds'])} {r['samples_per_second']:.0f} samples/s{'  *best' if best else ''}")


def create_run_dir(runs_dir, name, now=None):
    import re

    now = now or datetime.now()
    base = os.path.join(runs_dir, re.sub(r'[^A-Za-z0-9_.-]', '_', name) or 'run', now.strftime('%Y%m%d-%H%M%S'))
    os.makedirs(os.path.dirname(base), exist_ok=True)
    i = 0
    while True:
        d = base if i == 0 else f'{base}-{i}'
        try:
            os.mkdir(d)
            return d
        except FileExistsError:
            i += 1


def read_epoch_records(run_dir):
    try:
        with open(os.path.join(run_dir, FILES['metrics_jsonl']), encoding='utf8') as f:
            lines = f.read().split('\n')
    except OSError:
        return []
    out = []
    for line in lines:
        try:
            if line.strip():
                out.append(json.loads(line))
        except ValueError:
            pass
    return out


def write_epoch_records(run_dir, records):
    write_atomic(os.path.join(run_dir, FILES['metrics_jsonl']), ''.join(json.dumps(json_safe(r), separators=(',', ':')) + '\n' for r in records))
    rows = [','.join('' if r.get(c) is None else js_number(r[c]) for c in CSV_COLUMNS) for r in records]
    write_atomic(os.path.join(run_dir, FILES['metrics_csv']), '\n'.join([','.join(CSV_COLUMNS)] + rows) + '\n')


def report_json(loss, rep, class_names):
    return {
        'samples': rep['samples'], 'loss': loss, 'accuracy': rep['accuracy'],
        'top_k_accuracy': {str(k): v for k, v in rep['topK'].items()}, 'macro': rep['macro'],
        'per_class': [{'class': class_names[i] if i < len(class_names) else str(i), **c} for i, c in enumerate(rep['perClass'])],
        'confusion': rep['confusion'],
        **target_metrics_json(rep),
    }


def target_metrics_json(rep):
    """report.json's task-metric fields (dlc's targetMetricsJson): regression, multi_label, roc_auc."""
    out = {}
    if 'regression' in rep:
        out['regression'] = rep['regression']
    if 'multiLabel' in rep:
        m = rep['multiLabel']
        out['multi_label'] = {**m, 'rocAuc': {'perLabel': [None if math.isnan(v) else v for v in m['rocAuc']['perLabel']],
                                              'macro': None if math.isnan(m['rocAuc']['macro']) else m['rocAuc']['macro']}}
    if 'rocAuc' in rep:
        out['roc_auc'] = None if math.isnan(rep['rocAuc']) else rep['rocAuc']
    return out


def write_report(run_dir, report, rep, class_names, prefix=''):
    write_atomic(os.path.join(run_dir, prefix + FILES['report']), json.dumps(json_safe(report), indent=2) + '\n')
    if rep is not None:
        write_atomic(os.path.join(run_dir, prefix + FILES['confusion']), confusion_matrix_csv(rep, class_names))


# --- monitors (early stopping, best checkpoint) -----------------------------------------------

def initial_monitor(monitor):
    return {'monitor': monitor, 'best': None, 'bestEpoch': 0, 'wait': 0}


def monitor_value(monitor, metrics):
    v = metrics.get(monitor)
    if v is not None:
        return v
    return metrics.get(monitor[4:]) if monitor.startswith('val_') else None


def observe_monitor(state, epoch, metrics, min_delta=0):
    v = monitor_value(state['monitor'], metrics)
    if v is None or not math.isfinite(v):
        return {**state, 'wait': state['wait'] + 1}, False
    b = state['best']
    better = b is None or (v < b - min_delta if monitor_mode(state['monitor']) == 'min' else v > b + min_delta)
    if better:
        return {**state, 'best': v, 'bestEpoch': epoch, 'wait': 0}, True
    return {**state, 'wait': state['wait'] + 1}, False


def append_steps(run_dir, epoch, steps):
    """Adds an epoch's steps ({step, loss, lr} each; step counts from 1 over the run) to steps.jsonl as
    {"step", "loss", "lr", "epoch"} lines, first dropping lines of this epoch or later (a resumed run
    redoes the epoch a kill interrupted) — src/report/run-hook.ts appendSteps; report.html's per-step chart."""
    path = os.path.join(run_dir, FILES['steps'])
    kept = []
    try:
        with open(path, encoding='utf8') as f:
            for line in f:
                if line.strip():
                    row = json.loads(line)
                    if row.get('epoch', 0) < epoch:
                        kept.append(row)
    except OSError:
        pass
    rows = kept + [{'step': s['step'], 'loss': s['loss'], 'lr': s['lr'], 'epoch': epoch} for s in steps]
    write_atomic(path, ''.join(json.dumps(r, separators=(',', ':')) + '\n' for r in rows))
