"""The epoch loop of `dlc run` (src/runtime/train/train.ts in dlc), for PyTorch.

Per epoch: the seeded shuffled batches (data.py) → steps (learning rate from the schedule
for the global step, clipping, optimizer) → validation metrics → schedule / early stopping
→ best checkpoint (if improved) → last checkpoint → metrics.jsonl/metrics.csv → summary
line. After the loop: the test split, report.json, confusion_matrix.csv. The run directory
has dlc's layout and fields.

Distributed: launched by torchrun (WORLD_SIZE > 1) the loop runs DistributedDataParallel —
gloo on CPU, nccl on CUDA. Every rank walks dlc's global batches and takes its contiguous
rows (split_rows), each rank's mean loss is scaled by its share of the global batch, so the
averaged gradient is the global batch's: the same updates as one process. Only rank 0
writes checkpoints, metrics and logs. Evaluation is sharded by batch and summed.

The model takes NHWC float32 batches (dlc's layout) and returns logits.
"""
import json
import math
import os
import shutil
import sys
import time
from datetime import datetime

import numpy as np
import torch

from .data import batch_count, epoch_batches, load_dataset, split_validation
from .losses import evaluation_loss, make_loss, resolve_class_weights
from .metrics import MetricsAccumulator, MultiLabelAccumulator, RegressionAccumulator, binary_scores, report_from_confusion, roc_auc
from .optim import clip_gradients, make_optimizer, set_lr, set_momentum
from .rundir import (FILES, append_steps, create_run_dir, initial_monitor, js_number, json_safe, observe_monitor, read_epoch_records, report_json, summary_line,
                     to_precision, write_atomic, write_epoch_records, write_report)
from .schedules import make_schedule

# --- prefetching ---------------------------------------------------------------------------------

def prefetch(iterable, ahead=2):
    """Yields iterable's items, preparing up to `ahead` of them in a background thread (numpy
    releases the GIL for the heavy parts), as dlc prepares batches in a worker. Same items, same
    order; an exception in the producer is raised here."""
    if ahead <= 0:
        yield from iterable
        return
    import queue
    import threading

    q = queue.Queue(maxsize=ahead)
    stop = threading.Event()
    done = object()

    def put(entry):
        while not stop.is_set():
            try:
                q.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce():
        try:
            for item in iterable:
                if not put(('item', item)):
                    return
            put(('end', done))
        except BaseException as e:  # handed to the consumer
            put(('error', e))

    t = threading.Thread(target=produce, daemon=True)
    t.start()
    try:
        while True:
            kind, item = q.get()
            if kind == 'end':
                return
            if kind == 'error':
                raise item
            yield item
    finally:
        stop.set()
        t.join(timeout=5)


# --- the C allocator -------------------------------------------------------------------------------

def tune_malloc():
    """Keeps freed tensor memory in the process (glibc): an mmap threshold of 32 MB and a trim
    threshold of 64 MB — the ceilings glibc's own dynamic adjustment reaches once a 32 MB block
    is freed. PyTorch's CPU tensors come from malloc; with glibc's defaults every step's
    activations and gradients above the mmap threshold (128 kB until something large is freed)
    are mapped and unmapped again, and each step pays thousands of page faults: measured here
    3,000 (CIFAR ConvNet, batch 64) and 7,800 (MNIST ConvNet, batch 128) minor faults per step,
    3–4× the CPU time of the same step without them (about 0 faults/step after this call). Which
    one a process got depended on whether it had happened to free a large array first (loading
    a data set does), so PyTorch looked data-dependent. Results are unchanged (same operations
    on the same values). Returns True when applied; DLC_MALLOC_TUNING=0 or a non-glibc C
    library (macOS, Windows, musl) leaves the allocator alone."""
    if os.environ.get('DLC_MALLOC_TUNING') == '0' or not sys.platform.startswith('linux'):
        return False
    try:
        import ctypes
        libc = ctypes.CDLL('libc.so.6')
        m_trim_threshold, m_mmap_threshold = -1, -3  # glibc's malloc.h
        return bool(libc.mallopt(m_mmap_threshold, 32 << 20)) and bool(libc.mallopt(m_trim_threshold, 64 << 20))
    except (OSError, AttributeError):
        return False


