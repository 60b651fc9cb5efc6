/** The sweep: section reaches the editor through the schema: completion offers its keys and the halving keys, with their descriptions. */
import { describe, expect, it } from 'vitest';
import { completeAt } from '../../src/lsp/completion.js';
import { loadSchema } from '../../src/lsp/schema.js';

const schema = loadSchema();

function complete(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  return completeAt(text, offset, schema);
}

const HEAD = 'name: t\ndata: {dataset: mnist}\nmodel: {layers: [flatten, {dense: {units: 10}}]}\n';

describe('sweep: in the editor', () => {
  it('completes sweep at the top level and its keys inside it', () => {
    expect(complete(`${HEAD}|\n`).suggestions.map((s) => s.label)).toContain('sweep');
    const inside = complete(`${HEAD}sweep:\n  parameters: {data.batch_size: [32, 64]}\n  |\n`);
    expect(inside.pointer).toBe('/sweep');
    const labels = inside.suggestions.map((s) => s.label);
    for (const k of ['method', 'trials', 'monitor', 'mode', 'parallel', 'halving']) expect(labels).toContain(k);
    expect(labels).not.toContain('parameters');
    expect(complete(`${HEAD}sweep:\n  method: |\n`).suggestions.map((s) => s.label).sort()).toEqual(['grid', 'random']);
    expect(complete(`${HEAD}sweep:\n  halving:\n    |\n`).suggestions.map((s) => s.label).sort()).toEqual(['eta', 'min_epochs']);
  });
});
