/**
 * The view of model.py: an nn.Module printed from the IR nodes' recipes (IRNode.layers, the
 * tfjs layer calls each op's `build` yields), reproducing dlc's semantics rather than
 * PyTorch's defaults:
 *
 * - Layout: the model reads NHWC batches (dlc's layout); image tensors run NCHW inside and
 *   are put back in NHWC order wherever the order of features matters (flatten, reshape,
 *   dense or layer norm over the channel axis), so a dense layer after flatten sees dlc's
 *   feature order and its kernel transposes directly.
 * - TF "same" padding is computed per axis from the static input size; when it is
 *   asymmetric (stride > 1, even kernel) an explicit pad comes first. "same" max pooling
 *   pads with -inf; "same" average pooling divides by the number of real pixels (TF).
 * - Batch norm is dlc_runtime.layers.KerasBatchNorm: Keras momentum (moving ← moving −
 *   (moving − batch)·(1 − momentum)), the given epsilon, biased batch variance for the
 *   moving variance (as tfjs updates it).
 * - activation: leaky_relu on a layer has slope 0.01 (the recipe's separate leakyReLU call).
 *
 * Every module keeps its tfjs layer name (TFJS_NAMES), so dlc's weights load by name
 * (dlc_runtime.weights) and a torch checkpoint converts back.
 */
import type { IR, IRNode, LayerCall } from '../../compiler/ir.js';
import { ScopeOf } from '../common/identifiers.js';
import { EmitError } from '../common/write-project.js';
import { pyBool, pyCommentText, pyInteger, pyIntTuple, pyNumber, pyString } from './literals.js';
import { PY_IDENTIFIERS } from './names.js';

type Call = LayerCall;

export interface ModuleLine {
  /** `self.<attr> = <expr>` in __init__. */
  readonly attr: string;
  readonly exprCode: string;
  /** The tfjs layer name the module's weights carry in dlc. */
  readonly tfjsNameLit: string;
  /** How its weights map to tfjs's (dlc_runtime/weights.py): conv, depthwise, pointwise, dense, batch_norm, layer_norm, dropout. */
  readonly roleLit: string;
  /** `{"kernel": seed, …}`: the seeds of its glorot-uniform kernels (dlc_runtime/init.py). */
  readonly seedsCode: string;
}

export interface NodeView {
  /** The node's summary comment: id, op, shapes, parameters, spec line. */
  readonly commentText: string;
  readonly modules: readonly ModuleLine[];
  /** Statements of forward(), in order. */
  readonly forwardCode: readonly string[];
}

export interface ModelView {
  readonly nodes: readonly NodeView[];
  readonly outputVar: string;
  /** IR `outputs`: the training-mode return `(main, aux1, …)` ('' for one output) and the loss weights `(1, 0.3, …)` ('' without `outputs`). */
  readonly trainingOutputsCode: string;
  readonly lossWeightsCode: string;
  readonly inputShapeCode: string;
  readonly numClassesCode: string;
  readonly totalParams: number;
}

/**
 * Thrown for a recipe call this target cannot print (an op added to dlc after the target);
 * an EmitError, so `dlc emit --target pytorch` reports it (exit 2) instead of crashing.
 */
export class UnsupportedLayer extends EmitError {}

type Layout = 'nchw' | 'flat';

function nums(v: unknown, what: string): number[] {
  const a = Array.isArray(v) ? v : [v];
  for (const x of a) if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`codegen: ${what} is not a number list`);
  return a as number[];
}

function pair(v: unknown, what: string, dflt?: number): [number, number] {
  if (v === undefined) {
    if (dflt === undefined) throw new Error(`codegen: ${what} missing`);
    return [dflt, dflt];
  }
  const a = nums(v, what);
  return a.length === 1 ? [a[0], a[0]] : [a[0], a[1]];
}