# --- distributed --------------------------------------------------------------------------------

class Dist:
    """rank/world of this process; initialises torch.distributed when torchrun started it."""

    def __init__(self, device):
        self.world = int(os.environ.get('WORLD_SIZE', '1'))
        self.rank = int(os.environ.get('RANK', '0'))
        self.local_rank = int(os.environ.get('LOCAL_RANK', '0'))
        self.enabled = self.world > 1
        if self.enabled and not torch.distributed.is_initialized():
            backend = 'nccl' if device.type == 'cuda' else 'gloo'
            torch.distributed.init_process_group(backend=backend)
        self.main = self.rank == 0

    def sum(self, values, device):
        """Element-wise sum over ranks of a list of floats (float64)."""
        t = torch.tensor(values, dtype=torch.float64, device=device if device.type != 'mps' else 'cpu')
        if self.enabled:
            torch.distributed.all_reduce(t)
        return t.tolist()

    def barrier(self):
        if self.enabled:
            torch.distributed.barrier()

    def close(self):
        if self.enabled and torch.distributed.is_initialized():
            torch.distributed.destroy_process_group()


def pick_device(choice='auto'):
    local = int(os.environ.get('LOCAL_RANK', '0'))
    if choice == 'auto':
        if torch.cuda.is_available():
            return torch.device('cuda', local % torch.cuda.device_count())
        if getattr(torch.backends, 'mps', None) is not None and torch.backends.mps.is_available():
            return torch.device('mps')
        return torch.device('cpu')
    if choice == 'cuda':
        if not torch.cuda.is_available():
            raise RuntimeError('--device cuda: this torch build sees no CUDA device')
        return torch.device('cuda', local % torch.cuda.device_count())
    if choice == 'mps':
        if not (getattr(torch.backends, 'mps', None) is not None and torch.backends.mps.is_available()):
            raise RuntimeError('--device mps: MPS is not available')
        return torch.device('mps')
    if choice == 'cpu':
        return torch.device('cpu')
    raise ValueError(f'unknown device {choice!r} (auto, cpu, cuda, mps)')


def has_batch_norm(model):
    return any(isinstance(m, torch.nn.modules.batchnorm._BatchNorm) for m in model.modules())


# --- checkpoints ---------------------------------------------------------------------------------

def save_checkpoint(d, model, optimizer, state):
    """checkpoints/<name>/: model.pt (state_dict), optimizer.pt, state.json (dlc's TrainState) —
    written into <d>.tmp, then swapped in through <d>.prev, as dlc does."""
    tmp, prev = d + '.tmp', d + '.prev'
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    torch.save(model.state_dict(), os.path.join(tmp, 'model.pt'))
    torch.save(optimizer.state_dict(), os.path.join(tmp, 'optimizer.pt'))
    if hasattr(model, 'TFJS_NAMES'):
        write_tfjs_weights(tmp, model)
    with open(os.path.join(tmp, 'state.json'), 'w', encoding='utf8') as f:
        json.dump(state, f, indent=2)
    if os.path.exists(d):
        shutil.rmtree(prev, ignore_errors=True)
        os.replace(d, prev)
    os.replace(tmp, d)
    shutil.rmtree(prev, ignore_errors=True)


