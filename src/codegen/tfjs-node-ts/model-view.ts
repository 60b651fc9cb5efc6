/**
 * IR → the view of `src/model.ts`: one entry per tfjs layer call, printed
 * from each node's recipe (IRNode.layers, made by the op registry at
 * lowering) — the very calls the runtime's model builder interprets, with
 * the same names and seeds — so the emitted model starts from the same
 * weights as `dlc run`. Every name is validated and every value rendered as a
 * literal here; nothing about any op is restated.
 */
import type { IR, IRNode, LayerCall, RecipeArg } from '../../compiler/ir.js';
import { isSeedRecipe } from '../../compiler/ir-attrs.js';
import { commentText, jsInteger, jsNumber, jsNumberArray, jsString } from './literals.js';
import { IdentifierScope, checkIdentifier } from './names.js';
import { shapeList, thousands } from '../../compiler/shared/format.js';

/** One `key: value` of a layer's config object; `valueCode` is a rendered literal. */
export interface ArgView {
  readonly key: string;
  readonly valueCode: string;
}

/** One `const v = tf.layers.f({...}).apply(x)` line group. */
export interface LayerStepView {
  readonly varName: string;
  /** The tf.layers factory (validated identifier), or dlc's own (`custom`) imported from the runtime. */
  readonly factory: string;
  readonly custom: boolean;
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
  /** The input's TypeScript type: a 3-tuple for images, number[] otherwise. */
  readonly inputShapeTypeCode: string;
  /** What the input axes are, for its doc comment. */
  readonly inputAxesText: string;
  /** The input's dtype literal (IR.inputDType: 'int32' for token ids). */
  readonly inputDTypeLit: string;
  readonly steps: readonly LayerStepView[];
  /** Some step is dlc's batch norm with PyTorch's running variance (conventions: pytorch): model.ts imports it. */
  readonly usesTorchBatchNorm: boolean;
  /** The custom-layers.ts factories model.ts uses, for its import ('' when none). */
  readonly dlcLayerImportsCode: string;
  readonly outputVar: string;
  /** IR `outputs` (several outputs; one entry may only weight the loss): `[main, aux1, …]` (or the one variable) and the loss weights `[1, 0.3, …]`; '' without `outputs`. */
  readonly outputsCode: string;
  readonly lossWeightsCode: string;
  readonly numClassesCode: string;
  readonly trainableParamsText: string;
  readonly nonTrainableParamsText: string;
  readonly totalParamsText: string;
}

/** Names the model.ts template uses itself. */
const TEMPLATE_NAMES = ['buildModel', 'INPUT_SHAPE', 'NUM_CLASSES', 'model', 'withLossWeights', 'torchBatchNormalization', 'dlcPositionalEmbedding', 'dlcMultiHeadAttention', 'dlcTransformerEncoder', 'dlcTorchPool', 'dlcAdaptivePool2d', 'dlcHardSwish', 'dlcGroupedConv2d', 'dlcGroupNorm'];

/** dlc's layers for the kinds tfjs lacks (src/runtime/model/custom-layers.ts: attention, positions). */
const DLC_LAYERS = ['dlcPositionalEmbedding', 'dlcMultiHeadAttention', 'dlcTransformerEncoder', 'dlcTorchPool', 'dlcAdaptivePool2d', 'dlcHardSwish', 'dlcGroupedConv2d', 'dlcGroupNorm'];

/** Recipe layers that are dlc's own (src/runtime/model/), not tf.layers factories; model.ts imports them. */
const CUSTOM_FACTORIES = new Set(['torchBatchNormalization', ...DLC_LAYERS]);

/** 1234567 → "1,234,567" (comments only); checked to be an integer like every number codegen prints. */
function countText(n: number): string {
  jsInteger(n);
  return thousands(n);
}

/** "[28, 28, 1]" (comments only), each dimension checked to be an integer. */
function shapeText(shape: readonly number[]): string {
  shape.forEach(jsInteger);
  return shapeList(shape);
}

/** A recipe argument as a TypeScript literal: plain data, a seed, or a seeded initializer call. */
function argCode(v: RecipeArg): string {
  if (typeof v === 'string') return jsString(v);
  if (typeof v === 'number') return jsNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return `[${v.map((x: RecipeArg) => argCode(x)).join(', ')}]`;
  if (typeof v === 'object' && v !== null && 'layer' in v) {
    // A wrapped layer (bidirectional's RNN).
    return `tf.layers.${checkIdentifier(v.layer)}({ ${Object.entries(v.args).map(([k, a]) => `${checkIdentifier(k)}: ${argCode(a)}`).join(', ')} })`;
  }
  if (isSeedRecipe(v)) {
    if (!('init' in v)) return jsInteger(v.seed);
    const limit = (v as { limit?: unknown }).limit;
    const stddev = (v as { stddev?: unknown }).stddev;
    const range = typeof stddev === 'number' ? `mean: 0, stddev: ${jsNumber(stddev)}, ` : typeof limit === 'number' ? `minval: ${jsNumber(-limit)}, maxval: ${jsNumber(limit)}, ` : '';
    return `tf.initializers.${checkIdentifier(String(v.init))}({ ${range}seed: ${jsInteger(v.seed)} })`;
  }
  throw new Error('codegen: unexpected recipe argument');
}

function argsOf(c: LayerCall): ArgView[] {
  return Object.entries(c.args).map(([key, v]) => ({ key: checkIdentifier(key), valueCode: argCode(v) }));
}

