/**
 * Golden files of the emitted project for every shipped spec in specs/, and
 * a strict type-check of every emitted project.
 *
 * Goldens live in test/codegen/golden/<spec>/<path>.golden — the `.golden`
 * suffix keeps dlc's own `tsc` from compiling them as part of dlc. The
 * runtime copies under src/lib/ are not stored: they are asserted to be the
 * runtime's sources byte for byte (after the header), so a runtime change
 * never needs a golden update here.
 * Regenerate with UPDATE_GOLDEN=1 after a deliberate change and review the diff.
 *
 * Type-checking: all emitted projects (and one whose model uses every op) are checked in one `tsc --strict
 * --noEmit` run (loading tfjs's types once, not once per project) through a
 * tsconfig that extends the first project's own tsconfig.json; node_modules
 * is a symlink to dlc's, so no network is needed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderProject } from '../../src/codegen/index.js';
import { LIB_DIR, libHeader } from '../../src/codegen/tfjs-node-ts/index.js';
import { writeProject } from '../../src/codegen/common/write-project.js';
import { compile, compileFile } from '../../src/compiler/compile.js';
import type { IR } from '../../src/compiler/ir.js';
import { allOpsSpec, DLC_ROOT, lowerSpec, PARITY_SPEC_FILE, paritySpec } from './helpers.js';
import { auxIR } from '../runtime/model/aux-fixture.js';

const GOLDEN = join(DLC_ROOT, 'test/codegen/golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const shipped = existsSync(join(DLC_ROOT, 'specs')) ? readdirSync(join(DLC_ROOT, 'specs')).filter((f) => f.endsWith('.yaml')).sort() : [];

/** The emitted project of a shipped spec, rendered as `dlc emit specs/<file>` would. */
function emitted(file: string): { files: Map<string, string>; ir: IR } {
  const rel = `specs/${file}`;
  const result = compileFile(join(DLC_ROOT, rel), { displayPath: rel });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.ir || errors.length > 0) throw new Error(`${rel} does not compile: ${JSON.stringify(errors)}`);
  return { files: renderProject(result.ir, 'tfjs-node-ts', { specFile: rel, specSource: readFileSync(join(DLC_ROOT, rel), 'utf8') }), ir: result.ir };
}

function listFiles(dir: string, sub = ''): string[] {
  if (!existsSync(join(dir, sub))) return [];
  return readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(dir, join(sub, e.name)) : [join(sub, e.name)]));
}

const root = mkdtempSync(join(tmpdir(), 'dlc-golden-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('emitted project of every shipped spec', () => {
  it('finds shipped specs', () => {
    expect(shipped.length).toBeGreaterThan(0);
  });

  it.each(shipped.length > 0 ? shipped : ['(none)'])('%s matches its golden files', (file) => {
    if (file === '(none)') return;
    const { files, ir } = emitted(file);
    const name = file.replace(/\.yaml$/, '');
    const dir = join(GOLDEN, name);
    const stored = new Map<string, string>();
    for (const [path, content] of files) {
      if (path.startsWith(`${LIB_DIR}/`)) {
        const rel = path.slice(LIB_DIR.length + 1);
        expect(content, path).toBe(libHeader(`specs/${file}`, rel) + readFileSync(join(DLC_ROOT, 'src', rel), 'utf8'));
      } else if (path === 'spec.yaml') {
        expect(content.endsWith(readFileSync(join(DLC_ROOT, 'specs', file), 'utf8'))).toBe(true);
      } else if (path === 'ir.json') {
        // The compiler's IR, which the training reads and run directories copy (not stored: lowering changes are not codegen's).
        expect(JSON.parse(content)).toEqual(JSON.parse(JSON.stringify(ir)));
      } else if (path === 'spec.resolved.yaml') {
        // The resolved spec in the user's format: it compiles back to the spec of the IR (blocks come back expanded,
        // so only the source pointers (`path`) of their layers differ).
        const back = compile(content, { file: 'spec.resolved.yaml' });
        expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const pointerless = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === 'path' ? undefined : x)));
        expect(pointerless(back.spec)).toEqual(pointerless(ir.spec));
      } else {
        stored.set(`${path}.golden`, content);
      }
    }
    expect([...files.keys()].some((p) => p.startsWith(`${LIB_DIR}/runtime/`))).toBe(true);
    if (UPDATE || !existsSync(dir)) {
      rmSync(dir, { recursive: true, force: true });
      for (const [path, content] of stored) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
      if (!UPDATE) throw new Error(`wrote missing golden files in ${dir}; review them and re-run`);
    }
    expect(listFiles(dir).sort()).toEqual([...stored.keys()].sort());
    for (const [path, content] of stored) expect(content, path).toBe(readFileSync(join(dir, path), 'utf8'));
    // Kept for the type-check below.
    writeProject(join(root, name), files);
  });

  it('(plus a project using every op, the parity project and an auxiliary-head model, for the type-check)', () => {
    writeProject(join(root, 'all-ops'), renderProject(lowerSpec(allOpsSpec()), 'tfjs-node-ts', { specFile: 'all-ops.yaml' }));
    // The parity test's project, hostile strings and all (that test compiles it without type-checking).
    writeProject(join(root, 'hostile-parity'), renderProject(lowerSpec(paritySpec(), PARITY_SPEC_FILE), 'tfjs-node-ts', { specFile: PARITY_SPEC_FILE }));
    // A model with an auxiliary head (model.ts's several-outputs branch: withLossWeights).
    writeProject(join(root, 'aux-heads'), renderProject(auxIR(), 'tfjs-node-ts', { specFile: 'aux-heads.yaml' }));
  });

  it('type-check with tsc --strict --noEmit', () => {
    const projects = readdirSync(root);
    if (projects.length === 0) return;
    symlinkSync(join(DLC_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
    writeFileSync(
      join(root, 'tsconfig.json'),
      JSON.stringify({ extends: `./${projects[0]}/tsconfig.json`, compilerOptions: { rootDir: '.', noEmit: true, strict: true }, include: projects.map((p) => `${p}/src`) }),
    );
    let output = '';
    try {
      execFileSync(process.execPath, [join(DLC_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--strict', '--noEmit'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      output = `${err.stdout ?? ''}${err.stderr ?? ''}` || String(e);
    }
    expect(output).toBe('');
  });
});
