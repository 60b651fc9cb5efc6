/**
 * The op registry: every layer kind, one module each (see op-def.ts for what
 * a definition holds). Adding a kind is one new module — its attribute type,
 * schema, inference and recipe — plus its line here and its row in
 * test/compiler/ops/conformance.test.ts.
 *
 * `OPS` is typed over spec.ts's `LayerAttrMap`, which the modules augment:
 * a kind declared without a definition here, or listed here without its
 * declaration, does not compile.
 */
import type { OpDef, OpKind } from './op-def.js';
import { add } from './add.js';
import { avg_pool2d } from './avg-pool2d.js';
import { batch_norm } from './batch-norm.js';
import { concat } from './concat.js';
import { multiply } from './multiply.js';
import { conv2d } from './conv2d.js';
import { conv2d_transpose } from './conv2d-transpose.js';
import { dense } from './dense.js';
import { depthwise_conv2d } from './depthwise-conv2d.js';
import { dropout } from './dropout.js';
import { elu } from './elu.js';
import { flatten } from './flatten.js';
import { gelu } from './gelu.js';
import { relu6 } from './relu6.js';
import { silu } from './silu.js';
import { swish } from './swish.js';
import { mish } from './mish.js';
import { hard_sigmoid } from './hard-sigmoid.js';
import { hard_swish } from './hard-swish.js';
import { global_avg_pool2d } from './global-avg-pool2d.js';
import { global_max_pool2d } from './global-max-pool2d.js';
import { adaptive_avg_pool2d } from './adaptive-avg-pool2d.js';
import { adaptive_max_pool2d } from './adaptive-max-pool2d.js';
import { group_norm } from './group-norm.js';
import { layer_norm } from './layer-norm.js';
import { leaky_relu } from './leaky-relu.js';
import { max_pool2d } from './max-pool2d.js';
import { relu } from './relu.js';
import { reshape } from './reshape.js';
import { separable_conv2d } from './separable-conv2d.js';
import { sigmoid } from './sigmoid.js';
import { softmax } from './softmax.js';
import { tanh } from './tanh.js';
import { zero_padding2d } from './zero-padding2d.js';
import { upsampling2d } from './upsampling2d.js';
import { embedding } from './embedding.js';
import { conv1d } from './conv1d.js';
import { max_pool1d } from './max-pool1d.js';
import { avg_pool1d } from './avg-pool1d.js';
import { global_avg_pool1d } from './global-avg-pool1d.js';
import { global_max_pool1d } from './global-max-pool1d.js';
import { lstm } from './lstm.js';
import { gru } from './gru.js';
import { bidirectional } from './bidirectional.js';
import { positional_embedding } from './positional-embedding.js';
import { multi_head_attention } from './multi-head-attention.js';
import { transformer_encoder } from './transformer-encoder.js';

/** Every layer kind, in the order the schema and docs list them. */
export const OPS: { readonly [K in OpKind]: OpDef<K> } = {
  conv2d,
  depthwise_conv2d,
  separable_conv2d,
  conv2d_transpose,
  max_pool2d,
  avg_pool2d,
  global_avg_pool2d,
  global_max_pool2d,
  adaptive_avg_pool2d,
  adaptive_max_pool2d,
  zero_padding2d,
  upsampling2d,
  embedding,
  conv1d,
  max_pool1d,
  avg_pool1d,
  global_avg_pool1d,
  global_max_pool1d,
  lstm,
  gru,
  bidirectional,
  positional_embedding,
  multi_head_attention,
  transformer_encoder,
  dense,
  flatten,
  reshape,
  dropout,
  batch_norm,
  layer_norm,
  group_norm,
  relu,
  leaky_relu,
  elu,
  gelu,
  relu6,
  silu,
  swish,
  mish,
  hard_sigmoid,
  hard_swish,
  sigmoid,
  tanh,
  softmax,
  add,
  concat,
  multiply,
};

/** The definition of `kind`, or undefined for a name that is not a layer kind. */
export function opDef(kind: string): OpDef | undefined {
  return Object.prototype.hasOwnProperty.call(OPS, kind) ? (OPS[kind as OpKind] as unknown as OpDef) : undefined;
}

/** Every layer kind name. */
export const OP_KINDS: readonly OpKind[] = Object.keys(OPS) as OpKind[];

export type { OpDef, OpKind } from './op-def.js';
