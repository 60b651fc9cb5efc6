"""dlc's data sets and input pipeline (src/runtime/data/ in dlc), for PyTorch.

A data set is `ImageSet(images uint8 [n, h, w, c], labels int64 [n])`. The validation
split, the balanced limits, the per-epoch shuffle and the batch preparation (scale to
[0, 1] as float32 v/255, transforms) are ports of dlc's and give the same samples in
the same order, bit for bit. image_folder decodes with Pillow, not dlc's jpeg-js, so
JPEG pixels can differ by a grey level; PNGs are identical.
"""
import gzip
import hashlib
import math
import os
import tarfile
import urllib.request

import numpy as np

from . import jsmath
from .rng import STREAM_SHUFFLE, STREAM_SPLIT, STREAM_SYNTHETIC, js_round, permutation, rng_for, shuffle_in_place
from .transforms import apply_transforms, check_transform

F32 = np.float32


class DataError(Exception):
    """'<where>: <message>' (where is the file or folder; not repeated when the message names it, as dlc's DataError)."""
    def __init__(self, message, where=None):
        super().__init__(f'{where}: {message}' if where and where not in message else message)


class ArraySet:
    """Samples in .images [n, ...] with class-index labels int64 [n] and, for real / multi_label targets,
    float32 targets [n, width] (labels then all 0: one group for the validation split, as dlc)."""
    __slots__ = ('images', 'labels', 'targets', 'target_kind')

    def __init__(self, images, labels, targets=None, target_kind='class'):
        self.images = images
        self.labels = labels
        self.targets = targets
        self.target_kind = target_kind

    @property
    def count(self):
        return int(self.labels.shape[0])

    @property
    def shape(self):
        return list(self.images.shape[1:])

    def subset(self, indices):
        idx = np.asarray(indices, dtype=np.int64)
        return type(self)(self.images[idx], self.labels[idx], None if self.targets is None else self.targets[idx], self.target_kind)


class ImageSet(ArraySet):
    """uint8 images [n, h, w, c]; prepare_batch scales and transforms them."""
    __slots__ = ()


class EncodedSet(ArraySet):
    """Samples already encoded as the model's input (tables, token ids): prepare(indices) → (x, y), y the
    labels or the targets of those samples; no scaling, no transforms."""
    __slots__ = ()

    def prepare(self, indices):
        return self.images[indices], (self.labels[indices] if self.targets is None else self.targets[indices])


class LoadedDataset:
    """preprocessing: what a run saves as preprocessing.json (csv, text), else None."""

    def __init__(self, name, class_names, train, test, preprocessing=None):
        self.name, self.class_names, self.train, self.test = name, list(class_names), train, test
        self.preprocessing = preprocessing


