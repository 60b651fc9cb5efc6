/**
 * Builds the CLI for tests that spawn `dlc lsp` as an editor would. CI runs
 * `tsc --noEmit` then vitest without a build, so the test compiles what the
 * command needs — src/cli/main.ts, src/cli/lsp.ts and everything they import
 * statically — into a private folder under tmp/ (git-ignored; inside the
 * repository so node_modules resolves) and returns a launcher equivalent to
 * bin/dlc.js.
 *
 * It transpiles file by file (ts.transpileModule) instead of running tsc:
 * type checking is `npm test`'s first step already, and a full tsc program
 * costs 20-50 s on a busy 2-core CI machine against a few seconds for this.
 * File-by-file transpiling cannot see that a re-exported name is only a type
 * (tsconfig does not ask for isolatedModules), so the result is loaded once;
 * if that fails, a whole-program `tsc --noCheck` build replaces it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface BuiltCli {
  /** Path of the launcher .mjs: `node <launcher> lsp`. */
  readonly launcher: string;
  /** How many modules were compiled. */
  readonly modules: number;
  remove(): void;
}

/** Relative specifiers of static imports/exports and literal dynamic imports. */
function relativeImports(source: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[^.\w])(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (const m of source.matchAll(re)) out.push((m[1] ?? m[2] ?? m[3])!);
  return out;
}

/** Compiles the lsp command's module closure into tmp/lsp-test-<pid>/dist and writes its launcher. */
export function buildCli(entries: readonly string[] = ['src/cli/main.ts', 'src/cli/lsp.ts']): BuiltCli {
  const dir = join(ROOT, 'tmp', `lsp-test-${process.pid}`);
  const src = join(ROOT, 'src');
  const dist = join(dir, 'dist');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  // Modules that find repository files relative to themselves (../../schema) see them here too.
  for (const name of ['schema', 'templates']) if (existsSync(join(ROOT, name))) symlinkSync(join(ROOT, name), join(dir, name));

  const compilerOptions: ts.CompilerOptions = { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false };
  const todo = entries.map((e) => join(ROOT, e));
  const done = new Set<string>();
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (done.has(file)) continue;
    done.add(file);
    const text = readFileSync(file, 'utf8');
    const out = ts.transpileModule(text, { compilerOptions, fileName: file, reportDiagnostics: true });
    const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) throw new Error(`${relative(ROOT, file)}: ${ts.flattenDiagnosticMessageText(errors[0]!.messageText, '\n')}`);
    const target = join(dist, relative(src, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, out.outputText);
    for (const spec of relativeImports(text)) {
      const dep = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      if (existsSync(dep)) todo.push(dep);
    }
  }
  if (!loads(entries.map((e) => join(dist, relative('src', e)).replace(/\.ts$/, '.js')))) {
    rmSync(dist, { recursive: true, force: true });
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../tsconfig.json',
        compilerOptions: { rootDir: '../../src', outDir: './dist', noEmit: false, noCheck: true, declaration: false, sourceMap: false },
        include: [],
        files: entries.map((e) => `../../${e}`),
      }),
    );
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { cwd: ROOT, stdio: 'pipe' });
  }
  const launcher = join(dir, 'dlc.mjs');
  writeFileSync(
    launcher,
    `import { main } from './dist/cli/main.js';\nmain(process.argv.slice(2)).then((c) => { process.exitCode = c; }, (e) => { process.stderr.write(String(e?.stack ?? e) + '\\n'); process.exitCode = 2; });\n`,
  );
  return { launcher, modules: done.size, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** True when node can import every module (catches a type-only re-export that transpiling kept). */
function loads(files: readonly string[]): boolean {
  const code = files.map((f) => `await import(${JSON.stringify(pathToFileURL(f).href)});`).join('\n');
  try {
    execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