def write_tfjs_weights(d, model):
    """model.json + weights.bin in tfjs's layers format (dlc's weight names and layouts; the topology
    from the project's tfjs_topology.json), so tf.loadLayersModel — dlc eval, dlc predict, a browser —
    opens a checkpoint trained with PyTorch."""
    from .weights import export_tfjs_weights

    arrays = export_tfjs_weights(model)
    with open(os.path.join(d, 'weights.bin'), 'wb') as f:
        for a in arrays.values():
            f.write(np.ascontiguousarray(a, dtype='<f4').tobytes())
    manifest = [{'paths': ['./weights.bin'], 'weights': [{'name': k, 'shape': list(a.shape), 'dtype': 'float32'} for k, a in arrays.items()]}]
    topology = None
    topology_file = getattr(model, 'TFJS_TOPOLOGY_FILE', None)
    if topology_file and os.path.exists(topology_file):
        with open(topology_file, encoding='utf8') as f:
            topology = json.load(f)
    with open(os.path.join(d, 'model.json'), 'w', encoding='utf8') as f:
        json.dump({'format': 'layers-model', 'generatedBy': f'dlc pytorch target (torch {torch.__version__})', 'convertedBy': None,
                   'modelTopology': topology, 'weightsManifest': manifest}, f)


def committed_dir(d):
    if os.path.exists(os.path.join(d, 'state.json')):
        return d
    if os.path.exists(os.path.join(d + '.prev', 'state.json')):
        return d + '.prev'
    raise FileNotFoundError(f'no checkpoint in {d}')


def load_checkpoint(d, map_location):
    d = committed_dir(d)
    with open(os.path.join(d, 'state.json'), encoding='utf8') as f:
        state = json.load(f)
    if state.get('format') != 'dlc-checkpoint/1':
        raise ValueError(f"{d}: not a dlc checkpoint (format {state.get('format')!r})")
    return (torch.load(os.path.join(d, 'model.pt'), map_location=map_location),
            torch.load(os.path.join(d, 'optimizer.pt'), map_location=map_location), state)


def weighted_loss(loss_fn, heads, target, weights):
    """Σ weight × loss(head, target) over a model's outputs, main first (one output: its loss)."""
    if len(heads) != len(weights):
        raise ValueError(f'the model returned {len(heads)} outputs for {len(weights)} loss weights (Model.LOSS_WEIGHTS)')
    loss = loss_fn(heads[0], target)
    if weights[0] != 1:
        loss = loss * weights[0]
    for head, w in zip(heads[1:], weights[1:]):
        loss = loss + loss_fn(head, target) * w
    return loss


# --- evaluation ------------------------------------------------------------------------------------

def target_kind_of(ir, ds):
    """'class', 'real' or 'multi_label': the IR's target, else the data set's."""
    t = (ir or {}).get('target') or {}
    return t.get('kind') or getattr(ds.train, 'target_kind', 'class')


def batch_target(y, dtype):
    """The loss's target (losses.py): class indices as they are, real / multi-label targets in the outputs' dtype."""
    return y.to(dtype) if y.dtype.is_floating_point else y


def evaluate_set(model, s, spec, loss_fn, num_classes, device, dist, kind='class'):
    """Mean loss and metrics report over `s` (eval transforms, inference mode), batches sharded over ranks."""
    if kind != 'class':
        return _evaluate_targets(model, s, spec, loss_fn, device, dist, kind)
    top_k = [m['k'] for m in spec['metrics'] if m['kind'] == 'top_k_accuracy']
    acc = MetricsAccumulator(num_classes, top_k)
    # Two classes: the class-1 scores for ROC AUC, as dlc's evaluateSet (gathered in batch order over ranks).
    binary = [] if num_classes == 2 else None
    loss_sum, n = 0.0, 0
    for b, logits, y, size in _eval_outputs(model, s, spec, device, dist):
        target = torch.from_numpy(y).to(device)
        loss_sum += float(loss_fn(logits, target)) * size
        n += size
        scores = logits.float().cpu().numpy()
        acc.update(scores, y)
        if binary is not None:
            binary.append((b, binary_scores(scores, 2).tolist(), y.tolist()))
    if dist.enabled:
        ks = acc.top_k
        flat = dist.sum([loss_sum, n] + acc.confusion.reshape(-1).tolist() + [acc.hits[k] for k in ks], device)
        loss_sum, n = flat[0], int(flat[1])
        conf = np.array(flat[2:2 + num_classes * num_classes], dtype=np.int64).reshape(num_classes, num_classes)
        hits = {k: int(v) for k, v in zip(ks, flat[2 + num_classes * num_classes:])}
        rep = report_from_confusion(conf, hits)
    else:
        rep = acc.report()
    if binary is not None:
        if dist.enabled:
            gathered = [None] * dist.world
            torch.distributed.all_gather_object(gathered, binary)
            binary = sorted((p for g in gathered for p in g), key=lambda p: p[0])
        rep['rocAuc'] = roc_auc([v for p in binary for v in p[1]], [v for p in binary for v in p[2]])
    return (loss_sum / n if n > 0 else math.nan), rep


