/**
 * Rendering without running anything: the shape of the emitted project, its
 * headers, the runtime copies, template discipline, and that hostile spec
 * strings come out only as quoted literals.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderProject } from '../../src/codegen/index.js';
import { LIB_DIR, libHeader } from '../../src/codegen/tfjs-node-ts/index.js';
import { collectRuntimeFiles, importsOf } from '../../src/codegen/tfjs-node-ts/runtime-files.js';
import { listTemplates } from '../../src/codegen/common/render.js';
import type { LayerSpec } from '../../src/compiler/spec.js';
import { DLC_ROOT, lowerSpec, tinySpec } from './helpers.js';

const HOSTILE = 'x"); require("child_process").execSync("touch /tmp/pwned"); ("';

describe('renderProject (tfjs-node-ts)', () => {
  const ir = lowerSpec(tinySpec());
  const files = renderProject(ir, 'tfjs-node-ts', { specFile: 'specs/tiny.yaml', specSource: 'name: tiny\n' });

  it('emits the project files', () => {
    for (const f of ['package.json', 'tsconfig.json', 'README.md', '.gitignore', 'spec.yaml', 'spec.resolved.yaml', 'ir.json', 'src/model.ts', 'src/data.ts', 'src/train.ts', 'src/replica.ts']) expect(files.has(f), f).toBe(true);
  });

  it('carries the IR the training reads and run directories copy', () => {
    expect(JSON.parse(files.get('ir.json')!)).toEqual(JSON.parse(JSON.stringify(ir)));
  });

  it('trains through the runtime run, not a loop of its own', () => {
    const train = files.get('src/train.ts')!;
    expect(train).toContain("from './lib/runtime/train/run.js'");
    expect(train).toMatch(/runTraining\(/);
    expect(train).not.toMatch(/for await|trainStep|saveCheckpoint|interface EpochRecord/);
    expect(files.has(`${LIB_DIR}/runtime/train/loop.ts`)).toBe(true);
    expect(files.get('src/replica.ts')).toMatch(/serveReplica\(\(\) => buildModel\(\)\)/);
    // Neither the runtime's model builder nor its data-set switch travels: model.ts and data.ts replace them.
    expect(files.has(`${LIB_DIR}/runtime/model/build-model.ts`)).toBe(false);
    expect(files.has(`${LIB_DIR}/runtime/data/load.ts`)).toBe(false);
  });

  it('starts every file with a generated-by header naming the spec', () => {
    for (const [path, content] of files) {
      if (path === 'ir.json') continue; // JSON has no comments; it is data the training reads, not code
      const head = content.split('\n').slice(0, 2).join('\n');
      expect(head, path).toMatch(/(Generated|Copied|Copy of).*dlc|dlc.*(Generated|Copied)/);
      expect(path === 'README.md' || head.includes('specs/tiny.yaml'), path).toBe(true);
      expect(content.slice(0, 300), path).toMatch(/[Dd]o not edit by hand|Editing it changes nothing/);
    }
  });

  it('package.json depends on tfjs and small packages only, nothing of dlc', () => {
    const pkg = JSON.parse(files.get('package.json')!) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string> };
    expect(pkg.dependencies['@tensorflow/tfjs']).toBeDefined();
    expect(Object.keys(pkg.dependencies).some((d) => d === 'dlc' || d === 'ajv' || d === 'handlebars' || d === 'yaml')).toBe(false);
    expect(pkg.scripts.start).toMatch(/tsc .*&& node dist\/train\.js/);
    expect(pkg.scripts.typecheck).toMatch(/tsc .*--noEmit/);
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['@types/node', 'typescript']);
  });

  it('copies runtime files verbatim (after the header) and imports nothing else of dlc', () => {
    const libs = [...files.keys()].filter((f) => f.startsWith(`${LIB_DIR}/`));
    expect(libs.length).toBeGreaterThan(10);
    for (const f of libs) {
      const rel = f.slice(LIB_DIR.length + 1);
      expect(files.get(f), f).toBe(libHeader('specs/tiny.yaml', rel) + readFileSync(join(DLC_ROOT, 'src', rel), 'utf8'));
      expect(rel.startsWith('runtime/') || rel.startsWith('compiler/spec') || rel.startsWith('compiler/ir') || rel.startsWith('compiler/shared/'), rel).toBe(true);
    }
    // Every relative import of the emitted sources resolves inside the project.
    for (const [f, content] of files) {
      if (!f.endsWith('.ts')) continue;
      for (const spec of importsOf(content)) {
        if (!spec.startsWith('.')) continue;
        const target = join(f, '..', spec).replace(/\.js$/, '.ts');
        expect(files.has(target), `${f} imports ${spec}`).toBe(true);
      }
    }
  });

  it('writes the model as plain tfjs layers with shape and param comments', () => {
    const model = files.get('src/model.ts')!;
    expect(model).toContain('tf.layers\n    .conv2d({');
    expect(model).toMatch(/\/\/ conv2d_1 → \[8, 8, 4\], 40 params/);
    expect(model).toMatch(/\/\/ dense_1 → \[3\], 75 params/);
    expect(model).toContain('Parameters: 353 (345 trainable, 8 non-trainable)');
    expect(model).toMatch(/\/\/ batch_norm_1 → \[4, 4, 4\], 16 params \(8 non-trainable\)/);
    expect(model).not.toMatch(/&quot;|&#x27;|&#x60;/);
  });

  it('is deterministic', () => {
    expect(renderProject(ir, 'tfjs-node-ts', { specFile: 'specs/tiny.yaml', specSource: 'name: tiny\n' })).toEqual(files);
  });
});

describe('hostile strings', () => {
  const base = tinySpec();
  const layers = base.model.layers.map((l, i): LayerSpec => (i === 0 ? { ...l, name: HOSTILE } : l));
  const ir = lowerSpec(tinySpec({ name: 'a"b`${c}', description: '*/ `${process.exit(1)}` "\n\u2028', model: { layers } }));
  const files = renderProject(ir, 'tfjs-node-ts', { specFile: 'evil\n*/"`.yaml' });

  it('never appear unquoted in code', () => {
    for (const f of ['src/model.ts', 'src/data.ts', 'src/train.ts']) {
      const code = files.get(f)!.split('\n').filter((l) => !l.trimStart().startsWith('//')).join('\n');
      expect(code, f).not.toContain('require("child_process")');
      expect(code, f).not.toContain('${process');
      expect(code, f).not.toContain('\u2028');
    }
  });

  it('stay inside // comments (no line break smuggled in)', () => {
    for (const [f, content] of files) {
      if (!f.endsWith('.ts') || f.startsWith(LIB_DIR)) continue;
      for (const line of content.split('\n')) if (line.includes('evil')) expect(line.trimStart().startsWith('//'), `${f}: ${line}`).toBe(true);
    }
  });

  it('keeps package.json valid JSON carrying the description as data', () => {
    const pkg = JSON.parse(files.get('package.json')!) as { description: string; name: string };
    expect(pkg.description).toBe('*/ `${process.exit(1)}` "\n\u2028');
    expect(pkg.name).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
  });
});

