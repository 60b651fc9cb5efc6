/**
 * The PyTorch emit target implements the runtime families again in Python
 * (templates/pytorch/dlc_runtime/), where tsc cannot check that every
 * declared kind has a branch. This keeps the two in step: each kind declared
 * in compiler/kinds/ is dispatched on by name in its Python module.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOSSES, OPTIMIZERS, SCHEDULES, TRANSFORMS } from '../../../src/compiler/kinds/index.js';

const py = (name: string) => readFileSync(fileURLToPath(new URL(`../../../templates/pytorch/dlc_runtime/${name}.py`, import.meta.url)), 'utf8');

/** Kinds a Python module compares `kind` with (`kind == 'x'`, `kind in ('x', 'y')`). */
function dispatched(source: string): Set<string> {
  const out = new Set<string>();
  for (const m of source.matchAll(/kind'?\]?\s*(?:==\s*'([a-z0-9_]+)'|in\s*\(([^)]*)\))/g)) {
    if (m[1]) out.add(m[1]);
    if (m[2]) for (const q of m[2].matchAll(/'([a-z0-9_]+)'/g)) out.add(q[1]);
  }
  return out;
}

describe.each([
  ['losses', LOSSES],
  ['optim', OPTIMIZERS],
  ['schedules', SCHEDULES],
  ['transforms', TRANSFORMS],
] as const)('templates/pytorch/dlc_runtime/%s.py', (file, family) => {
  it('dispatches on every declared kind, and on no other', () => {
    const got = dispatched(py(file));
    expect([...got].sort()).toEqual(Object.keys(family).sort());
  });
});
