/**
 * `dlc emit` works for every shipped spec (specs/, recursively) with every
 * target of the registry: each emitted TypeScript project type-checks (one
 * `tsc --strict --noEmit` over all of them, node_modules a symlink to dlc's,
 * as the golden test does), each emitted Python project compiles
 * (`py_compile` on every .py file), and a target that cannot train a spec
 * refuses it with an EmitError saying why. The refusals allowed are listed
 * below by their cause; any other refusal, or a refusal without its reason,
 * fails.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmitError, renderProject, TARGETS } from '../../src/codegen/index.js';
import { LIB_DIR } from '../../src/codegen/tfjs-node-ts/index.js';
import { writeProject } from '../../src/codegen/common/write-project.js';
import { compileFile } from '../../src/compiler/compile.js';
import type { IR } from '../../src/compiler/ir.js';
import { DLC_ROOT } from './helpers.js';

/** Every .yaml under specs/, as `specs/…` paths. */
function shippedSpecs(dir = join(DLC_ROOT, 'specs')): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? shippedSpecs(join(dir, e.name)) : e.name.endsWith('.yaml') ? [relative(DLC_ROOT, join(dir, e.name))] : []))
    .sort();
}

/**
 * The refusals that are allowed, by target: when `applies` says the spec is
 * of that kind, the target must refuse it with a message matching `reason`
 * (and must not refuse anything else).
 */
const REFUSALS: Readonly<Record<string, readonly { readonly why: string; readonly applies: (ir: IR) => boolean; readonly reason: RegExp }[]>> = {
  // Every shipped spec emits for every target: the PyTorch runtime loads images, csv tables and texts.
  pytorch: [],
};

const specs = shippedSpecs();
const root = mkdtempSync(join(tmpdir(), 'dlc-emit-every-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const emitted: Record<string, string[]> = {};
const sharedLib = new Map<string, string>();
const libLinks: string[] = [];
const refused: string[] = [];

describe('dlc emit for every shipped spec and every target', () => {
  it('finds the shipped specs (nested folders too) and the targets', () => {
    expect(specs.length).toBeGreaterThan(5);
    expect(specs).toContain('specs/mnist-convnet.yaml');
    expect(TARGETS).toEqual(expect.arrayContaining(['tfjs-node-ts', 'pytorch']));
  });

  it.each(specs)('%s: every target emits it or refuses it for a listed reason', (rel) => {
    const result = compileFile(join(DLC_ROOT, rel), { displayPath: rel });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors, `${rel} does not compile`).toEqual([]);
    const ir = result.ir!;
    for (const target of TARGETS) {
      const expected = (REFUSALS[target] ?? []).find((r) => r.applies(ir));
      let files: Map<string, string> | undefined;
      let error: unknown;
      try {
        files = renderProject(ir, target, { specFile: rel, specSource: readFileSync(join(DLC_ROOT, rel), 'utf8') });
      } catch (e) {
        error = e;
      }
      if (expected) {
        expect(error, `${target} must refuse ${rel} (${expected.why})`).toBeInstanceOf(EmitError);
        expect((error as Error).message).toMatch(expected.reason);
        expect((error as Error).message).toContain(rel);
        refused.push(`${rel} → ${target}: ${expected.why}`);
        continue;
      }
      if (error) throw error;
      const dir = join(root, target, rel.replace(/\.yaml$/, '').replace(/[\\/]/g, '__'));
      if (target === 'tfjs-node-ts') {
        // The runtime copies under src/lib are dlc's own sources (the golden test checks them byte for byte): keep one
        // shared copy and link every project's src/lib to it, so tsc checks them once, not once per project.
        const own = new Map<string, string>();
        for (const [path, content] of files!) {
          if (path.startsWith(`${LIB_DIR}/`)) sharedLib.set(path.slice(LIB_DIR.length + 1), content);
          else own.set(path, content);
        }
        writeProject(dir, own);
        libLinks.push(join(dir, LIB_DIR));
      } else {
        writeProject(dir, files!);
      }
      (emitted[target] ??= []).push(dir);
    }
  });

  it('the emitted TypeScript projects type-check (tsc --strict --noEmit, one run)', () => {
    const dirs = emitted['tfjs-node-ts'] ?? [];
    expect(dirs.length).toBe(specs.length);
    const tsRoot = join(root, 'tfjs-node-ts');
    writeProject(join(root, 'shared-lib'), sharedLib);
    for (const link of libLinks) symlinkSync(join(root, 'shared-lib'), link, 'dir');
    symlinkSync(join(DLC_ROOT, 'node_modules'), join(tsRoot, 'node_modules'), 'dir');
    const projects = dirs.map((d) => relative(tsRoot, d));
    writeFileSync(join(tsRoot, 'tsconfig.json'), JSON.stringify({ extends: `./${projects[0]}/tsconfig.json`, compilerOptions: { rootDir: '.', noEmit: true, strict: true }, include: projects.map((p) => `${p}/src`) }));
    let output = '';
    try {
      execFileSync(process.execPath, [join(DLC_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--strict', '--noEmit'], { cwd: tsRoot, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      output = `${err.stdout ?? ''}${err.stderr ?? ''}` || String(e);
    }
    expect(output).toBe('');
  }, 300_000);

  const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import py_compile'], { encoding: 'utf8' }).status === 0);
  it.skipIf(!python)('the emitted Python projects compile (py_compile on every .py file)', () => {
    const dirs = emitted['pytorch'] ?? [];
    expect(dirs.length + refused.filter((r) => r.includes('→ pytorch')).length).toBe(specs.length);
    const files = dirs.flatMap((d) => listPy(d));
    expect(files.length).toBeGreaterThan(dirs.length);
    const code = 'import py_compile, sys, os, tempfile\nout = tempfile.mkdtemp()\nfor i, f in enumerate(sys.argv[1:]):\n    py_compile.compile(f, cfile=os.path.join(out, f"{i}.pyc"), doraise=True)\nprint(len(sys.argv) - 1)';
    const r = spawnSync(python!, ['-c', code, ...files], { encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(String(files.length));
  }, 120_000);

  it('lists the refusals', () => {
    // Printed so a run shows which spec/target pairs are refused and why.
    console.log(`refused (allowed):\n  ${refused.join('\n  ') || '(none)'}`);
    expect(refused.every((r) => / → \S+: /.test(r))).toBe(true);
  });
});

function listPy(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listPy(join(dir, e.name)) : e.name.endsWith('.py') ? [join(dir, e.name)] : []));
}
