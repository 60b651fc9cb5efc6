/**
 * The tfjs layers topology (model.json's `modelTopology`) of an IR, written from the nodes'
 * recipes without TensorFlow.js: the emitted project puts it in every checkpoint's model.json
 * next to the weights, so `tf.loadLayersModel` (dlc eval, dlc predict, a browser) opens a
 * model trained with PyTorch. Configs carry the recipe's arguments in tfjs's pythonic
 * spelling; what they leave out (initializers, regularizers) takes tfjs's defaults, which
 * do not matter once the weights are loaded.
 */
import type { IR, LayerCall, RecipeArg } from '../../compiler/ir.js';
import { isSeedRecipe, modelOutputs } from '../../compiler/ir-attrs.js';

const CLASS_NAMES: Readonly<Record<string, string>> = {
  conv2d: 'Conv2D',
  depthwiseConv2d: 'DepthwiseConv2D',
  separableConv2d: 'SeparableConv2D',
  conv2dTranspose: 'Conv2DTranspose',
  maxPooling2d: 'MaxPooling2D',
  averagePooling2d: 'AveragePooling2D',
  globalAveragePooling2d: 'GlobalAveragePooling2D',
  globalMaxPooling2d: 'GlobalMaxPooling2D',
  dense: 'Dense',
  flatten: 'Flatten',
  reshape: 'Reshape',
  dropout: 'Dropout',
  batchNormalization: 'BatchNormalization',
  // conventions: pytorch's batch norm (unbiased running variance) is saved as tfjs's: inference is the same.
  torchBatchNormalization: 'BatchNormalization',
  layerNormalization: 'LayerNormalization',
  activation: 'Activation',
  rescaling: 'Rescaling',
  leakyReLU: 'LeakyReLU',
  add: 'Add',
  concatenate: 'Concatenate',
  zeroPadding2d: 'ZeroPadding2D',
  conv1d: 'Conv1D',
  maxPooling1d: 'MaxPooling1D',
  averagePooling1d: 'AveragePooling1D',
  globalAveragePooling1d: 'GlobalAveragePooling1D',
  globalMaxPooling1d: 'GlobalMaxPooling1D',
  upSampling2d: 'UpSampling2D',
  embedding: 'Embedding',
  lstm: 'LSTM',
  gru: 'GRU',
  bidirectional: 'Bidirectional',
  // dlc's own sequence layers (src/runtime/model/custom-layers.ts, registered with tf.serialization).
  dlcPositionalEmbedding: 'DlcPositionalEmbedding',
  dlcMultiHeadAttention: 'DlcMultiHeadAttention',
  dlcTransformerEncoder: 'DlcTransformerEncoder',
  // dlc's own layers (src/runtime/model/torch-pool.ts, registered with tf.serialization under these names).
  dlcTorchPool: 'DlcTorchPool',
  dlcAdaptivePool2d: 'DlcAdaptivePool2d',
  multiply: 'Multiply',
  // dlc's own layers (src/runtime/model/custom-layers.ts): hard swish, grouped conv2d.
  dlcHardSwish: 'DlcHardSwish',
  dlcGroupNorm: 'DlcGroupNorm',
  dlcGroupedConv2d: 'DlcGroupedConv2d',
};

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A recipe argument as config data: seeds become their numbers (in lists too), a wrapped layer {class_name, config}. */
function value(v: RecipeArg): unknown {
  if (Array.isArray(v)) return v.map((x: RecipeArg) => value(x));
  if (isSeedRecipe(v)) return v.seed;
  if (typeof v === 'object' && v !== null && 'layer' in v && 'args' in v) {
    const cls = CLASS_NAMES[v.layer];
    if (!cls) throw new Error(`codegen: no tfjs class name for layer ${JSON.stringify(v.layer)}`);
    return { class_name: cls, config: config({ layer: v.layer, part: 'main', args: v.args }) };
  }
  return v;
}

function config(c: LayerCall): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.args)) {
    if (k.endsWith('Initializer')) continue;
    out[snake(k)] = value(v);
  }
  return { ...out, trainable: true };
}

/** modelTopology for `ir`, as tfjs's model.toJSON() lays it out. */
export function tfjsTopology(ir: IR): object {
  const layers: object[] = [];
  const outputOf = new Map<string, string>();
  let inputName = '';
  for (const node of ir.nodes) {
    let inbound: string[] = node.inputs.map((id) => {
      const name = outputOf.get(id);
      if (!name) throw new Error(`codegen: input ${JSON.stringify(id)} of ${JSON.stringify(node.id)} comes later`);
      return name;
    });
    for (const c of node.layers) {
      const name = String(c.args.name);
      if (c.layer === 'input') {
        inputName = name;
        layers.push({ name, class_name: 'InputLayer', config: { batch_input_shape: [null, ...node.shape], dtype: c.args.dtype ?? 'float32', sparse: false, name }, inbound_nodes: [] });
      } else {
        const cls = CLASS_NAMES[c.layer];
        if (!cls) throw new Error(`codegen: no tfjs class name for layer ${JSON.stringify(c.layer)}`);
        layers.push({ name, class_name: cls, config: config(c), inbound_nodes: [inbound.map((n) => [n, 0, 0, {}])] });
      }
      inbound = [name];
    }
    outputOf.set(node.id, inbound[0]);
  }
  // Every head, main first (IR `outputs`), as the runtime's model builder makes the tfjs model.
  const outs = modelOutputs(ir).map((o) => {
    const out = outputOf.get(o.id);
    if (!out) throw new Error(`codegen: output ${JSON.stringify(o.id)} is not computed`);
    return [out, 0, 0];
  });
  return {
    class_name: 'Model',
    config: { name: 'model', layers, input_layers: [[inputName, 0, 0]], output_layers: outs },
    keras_version: 'tfjs-layers (written by dlc pytorch target)',
    backend: 'tensor_flow.js',
  };
}
