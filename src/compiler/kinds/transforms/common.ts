import { array, type Schema } from '../../front/schema/helpers.js';

/** A per-channel list of statistics (normalize's mean and std). */
export const channelStats = (what: string): Schema =>
  array({ type: 'number' }, `Per-channel ${what} (one value per channel, or one for all), applied to pixels scaled to [0, 1].`, { minItems: 1, maxItems: 3 });