def _eval_outputs(model, s, spec, device, dist):
    """This rank's eval batches of `s` as (batch index, model output, y, size): eval mode, no gradients,
    the model's mode restored once the batches are consumed."""
    data = spec['data']
    was = model.training
    model.eval()
    try:
        with torch.no_grad():
            for b, x, y, size, _ in epoch_batches(s, data['batch_size'], False, spec['seed'], 0, data['transforms']['eval']):
                if b % dist.world != dist.rank:
                    continue
                yield b, model(torch.from_numpy(x).to(device)), y, size
    finally:
        model.train(was)


def _evaluate_targets(model, s, spec, loss_fn, device, dist, kind):
    """Real / multi-label targets: the mean loss and dlc's regression or multi-label report. With
    several ranks the outputs are gathered and fed in batch order, so the sums are one process's."""
    parts, loss_sum, n = [], 0.0, 0
    for b, out, y, size in _eval_outputs(model, s, spec, device, dist):
        loss_sum += float(loss_fn(out, torch.from_numpy(y).to(device=device, dtype=out.dtype))) * size
        n += size
        parts.append((b, out.float().cpu().numpy(), y))
    if dist.enabled:
        gathered = [None] * dist.world
        torch.distributed.all_gather_object(gathered, parts)
        parts = sorted((p for g in gathered for p in g), key=lambda p: p[0])
        loss_sum, n = dist.sum([loss_sum, n], device)
    width = s.targets.shape[1]
    acc = RegressionAccumulator(width) if kind == 'real' else MultiLabelAccumulator(width)
    for _, out, y in parts:
        acc.update(out, y)
    r = acc.report()
    if kind == 'real':
        rep = {'samples': r['samples'], 'accuracy': math.nan, 'topK': {}, 'perClass': [], 'macro': {'precision': 0, 'recall': 0, 'f1': 0}, 'confusion': [], 'regression': r}
    else:
        rep = {'samples': r['samples'], 'accuracy': r['subsetAccuracy'], 'topK': {}, 'perClass': r['perLabel'], 'macro': r['macro'], 'confusion': [], 'multiLabel': r}
    return (loss_sum / n if n > 0 else math.nan), rep


# --- the loop --------------------------------------------------------------------------------------

