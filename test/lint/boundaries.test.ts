/**
 * The import-boundary lint (.dependency-cruiser.cjs) can fail: it runs over
 * test/fixtures/boundaries/src, a miniature dlc tree that breaks every rule
 * exactly once next to imports each rule must allow, and reports exactly the
 * breaking imports. `npm test` runs the same config over the real src/
 * (`npm run lint:deps`); here the real tree is also checked for cycles
 * between its top-level modules (compiler, runtime, codegen, lsp, report,
 * sweep, cli), which no file-level rule can see.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { collectRuntimeFiles } from '../../src/codegen/tfjs-node-ts/runtime-files.js';

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

interface Cruise {
  readonly modules: readonly { readonly source: string; readonly dependencies: readonly { readonly resolved: string; readonly dependencyTypes: readonly string[] }[] }[];
  readonly summary: { readonly violations: Violation[] };
}

/** The top-level module of a path under src/ ("src/runtime/train/loop.ts" → "runtime", "src/index.ts" → "index"). */
function topModule(path: string): string | undefined {
  const m = /^src\/([^/]+?)(?:\.ts)?(?:\/|$)/.exec(path);
  return m?.[1];
}

/** Edges between top-level modules; type-only imports are left out (they are erased and load nothing). */
function moduleEdges(cruise: Cruise): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const m of cruise.modules) {
    const from = topModule(m.source);
    if (!from) continue;
    for (const d of m.dependencies) {
      const to = topModule(d.resolved);
      if (!to || to === from || d.dependencyTypes.includes('type-only')) continue;
      edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  return edges;
}

/** Every cycle's modules (strongly connected components of more than one module), each sorted. */
function moduleCycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  // Tarjan's algorithm: a handful of modules, recursion is fine.
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('import-boundary lint', () => {
  // The three cruiser runs are separate processes: let them overlap.
  it.concurrent('reports every forbidden import of the fixture tree, and nothing it allows', async () => {
    const { stdout } = await run(process.execPath, [cli, 'src', '--config', config, '--output-type', 'json'], { cwd: fixture, maxBuffer: 16 << 20 });
    const violations = (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
    const got = violations.map((v) => `${v.rule.name}: ${v.from} → ${short(v.to)}`).sort();
    const want = EXPECTED.map(([rule, from, to]) => `${rule}: ${from} → ${to}`).sort();
    expect(got).toEqual(want);
    // Every rule of the config is shown to fire.
    const rules = (await import(config)).default.forbidden.map((r: { name: string }) => r.name).sort();
    expect([...new Set(EXPECTED.map(([rule]) => rule))].sort()).toEqual(rules);
  });

  it('finds module-level cycles, which no single file shows', () => {
    const edges = new Map([
      ['report', new Set(['sweep', 'runtime'])],
      ['sweep', new Set(['report'])],
      ['runtime', new Set(['compiler'])],
      ['cli', new Set(['report', 'runtime'])],
    ]);
    expect(moduleCycles(edges)).toEqual([['report', 'sweep']]);
    edges.get('sweep')!.delete('report');
    expect(moduleCycles(edges)).toEqual([]);
  });

  it.concurrent('src/ keeps every rule, and its top-level modules form no cycle', async () => {
    const { stdout } = await run(process.execPath, [cli, 'src', '--config', config, '--output-type', 'json'], { cwd: root, maxBuffer: 64 << 20 });
    const cruise = JSON.parse(stdout) as Cruise;
    expect(cruise.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
    const edges = moduleEdges(cruise);
    // The layers the rules describe: the compiler is a leaf, the CLI is on top.
    expect(edges.get('compiler') ?? new Set()).toEqual(new Set());
    expect([...edges.values()].some((to) => to.has('cli'))).toBe(false);
    expect(moduleCycles(edges)).toEqual([]);
  });

  it('every runtime file can be copied into an emitted project (the lint allows compiler/shared as a folder; emit lists its files)', () => {
    const runtime = (readdirSync(join(root, 'src', 'runtime'), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => `runtime/${f.split('\\').join('/')}`);
    expect(runtime.length).toBeGreaterThan(50);
    const closure = collectRuntimeFiles(runtime);
    const compilerFiles = [...closure.files.keys()].filter((f) => !f.startsWith('runtime/'));
    expect(compilerFiles.length).toBeGreaterThan(0);
    for (const f of compilerFiles) expect(f).toMatch(/^compiler\/(spec|ir|ir-attrs)\.ts$|^compiler\/shared\//);
  });

  it.concurrent('exits non-zero with one error per violation, so `npm test` stops', async () => {
    const failure = await run(process.execPath, [cli, 'src', '--config', config, '--output-type', 'err'], { cwd: fixture }).then(
      () => undefined,
      (err: { code?: number; stdout?: string }) => err,
    );
    expect(failure?.code).toBe(EXPECTED.length);
    expect(failure?.stdout).toContain('error compiler-imports-no-other-dlc-module: src/compiler/lower/lower.ts → src/runtime/train.ts');
  });
});
