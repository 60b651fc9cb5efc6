/** normalize: (x − mean) / std per channel. Shape rules: compiler/shared/transform-shape.ts; applied in runtime/transforms/host.ts. */
import type { TransformSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';
import { channelStats } from './common.js';

export const normalize: KindDecl<Of<TransformSpec, 'normalize'>> = {
  kind: 'normalize',
  description: 'Subtracts the mean and divides by the standard deviation, per channel: (x − mean) / std.',
  attrs: { mean: { ...channelStats('means'), examples: [[0.1307], [0.4914, 0.4822, 0.4465]] }, std: { ...channelStats('standard deviations'), examples: [[0.3081], [0.247, 0.2435, 0.2616]] } },
  required: ['mean', 'std'],
  defaults: {},
};