def train(spec, build_model, *, ir=None, spec_yaml=None, runs_dir='runs', resume=None, epochs=None, device='auto',
          cache_dir=None, dataset=None, log=None, stdout=None, on_epoch=None, now=None, initial_state=None, progress='plain',
          preprocessing=None, data_dir=None):
    """Trains `build_model()` (an nn.Module on NHWC input returning logits) as spec (dlc's normalised
    Spec as a dict) says. Returns {run_dir, history, stop_reason, message, global_step, test}.

    progress='json': instead of log lines on stderr, rank 0 writes one JSON object per line to stdout —
    {"event": "batch", epoch, epochs, batch, batches, samples, loss, accuracy} after every step,
    {"event": "epoch", "record": …} after every epoch, {"event": "log", "line": …} for each log
    line and {"event": "done", run_dir, stop_reason, message, test_accuracy, test_loss} — for a
    parent process (dlc) to drive its own progress display.

    preprocessing: a saved preprocessing.json (dict) the data set uses instead of fitting its own
    (csv, text); data_dir: where relative data paths start (default $DLC_DATA_DIR, else the cwd).
    A data set with fitted preprocessing writes it to the run directory as preprocessing.json."""
    tune_malloc()
    dev = pick_device(device) if isinstance(device, str) else device
    dist = Dist(dev)
    out = stdout or sys.stdout
    log = log or (lambda line: print(line, file=sys.stderr, flush=True))
    if progress == 'json':
        # Log lines become events only: stderr is left to Python itself (tracebacks, warnings).
        def log(line):
            emit({'event': 'log', 'line': line})
    elif progress != 'plain':
        raise ValueError(f'progress must be plain or json, got {progress!r}')

    def emit(event):
        if progress == 'json' and dist.main:
            out.write(json.dumps(json_safe(event), separators=(',', ':')) + '\n')
            out.flush()

    say = (lambda line: log(line)) if dist.main else (lambda line: None)
    try:
        # The final summary goes to stdout, except in json mode (stdout carries only events): then it is a log line.
        final_line = say if progress == 'json' else (lambda line: out.write(line + '\n'))
        r = _train(spec, build_model, ir, spec_yaml, runs_dir, resume, epochs, dev, cache_dir, dataset, say, final_line, on_epoch, now, initial_state, dist, emit,
                   preprocessing, data_dir)
        emit({'event': 'done', 'run_dir': r['run_dir'], 'stop_reason': r['stop_reason'], 'message': r['message'],
              'test_accuracy': r['test']['report']['accuracy'] if r['test'] else None, 'test_loss': r['test']['loss'] if r['test'] else None})
        return r
    finally:
        dist.close()


