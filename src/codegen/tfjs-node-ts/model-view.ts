/**
 * IR → the view of `src/model.ts`: one entry per tfjs layer application, with
 * every name validated and every value already rendered as a literal.
 *
 * It mirrors the runtime's model builder (src/runtime/model) decision for
 * decision — same layer names (`layerName`), same seeds (`deriveSeed`), same
 * extra layers (zero padding before a padded conv, a LeakyReLU after a layer
 * with `activation: leaky_relu`) — so the emitted model starts from the same
 * weights as `dlc run`. The parity test checks it.
 */
import type { IR, IRNode } from '../../compiler/ir.js';
import { layerName } from '../../runtime/model/build-model.js';
import { LEAKY_RELU_ACTIVATION_ALPHA, attr, pair } from '../../runtime/model/layers.js';
import { deriveSeed } from '../../runtime/model/seeds.js';
import { commentText, jsEnum, jsInteger, jsNumber, jsNumberArray, jsString } from './literals.js';
import { IdentifierScope, checkIdentifier } from './names.js';

/** One `key: value` of a layer's config object; `valueCode` is a rendered literal. */
export interface ArgView {
  readonly key: string;
  readonly valueCode: string;
}

/** One `const v = tf.layers.f({...}).apply(x)` line group. */
export interface LayerStepView {
  readonly varName: string;
  /** The tf.layers factory (validated identifier). */
  readonly factory: string;
  readonly args: readonly ArgView[];
  /** The input: a variable, or `[a, b]` for merges. */
  readonly inputCode: string;
  /** The node's summary comment (shape, params, spec position), on the node's main step only. */
  readonly hasComment: boolean;
  readonly commentText: string;
}

export interface ModelView {
  readonly modelNameLit: string;
  readonly inputVar: string;
  readonly inputNameLit: string;
  readonly inputShapeCode: string;
  readonly inputShapeText: string;
  readonly steps: readonly LayerStepView[];
  readonly outputVar: string;
  readonly numClassesCode: string;
  readonly trainableParamsText: string;
  readonly nonTrainableParamsText: string;
  readonly totalParamsText: string;
}

/** Names the model.ts template uses itself. */
const TEMPLATE_NAMES = ['buildModel', 'INPUT_SHAPE', 'NUM_CLASSES', 'model'];

const ACTIVATIONS = ['linear', 'relu', 'elu', 'gelu', 'sigmoid', 'tanh', 'softmax'] as const;
type Act = (typeof ACTIVATIONS)[number];
const PADDINGS = ['same', 'valid'] as const;

