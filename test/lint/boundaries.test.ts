/**
 * The import-boundary lint (.dependency-cruiser.cjs) can fail: it runs over
 * test/fixtures/boundaries/src, a miniature dlc tree that breaks every rule
 * exactly once next to imports each rule must allow, and reports exactly the
 * breaking imports. `npm test` runs the same config over the real src/
 * (`npm run lint:deps`).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const fixture = join(root, 'test', 'fixtures', 'boundaries');
const cli = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const config = join(root, '.dependency-cruiser.cjs');

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

/** rule → "from → to" of each import the fixture breaks it with. */
const EXPECTED: readonly (readonly [string, string, string])[] = [
  ['compiler-imports-no-other-dlc-module', 'src/compiler/lower/lower.ts', 'src/runtime/train.ts'],
  ['runtime-imports-only-compiler-contracts', 'src/runtime/train.ts', 'src/compiler/front/parse.ts'],
  ['runtime-imports-no-upper-layer', 'src/runtime/hook.ts', 'src/report/write.ts'],
  ['codegen-imports-no-runtime', 'src/codegen/emit.ts', 'src/runtime/random.ts'],
  // Directly, and through codegen/tf-helper.ts.
  ['codegen-loads-no-tensorflow', 'src/codegen/tf-helper.ts', '@tensorflow/tfjs'],
  ['codegen-loads-no-tensorflow', 'src/codegen/emit.ts', '@tensorflow/tfjs'],
  ['lsp-reaches-compiler-through-compile-ts', 'src/lsp/analyze.ts', 'src/compiler/lower/lower.ts'],
  ['lsp-type-imports-only-contracts', 'src/lsp/hover.ts', 'src/compiler/lower/lower.ts'],
  ['lsp-imports-no-runtime-or-codegen', 'src/lsp/train.ts', 'src/runtime/train.ts'],
  ['host-transforms-import-nothing', 'src/runtime/transforms/host.ts', 'src/runtime/random.ts'],
  ['shared-modules-are-leaves', 'src/compiler/shared/bad.ts', 'yaml'],
  ['nothing-imports-the-cli', 'src/report/write.ts', 'src/cli/io.ts'],
  ['no-unresolvable-import', 'src/cli/main.ts', './missing.js'],
  ['no-circular', 'src/codegen/a.ts', 'src/codegen/b.ts'],
];

/** A node_modules path shortened to its package name, so the expectation does not depend on where tfjs keeps its entry file. */
function short(to: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(to);
  return m ? m[1] : to;
}

describe('import-boundary lint', () => {
  it('reports every forbidden import of the fixture tree, and nothing it allows', async () => {
    const { stdout } = await run(process.execPath, [cli, 'src', '--config', config, '--output-type', 'json'], { cwd: fixture, maxBuffer: 16 << 20 });
    const violations = (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
    const got = violations.map((v) => `${v.rule.name}: ${v.from} → ${short(v.to)}`).sort();
    const want = EXPECTED.map(([rule, from, to]) => `${rule}: ${from} → ${to}`).sort();
    expect(got).toEqual(want);
    // Every rule of the config is shown to fire.
    const rules = (await import(config)).default.forbidden.map((r: { name: string }) => r.name).sort();
    expect([...new Set(EXPECTED.map(([rule]) => rule))].sort()).toEqual(rules);
  });

  it('exits non-zero with one error per violation, so `npm test` stops', async () => {
    const failure = await run(process.execPath, [cli, 'src', '--config', config, '--output-type', 'err'], { cwd: fixture }).then(
      () => undefined,
      (err: { code?: number; stdout?: string }) => err,
    );
    expect(failure?.code).toBe(EXPECTED.length);
    expect(failure?.stdout).toContain('error compiler-imports-no-other-dlc-module: src/compiler/lower/lower.ts → src/runtime/train.ts');
  });
});