/** TF "same" padding of one axis: (before, after). */
export function samePad(size: number, kernel: number, stride: number, dilation: number): [number, number] {
  const eff = (kernel - 1) * dilation + 1;
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + eff - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** Explicit zero padding as [top, bottom, left, right] from a zeroPadding2d `padding` arg. */
function zeroPads(p: unknown): [number, number, number, number] {
  if (typeof p === 'number') return [p, p, p, p];
  if (Array.isArray(p) && p.length === 2 && Array.isArray(p[0])) {
    const [[t, b], [l, r]] = p as number[][];
    return [t, b, l, r];
  }
  const [h, w] = pair(p, 'padding');
  return [h, h, w, w];
}

const ACTIVATIONS: Record<string, (v: string, layout: Layout) => string> = {
  relu: (v) => `F.relu(${v})`,
  elu: (v) => `F.elu(${v})`,
  gelu: (v) => `F.gelu(${v})`,
  relu6: (v) => `F.relu6(${v})`,
  swish: (v) => `F.silu(${v})`,
  mish: (v) => `F.mish(${v})`,
  // tfjs's (Keras's) hard sigmoid; dlc's hard_sigmoid rescales by 5/6 before it (ops/activations.ts).
  hardSigmoid: (v) => `torch.clamp(${v} * 0.2 + 0.5, 0.0, 1.0)`,
  sigmoid: (v) => `torch.sigmoid(${v})`,
  tanh: (v) => `torch.tanh(${v})`,
  softmax: (v, layout) => `torch.softmax(${v}, dim=${layout === 'nchw' ? 1 : -1})`,
  linear: (v) => v,
};

function activation(name: unknown, v: string, layout: Layout): string {
  if (name === undefined) return v;
  const f = typeof name === 'string' ? ACTIVATIONS[name] : undefined;
  if (!f) throw new UnsupportedLayer(`activation ${JSON.stringify(name)}`);
  return f(v, layout);
}

function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** [steps, channels] of a sequence input, or UnsupportedLayer. */
function needSeq(layer: string, x: Value): [number, number] {
  if (x.layout !== 'flat' || x.shape.length !== 2) throw new UnsupportedLayer(`${layer} on a [${x.shape.join(', ')}] input`);
  return [x.shape[0], x.shape[1]];
}

/** The recurrent options dlc's recipes use; anything else (another activation, dropout, …) is refused, not printed wrongly. */
function rnnChecks(layer: string, a: Readonly<Record<string, unknown>>): void {
  if (a.recurrentActivation !== 'sigmoid') throw new UnsupportedLayer(`${layer} with recurrent activation ${JSON.stringify(a.recurrentActivation)} (the printed cells use the logistic sigmoid)`);
  for (const k of ['activation', 'dropout', 'recurrentDropout', 'goBackwards', 'useBias', 'unitForgetBias', 'returnState', 'stateful']) {
    if (a[k] !== undefined) throw new UnsupportedLayer(`${layer} with ${k} ${JSON.stringify(a[k])}`);
  }
}

/** The model view of `ir`; `specFile` names the spec in comments. */
export function buildModelView(ir: IR, specFile: string): ModelView {
  const attrs = new ScopeOf(PY_IDENTIFIERS, ['layers']);
  const vars = new ScopeOf(PY_IDENTIFIERS, ['x']);
  const valueOf = new Map<string, Value>();
  const views: NodeView[] = [];
  let total = 0;
  for (const node of ir.nodes) {
    const calls = node.layers;
    total += node.params.trainable + node.params.nonTrainable;
    const modules: ModuleLine[] = [];
    const code: string[] = [];
    const out = vars.take(`v_${node.id}`);
    const comment = nodeComment(node, specFile, ir);
    if (node.op === 'input') {
      const layout: Layout = node.shape.length === 3 ? 'nchw' : 'flat';
      code.push(layout === 'nchw' ? `${out} = x.permute(0, 3, 1, 2)  # NHWC batches in, NCHW inside` : `${out} = x`);
      valueOf.set(node.id, { v: out, layout, shape: node.shape });
      views.push({ commentText: comment, modules, forwardCode: code });
      continue;
    }
    const ins = node.inputs.map((id) => {
      const got = valueOf.get(id);
      if (!got) throw new Error(`codegen: input ${JSON.stringify(id)} of ${JSON.stringify(node.id)} is not computed before it`);
      return got;
    });
    let cur = ins[0];
    calls.forEach((c, k) => {
      const last = k === calls.length - 1;
      const target = last ? out : vars.take(`v_${node.id}_${c.part}`);
      const res = emitCall(c, k === 0 ? ins : [cur], node, last, attrs, modules);
      // tfjs masking (embedding mask_zero): the mask is computed from the call's input, before its output.
      let mask: string | undefined;
      if (res.maskExpr !== undefined) {
        mask = vars.take(`mask_${node.id}`);
        code.push(`${mask} = ${res.maskExpr}`);
      } else if (res.keepsMask ?? MASK_KEEPERS.has(c.layer)) mask = ins.length === 1 || k > 0 ? (k === 0 ? ins[0] : cur).mask : undefined;
      code.push(`${target} = ${res.expr}`);
      cur = { v: target, layout: res.layout, shape: res.shape, mask };
    });
    valueOf.set(node.id, cur);
    views.push({ commentText: comment, modules, forwardCode: code });
  }
  const output = valueOf.get(ir.outputId);
  if (!output) throw new Error(`codegen: output ${JSON.stringify(ir.outputId)} is not computed`);
  const nhwc = (o: Value): string => (o.layout === 'nchw' ? `${o.v}.permute(0, 2, 3, 1)` : o.v);
  // Auxiliary heads: returned (after the main output) in training mode only, as torchvision's GoogLeNet does.
  const heads = ir.outputs && ir.outputs.length > 0 ? ir.outputs : undefined;
  const headValues = (heads ?? []).map((o) => {
    const v = valueOf.get(o.id);
    if (!v) throw new Error(`codegen: output ${JSON.stringify(o.id)} is not computed`);
    return nhwc(v);
  });
  return {
    nodes: views,
    outputVar: nhwc(output),
    trainingOutputsCode: heads && heads.length > 1 ? `(${headValues.join(', ')})` : '',
    lossWeightsCode: heads ? `(${heads.map((o) => pyNumber(o.lossWeight)).join(', ')}${heads.length === 1 ? ',' : ''})` : '',
    inputShapeCode: pyIntTuple(ir.inputShape as number[]),
    numClassesCode: pyInteger(ir.numClasses),
    totalParams: total,
  };
}

function nodeComment(node: IRNode, specFile: string, ir: IR): string {
  const p = node.params.trainable + node.params.nonTrainable;
  const params = p === 0 ? 'no params' : node.params.nonTrainable > 0 ? `${thousands(p)} params (${thousands(node.params.nonTrainable)} non-trainable)` : `${thousands(p)} params`;
  const shape = `[${node.shape.join(', ')}]`;
  void ir;
  return pyCommentText(`${node.id} (${node.op}) → ${shape}, ${params}  (${specFile} line ${node.source.line})`);
}

/** The seed of a recipe's seeded initializer argument. */
function seedOf(init: unknown, what: string): number {
  const seed = typeof init === 'object' && init !== null ? (init as { seed?: unknown }).seed : undefined;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw new Error(`codegen: the ${what} initializer has no integer seed`);
  return seed;
}

/** A seeds entry: the seed (glorot uniform), `(seed, limit)` for uniform(±limit), `("normal", seed, stddev)` (dlc_runtime/init.py). */
function initCode(init: unknown, what: string): string {
  if (typeof init === 'object' && init !== null && 'orthogonal' in init) return `("orthogonal", ${pyInteger((init as { orthogonal: number }).orthogonal)})`;
  const seed = pyInteger(seedOf(init, what));
  // normal(0, stddev) (conventions: pytorch embeddings): tfjs's randomNormal draws (dlc_runtime/init.py random_normal).
  const stddev = (init as { stddev?: unknown }).stddev;
  if (stddev !== undefined) {
    if (typeof stddev !== 'number' || !Number.isFinite(stddev) || stddev <= 0) throw new Error(`codegen: the ${what} initializer has a bad stddev`);
    return `("normal", ${seed}, ${pyNumber(stddev)})`;
  }
  const limit = (init as { limit?: unknown }).limit;
  if (limit === undefined) return seed;
  if (typeof limit !== 'number' || !Number.isFinite(limit) || limit <= 0) throw new Error(`codegen: the ${what} initializer has a bad limit`);
  return `(${seed}, ${pyNumber(limit)})`;
}

interface Value {
  readonly v: string;
  readonly layout: Layout;
  readonly shape: readonly number[];
  /** The python variable of the tfjs mask that comes with this value (embedding mask_zero), if any. */
  readonly mask?: string;
}

interface Emitted {
  readonly expr: string;
  readonly layout: Layout;
  readonly shape: readonly number[];
  /** A new mask computed from the input (embedding with mask_zero). */
  readonly maskExpr?: string;
  /** Whether the input's mask passes on (default: MASK_KEEPERS has the layer). */
  readonly keepsMask?: boolean;
}

/**
 * tfjs layers that carry their input's mask on (supportsMasking, mask unchanged); other layers end
 * it (tfjs refuses a mask into a layer without masking support, so a mask never meets one there).
 */
const MASK_KEEPERS: ReadonlySet<string> = new Set(['dense', 'dropout', 'activation', 'batchNormalization', 'torchBatchNormalization', 'layerNormalization', 'leakyReLU', 'dlcPositionalEmbedding', 'dlcMultiHeadAttention', 'dlcTransformerEncoder']);

/** `("orthogonal", seed)` for an orthogonal initializer recipe, else initCode's. */
function seedEntry(init: unknown, what: string): unknown {
  return typeof init === 'object' && init !== null && (init as { init?: unknown }).init === 'orthogonal' ? { orthogonal: seedOf(init, what) } : init;
}

/**
 * multiply (ops/multiply.ts): NumPy broadcasting over dlc's per-sample shapes. Every input is
 * brought to the output's rank by leading 1s (tfjs inserts them after the batch axis too); an
 * image output is NCHW, so a [C] or [1, 1, C] gate becomes [N, C, 1, 1].
 */
function multiplyCall(ins: readonly Value[], shape: readonly number[]): Emitted {
  const rank = shape.length;
  const image = rank === 3;
  const terms = ins.map((i) => {
    if (i.layout === 'nchw') return image ? i.v : `${i.v}.permute(0, 2, 3, 1)`;
    const r = i.shape.length;
    const full = r < rank ? `${i.v}.reshape(-1, ${[...Array(rank - r).fill(1), ...i.shape].map(pyInteger).join(', ')})` : i.v;
    return image ? `${full}.permute(0, 3, 1, 2)` : full;
  });
  return { expr: `(${terms.join(' * ')})`, layout: image ? 'nchw' : 'flat', shape };
}

function emitCall(c: Call, ins: readonly Value[], node: IRNode, last: boolean, attrs: ScopeOf, modules: ModuleLine[]): Emitted {
  const a = c.args;
  const x = ins[0];
  const name = typeof a.name === 'string' ? a.name : node.id;
  const mod = (expr: string, role: string, suffix = '', seeds: Readonly<Record<string, unknown>> = {}): string => {
    const attr = attrs.take(name + suffix);
    // A bias initializer (conventions: pytorch) belongs to the call's own module, never to a separable conv's halves.
    const all = suffix === '' && a.biasInitializer !== undefined ? { ...seeds, bias: a.biasInitializer } : seeds;
    const seedsCode = `{${Object.entries(all).map(([w, init]) => `${pyString(w)}: ${initCode(init, w)}`).join(', ')}}`;
    modules.push({ attr, exprCode: expr, tfjsNameLit: pyString(name), roleLit: pyString(role), seedsCode });
    return `self.${attr}`;
  };
  const outShape = (s: readonly number[]) => (last ? node.shape : s);
  const keep = (expr: string): Emitted => ({ expr, layout: x.layout, shape: outShape(x.shape) });
  const needImage = () => {
    if (x.layout !== 'nchw' || x.shape.length !== 3) throw new UnsupportedLayer(`${c.layer} on a [${x.shape.join(', ')}] input`);
    return x.shape as [number, number, number];
  };
  switch (c.layer) {
    case 'zeroPadding2d': {
      const [h, w, ch] = needImage();
      const [t, b, l, r] = zeroPads(a.padding);
      return { expr: `F.pad(${x.v}, ${pyIntTuple([l, r, t, b])})`, layout: 'nchw', shape: outShape([h + t + b, w + l + r, ch]) };
    }
    case 'conv2d':
    case 'dlcGroupedConv2d':
    case 'depthwiseConv2d':
    case 'separableConv2d': {
      const [h, w, cin] = needImage();
      const k = pair(a.kernelSize, 'kernelSize');
      const s = pair(a.strides, 'strides', 1);
      const d = pair(a.dilationRate, 'dilationRate', 1);
      const bias = a.useBias === undefined ? true : Boolean(a.useBias);
      let inner: [number, number] = [0, 0];
      let input = x.v;
      if (a.padding === 'same') {
        const ph = samePad(h, k[0], s[0], d[0]);
        const pw = samePad(w, k[1], s[1], d[1]);
        if (ph[0] === ph[1] && pw[0] === pw[1]) inner = [ph[0], pw[0]];
        else input = `F.pad(${x.v}, ${pyIntTuple([pw[0], pw[1], ph[0], ph[1]])})`; // TF "same" is asymmetric here
      } else if (a.padding !== undefined && a.padding !== 'valid') throw new UnsupportedLayer(`padding ${JSON.stringify(a.padding)}`);
      const common = `${pyIntTuple(k)}, stride=${pyIntTuple(s)}, padding=${pyIntTuple(inner)}, dilation=${pyIntTuple(d)}`;
      let expr: string;
      if (c.layer === 'conv2d' || c.layer === 'dlcGroupedConv2d') {
        // Grouped (conv2d groups: G): nn.Conv2d(groups=G); its weight [filters, cin/G, kh, kw] is dlc's [kh, kw, cin/G, filters] transposed like any conv kernel.
        const groups = c.layer === 'dlcGroupedConv2d' ? `, groups=${pyInteger(nums(a.groups, 'groups')[0])}` : '';
        expr = `${mod(`nn.Conv2d(${pyInteger(cin)}, ${pyInteger(nums(a.filters, 'filters')[0])}, ${common}${groups}, bias=${pyBool(bias)})`, 'conv', '', { kernel: a.kernelInitializer })}(${input})`;
      } else {
        const mult = a.depthMultiplier === undefined ? 1 : nums(a.depthMultiplier, 'depthMultiplier')[0];
        const dwBias = c.layer === 'depthwiseConv2d' ? bias : false;
        const dw = mod(`nn.Conv2d(${pyInteger(cin)}, ${pyInteger(cin * mult)}, ${common}, groups=${pyInteger(cin)}, bias=${pyBool(dwBias)})`, 'depthwise', c.layer === 'separableConv2d' ? '_depthwise' : '', { depthwise_kernel: a.depthwiseInitializer });
        expr = `${dw}(${input})`;
        if (c.layer === 'separableConv2d') {
          // tfjs's SeparableConv builds its pointwise initializer from config.depthwiseInitializer
          // (tfjs-layers convolutional.js), so dlc's pointwise kernel is drawn with the depthwise seed.
          const pw = mod(`nn.Conv2d(${pyInteger(cin * mult)}, ${pyInteger(nums(a.filters, 'filters')[0])}, (1, 1), bias=${pyBool(bias)})`, 'pointwise', '_pointwise', { pointwise_kernel: a.depthwiseInitializer ?? a.pointwiseInitializer });
          expr = `${pw}(${expr})`;
        }
      }
      return { expr: activation(a.activation, expr, 'nchw'), layout: 'nchw', shape: outShape(node.shape) };
    }
    case 'conv2dTranspose': {
      const [h, w, cin] = needImage();
      const k = pair(a.kernelSize, 'kernelSize');
      const s = pair(a.strides, 'strides', 1);
      if (a.dilationRate !== undefined && pair(a.dilationRate, 'dilationRate').some((d) => d !== 1)) throw new UnsupportedLayer('dilated conv2d_transpose');
      const bias = a.useBias === undefined ? true : Boolean(a.useBias);
      const filters = nums(a.filters, 'filters')[0];
      const same = a.padding === 'same';
      if (a.padding !== undefined && a.padding !== 'valid' && !same) throw new UnsupportedLayer(`padding ${JSON.stringify(a.padding)}`);
      // tfjs deconvLength: same → in·s; valid → in·s + max(k − s, 0). 'same' crops floor(max(k − s, 0) / 2) first.
      const outHW = [0, 1].map((i) => [h, w][i] * s[i] + (same ? 0 : Math.max(k[i] - s[i], 0)));
      const start = [0, 1].map((i) => (same ? Math.floor(Math.max(k[i] - s[i], 0) / 2) : 0));
      const m = mod(`nn.ConvTranspose2d(${pyInteger(cin)}, ${pyInteger(filters)}, ${pyIntTuple(k)}, stride=${pyIntTuple(s)}, bias=${pyBool(bias)})`, 'conv', '', { kernel: a.kernelInitializer });
      const expr = `layers.conv_transpose2d_tf(${x.v}, ${m}, ${pyIntTuple(outHW)}, ${pyIntTuple(start)})`;
      return { expr: activation(a.activation, expr, 'nchw'), layout: 'nchw', shape: outShape(node.shape) };
    }
    case 'conv1d': {
      if (x.layout !== 'flat' || x.shape.length !== 2) throw new UnsupportedLayer(`conv1d on a [${x.shape.join(', ')}] input`);
      const [steps, cin] = x.shape;
      const k = nums(a.kernelSize, 'kernelSize')[0];
      const s = a.strides === undefined ? 1 : nums(a.strides, 'strides')[0];
      const d = a.dilationRate === undefined ? 1 : nums(a.dilationRate, 'dilationRate')[0];
      const bias = a.useBias === undefined ? true : Boolean(a.useBias);
      let inner = 0;
      let input = `${x.v}.permute(0, 2, 1)`;
      if (a.padding === 'same') {
        const p = samePad(steps, k, s, d);
        if (p[0] === p[1]) inner = p[0];
        else input = `F.pad(${input}, ${pyIntTuple(p)})`;
      } else if (a.padding !== undefined && a.padding !== 'valid') throw new UnsupportedLayer(`padding ${JSON.stringify(a.padding)}`);
      const m = mod(`nn.Conv1d(${pyInteger(cin)}, ${pyInteger(nums(a.filters, 'filters')[0])}, ${pyInteger(k)}, stride=${pyInteger(s)}, padding=${pyInteger(inner)}, dilation=${pyInteger(d)}, bias=${pyBool(bias)})`, 'conv1d', '', { kernel: a.kernelInitializer });
      // Steps-major as dlc keeps sequences ([N, steps, channels]); Conv1d wants [N, channels, steps].
      return { expr: activation(a.activation, `${m}(${input}).permute(0, 2, 1)`, 'flat'), layout: 'flat', shape: outShape(node.shape) };
    }
    case 'maxPooling1d':
    case 'averagePooling1d': {
      if (x.layout !== 'flat' || x.shape.length !== 2) throw new UnsupportedLayer(`${c.layer} on a [${x.shape.join(', ')}] input`);
      const k = nums(a.poolSize, 'poolSize')[0];
      const s = a.strides === undefined ? k : nums(a.strides, 'strides')[0];
      const input = `${x.v}.permute(0, 2, 1)`;
      const max = c.layer === 'maxPooling1d';
      const expr = a.padding === 'same'
        ? `layers.${max ? 'max' : 'avg'}_pool1d_same(${input}, ${pyInteger(k)}, ${pyInteger(s)}, ${pyIntTuple(samePad(x.shape[0], k, s, 1))})`
        : `F.${max ? 'max' : 'avg'}_pool1d(${input}, ${pyInteger(k)}, ${pyInteger(s)})`;
      return { expr: `${expr}.permute(0, 2, 1)`, layout: 'flat', shape: outShape(node.shape) };
    }
    case 'globalAveragePooling1d':
    case 'globalMaxPooling1d':
      if (x.layout !== 'flat' || x.shape.length !== 2) throw new UnsupportedLayer(`${c.layer} on a [${x.shape.join(', ')}] input`);
      return { expr: c.layer === 'globalAveragePooling1d' ? `${x.v}.mean(dim=1)` : `${x.v}.amax(dim=1)`, layout: 'flat', shape: outShape([x.shape[1]]) };
    case 'upSampling2d': {
      needImage();
      const [sh, sw] = pair(a.size, 'size', 2);
      const expr = a.interpolation === 'bilinear'
        ? `layers.upsample_bilinear_tf(${x.v}, ${pyInteger(sh)}, ${pyInteger(sw)})`
        : a.interpolation === undefined || a.interpolation === 'nearest'
          ? `${x.v}.repeat_interleave(${pyInteger(sh)}, dim=2).repeat_interleave(${pyInteger(sw)}, dim=3)`
          : (() => {
              throw new UnsupportedLayer(`upsampling interpolation ${JSON.stringify(a.interpolation)}`);
            })();
      return { expr, layout: 'nchw', shape: outShape(node.shape) };
    }
    case 'maxPooling2d':
    case 'averagePooling2d': {
      const [h, w] = needImage();
      const k = pair(a.poolSize, 'poolSize');
      const st = a.strides === undefined ? k : pair(a.strides, 'strides');
      if (a.padding === 'same') {
        const ph = samePad(h, k[0], st[0], 1);
        const pw = samePad(w, k[1], st[1], 1);
        const fn = c.layer === 'maxPooling2d' ? 'max_pool2d_same' : 'avg_pool2d_same';
        return { expr: `layers.${fn}(${x.v}, ${pyIntTuple(k)}, ${pyIntTuple(st)}, ${pyIntTuple([pw[0], pw[1], ph[0], ph[1]])})`, layout: 'nchw', shape: outShape(node.shape) };
      }
      const fn = c.layer === 'maxPooling2d' ? 'F.max_pool2d' : 'F.avg_pool2d';
      return { expr: `${fn}(${x.v}, ${pyIntTuple(k)}, ${pyIntTuple(st)})`, layout: 'nchw', shape: outShape(node.shape) };
    }
    case 'dlcTorchPool': {
      // PyTorch's own pooling (explicit padding, ceil_mode, count_include_pad): dlc computes exactly it (runtime/model/torch-pool.ts).
      const k = nums(a.poolSize, 'poolSize');
      const s = nums(a.strides, 'strides');
      const p = nums(a.padding, 'padding');
      if (a.mode !== 'max' && a.mode !== 'avg') throw new UnsupportedLayer(`pool mode ${JSON.stringify(a.mode)}`);
      const max = a.mode === 'max';
      const opts = `ceil_mode=${pyBool(a.ceilMode === true)}${max ? '' : `, count_include_pad=${pyBool(a.countIncludePad !== false)}`}`;
      if (k.length === 1) {
        if (x.layout !== 'flat' || x.shape.length !== 2) throw new UnsupportedLayer(`${c.layer} on a [${x.shape.join(', ')}] input`);
        const m = mod(`nn.${max ? 'MaxPool1d' : 'AvgPool1d'}(${pyInteger(k[0])}, stride=${pyInteger(s[0])}, padding=${pyInteger(p[0])}, ${opts})`, 'pool');
        // Steps-major as dlc keeps sequences; the pool wants [N, channels, steps].
        return { expr: `${m}(${x.v}.permute(0, 2, 1)).permute(0, 2, 1)`, layout: 'flat', shape: outShape(node.shape) };
      }
      needImage();
      const m = mod(`nn.${max ? 'MaxPool2d' : 'AvgPool2d'}(${pyIntTuple(k)}, stride=${pyIntTuple(s)}, padding=${pyIntTuple(p)}, ${opts})`, 'pool');
      return { expr: `${m}(${x.v})`, layout: 'nchw', shape: outShape(node.shape) };
    }
    case 'dlcAdaptivePool2d': {
      needImage();
      if (a.mode !== 'max' && a.mode !== 'avg') throw new UnsupportedLayer(`adaptive pool mode ${JSON.stringify(a.mode)}`);
      const m = mod(`nn.${a.mode === 'max' ? 'AdaptiveMaxPool2d' : 'AdaptiveAvgPool2d'}(${pyIntTuple(pair(a.outputSize, 'outputSize'))})`, 'pool');
      return { expr: `${m}(${x.v})`, layout: 'nchw', shape: outShape(node.shape) };
    }
    case 'globalAveragePooling2d':
      needImage();
      return { expr: `${x.v}.mean(dim=(2, 3))`, layout: 'flat', shape: outShape([x.shape[2]]) };
    case 'globalMaxPooling2d':
      needImage();
      return { expr: `${x.v}.amax(dim=(2, 3))`, layout: 'flat', shape: outShape([x.shape[2]]) };
    case 'dense': {
      const units = nums(a.units, 'units')[0];
      const bias = a.useBias === undefined ? true : Boolean(a.useBias);
      const fin = x.shape[x.shape.length - 1];
      const m = mod(`nn.Linear(${pyInteger(fin)}, ${pyInteger(units)}, bias=${pyBool(bias)})`, 'dense', '', { kernel: a.kernelInitializer });
      if (x.layout === 'nchw') {
        // Over the channel axis, as tfjs applies dense to the last (NHWC) axis.
        return { expr: activation(a.activation, `${m}(${x.v}.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)`, 'nchw'), layout: 'nchw', shape: outShape(node.shape) };
      }
      return { expr: activation(a.activation, `${m}(${x.v})`, 'flat'), layout: 'flat', shape: outShape(node.shape) };
    }
    case 'flatten':
      // dlc's (NHWC) feature order.
      return { expr: x.layout === 'nchw' ? `${x.v}.permute(0, 2, 3, 1).flatten(1)` : `${x.v}.flatten(1)`, layout: 'flat', shape: outShape(node.shape) };
    case 'reshape': {
      const t = nums(a.targetShape, 'targetShape');
      const src = x.layout === 'nchw' ? `${x.v}.permute(0, 2, 3, 1)` : x.v;
      const shaped = `${src}.reshape(-1, ${t.map(pyInteger).join(', ')})`;
      return t.length === 3 ? { expr: `${shaped}.permute(0, 3, 1, 2)`, layout: 'nchw', shape: outShape(t) } : { expr: shaped, layout: 'flat', shape: outShape(t) };
    }
    case 'dropout':
      return keep(`${mod(`nn.Dropout(${pyNumber(nums(a.rate, 'rate')[0])})`, 'dropout')}(${x.v})`);
    case 'batchNormalization':
    case 'torchBatchNormalization': {
      if (x.layout === 'flat' && x.shape.length !== 1) throw new UnsupportedLayer(`batch norm on a [${x.shape.join(', ')}] input`);
      const ch = x.shape[x.shape.length - 1];
      const momentum = a.momentum === undefined ? 0.99 : nums(a.momentum, 'momentum')[0];
      const eps = a.epsilon === undefined ? 0.001 : nums(a.epsilon, 'epsilon')[0];
      const unbiased = c.layer === 'torchBatchNormalization' ? ', unbiased=True' : '';
      return keep(`${mod(`layers.KerasBatchNorm(${pyInteger(ch)}, momentum=${pyNumber(momentum)}, epsilon=${pyNumber(eps)}${unbiased})`, 'batch_norm')}(${x.v})`);
    }
    case 'layerNormalization': {
      const ch = x.shape[x.shape.length - 1];
      const eps = a.epsilon === undefined ? 0.001 : nums(a.epsilon, 'epsilon')[0];
      const m = mod(`nn.LayerNorm(${pyInteger(ch)}, eps=${pyNumber(eps)})`, 'layer_norm');
      return keep(x.layout === 'nchw' ? `${m}(${x.v}.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)` : `${m}(${x.v})`);
    }
    case 'dlcGroupNorm': {
      // nn.GroupNorm wants channels at dim 1: NCHW images are; [n, C] is; a [n, steps, C] sequence is transposed there and back.
      const ch = x.shape[x.shape.length - 1];
      const m = mod(`nn.GroupNorm(${pyInteger(nums(a.groups, 'groups')[0])}, ${pyInteger(ch)}, eps=${pyNumber(a.epsilon === undefined ? 1e-5 : nums(a.epsilon, 'epsilon')[0])})`, 'layer_norm');
      if (x.layout === 'nchw' || x.shape.length === 1) return keep(`${m}(${x.v})`);
      if (x.shape.length === 2) return keep(`${m}(${x.v}.transpose(1, 2)).transpose(1, 2)`);
      throw new UnsupportedLayer(`group_norm on a [${x.shape.join(', ')}] input`);
    }
    case 'activation':
      return keep(activation(a.activation, x.v, x.layout));
    case 'rescaling':
      return keep(`(${x.v} * ${pyNumber(nums(a.scale, 'scale')[0])} + ${pyNumber(nums(a.offset ?? 0, 'offset')[0])})`);
    case 'leakyReLU':
      return keep(`F.leaky_relu(${x.v}, ${pyNumber(a.alpha === undefined ? 0.3 : nums(a.alpha, 'alpha')[0])})`);
    case 'add':
      return { expr: ins.map((i) => i.v).join(' + '), layout: x.layout, shape: outShape(x.shape) };
    case 'multiply':
      return multiplyCall(ins, outShape(node.shape));
    case 'dlcHardSwish':
      return keep(`F.hardswish(${x.v})`);
    case 'concatenate': {
      const axis = a.axis === undefined ? -1 : nums(a.axis, 'axis')[0];
      const rank = x.shape.length;
      // tfjs axis counts the batch axis; per-sample axis p = axis − 1 (or rank + axis when negative).
      const p = axis < 0 ? rank + axis : axis - 1;
      const dim = x.layout === 'nchw' ? [2, 3, 1][p] : p + 1;
      if (dim === undefined) throw new UnsupportedLayer(`concatenate axis ${axis}`);
      return { expr: `torch.cat([${ins.map((i) => i.v).join(', ')}], dim=${pyInteger(dim)})`, layout: x.layout, shape: outShape(node.shape) };
    }
    case 'embedding': {
      const inDim = nums(a.inputDim, 'inputDim')[0];
      const outDim = nums(a.outputDim, 'outputDim')[0];
      const maskZero = a.maskZero === true;
      const m = mod(`layers.TfjsEmbedding(${pyInteger(inDim)}, ${pyInteger(outDim)}, mask_zero=${pyBool(maskZero)})`, 'native', '', { embeddings: a.embeddingsInitializer });
      return { expr: `${m}(${x.v})`, layout: 'flat', shape: outShape(node.shape), maskExpr: maskZero ? `${m}.mask(${x.v})` : undefined };
    }
    case 'lstm':
    case 'gru': {
      const [, cin] = needSeq(c.layer, x);
      const units = nums(a.units, 'units')[0];
      const seq = a.returnSequences === true;
      rnnChecks(c.layer, a);
      const cls = c.layer === 'lstm' ? 'KerasLSTM' : 'KerasGRU';
      const m = mod(`layers.${cls}(${pyInteger(cin)}, ${pyInteger(units)}, return_sequences=${pyBool(seq)})`, 'native', '', { kernel: a.kernelInitializer, recurrent_kernel: seedEntry(a.recurrentInitializer, 'recurrent') });
      return { expr: `${m}(${x.v}${x.mask ? `, ${x.mask}` : ''})`, layout: 'flat', shape: outShape(node.shape), keepsMask: seq };
    }
    case 'bidirectional': {
      const [, cin] = needSeq(c.layer, x);
      const inner = a.layer as { layer?: unknown; args?: Record<string, unknown> } | undefined;
      const cell = inner?.layer;
      const ia = inner?.args;
      if ((cell !== 'lstm' && cell !== 'gru') || !ia) throw new UnsupportedLayer(`bidirectional around ${JSON.stringify(cell)}`);
      rnnChecks(cell, ia);
      const innerName = typeof ia.name === 'string' ? ia.name : `${name}_${cell}`;
      const units = nums(ia.units, 'units')[0];
      const seq = ia.returnSequences === true;
      const merge = a.mergeMode === undefined ? 'concat' : a.mergeMode;
      if (typeof merge !== 'string' || !['concat', 'sum', 'mul', 'ave'].includes(merge)) throw new UnsupportedLayer(`bidirectional merge mode ${JSON.stringify(merge)}`);
      // tfjs builds the backward layer from the forward one's config, seeds included: both start equal.
      const seeds: Record<string, unknown> = {};
      for (const d of ['forward', 'backward']) {
        seeds[`${d}_${innerName}/kernel`] = ia.kernelInitializer;
        seeds[`${d}_${innerName}/recurrent_kernel`] = seedEntry(ia.recurrentInitializer, 'recurrent');
        // conventions: pytorch draws the bias too (uniform ±1/√units), in both directions alike.
        if (ia.biasInitializer !== undefined) seeds[`${d}_${innerName}/bias`] = ia.biasInitializer;
      }
      const m = mod(`layers.KerasBidirectional(${pyString(cell)}, ${pyInteger(cin)}, ${pyInteger(units)}, ${pyString(innerName)}, return_sequences=${pyBool(seq)}, merge_mode=${pyString(merge)})`, 'native', '', seeds);
      return { expr: `${m}(${x.v}${x.mask ? `, ${x.mask}` : ''})`, layout: 'flat', shape: outShape(node.shape), keepsMask: seq };
    }
    case 'dlcPositionalEmbedding': {
      const [steps, width] = needSeq(c.layer, x);
      const m = mod(`layers.DlcPositionalEmbedding(${pyInteger(steps)}, ${pyInteger(width)})`, 'native', '', { embeddings: a.seed });
      return keep(`${m}(${x.v})`);
    }
    case 'dlcMultiHeadAttention':
    case 'dlcTransformerEncoder': {
      const [, width] = needSeq(c.layer, x);
      const heads = nums(a.numHeads, 'numHeads')[0];
      const keyDim = nums(a.keyDim ?? 0, 'keyDim')[0] || width / heads;
      if (!Number.isInteger(keyDim)) throw new UnsupportedLayer(`${c.layer}: width ${width} is not divisible by ${heads} heads`);
      const s = Array.isArray(a.seeds) ? a.seeds : [];
      const roles = ['query_kernel', 'key_kernel', 'value_kernel', 'output_kernel'];
      if (c.layer === 'dlcMultiHeadAttention') {
        const m = mod(`layers.DlcMultiHeadAttention(${pyInteger(width)}, ${pyInteger(heads)}, ${pyInteger(keyDim)})`, 'native', '', Object.fromEntries(roles.map((r, i) => [r, s[i]])));
        return keep(`${m}(${x.v})`);
      }
      const ff = nums(a.ffDim, 'ffDim')[0];
      const eps = nums(a.epsilon ?? 1e-5, 'epsilon')[0];
      const seeds = Object.fromEntries([...roles.map((r, i) => [`attention_${r}`, s[i]]), ['ff1_kernel', s[4]], ['ff2_kernel', s[5]]]);
      const m = mod(`layers.DlcTransformerEncoder(${pyInteger(width)}, ${pyInteger(heads)}, ${pyInteger(keyDim)}, ${pyInteger(ff)}, ${pyNumber(eps)})`, 'native', '', seeds);
      return keep(`${m}(${x.v})`);
    }
    default:
      throw new UnsupportedLayer(`tfjs layer ${JSON.stringify(c.layer)} (op ${node.op}) is not supported by the pytorch target yet`);
  }
}