/** The comment of a node's extra call, or of its main call when more follow. */
function partComment(node: IRNode, c: LayerCall, main: string, followed: boolean): string {
  if (c.part === 'pad') {
    const p = c.args['padding'];
    return `${shownId(node.id)}: ${typeof p === 'number' ? `padding ${jsInteger(p)} (PyTorch-style)` : "the spec's integer padding"}, as explicit zeros before a 'valid' convolution`;
  }
  if (c.part === 'main' && followed && node.attrs['keepdims'] === true) return `${main}; the next layer keeps the pooled axes (keepdims)`;
  if (c.part === 'main') return followed ? `${main}; its ${node.attrs['activation'] === undefined ? 'activation' : String(node.attrs['activation'])} activation is the next layer` : main;
  return '';
}

/** Builds the view of src/model.ts for `ir`. */
export function buildModelView(ir: IR): ModelView {
  const specSeed = ir.spec.seed;
  const vars = new IdentifierScope(TEMPLATE_NAMES);
  const varOf = new Map<string, string>();
  const steps: LayerStepView[] = [];
  const [inputNode, ...rest] = ir.nodes;
  if (!inputNode || inputNode.op !== 'input') throw new Error('codegen: IR must start with its input node');
  const inputName = inputNode.layers[0]?.args['name'];
  if (typeof inputName !== 'string') throw new Error('codegen: the input node has no layer name');
  const inputVar = vars.take(inputNode.id);
  varOf.set(inputNode.id, inputVar);

  for (const node of rest) {
    const comment = nodeComment(ir, node);
    const inputVars = node.inputs.map((id) => {
      const v = varOf.get(id);
      if (!v) throw new Error(`codegen: node reads unknown node`);
      return v;
    });
    let inputCode = inputVars.length === 1 ? inputVars[0] : `[${inputVars.join(', ')}]`;
    if (node.layers.length === 0) throw new Error('codegen: a node without a recipe');
    node.layers.forEach((c, i) => {
      const last = i === node.layers.length - 1;
      // The node's value is its last call; earlier ones are named for their part.
      const varName = vars.take(last ? node.id : `${node.id}_${c.part === 'main' ? 'linear' : c.part}`);
      const note = partComment(node, c, comment, !last);
      const custom = CUSTOM_FACTORIES.has(c.layer);
      steps.push({ varName, factory: checkIdentifier(c.layer), custom, args: argsOf(c), inputCode, hasComment: note !== '', commentText: note });
      inputCode = varName;
    });
    varOf.set(node.id, steps[steps.length - 1].varName);
  }

  const outputVar = varOf.get(ir.outputId);
  if (!outputVar) throw new Error('codegen: output node not found');
  // One tfjs output per head, main first, as the runtime's model builder makes them.
  const heads = ir.outputs && ir.outputs.length > 0 ? ir.outputs : undefined;
  const headVars = (heads ?? []).map((o) => {
    const v = varOf.get(o.id);
    if (!v) throw new Error('codegen: output node not found');
    return v;
  });
  const trainable = ir.nodes.reduce((s, n) => s + n.params.trainable, 0);
  const nonTrainable = ir.nodes.reduce((s, n) => s + n.params.nonTrainable, 0);
  return {
    modelNameLit: jsString(ir.spec.name.replace(/[^A-Za-z0-9_]/g, '_')),
    inputVar,
    inputNameLit: jsString(inputName),
    inputShapeCode: jsNumberArray(ir.inputShape),
    inputShapeText: shapeText(ir.inputShape),
    inputShapeTypeCode: ir.inputShape.length === 3 ? '[number, number, number]' : 'number[]',
    inputAxesText: ir.inputShape.length === 3 ? '[height, width, channels]' : ir.inputShape.length === 1 ? '[steps] or [features]' : `of rank ${jsInteger(ir.inputShape.length)}`,
    inputDTypeLit: ir.inputDType === 'int32' ? "'int32'" : "'float32'",
    steps,
    usesTorchBatchNorm: steps.some((s) => s.factory === 'torchBatchNormalization'),
    dlcLayerImportsCode: DLC_LAYERS.filter((f) => steps.some((s) => s.factory === f)).join(', '),
    outputVar,
    outputsCode: heads ? (headVars.length === 1 ? headVars[0]! : `[${headVars.join(', ')}]`) : '',
    lossWeightsCode: heads ? `[${heads.map((o) => jsNumber(o.lossWeight)).join(', ')}]` : '',
    numClassesCode: jsInteger(ir.numClasses),
    trainableParamsText: countText(trainable),
    nonTrainableParamsText: countText(nonTrainable),
    totalParamsText: countText(trainable + nonTrainable),
  };
}

/** "conv2d_1 → [32, 32, 16], 448 params  (spec line 14)" — the id is shown JSON-quoted unless it is plain. */
function nodeComment(ir: IR, node: IRNode): string {
  const total = node.params.trainable + node.params.nonTrainable;
  const params = total === 0 ? 'no params' : node.params.nonTrainable > 0 ? `${countText(total)} params (${countText(node.params.nonTrainable)} non-trainable)` : `${countText(total)} params`;
  void ir;
  return `${shownId(node.id)} → ${shapeText(node.shape)}, ${params}  (spec line ${jsInteger(node.source.line)})`;
}

/** An IR id as shown in a comment: as is when plain, else JSON-quoted. */
function shownId(id: string): string {
  return /^[A-Za-z0-9_.]+$/.test(id) ? id : commentText(jsString(id));
}
