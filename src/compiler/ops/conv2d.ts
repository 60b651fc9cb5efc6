/**
 * conv2d: 2-D convolution (Keras `Conv2D`, PyTorch `nn.Conv2d`), grouped with
 * `groups: G` (PyTorch's `groups`: input channels and filters in G groups,
 * each group's filters see only its own channels; tfjs has no grouped
 * convolution, so it is dlc's `dlcGroupedConv2d`, runtime/model/custom-layers.ts).
 */
import { integer } from '../front/schema/helpers.js';
import { CONV_DEFAULTS, CONV_PAIRS, convAttrs, convCalls, convWindow, type ConvWindowAttrs } from './conv-common.js';
import { facts, fail, type OpDef } from './op-def.js';
import { needRank, spatial } from './shape.js';

export interface Conv2dAttrs extends ConvWindowAttrs {
  readonly filters: number;
  /** Groups of channels (PyTorch's `groups`); absent means 1, a plain convolution. */
  readonly groups?: number;
}

declare module '../spec.js' {
  interface LayerAttrMap {
    conv2d: Conv2dAttrs;
  }
}

export const conv2d: OpDef<'conv2d'> = {
  kind: 'conv2d',
  description: '2-D convolution (like Keras `Conv2D`, PyTorch `nn.Conv2d`).',
  attrs: {
    ...convAttrs({ filters: true, depthMultiplier: false }),
    groups: integer('Grouped convolution (PyTorch `groups`): input channels and filters are split into this many groups, each group of filters seeing only its own channels; both must be divisible by it. 1 (the default) is a plain convolution.', { minimum: 1, examples: [2, 32] }),
  },
  required: ['filters', 'kernel_size'],
  defaults: CONV_DEFAULTS,
  pairs: CONV_PAIRS,
  infer(a, [x]) {
    needRank('conv2d', x, 3);
    const [ho, wo] = spatial('conv2d', x, convWindow(a));
    const g = a.groups ?? 1;
    if (x[2] % g !== 0 || a.filters % g !== 0) {
      const what = x[2] % g !== 0 ? `the ${x[2]} input channels` : `the ${a.filters} filters`;
      const fits = commonDivisors(x[2], a.filters).filter((d) => d > 1);
      const hint = fits.length ? `groups must divide both ${x[2]} and ${a.filters}: ${fits.slice(-4).join(', ')} would` : `no groups > 1 divides both ${x[2]} input channels and ${a.filters} filters`;
      fail('DLC125', `groups ${g} does not divide ${what}: input channels and filters must both be divisible by groups`, hint, 'groups');
    }
    const cin = x[2] / g;
    const k = a.kernel_size[0] * a.kernel_size[1];
    return facts([ho, wo, a.filters], k * cin * a.filters + (a.use_bias ? a.filters : 0), 0, ho * wo * k * cin * a.filters);
  },
  build(a, ctx) {
    const g = a.groups ?? 1;
    if (g !== 1) return convCalls('dlcGroupedConv2d', a, ctx.name, { filters: a.filters }, { groups: g }, { kernelInitializer: ctx.glorot('kernel') });
    return convCalls('conv2d', a, ctx.name, { filters: a.filters }, {}, { kernelInitializer: ctx.glorot('kernel') });
  },
};

/** The common divisors of a and b, ascending (for the DLC125 hint). */
function commonDivisors(a: number, b: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= Math.min(a, b); d++) if (a % d === 0 && b % d === 0) out.push(d);
  return out;
}