/** 1234567 → "1,234,567" (comments only). */
function thousands(n: number): string {
  return jsInteger(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.map(jsInteger).join(', ')}]`;
}

function arg(key: string, valueCode: string): ArgView {
  return { key: checkIdentifier(key), valueCode };
}

function glorotCode(seed: number): string {
  return `tf.initializers.glorotUniform({ seed: ${jsInteger(seed)} })`;
}

/** Builds the view of src/model.ts for `ir`. */
export function buildModelView(ir: IR): ModelView {
  const specSeed = ir.spec.seed;
  const vars = new IdentifierScope(TEMPLATE_NAMES);
  const taken = new Set<string>();
  const varOf = new Map<string, string>();
  const steps: LayerStepView[] = [];
  const [inputNode, ...rest] = ir.nodes;
  if (!inputNode || inputNode.op !== 'input') throw new Error('codegen: IR must start with its input node');
  const inputName = layerName(inputNode.id, taken);
  const inputVar = vars.take(inputNode.id);
  varOf.set(inputNode.id, inputVar);

  for (const node of rest) {
    const name = layerName(node.id, taken);
    const comment = nodeComment(ir, node);
    const inputVars = node.inputs.map((id) => {
      const v = varOf.get(id);
      if (!v) throw new Error(`codegen: node reads unknown node`);
      return v;
    });
    let inputCode = node.op === 'add' || node.op === 'concat' ? `[${inputVars.join(', ')}]` : one(inputVars);
    const id = node.id;
    /** Adds one layer application; `note` is its comment ('' for none). */
    const push = (varName: string, factory: string, args: ArgView[], note: string): string => {
      steps.push({ varName, factory: checkIdentifier(factory), args, inputCode, hasComment: note !== '', commentText: note });
      inputCode = varName;
      return varName;
    };
    const nameArg = arg('name', jsString(name));

    /** Zero padding before a conv (lowered integer padding), as the runtime adds it. */
    const padding = (): string => {
      const zp = node.attrs['zero_padding'] as readonly (readonly number[])[] | undefined;
      const p = node.attrs['padding'];
      if (zp) {
        push(vars.take(`${id}_pad`), 'zeroPadding2d', [arg('name', jsString(`${name}_pad`)), arg('padding', `[${zp.map(jsNumberArray).join(', ')}]`)], `${shownId(id)}: the spec's integer padding, as explicit zeros before a 'valid' convolution`);
        return 'valid';
      }
      if (typeof p === 'number') {
        if (p !== 0) push(vars.take(`${id}_pad`), 'zeroPadding2d', [arg('name', jsString(`${name}_pad`)), arg('padding', jsInteger(p))], `${shownId(id)}: padding ${jsInteger(p)} (PyTorch-style), as explicit zeros before a 'valid' convolution`);
        return 'valid';
      }
      return (p as string | undefined) ?? 'valid';
    };
    /** The layer's own activation args, plus whether a LeakyReLU layer must follow. */
    const activation = (): { args: ArgView[]; leaky: boolean } => {
      const a = attr<string | undefined>(node, 'activation') ?? 'linear';
      if (a === 'leaky_relu') return { args: [], leaky: true };
      return { args: a === 'linear' ? [] : [arg('activation', jsEnum(a as Act, ACTIVATIONS))], leaky: false };
    };
    const convCommon = (pad: string): ArgView[] => {
      const args: ArgView[] = [arg('kernelSize', jsNumberArray(pair(attr(node, 'kernel_size'))))];
      const strides = pair(attr(node, 'strides') ?? 1);
      if (strides[0] !== 1 || strides[1] !== 1) args.push(arg('strides', jsNumberArray(strides)));
      if (pad !== 'valid') args.push(arg('padding', jsEnum(pad as 'same', PADDINGS)));
      const dil = pair(attr(node, 'dilation_rate') ?? 1);
      if (dil[0] !== 1 || dil[1] !== 1) args.push(arg('dilationRate', jsNumberArray(dil)));
      return args;
    };
    const withActivation = (factory: string, args: ArgView[], tail: ArgView[]): void => {
      const act = activation();
      const useBias = attr<boolean | undefined>(node, 'use_bias') ?? true;
      const main = [nameArg, ...args, ...act.args, ...(useBias ? [] : [arg('useBias', 'false')]), ...tail];
      const v = vars.take(act.leaky ? `${id}_linear` : id);
      push(v, factory, main, act.leaky ? `${comment}; its leaky_relu activation is the next layer` : comment);
      if (act.leaky) {
        push(vars.take(id), 'leakyReLU', [arg('name', jsString(`${name}_act`)), arg('alpha', jsNumber(LEAKY_RELU_ACTIVATION_ALPHA))], '');
      }
    };
    const seed = (role: string): number => deriveSeed(specSeed, id, role);

    switch (node.op) {
      case 'input':
        throw new Error('codegen: a second input node');
      case 'conv2d': {
        const pad = padding();
        withActivation('conv2d', [arg('filters', jsInteger(attr(node, 'filters'))), ...convCommon(pad)], [arg('kernelInitializer', glorotCode(seed('kernel')))]);
        break;
      }
      case 'depthwise_conv2d': {
        const pad = padding();
        const dm = attr<number | undefined>(node, 'depth_multiplier') ?? 1;
        withActivation('depthwiseConv2d', [...convCommon(pad), ...(dm !== 1 ? [arg('depthMultiplier', jsInteger(dm))] : [])], [arg('depthwiseInitializer', glorotCode(seed('depthwise')))]);
        break;
      }
      case 'separable_conv2d': {
        const pad = padding();
        const dm = attr<number | undefined>(node, 'depth_multiplier') ?? 1;
        withActivation(
          'separableConv2d',
          [arg('filters', jsInteger(attr(node, 'filters'))), ...convCommon(pad), ...(dm !== 1 ? [arg('depthMultiplier', jsInteger(dm))] : [])],
          [arg('depthwiseInitializer', glorotCode(seed('depthwise'))), arg('pointwiseInitializer', glorotCode(seed('pointwise')))],
        );
        break;
      }
      case 'max_pool2d':
      case 'avg_pool2d': {
        const size = pair(attr(node, 'pool_size'));
        const strides = pair(attr(node, 'strides') ?? attr(node, 'pool_size'));
        const pad = attr<string | undefined>(node, 'padding') ?? 'valid';
        const args = [nameArg, arg('poolSize', jsNumberArray(size))];
        if (strides[0] !== size[0] || strides[1] !== size[1]) args.push(arg('strides', jsNumberArray(strides)));
        if (pad !== 'valid') args.push(arg('padding', jsEnum(pad as 'same', PADDINGS)));
        push(vars.take(id), node.op === 'max_pool2d' ? 'maxPooling2d' : 'averagePooling2d', args, comment);
        break;
      }
      case 'global_avg_pool2d':
        push(vars.take(id), 'globalAveragePooling2d', [nameArg], comment);
        break;
      case 'global_max_pool2d':
        push(vars.take(id), 'globalMaxPooling2d', [nameArg], comment);
        break;
      case 'dense':
        withActivation('dense', [arg('units', jsInteger(attr(node, 'units')))], [arg('kernelInitializer', glorotCode(seed('kernel')))]);
        break;
      case 'flatten':
        push(vars.take(id), 'flatten', [nameArg], comment);
        break;
      case 'reshape':
        push(vars.take(id), 'reshape', [nameArg, arg('targetShape', jsNumberArray(attr(node, 'target_shape')))], comment);
        break;
      case 'dropout':
        // Step-0 seed; the training loop re-seeds every dropout layer before each step (lib/runtime/model/dropout.ts).
        push(vars.take(id), 'dropout', [nameArg, arg('rate', jsNumber(attr(node, 'rate'))), arg('seed', jsInteger(deriveSeed(specSeed, id, 'dropout', 0)))], comment);
        break;
      case 'batch_norm':
        push(vars.take(id), 'batchNormalization', [nameArg, arg('axis', '-1'), arg('momentum', jsNumber(attr<number | undefined>(node, 'momentum') ?? 0.99)), arg('epsilon', jsNumber(attr<number | undefined>(node, 'epsilon') ?? 1e-3))], comment);
        break;
      case 'layer_norm':
        push(vars.take(id), 'layerNormalization', [nameArg, arg('axis', '-1'), arg('epsilon', jsNumber(attr<number | undefined>(node, 'epsilon') ?? 1e-3))], comment);
        break;
      case 'relu':
      case 'elu':
      case 'gelu':
      case 'sigmoid':
      case 'tanh':
      case 'softmax':
        push(vars.take(id), 'activation', [nameArg, arg('activation', jsEnum(node.op, ACTIVATIONS))], comment);
        break;
      case 'leaky_relu':
        push(vars.take(id), 'leakyReLU', [nameArg, arg('alpha', jsNumber(attr<number | undefined>(node, 'alpha') ?? LEAKY_RELU_ACTIVATION_ALPHA))], comment);
        break;
      case 'add':
        push(vars.take(id), 'add', [nameArg], comment);
        break;
      case 'concat': {
        // The spec's axis counts per-sample axes; tfjs counts the batch axis too.
        const a = attr<number | undefined>(node, 'axis') ?? -1;
        push(vars.take(id), 'concatenate', [nameArg, arg('axis', jsInteger(a < 0 ? a : a + 1))], comment);
        break;
      }
      default:
        assertNever(node.op);
    }
    varOf.set(node.id, steps[steps.length - 1].varName);
  }

  const outputVar = varOf.get(ir.outputId);
  if (!outputVar) throw new Error('codegen: output node not found');
  const trainable = ir.nodes.reduce((s, n) => s + n.params.trainable, 0);
  const nonTrainable = ir.nodes.reduce((s, n) => s + n.params.nonTrainable, 0);
  return {
    modelNameLit: jsString(ir.spec.name.replace(/[^A-Za-z0-9_]/g, '_')),
    inputVar,
    inputNameLit: jsString(inputName),
    inputShapeCode: jsNumberArray(ir.inputShape),
    inputShapeText: shapeText(ir.inputShape),
    steps,
    outputVar,
    numClassesCode: jsInteger(ir.numClasses),
    trainableParamsText: thousands(trainable),
    nonTrainableParamsText: thousands(nonTrainable),
    totalParamsText: thousands(trainable + nonTrainable),
  };
}

function one(vars: readonly string[]): string {
  if (vars.length !== 1) throw new Error(`codegen: expected one input, got ${vars.length}`);
  return vars[0];
}

/** "conv2d_1 → [32, 32, 16], 448 params  (spec line 14)" — the id is shown JSON-quoted unless it is plain. */
function nodeComment(ir: IR, node: IRNode): string {
  const total = node.params.trainable + node.params.nonTrainable;
  const params = total === 0 ? 'no params' : node.params.nonTrainable > 0 ? `${thousands(total)} params (${thousands(node.params.nonTrainable)} non-trainable)` : `${thousands(total)} params`;
  void ir;
  return `${shownId(node.id)} → ${shapeText(node.shape)}, ${params}  (spec line ${jsInteger(node.source.line)})`;
}

/** An IR id as shown in a comment: as is when plain, else JSON-quoted. */
function shownId(id: string): string {
  return /^[A-Za-z0-9_.]+$/.test(id) ? id : commentText(jsString(id));
}

function assertNever(op: never): never {
  throw new Error(`codegen: unsupported op ${JSON.stringify(op)}`);
}
