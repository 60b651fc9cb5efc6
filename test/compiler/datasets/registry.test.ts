/** The compiler's data-set definitions: each is consistent with itself and with the schema built from the registry. */
import { describe, expect, it } from 'vitest';
import { DATASET_NAMES, DATASETS, datasetDef, datasetKeySchemas, keysOfOneDataset } from '../../../src/compiler/datasets/index.js';
import { dataSchema } from '../../../src/compiler/front/schema/sections.js';

describe('data-set definitions', () => {
  for (const name of DATASET_NAMES) {
    const def = DATASETS[name];
    it(`${name}: schema and required keys are keys it accepts; its README paragraph fits 78 columns`, () => {
      for (const key of Object.keys(def.schema ?? {})) expect(def.keys).toContain(key);
      for (const need of def.requires) expect(def.keys).toContain(need.key);
      expect(def.description.length).toBeGreaterThan(0);
      for (const line of def.source.split('\n')) expect(line.length, line).toBeLessThanOrEqual(78);
      expect(datasetDef(name)).toBe(def);
    });
  }

  it('the data section schema accepts exactly the registered names and every set-specific key', () => {
    const props = (dataSchema() as { properties: Record<string, { enum?: string[] }> }).properties;
    expect(props.dataset.enum).toEqual(DATASET_NAMES);
    for (const key of Object.keys(datasetKeySchemas())) expect(props).toHaveProperty(key);
    for (const name of DATASET_NAMES) for (const key of DATASETS[name].keys) expect(props, `${name}: ${key}`).toHaveProperty(key);
  });

  it('keys of one data set map to that set; shared keys are not in the table', () => {
    const one = keysOfOneDataset();
    for (const [key, owner] of one) expect(DATASET_NAMES.filter((n) => DATASETS[n].keys.includes(key))).toEqual([owner]);
    expect(one.has('path')).toBe(false);
    expect(one.get('channels')).toBe('image_folder');
    expect(datasetDef('toString')).toBeUndefined();
    expect(datasetDef('parquet')).toBeUndefined();
  });
});
