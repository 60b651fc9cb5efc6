/**
 * Builds the CLI for tests that spawn `dlc lsp` as an editor would. CI runs
 * `tsc --noEmit` then vitest without a build, so the test compiles what the
 * command needs (src/cli/main.ts + src/cli/lsp.ts and their imports) into a
 * private folder under tmp/ (git-ignored; inside the repository so
 * node_modules resolves) and returns a launcher equivalent to bin/dlc.js.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface BuiltCli {
  /** Path of the launcher .mjs: `node <launcher> lsp`. */
  readonly launcher: string;
  /** tsc's output (type errors elsewhere in the tree do not stop emission). */
  readonly log: string;
  remove(): void;
}

/** Compiles the lsp command into tmp/lsp-test-<pid>/ and writes its launcher. */
export function buildCli(): BuiltCli {
  const dir = join(ROOT, 'tmp', `lsp-test-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: '../../tsconfig.json',
      compilerOptions: { rootDir: '../../src', outDir: './dist', noEmit: false, declaration: false, sourceMap: false },
      include: [],
      files: ['../../src/cli/main.ts', '../../src/cli/lsp.ts'],
    }),
  );
  // Modules that find repository files relative to themselves (../../schema) see them here too.
  for (const name of ['schema', 'templates']) if (existsSync(join(ROOT, name))) symlinkSync(join(ROOT, name), join(dir, name));
  let log = '';
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { cwd: ROOT, encoding: 'utf8' });
  } catch (err) {
    log = String((err as { stdout?: string }).stdout ?? err);
  }
  const launcher = join(dir, 'dlc.mjs');
  writeFileSync(
    launcher,
    `import { main } from './dist/cli/main.js';\nmain(process.argv.slice(2)).then((c) => { process.exitCode = c; }, (e) => { process.stderr.write(String(e?.stack ?? e) + '\\n'); process.exitCode = 2; });\n`,
  );
  if (!existsSync(join(dir, 'dist/cli/lsp.js'))) throw new Error(`building the CLI failed:\n${log}`);
  return { launcher, log, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
