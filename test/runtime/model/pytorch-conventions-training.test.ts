/**
 * Done-when of issue 14: 20 training steps of a batch-norm net with Adam
 * under `conventions: pytorch` (the default) match PyTorch's defaults —
 * nn.Conv2d / nn.BatchNorm2d() / nn.Linear and torch.optim.Adam(lr) with
 * nothing else set — within 1e-5 relative: every weight, the running mean
 * and the (unbiased) running variance, and the eval-mode logits. Both start
 * from dlc's initial weights. The conv has no bias (the usual layout before
 * batch norm: a bias there gets only rounding noise as gradient, which Adam
 * normalises into steps of the full learning rate, in either framework).
 * Without the unbiased running variance
 * (`conventions: keras` numbers, or tfjs's own batch norm) it does not.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../src/compiler/compile.js';
import type { IR } from '../../../src/compiler/ir.js';
import { buildModel } from '../../../src/runtime/model/build-model.js';
import { makeOptimizer } from '../../../src/runtime/optimizers/index.js';
import { PYTHON, runPython } from '../../codegen/pytorch/python.js';

const SPEC = `name: bn-adam
data:
  dataset: synthetic
  synthetic: {train_samples: 16, test_samples: 8, shape: [6, 6, 2], classes: 3}
model:
  layers:
    - conv2d: {name: conv, filters: 4, kernel_size: 3, padding: same, use_bias: false}
    - batch_norm: {name: bn}
    - relu
    - flatten
    - dense: {name: fc, units: 3}
optimizer: {adam: {learning_rate: 0.01}}
`;
const STEPS = 20;
const BATCH = 8;

function irOf(yaml: string): IR {
  const r = compile(yaml, { file: 'bn.yaml' });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.ir!;
}

/** Deterministic inputs and labels. */
function batch(): { x: number[]; y: number[] } {
  let s = 9;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return { x: Array.from({ length: BATCH * 6 * 6 * 2 }, () => rnd() * 2 - 1), y: Array.from({ length: BATCH }, (_, i) => i % 3) };
}

type Weights = Record<string, { shape: number[]; values: number[] }>;