MNIST_CLASSES = [str(i) for i in range(10)]
FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']
CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']
IDX_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']
FASHION_BASE = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'
FASHION_MD5 = {
    'train-images-idx3-ubyte.gz': '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
    'train-labels-idx1-ubyte.gz': '25c81989df183df01b3e8a0aad5dffbe',
    't10k-images-idx3-ubyte.gz': 'bef4ecab320f06d8554ea6380940ec79',
    't10k-labels-idx1-ubyte.gz': 'bb300cfdad3c16e7a12a480ee83cd310',
}
CIFAR10_ARCHIVE = ('cifar-10-binary.tar.gz', 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz', 'c32a1d4ab5d03f1284b67883e8d87530')
CIFAR10_TRAIN = [f'data_batch_{i}.bin' for i in range(1, 6)]
CIFAR10_TEST = ['test_batch.bin']


def default_cache_dir():
    """$DLC_CACHE, else $XDG_CACHE_HOME/dlc, else ~/.cache/dlc (dlc's own cache)."""
    if os.environ.get('DLC_CACHE'):
        return os.environ['DLC_CACHE']
    if os.environ.get('XDG_CACHE_HOME'):
        return os.path.join(os.environ['XDG_CACHE_HOME'], 'dlc')
    return os.path.join(os.path.expanduser('~'), '.cache', 'dlc')


def _download(url, dest, md5):
    tmp = f'{dest}.part-{os.getpid()}'
    with urllib.request.urlopen(url) as r, open(tmp, 'wb') as f:
        while True:
            chunk = r.read(1 << 20)
            if not chunk:
                break
            f.write(chunk)
    h = hashlib.md5()
    with open(tmp, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    if h.hexdigest() != md5:
        os.remove(tmp)
        raise DataError(f'checksum mismatch (md5 {h.hexdigest()}, want {md5})', url)
    os.replace(tmp, dest)


# --- IDX (MNIST, Fashion-MNIST) ------------------------------------------------------------

def _read_maybe_gzip(path):
    with open(path, 'rb') as f:
        raw = f.read()
    return gzip.decompress(raw) if raw[:2] == b'\x1f\x8b' else raw


def parse_idx(data, want_dims, where):
    if len(data) < 4:
        raise DataError(f'truncated: {len(data)} bytes, not even an IDX header', where)
    magic = int.from_bytes(data[:4], 'big')
    if magic != (0x0800 | want_dims):
        raise DataError(f'bad magic number 0x{magic:08x} (want 0x{0x0800 | want_dims:08x})', where)
    head = 4 + 4 * want_dims
    if len(data) < head:
        raise DataError(f'truncated header: {len(data)} bytes, want {head}', where)
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(want_dims)]
    size = int(np.prod(dims))
    if len(data) - head != size:
        raise DataError(f'size mismatch: header says {size} bytes of data, file has {len(data) - head}', where)
    return np.frombuffer(data, dtype=np.uint8, offset=head).reshape(dims)


def _find_idx(d, name, dataset):
    for cand in (os.path.join(d, name), os.path.join(d, name + '.gz')):
        if os.path.exists(cand):
            return cand
    raise DataError(f'{dataset}: missing {name} (or {name}.gz) in {d}', os.path.join(d, name))


def load_idx_pair(images_file, labels_file, num_classes):
    img = parse_idx(_read_maybe_gzip(images_file), 3, images_file)
    lab = parse_idx(_read_maybe_gzip(labels_file), 1, labels_file)
    if lab.shape[0] != img.shape[0]:
        raise DataError(f'{lab.shape[0]} labels but {os.path.basename(images_file)} has {img.shape[0]} images', labels_file)
    if lab.size and int(lab.max()) >= num_classes:
        raise DataError(f'label {int(lab.max())} is out of range 0..{num_classes - 1}', labels_file)
    return ImageSet(np.ascontiguousarray(img[..., None]), lab.astype(np.int64))


def load_idx_dir(d, dataset, class_names):
    f = [_find_idx(d, n, dataset) for n in IDX_FILES]
    return LoadedDataset(dataset, class_names, load_idx_pair(f[0], f[1], len(class_names)), load_idx_pair(f[2], f[3], len(class_names)))


def load_mnist(path, cache_dir):
    d = path or os.environ.get('DLC_MNIST_DIR') or os.path.join(cache_dir, 'mnist')
    return load_idx_dir(d, 'mnist', MNIST_CLASSES)


def load_fashion_mnist(path, cache_dir):
    d = path
    if d is None:
        d = os.path.join(cache_dir, 'fashion_mnist')
        if not all(os.path.exists(os.path.join(d, n)) or os.path.exists(os.path.join(d, n + '.gz')) for n in IDX_FILES):
            os.makedirs(d, exist_ok=True)
            for name, md5 in FASHION_MD5.items():
                dest = os.path.join(d, name)
                if not os.path.exists(dest):
                    _download(FASHION_BASE + name, dest, md5)
    return load_idx_dir(d, 'fashion_mnist', FASHION_MNIST_CLASSES)


# --- CIFAR-10 binary ------------------------------------------------------------------------

def load_cifar_batches(files):
    parts = []
    for f in files:
        with open(f, 'rb') as fh:
            raw = fh.read()
        if len(raw) == 0 or len(raw) % 3073:
            raise DataError(f'size {len(raw)} is not a whole number of 3073-byte CIFAR-10 records', f)
        parts.append(np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3073))
    rec = np.concatenate(parts)
    labels = rec[:, 0].astype(np.int64)
    if labels.size and int(labels.max()) > 9:
        raise DataError('label out of range 0..9', files[0])
    images = np.ascontiguousarray(rec[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
    return ImageSet(images, labels)


def load_cifar10(path, cache_dir):
    d = path
    if d is None:
        base = os.path.join(cache_dir, 'cifar10')
        d = os.path.join(base, 'cifar-10-batches-bin')
        if not os.path.exists(d):
            os.makedirs(base, exist_ok=True)
            archive = os.path.join(base, CIFAR10_ARCHIVE[0])
            if not os.path.exists(archive):
                _download(CIFAR10_ARCHIVE[1], archive, CIFAR10_ARCHIVE[2])
            with tarfile.open(archive) as tar:
                for m in tar.getmembers():
                    if not (m.isfile() or m.isdir()) or m.name.startswith('/') or '..' in m.name.split('/'):
                        raise DataError(f'unsafe archive member {m.name!r}', archive)
                tar.extractall(base)
    inner = os.path.join(d, 'cifar-10-batches-bin')
    if not os.path.exists(os.path.join(d, CIFAR10_TEST[0])) and os.path.exists(inner):
        d = inner
    missing = [f for f in CIFAR10_TRAIN + CIFAR10_TEST if not os.path.exists(os.path.join(d, f))]
    if missing:
        raise DataError(f"cifar10: missing {', '.join(missing)} in {d}", d)
    names = CIFAR10_CLASSES
    meta = os.path.join(d, 'batches.meta.txt')
    if os.path.exists(meta):
        with open(meta, encoding='utf8') as fh:
            names = [s.strip() for s in fh.read().splitlines() if s.strip()]
    return LoadedDataset('cifar10', names, load_cifar_batches([os.path.join(d, f) for f in CIFAR10_TRAIN]),
                         load_cifar_batches([os.path.join(d, f) for f in CIFAR10_TEST]))


# --- image folder ---------------------------------------------------------------------------

def _list_dirs(d):
    return sorted(e.name for e in os.scandir(d) if e.is_dir() and not e.name.startswith('.'))


def load_image_folder(root, image_size=None, channels=3):
    from PIL import Image

    root = os.path.abspath(root)
    for split in ('train', 'test'):
        if not os.path.isdir(os.path.join(root, split)):
            raise DataError(f'no {split}/ sub-folder: an image folder holds train/<class>/*.png|jpg and test/<class>/…', root)
    classes = _list_dirs(os.path.join(root, 'train'))
    if not classes:
        raise DataError('no class sub-folders in train/', os.path.join(root, 'train'))

    def listing(split):
        files, labels = [], []
        for cls in _list_dirs(os.path.join(root, split)):
            if cls not in classes:
                raise DataError(f'class folder "{cls}" has no counterpart in train/', os.path.join(root, split, cls))
            d = os.path.join(root, split, cls)
            for name in sorted(os.listdir(d)):
                if name.lower().endswith(('.png', '.jpg', '.jpeg')):
                    files.append(os.path.join(d, name))
                    labels.append(classes.index(cls))
        return files, labels

    train_files, train_labels = listing('train')
    test_files, test_labels = listing('test')
    if image_size:
        h, w = image_size
    else:
        with Image.open(train_files[0]) as im:
            w, h = im.size

    def decode(files):
        out = np.zeros((len(files), h, w, channels), dtype=np.uint8)
        for i, f in enumerate(files):
            with Image.open(f) as im:
                rgb = np.asarray(im.convert('RGB'), dtype=np.uint8)
            if channels == 1:
                v = rgb.astype(np.uint32)
                rgb = ((v[..., 0] * 19595 + v[..., 1] * 38470 + v[..., 2] * 7471 + 0x8000) >> 16).astype(np.uint8)[..., None]
            if rgb.shape[0] != h or rgb.shape[1] != w:
                if not image_size:
                    raise DataError(f'image is {rgb.shape[1]}x{rgb.shape[0]}, others are {w}x{h} (set data.image_size to resize)', f)
                rgb = _resize_uint8(rgb, h, w)
            out[i] = rgb
        return out

    return LoadedDataset('image_folder', classes, ImageSet(decode(train_files), np.array(train_labels, dtype=np.int64)),
                         ImageSet(decode(test_files), np.array(test_labels, dtype=np.int64)))


def _resize_uint8(src, h, w):
    """dlc's decoder resize: bilinear, half-pixel centres, clamped, rounded like Math.round after |0."""
    height, width, c = src.shape
    fy = np.maximum((np.arange(h) + 0.5) * (height / h) - 0.5, 0)
    fx = np.maximum((np.arange(w) + 0.5) * (width / w) - 0.5, 0)
    y0 = np.minimum(np.floor(fy).astype(np.int64), height - 1)
    x0 = np.minimum(np.floor(fx).astype(np.int64), width - 1)
    y1 = np.where(y0 + 1 < height, y0 + 1, height - 1)
    x1 = np.where(x0 + 1 < width, x0 + 1, width - 1)
    dy = (fy - y0)[:, None, None]
    dx = (fx - x0)[None, :, None]
    s = src.astype(np.float64)
    top = s[y0][:, x0] + (s[y0][:, x1] - s[y0][:, x0]) * dx
    bot = s[y1][:, x0] + (s[y1][:, x1] - s[y1][:, x0]) * dx
    return np.clip(js_round(top + (bot - top) * dy), 0, 255).astype(np.uint8)


# --- synthetic ------------------------------------------------------------------------------

def _prototypes(spec, seed):
    h, w, c = spec['shape']
    yy, xx = np.meshgrid(np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64), indexing='ij')
    out = []
    for k in range(spec['classes']):
        rng = rng_for(seed, STREAM_SYNTHETIC, 1000 + k)
        p = np.zeros((h, w, c), dtype=F32)
        for _ in range(2):
            theta = rng() * math.pi
            freq = (0.5 + rng() * 2.5) * (2 * math.pi) / max(h, w)
            phase = rng() * 2 * math.pi
            colour = np.array([rng() * 2 - 1 for _ in range(c)], dtype=np.float64)
            ct, st = jsmath.cos(theta), jsmath.sin(theta)
            s = np.array([jsmath.sin(a) for a in (freq * (xx * ct + yy * st) + phase).reshape(-1)]).reshape(h, w) * 0.5
            p = (p.astype(np.float64) + s[..., None] * colour).astype(F32)
        out.append(p.reshape(-1))
    return out


def _make_set(spec, protos, count, rng):
    h, w, c = spec['shape']
    per = h * w * c
    labels = np.arange(count, dtype=np.int64) % spec['classes']
    shuffle_in_place(labels, rng)
    images = np.zeros((count, per), dtype=np.uint8)
    chunk = max(1, (1 << 22) // (2 * per + 2))
    for s0 in range(0, count, chunk):
        m = min(chunk, count - s0)
        r = rng.draw(m * (2 + 2 * per)).reshape(m, 2 + 2 * per)
        gain = 90 + r[:, 0:1] * 40
        bias = 128 + (r[:, 1:2] - 0.5) * 30
        noise = (r[:, 2::2] + r[:, 3::2] - 1) * 30
        proto = np.stack([protos[l] for l in labels[s0:s0 + m]]).astype(np.float64)
        v = bias + gain * proto + noise
        images[s0:s0 + m] = np.where(v < 0, 0, np.where(v > 255, 255, js_round(np.clip(v, 0, 255)))).astype(np.uint8)
    return ImageSet(images.reshape(count, h, w, c), labels)


def load_synthetic(spec, seed):
    if not spec:
        raise DataError('data.dataset is synthetic but data.synthetic (train_samples, test_samples, shape, classes) is missing')
    if spec.get('target') in ('multi_label', 'real'):
        from .synthetic_targets import load_synthetic_targets
        return load_synthetic_targets(spec, seed, _prototypes)
    protos = _prototypes(spec, seed)
    return LoadedDataset('synthetic', [str(k) for k in range(spec['classes'])],
                         _make_set(spec, protos, spec['train_samples'], rng_for(seed, STREAM_SYNTHETIC, 1)),
                         _make_set(spec, protos, spec['test_samples'], rng_for(seed, STREAM_SYNTHETIC, 2)))


# --- splits and limits ----------------------------------------------------------------------

def indices_by_class(s):
    by = {}
    for i, l in enumerate(s.labels.tolist()):
        by.setdefault(l, []).append(i)
    return by


def limit_balanced(s, limit):
    """At most `limit` samples, first of each class round-robin, original order (seed-independent)."""
    if limit is None or limit >= s.count:
        return s
    lists = [v for _, v in sorted(indices_by_class(s).items())]
    chosen = []
    rnd = 0
    while len(chosen) < limit:
        for lst in lists:
            if rnd < len(lst) and len(chosen) < limit:
                chosen.append(lst[rnd])
        rnd += 1
    return s.subset(sorted(chosen))


def split_validation(s, fraction, seed):
    """dlc's seeded stratified split (largest-remainder quotas); both parts keep set order."""
    if not (0 <= fraction < 1):
        raise ValueError(f'validation fraction must be in [0, 1), got {fraction}')
    want = js_round(np.float64(fraction * s.count)).item()
    want = int(want)
    if fraction > 0 and s.count >= 2:
        want = min(max(want, 1), s.count - 1)
    by = indices_by_class(s)
    classes = sorted(by)
    quotas = [len(by[k]) * want / s.count for k in classes]
    take = [math.floor(q) for q in quotas]
    left = want - sum(take)
    order = sorted(range(len(classes)), key=lambda i: (-(quotas[i] - take[i]), i))
    for i in order:
        if left <= 0:
            break
        take[i] += 1
        left -= 1
    is_val = np.zeros(s.count, dtype=bool)
    for ci, k in enumerate(classes):
        idx = shuffle_in_place(np.array(by[k], dtype=np.int64), rng_for(seed, STREAM_SPLIT, k))
        is_val[idx[:take[ci]]] = True
    val_idx = np.nonzero(is_val)[0]
    if len(val_idx) == 0:
        return s, s.subset([])
    return s.subset(np.nonzero(~is_val)[0]), s.subset(val_idx)


def load_dataset(data, seed=0, cache_dir=None, log=None, saved=None, data_dir=None):
    """Loads spec.data's set, checks labels, applies train_limit/test_limit (as dlc's loadDataset).
    saved: a run's preprocessing.json (dict) to use instead of fitting (csv, text); data_dir: where
    relative data paths start (tables.resolve_data_path)."""
    cache_dir = cache_dir or default_cache_dir()
    kind = data['dataset']
    path = data.get('path')
    if kind == 'mnist':
        ds = load_mnist(path, cache_dir)
    elif kind == 'fashion_mnist':
        ds = load_fashion_mnist(path, cache_dir)
    elif kind == 'cifar10':
        ds = load_cifar10(path, cache_dir)
    elif kind == 'image_folder':
        if not path:
            raise DataError('data.dataset is image_folder but data.path is missing')
        ds = load_image_folder(path, data.get('image_size'), data.get('channels', 3))
    elif kind == 'synthetic':
        ds = load_synthetic(data.get('synthetic'), seed)
    elif kind == 'csv':
        from .tables import load_table
        ds = load_table(data, seed=seed, log=log, data_dir=data_dir, saved=saved)
    elif kind == 'text':
        from .texts import load_text
        ds = load_text(data, seed=seed, log=log, data_dir=data_dir, saved=saved)
    else:
        raise DataError(f'unknown data set {kind}')
    k = len(ds.class_names)
    for split, s in (('train', ds.train), ('test', ds.test)):
        if getattr(s, 'targets', None) is None and s.count and (int(s.labels.min()) < 0 or int(s.labels.max()) >= k):
            raise DataError(f'a label is out of range 0..{k - 1}', f'{ds.name} {split}')
    if data.get('train_limit') is not None or data.get('test_limit') is not None:
        ds.train = limit_balanced(ds.train, data.get('train_limit'))
        ds.test = limit_balanced(ds.test, data.get('test_limit'))
    if log:
        kind = getattr(ds.train, 'target_kind', 'class')
        what = 'images' if len(ds.train.shape) == 3 and ds.train.images.dtype.kind != 'i' else 'samples'
        targets = f'{k} classes' if kind == 'class' else f'{kind} targets of width {ds.train.targets.shape[1]}'
        log(f"{ds.name}: {ds.train.count} train, {ds.test.count} test {what} of {'×'.join(map(str, ds.train.shape))}, {targets}")
    return ds


# --- batches --------------------------------------------------------------------------------

_SCALE = (np.arange(256, dtype=np.float64) / 255).astype(F32)


def epoch_order(count, shuffle, seed, epoch):
    """The sample order of one epoch: a permutation seeded by (seed, epoch), or identity."""
    if shuffle:
        return permutation(count, rng_for(seed, STREAM_SHUFFLE, epoch))
    return np.arange(count, dtype=np.int64)


def batch_count(count, batch_size):
    return -(-count // batch_size)


def split_rows(rows, parts):
    """Rows per data-parallel part: as even as possible, the first ones one larger (dlc's splitRows)."""
    base = rows // parts
    return [base + (1 if k < rows % parts else 0) for k in range(parts)]


def prepare_batch(s, indices, transforms, training, seed, epoch, batch, total=None, lo=0):
    """Pixels float32 NHWC in [0, 1] → transforms; returns (x, labels) for the given indices — or
    (x, targets) for real / multi-label targets. A set with a prepare(indices) method (tables, texts)
    gives (x, y) itself: no scaling, no transforms."""
    if hasattr(s, 'prepare'):
        return s.prepare(indices)
    # uint8 pixels go to apply_transforms as they are: crops, translations and flips before the first
    # transform that changes values move bytes, then ÷ 255 in float32 (correctly rounded: _SCALE's values).
    pixels = s.images[indices]
    x = pixels if pixels.dtype == np.uint8 else _SCALE[pixels]
    x = apply_transforms(x, transforms, training, seed, epoch, batch, total=total, lo=lo)
    return x, (s.labels[indices] if getattr(s, 'targets', None) is None else s.targets[indices])


def epoch_batches(s, batch_size, shuffle, seed, epoch, transforms, training=None, rank=0, world=1):
    """Yields (index, x, labels, global_size, lo) for one epoch; with world > 1, each rank's
    contiguous rows of every global batch (the same global batches as one process)."""
    if batch_size < 1:
        raise ValueError(f'batch size must be ≥ 1, got {batch_size}')
    shape = s.shape
    for t in ([] if hasattr(s, 'prepare') else transforms):
        check_transform(t, shape)
        if t['kind'] == 'random_crop':
            shape = [t['size'], t['size'], shape[2]]
        elif t['kind'] == 'resize':
            shape = [t['size'][0], t['size'][1], shape[2]]
    training = shuffle if training is None else training
    order = epoch_order(s.count, shuffle, seed, epoch)
    for b in range(batch_count(s.count, batch_size)):
        idx = order[b * batch_size:min(s.count, (b + 1) * batch_size)]
        n = len(idx)
        sizes = split_rows(n, world)
        lo = sum(sizes[:rank])
        mine = idx[lo:lo + sizes[rank]]
        x, y = prepare_batch(s, mine, transforms, training, seed, epoch, b, total=n, lo=lo)
        yield b, x, y, n, lo
