/** Renamed example-set.ts (sets of any input rank and target kind); kept until nothing imports this path. */
export * from './example-set.js';
