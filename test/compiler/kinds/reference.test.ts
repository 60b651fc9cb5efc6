/** docs/compiler/kinds.md is the page kindsReference() writes from the declarations. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anyFamily, LOSSES, METRICS, OPTIMIZERS, SCHEDULES, TRANSFORMS } from '../../../src/compiler/kinds/index.js';
import { kindsReference } from '../../../src/compiler/kinds/reference.js';

const PAGE = fileURLToPath(new URL('../../../docs/compiler/kinds.md', import.meta.url));

describe('docs/compiler/kinds.md', () => {
  const text = kindsReference();
  if (process.env.DLC_UPDATE_DOCS) writeFileSync(PAGE, text);

  it('is current', () => {
    expect(readFileSync(PAGE, 'utf8')).toBe(text);
  });

  it('has a section for every declared kind, with each attribute and default', () => {
    for (const family of [LOSSES, OPTIMIZERS, SCHEDULES, METRICS, TRANSFORMS]) {
      for (const decl of Object.values(anyFamily(family))) {
        // A name may head a section in two families (the loss and the metric `mae`): the one with this description.
        const candidates = text.split('\n### ').slice(1).filter((sec) => sec.startsWith(`\`${decl.kind}\`\n`));
        expect(candidates.length, decl.kind).toBeGreaterThan(0);
        const section = candidates.find((sec) => sec.includes(decl.description)) ?? candidates[0];
        expect(section).toContain(decl.description);
        for (const attr of Object.keys(decl.attrs)) expect(section, `${decl.kind}.${attr}`).toContain(`| \`${attr}\` |`);
        for (const [attr, d] of Object.entries(decl.defaults)) expect(section.split('\n').find((l) => l.startsWith(`| \`${attr}\``)), `${decl.kind}.${attr}`).toContain(JSON.stringify(d).replace(/,/g, ', '));
      }
    }
  });
});