def _train(spec, build_model, ir, spec_yaml, runs_dir, resume, epochs, dev, cache_dir, dataset, say, final_line, on_epoch, now, initial_state, dist, emit,
           preprocessing=None, data_dir=None):
    data = spec['data']
    seed = spec['seed']
    epochs = epochs or spec['train']['epochs']
    say(f"backend: torch {torch.__version__} on {dev}" + (f"; {dist.world} processes (DistributedDataParallel, {'nccl' if dev.type == 'cuda' else 'gloo'})" if dist.enabled else '; 1 process'))

    history = []
    resumed = None
    if resume:
        run_dir = os.path.abspath(resume)
        resumed = load_checkpoint(os.path.join(run_dir, FILES['checkpoints'], 'last'), 'cpu')
        history = [r for r in read_epoch_records(run_dir) if r['epoch'] <= resumed[2]['epoch']]
        say(f"resuming {run_dir} after epoch {resumed[2]['epoch']} (step {resumed[2]['globalStep']})")
        if preprocessing is None and os.path.isfile(os.path.join(run_dir, 'preprocessing.json')):
            # As dlc: a resumed run encodes its data with its own saved preprocessing, as the model learnt it.
            with open(os.path.join(run_dir, 'preprocessing.json'), encoding='utf8') as f:
                preprocessing = json.load(f)

    # Data first (as dlc's setup): data that cannot be read must not leave an empty run directory behind.
    ds = dataset or load_dataset(data, seed=seed, cache_dir=cache_dir, log=say, saved=preprocessing, data_dir=data_dir)
    target_kind = target_kind_of(ir, ds)
    train_set, val_set = split_validation(ds.train, data['validation_split'], seed)
    if train_set.count == 0:
        raise ValueError('the training split is empty')
    num_classes = len(ds.class_names)
    if not resume:
        run_dir = create_run_dir(runs_dir, spec['name'], now() if now else None) if dist.main else None
    if dist.enabled:
        holder = [run_dir]
        torch.distributed.broadcast_object_list(holder, src=0)
        run_dir = holder[0]
    say(f'run directory: {run_dir}')
    if dist.main and not resume:
        if spec_yaml is not None:
            write_atomic(os.path.join(run_dir, FILES['spec']), spec_yaml)
        if ir is not None:
            write_atomic(os.path.join(run_dir, FILES['ir']), json.dumps(ir, indent=1))
        write_atomic(os.path.join(run_dir, FILES['run']), json.dumps({
            'name': spec['name'], 'started': datetime.utcnow().isoformat(timespec='milliseconds') + 'Z', 'backend': 'torch',
            'backendReason': f'torch {torch.__version__} on {dev}' + (f', {dist.world} processes' if dist.enabled else ''),
            'classNames': ds.class_names}, indent=2))
        if getattr(ds, 'preprocessing', None):
            # The fitted preprocessing (csv: train-split means/stds, categories, classes) travels with the run.
            from .tables import preprocessing_json
            write_atomic(os.path.join(run_dir, 'preprocessing.json'), preprocessing_json(ds.preprocessing))

    steps_per_epoch = batch_count(train_set.count, data['batch_size'])
    model = build_model()
    if initial_state is not None:
        model.load_state_dict(initial_state)
    model.to(dev)
    if resumed:
        model.load_state_dict(resumed[0])
    if dist.enabled and has_batch_norm(model):
        model = convert_sync_batchnorm(model)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = make_optimizer(spec['optimizer'], params)
    schedule = make_schedule(spec['schedule'], spec['optimizer']['learning_rate'], steps_per_epoch, epochs)
    if getattr(schedule, 'momentum_at', None):
        # A momentum-cycling schedule (one_cycle) owns the momentum from the first step, as dlc's loop.
        set_momentum(optimizer, schedule.momentum_at(0))
    class_weights = resolve_class_weights(spec['loss'].get('class_weight'), ds.class_names, train_set.labels.tolist(), num_classes) if spec['loss']['kind'] == 'cross_entropy' else None
    if class_weights is not None:
        say('class weights: ' + ', '.join(f'{ds.class_names[i] if i < len(ds.class_names) else i} {to_precision(w, 3)}' for i, w in enumerate(class_weights)))
    loss_fn = make_loss(spec['loss'], class_weights)
    loss_weights = tuple(getattr(model, 'LOSS_WEIGHTS', (1.0,)))
    eval_loss_fn = evaluation_loss(spec['loss'])
    es_spec = spec['train'].get('early_stopping')
    ckpt = spec['train']['checkpoint']
    early = initial_monitor(es_spec['monitor']) if es_spec else None
    best_mon = initial_monitor(ckpt['monitor']) if ckpt['keep_best'] else None
    start_epoch, global_step, last_ckpt_epoch = 0, 0, None
    if resumed:
        state = resumed[2]
        if state['optimizerKind'] != spec['optimizer']['kind']:
            raise ValueError(f"checkpoint optimizer is {state['optimizerKind']}, the spec's is {spec['optimizer']['kind']}")
        optimizer.load_state_dict(resumed[1])
        schedule.set_state(state['schedule'])
        start_epoch = last_ckpt_epoch = state['epoch']
        global_step = state['globalStep']
        early = state.get('earlyStopping') or early
        best_mon = state.get('bestCheckpoint') or best_mon
        if history and history[-1]['epoch'] != state['epoch'] and state.get('metrics', {}).get('epoch') == state['epoch']:
            history.append(state['metrics'])
    net = model
    if dist.enabled:
        net = torch.nn.parallel.DistributedDataParallel(model, device_ids=[dev.index] if dev.type == 'cuda' else None)
    model.train()

    def train_state(epoch, record):
        return {'format': 'dlc-checkpoint/1', 'epoch': epoch, 'globalStep': global_step, 'optimizerKind': spec['optimizer']['kind'],
                'schedule': schedule.get_state(), 'earlyStopping': early, 'bestCheckpoint': best_mon,
                'rng': {'seed': seed, 'epoch': epoch, 'step': global_step}, 'metrics': record}

    stop_reason, message = 'completed', None
    ck_dir = os.path.join(run_dir, FILES['checkpoints'])
    for epoch in range(start_epoch, epochs):
        t0 = time.perf_counter()
        loss_sum, correct, seen = 0.0, 0, 0
        steps = []  # this epoch's {step, loss, lr} for steps.jsonl
        lr = schedule.lr_at(global_step)
        bad = None
        batches = epoch_batches(train_set, data['batch_size'], True, seed, epoch, data['transforms']['train'], rank=dist.rank, world=dist.world)
        for b, x, y, size, _ in prefetch(batches, 2):
            lr = schedule.lr_at(global_step)
            set_lr(optimizer, lr)
            if getattr(schedule, 'momentum_at', None):
                set_momentum(optimizer, schedule.momentum_at(global_step))
            xs = torch.from_numpy(x).to(dev, non_blocking=True)
            ys = torch.from_numpy(y).to(dev, non_blocking=True)
            # A model with several outputs returns every head in training mode (main first): the loss is
            # the sum of each head's loss times its weight (Model.LOSS_WEIGHTS), the accuracy the main head's.
            out = net(xs)
            heads = out if isinstance(out, tuple) else (out,)
            logits = heads[0]
            target = batch_target(ys, logits.dtype)
            rows = xs.shape[0]
            if rows > 0:
                local = weighted_loss(loss_fn, heads, target, loss_weights)
                # Scaled by this rank's share, so DDP's gradient average is the global batch's mean.
                loss = local * (rows * dist.world / size) if dist.enabled else local
            else:
                local = sum(h.sum() for h in heads) * 0
                loss = local
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            # Real / multi-label targets: no class labels, so no hits (dlc's running accuracy is 0 there too).
            hits = 0.0 if ys.dtype.is_floating_point else float((logits.detach().argmax(1) == ys).sum())
            part = [float(local.detach()) * rows, hits]
            step_loss_sum, step_correct = dist.sum(part, dev) if dist.enabled else part
            step_loss = step_loss_sum / size
            if not math.isfinite(step_loss):
                bad = step_loss
                break
            clip_gradients(params, spec['optimizer'])
            optimizer.step()
            global_step += 1
            steps.append({'step': global_step, 'loss': step_loss, 'lr': lr})
            loss_sum += step_loss_sum
            correct += int(step_correct)
            seen += size
            emit({'event': 'batch', 'epoch': epoch + 1, 'epochs': epochs, 'batch': b + 1, 'batches': steps_per_epoch, 'samples': seen,
                  'loss': loss_sum / seen, 'accuracy': correct / seen})
        if bad is not None:
            kept = (f"the last good checkpoint (epoch {last_ckpt_epoch}) is in {os.path.join(ck_dir, 'last')}" if last_ckpt_epoch is not None
                    else 'no epoch finished, so there is no checkpoint')
            message = (f'stopped: the training loss became {js_number(bad)} at epoch {epoch + 1}, step {global_step + 1} (learning rate {to_precision(lr)}); '
                       f'{kept}. Try a lower learning_rate or gradient clipping (clip_norm).')
            say(f'epoch {epoch + 1}/{epochs}  loss {js_number(bad)}')
            stop_reason = 'non_finite_loss'
            break
        seconds = time.perf_counter() - t0
        record = {'epoch': epoch + 1, 'step': global_step, 'lr': lr, 'loss': loss_sum / seen, 'accuracy': correct / seen}
        if val_set.count > 0:
            vl, vr = evaluate_set(model, val_set, spec, eval_loss_fn, num_classes, dev, dist, target_kind)
            record.update({'val_loss': vl, 'val_accuracy': vr['accuracy'], 'val_f1': vr['macro']['f1']})
            if 'regression' in vr:
                record['val_mae'] = vr['regression']['mae']
        record.update({'seconds': seconds, 'samples_per_second': seen / max(seconds, 1e-9)})
        schedule.end_epoch(epoch, record)
        stop = None
        if early is not None:
            early, _ = observe_monitor(early, epoch + 1, record, es_spec['min_delta'])
            if early['wait'] >= es_spec['patience'] and epoch + 1 < epochs:
                stop = ('early_stopping', f"early stopping: {early['monitor']} has not improved for {early['wait']} epochs (best {early['best']} at epoch {early['bestEpoch']})")
        improved = False
        if best_mon is not None:
            best_mon, improved = observe_monitor(best_mon, epoch + 1, record)
        if dist.main:
            state = train_state(epoch + 1, record)
            if improved and ckpt['keep_best']:
                save_checkpoint(os.path.join(ck_dir, 'best'), model, optimizer, state)
            if (epoch + 1) % max(1, ckpt['every_epochs']) == 0 or epoch + 1 == epochs or stop:
                save_checkpoint(os.path.join(ck_dir, 'last'), model, optimizer, state)
        if (epoch + 1) % max(1, ckpt['every_epochs']) == 0 or epoch + 1 == epochs or stop:
            last_ckpt_epoch = epoch + 1
        history.append(record)
        if dist.main:
            write_epoch_records(run_dir, history)
            append_steps(run_dir, epoch + 1, steps)
        say(summary_line(record, epochs, improved, target_kind))
        emit({'event': 'epoch', 'record': record, 'best': improved})
        if on_epoch:
            on_epoch(record, model, run_dir)
        dist.barrier()
        if stop:
            stop_reason, message = stop
            break
    if message:
        say(message)
    test = None
    train_seconds = sum(r['seconds'] for r in history)
    if stop_reason != 'non_finite_loss':
        say(f'evaluating the final model on the test split ({ds.test.count} samples)')
        tl, tr = evaluate_set(model, ds.test, spec, eval_loss_fn, num_classes, dev, dist, target_kind)
        test = {'loss': tl, 'report': tr}
        if dist.main:
            write_report(run_dir, {'name': spec['name'], 'split': 'test', 'checkpoint': 'final', 'backend': 'torch', 'device': str(dev),
                                   'processes': dist.world, 'epochs': len(history), 'global_step': global_step, 'stop_reason': stop_reason,
                                   'train_seconds': train_seconds, **report_json(tl, tr, ds.class_names)}, tr if target_kind == 'class' else None, ds.class_names)
            final_line(test_line(tl, tr))
    elif dist.main:
        write_report(run_dir, {'name': spec['name'], 'backend': 'torch', 'epochs': len(history), 'global_step': global_step,
                               'stop_reason': stop_reason, 'message': message}, None, [])
    say(f'run directory: {run_dir}')
    return {'run_dir': run_dir, 'history': history, 'stop_reason': stop_reason, 'message': message, 'global_step': global_step,
            'test': test, 'class_names': ds.class_names, 'model': model}


def test_line(loss, rep):
    """The final test line: accuracy for classes, MAE/RMSE/R² for real targets, exact match for multi-label."""
    if 'regression' in rep:
        r = rep['regression']
        return f"Test: {rep['samples']} samples, loss {loss:.4f}, MAE {r['mae']:.4f}, RMSE {r['rmse']:.4f}, R² {r['r2']:.4f}"
    if 'multiLabel' in rep:
        m = rep['multiLabel']
        return f"Test: {rep['samples']} samples, loss {loss:.4f}, exact-match accuracy {m['subsetAccuracy'] * 100:.2f}%, micro F1 {m['micro']['f1']:.4f}"
    return f"Test: {rep['samples']} samples, loss {loss:.4f}, accuracy {rep['accuracy'] * 100:.2f}%"


def convert_sync_batchnorm(model):
    """SyncBatchNorm for the model's batch norms: torch's on CUDA; on CPU (torch's needs CUDA
    before 2.x) dist.CpuSyncBatchNorm, the same statistics over the global batch through gloo."""
    if next(model.parameters()).is_cuda:
        return torch.nn.SyncBatchNorm.convert_sync_batchnorm(model)
    from .dist import convert_cpu_sync_batchnorm
    return convert_cpu_sync_batchnorm(model)
