"""dlc (tfjs layers) weights ↔ the emitted model's torch parameters.

Weights are named "<tfjs layer name>/<weight>" (kernel, bias, depthwise_kernel,
pointwise_kernel, gamma, beta, moving_mean, moving_variance), laid out as tfjs keeps them
(conv kernels [kh, kw, in, out], depthwise [kh, kw, in, multiplier], dense [in, out]).
model.py's TFJS_NAMES maps each module attribute to (tfjs layer name, role). Role 'native' (the
sequence kinds: embedding, lstm, gru, bidirectional, positional embedding, attention, transformer
encoder) keeps tfjs's names and layouts in the module itself: its tfjs_weights() lists them
(bidirectional's as "<layer>/forward_<inner>/kernel", …), nothing is transposed."""
import json
import os

import numpy as np
import torch


def _to_torch(role, weight, a):
    a = torch.as_tensor(np.asarray(a, dtype=np.float32))
    if role == 'native':  # sequence kinds keep tfjs's layouts (layers.py)
        return a
    if weight == 'kernel' and a.dim() == 3:  # conv1d [k, in, out] → [out, in, k]
        return a.permute(2, 1, 0)
    if weight in ('kernel', 'pointwise_kernel') and a.dim() == 4:
        return a.permute(3, 2, 0, 1)
    if weight == 'depthwise_kernel' or (role == 'depthwise' and weight == 'kernel'):
        kh, kw, cin, mult = a.shape
        return a.permute(2, 3, 0, 1).reshape(cin * mult, 1, kh, kw)
    if weight == 'kernel' and a.dim() == 2:
        return a.t()
    return a


_PARAM_NAMES = {
    'conv': {'weight': 'kernel', 'bias': 'bias'},
    'conv1d': {'weight': 'kernel', 'bias': 'bias'},
    'depthwise': {'weight': 'depthwise_kernel', 'bias': 'bias'},
    'pointwise': {'weight': 'pointwise_kernel', 'bias': 'bias'},
    'dense': {'weight': 'kernel', 'bias': 'bias'},
    'batch_norm': {'weight': 'gamma', 'bias': 'beta', 'running_mean': 'moving_mean', 'running_var': 'moving_variance'},
    'layer_norm': {'weight': 'gamma', 'bias': 'beta'},
}


def tfjs_weight_names(model):
    """[(torch state_dict key, tfjs weight name, role)] for every weight dlc has."""
    out = []
    for attr, entry in model.TFJS_NAMES.items():
        layer, role = entry[0], entry[1]
        if role == 'native':
            out.extend((f'{attr}.{path}', f'{layer}/{w}', role) for path, w, _ in getattr(model, attr).tfjs_weights())
            continue
        names = _PARAM_NAMES.get(role)
        if not names:
            continue
        mod = getattr(model, attr)
        for torch_name, tf_name in names.items():
            if getattr(mod, torch_name, None) is not None:
                out.append((f'{attr}.{torch_name}', f'{layer}/{tf_name}', role))
    return out


def load_tfjs_weights(model, arrays):
    """Loads {tfjs weight name: array in tfjs layout} into the model (every weight must be there)."""
    state = model.state_dict()
    missing = []
    for key, tf_name, role in tfjs_weight_names(model):
        if tf_name not in arrays:
            missing.append(tf_name)
            continue
        t = _to_torch(role, tf_name.rsplit('/', 1)[1], arrays[tf_name])
        if tuple(t.shape) != tuple(state[key].shape):
            raise ValueError(f'{tf_name}: shape {list(t.shape)} does not fit {key} {list(state[key].shape)}')
        state[key] = t.to(state[key].dtype)
    if missing:
        raise ValueError(f"weights missing: {', '.join(missing)}")
    model.load_state_dict(state)


def export_tfjs_weights(model):
    """The model's weights as {tfjs weight name: float32 array in tfjs layout} (for dlc's checkpoint format)."""
    state = model.state_dict()
    out = {}
    for key, tf_name, role in tfjs_weight_names(model):
        t = state[key].detach().cpu()
        w = tf_name.rsplit('/', 1)[1]
        if role == 'native':
            pass
        elif w == 'kernel' and t.dim() == 3:
            t = t.permute(2, 1, 0)
        elif w in ('kernel', 'pointwise_kernel') and t.dim() == 4:
            t = t.permute(2, 3, 1, 0)
        elif w == 'depthwise_kernel':
            cm, _, kh, kw = t.shape
            mod = getattr(model, key.split('.')[0])
            cin = mod.groups
            t = t.reshape(cin, cm // cin, kh, kw).permute(2, 3, 0, 1)
        elif w == 'kernel' and t.dim() == 2:
            t = t.t()
        out[tf_name] = t.contiguous().numpy().astype(np.float32)
    return out


def read_tfjs_weights(model_dir):
    """{tfjs weight name: float32 array} from a tfjs layers model directory (model.json + its weight
    files, as dlc's checkpoints and `model.save` write them). Paths must stay inside the directory and
    the files must hold exactly the bytes the manifest needs."""
    with open(os.path.join(model_dir, 'model.json'), encoding='utf8') as f:
        manifest = json.load(f).get('weightsManifest') or []
    root = os.path.realpath(model_dir)
    out = {}
    for group in manifest:
        data = b''
        for rel in group.get('paths', []):
            path = os.path.realpath(os.path.join(root, rel))
            if not path.startswith(root + os.sep):
                raise ValueError(f'{model_dir}/model.json: weight file {rel!r} is outside the directory')
            with open(path, 'rb') as f:
                data += f.read()
        offset = 0
        for spec in group.get('weights', []):
            if spec.get('dtype', 'float32') != 'float32':
                raise ValueError(f"{model_dir}/model.json: weight {spec['name']} is {spec.get('dtype')}, not float32")
            n = int(np.prod(spec['shape'])) if spec['shape'] else 1
            if offset + 4 * n > len(data):
                raise ValueError(f"{model_dir}: the weight files end before weight {spec['name']}")
            out[spec['name']] = np.frombuffer(data, dtype='<f4', count=n, offset=offset).reshape(spec['shape']).astype(np.float32)
            offset += 4 * n
        if offset != len(data):
            raise ValueError(f'{model_dir}: the weight files hold {len(data)} bytes, the manifest {offset}')
    return out