/** dlc's runtime: the model from the IR, the spec's optimizer, mean softmax cross-entropy, STEPS steps on one batch. */
function trainDlc(ir: IR): { initial: Weights; final: Weights; logits: number[] } {
  const model = buildModel(ir);
  const dump = (): Weights => {
    const out: Weights = {};
    for (const l of model.layers) for (const w of l.weights) out[`${l.name}/${w.originalName.split('/').pop()}`] = { shape: [...w.shape] as number[], values: Array.from(w.read().dataSync()) };
    return out;
  };
  const initial = dump();
  const opt = makeOptimizer(ir.spec.optimizer);
  const { x: xs, y: ys } = batch();
  const x = tf.tensor4d(xs, [BATCH, 6, 6, 2]);
  const y = tf.oneHot(tf.tensor1d(ys, 'int32'), 3);
  const vars = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  for (let i = 0; i < STEPS; i++) {
    const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, vars);
    opt.applyGradients(vars, vars.map((v) => grads[v.name]));
    tf.dispose(grads);
  }
  const logits = Array.from((model.apply(x, { training: false }) as tf.Tensor).dataSync());
  const final = dump();
  model.dispose();
  return { initial, final, logits };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('conventions: pytorch training', () => {
  it('the spec resolves to PyTorch defaults and the recipe asks for the unbiased running variance', () => {
    const ir = irOf(SPEC);
    expect(ir.spec.optimizer).toMatchObject({ kind: 'adam', epsilon: 1e-8, beta1: 0.9, beta2: 0.999 });
    const bn = ir.nodes.find((n) => n.op === 'batch_norm')!;
    expect(bn.layers[0]).toMatchObject({ layer: 'torchBatchNormalization', args: { momentum: 0.9, epsilon: 1e-5 } });
    const keras = irOf(SPEC.replace('name: bn-adam', 'name: bn-adam\nconventions: keras')).nodes.find((n) => n.op === 'batch_norm')!;
    expect(keras.layers[0]).toMatchObject({ layer: 'batchNormalization', args: { momentum: 0.99, epsilon: 0.001 } });
  });

  it.skipIf(!PYTHON)(`${STEPS} Adam steps = PyTorch defaults within 1e-5 (weights, running statistics, eval logits)`, () => {
    const dlc = trainDlc(irOf(SPEC));
    const { x, y } = batch();
    const torch = runPython<{ final: Record<string, number[]>; logits: number[] }>(
      `import torch, numpy as np
torch.manual_seed(0)
W = INPUT['initial']
def t(k):
    return torch.tensor(np.array(W[k]['values'], dtype=np.float32).reshape(W[k]['shape']))
class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(2, 4, 3, padding=1, bias=False)
        self.bn = torch.nn.BatchNorm2d(4)
        self.fc = torch.nn.Linear(6 * 6 * 4, 3)
    def forward(self, x):
        h = torch.relu(self.bn(self.conv(x)))
        return self.fc(h.permute(0, 2, 3, 1).reshape(x.shape[0], -1))
net = Net()
with torch.no_grad():
    net.conv.weight.copy_(t('conv/kernel').permute(3, 2, 0, 1))
    net.fc.weight.copy_(t('fc/kernel').t())
    net.fc.bias.copy_(t('fc/bias'))
opt = torch.optim.Adam(net.parameters(), lr=0.01)
x = torch.tensor(INPUT['x'], dtype=torch.float32).reshape(-1, 6, 6, 2).permute(0, 3, 1, 2).contiguous()
y = torch.tensor(INPUT['y'])
net.train()
for _ in range(INPUT['steps']):
    opt.zero_grad()
    torch.nn.functional.cross_entropy(net(x), y).backward()
    opt.step()
net.eval()
with torch.no_grad():
    logits = net(x).reshape(-1).tolist()
f = lambda v: v.detach().reshape(-1).tolist()
final = {
    'conv/kernel': f(net.conv.weight.permute(2, 3, 1, 0)),
    'bn/gamma': f(net.bn.weight), 'bn/beta': f(net.bn.bias),
    'bn/moving_mean': f(net.bn.running_mean), 'bn/moving_variance': f(net.bn.running_var),
    'fc/kernel': f(net.fc.weight.t()), 'fc/bias': f(net.fc.bias),
}
print(json.dumps({'final': final, 'logits': logits}))`,
      { initial: dlc.initial, x, y, steps: STEPS },
    );
    // Relative to each tensor's scale: max |dlc − torch| / max |torch|.
    const rel = (a: readonly number[], b: readonly number[]) => {
      const scale = Math.max(...b.map(Math.abs), 1e-12);
      return Math.max(...a.map((v, i) => Math.abs(v - b[i]))) / scale;
    };
    expect(Object.keys(torch.final).sort()).toEqual(Object.keys(dlc.final).sort());
    const worst: string[] = [];
    for (const [k, want] of Object.entries(torch.final)) {
      const r = rel(dlc.final[k].values, want);
      if (!(r <= 1e-5)) worst.push(`${k}: ${r.toExponential(2)}`);
    }
    const r = rel(dlc.logits, torch.logits);
    if (!(r <= 1e-5)) worst.push(`eval logits: ${r.toExponential(2)}`);
    expect(worst).toEqual([]);
    // tfjs's own batch norm (biased running variance) with the same values misses PyTorch's running variance.
    const ir = irOf(SPEC);
    const biased = {
      ...ir,
      nodes: ir.nodes.map((n) => (n.op === 'batch_norm' ? { ...n, layers: n.layers.map((c) => ({ ...c, layer: 'batchNormalization' })) } : n)),
    } as IR;
    const plain = trainDlc(biased);
    expect(rel(plain.final['bn/moving_variance'].values, torch.final['bn/moving_variance'])).toBeGreaterThan(1e-3);
  });
});