describe('templates', () => {
  const dir = join(DLC_ROOT, 'templates/tfjs-node-ts');
  const all = [...listTemplates(dir), ...readdirSync(join(dir, 'partials')).map((f) => `partials/${f}`)];

  it('print verbatim ({{{ }}}) only fields the view model escaped (…Lit, …Code, …Text)', () => {
    for (const t of all) {
      const src = readFileSync(join(dir, t), 'utf8');
      for (const m of src.matchAll(/\{\{\{\s*([^}\s]+)\s*\}\}\}/g)) expect(m[1], `${t}: ${m[0]}`).toMatch(/(Lit|Code|Text)$/);
    }
  });

  it('use no helpers beyond #each / #if and partials', () => {
    for (const t of all) {
      const src = readFileSync(join(dir, t), 'utf8');
      for (const m of src.matchAll(/\{\{\{?\s*([#/^>!]?)\s*([^}\s]*)/g)) {
        const [, sigil, name] = m;
        if (sigil === '#' || sigil === '/') expect(['each', 'if'], `${t}: ${m[0]}`).toContain(name);
        if (sigil === '') expect(name, `${t}: ${m[0]}`).toMatch(/^[A-Za-z_.][A-Za-z0-9_.]*$/);
      }
    }
  });
});

describe('runtime closure', () => {
  it('refuses to pull compiler code into a project', () => {
    expect(() => collectRuntimeFiles(['compiler/front/parse.ts'])).toThrow(/only runtime files/);
  });
  it('finds static, type, re-export and dynamic imports, not ones in comments', () => {
    expect(importsOf("import a from './a.js';\nimport type { B } from \"./b.js\";\nexport { c } from './c.js';\n// import x from './x.js'\nconst m = await import('./d.js');\nimport './e.js';")).toEqual(['./a.js', './b.js', './c.js', './d.js', './e.js']);
  });
});
