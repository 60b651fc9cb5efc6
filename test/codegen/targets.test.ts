/**
 * The emit-target registry (src/codegen/targets.ts) and its target-neutral
 * core: every registered target is complete (templates folder, language
 * rules that refuse its reserved words, next steps), the CLI offers exactly
 * the registry, and an unknown target is an EmitError naming the known ones.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { command, parseEmitArgs } from '../../src/cli/emit.js';
import { DEFAULT_TARGET, EmitError, renderProject, targetDef, TARGETS } from '../../src/codegen/index.js';
import { checkIdentifierIn, sanitizeIdentifierIn, ScopeOf } from '../../src/codegen/common/identifiers.js';
import { buildReadmeView, specSha256 } from '../../src/codegen/common/origin.js';
import { TARGET_DEFS } from '../../src/codegen/targets.js';
import { templatesDir } from '../../src/codegen/dlc-root.js';
import { lowerSpec, tinySpec } from './helpers.js';

describe('the target registry', () => {
  it('lists unique names, tfjs-node-ts first (the default)', () => {
    expect(TARGETS[0]).toBe('tfjs-node-ts');
    expect(DEFAULT_TARGET).toBe('tfjs-node-ts');
    expect(new Set(TARGETS).size).toBe(TARGETS.length);
    expect(TARGETS).toEqual(TARGET_DEFS.map((t) => t.name));
  });

  it.each(TARGET_DEFS.map((t) => [t.name, t] as const))('%s is complete', (name, def) => {
    expect(targetDef(name)).toBe(def);
    expect(existsSync(templatesDir(name)), `templates/${name}`).toBe(true);
    expect(def.description.length).toBeGreaterThan(10);
    expect(def.nextSteps.length).toBeGreaterThan(0);
    // The language's rules refuse its own reserved words and make valid names from anything.
    for (const word of def.language.identifiers.reserved) expect(() => checkIdentifierIn(def.language.identifiers, word)).toThrow(/not a usable identifier/);
    for (const text of ['conv2d_1', 'stage1.0.conv_a', '1st', 'x"); evil("', '']) {
      expect(def.language.identifiers.pattern.test(sanitizeIdentifierIn(def.language.identifiers, text)), text).toBe(true);
    }
    // A string literal of the language round-trips quotes and newlines as data.
    expect(def.language.stringLiteral('a"b\nc')).not.toContain('\n');
  });

  it('throws an EmitError naming the known targets for an unknown one', () => {
    const ir = lowerSpec(tinySpec());
    expect(() => renderProject(ir, 'cobol')).toThrow(EmitError);
    expect(() => renderProject(ir, 'cobol')).toThrow(new RegExp(`known: ${TARGETS.join(', ')}`));
  });

  it('is what dlc emit offers: --target choices, --help and the next steps', () => {
    for (const t of TARGETS) expect(parseEmitArgs(['s.yaml', '-o', 'x', '--target', t])).toMatchObject({ target: t });
    expect(typeof parseEmitArgs(['s.yaml', '-o', 'x', '--target', 'cobol'])).toBe('string');
    for (const t of TARGET_DEFS) expect(command.help).toContain(`  ${t.name}`);
    expect(command.help).toContain(targetDef(DEFAULT_TARGET).nextSteps.join(' && '));
  });
});

describe('target-neutral core', () => {
  it('hands out unique identifiers under given rules', () => {
    const rules = { pattern: /^[a-z_][a-z0-9_]*$/, reserved: new Set(['def']) };
    const scope = new ScopeOf(rules, ['model']);
    expect(['model', 'def', 'conv.1', 'conv_1', 'conv-1'].map((t) => scope.take(t))).toEqual(['model_2', 'def_', 'conv_1', 'conv_1_2', 'conv_1_3']);
  });

  it('README facts: Markdown blocks, overrides, the spec hash', () => {
    const ir = lowerSpec(tinySpec({ description: 'two\nlines' }));
    const v = buildReadmeView(ir, { specFile: 'specs/t.yaml', specSource: 'name: tiny\n', overrides: ['seed=1'] }, '353');
    expect(v.descriptionBlockText).toBe('    two\n    lines');
    expect(v.hasOverrides).toBe(true);
    expect(v.overridesBlockText).toBe('    --set seed=1');
    expect(v.specSha256Text).toMatch(/^[0-9a-f]{64}$/);
    expect(specSha256({ specFile: 'x' })).toBe('');
    expect(v.totalParamsText).toBe('353');
  });
});
