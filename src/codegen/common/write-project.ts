/**
 * Writing a rendered project to disk, all or nothing: everything is written
 * into a fresh temporary directory beside the target (same file system, so
 * the final rename is atomic) and only then moved into place. A failure at
 * any point removes the temporary directory and leaves the target as it was.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';

/** Thrown for problems the user can fix (non-empty directory, bad path); the CLI prints the message. */
export class EmitError extends Error {
  override readonly name = 'EmitError';
}

export interface WriteOptions {
  /** Replace a non-empty outDir (its old contents are removed only after the new project is complete). */
  readonly force?: boolean;
  /**
   * Paths --force must never replace or contain: the input spec (so its
   * folder and every folder above it are refused), its data, …
   */
  readonly protect?: readonly string[];
}

/**
 * The real path of `p` even when it does not exist yet: the real path of its
 * nearest existing ancestor (symlinks resolved) plus the rest. String
 * comparisons of unresolved paths are what let `-o link/..` or a symlinked
 * parent reach the working directory.
 */
export function realPathOf(p: string): string {
  let head = resolve(p);
  const tail: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(head), ...tail.reverse());
    } catch {
      const up = dirname(head);
      if (up === head) return join(head, ...tail.reverse());
      tail.push(basename(head));
      head = up;
    }
  }
}

/** True when `dir` is `p` or one of its ancestors. */
function holds(dir: string, p: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** Checks a rendered relative path stays inside the project (no absolute paths, no `..`). */
function safeRelative(rel: string): string {
  const n = normalize(rel);
  if (isAbsolute(n) || n === '..' || n.startsWith('..' + sep) || n.includes('\0')) throw new Error(`codegen: refusing to write outside the project: ${JSON.stringify(rel)}`);
  return n;
}

/**
 * --force replaces the whole directory, so it refuses the ones where that is
 * surely a mistake: the file-system root, the home directory (or one of its
 * parents), the working directory or one of its parents, a directory holding
 * a protected path (the input spec), and a directory holding a git
 * repository. Every comparison is between real paths (symlinks resolved).
 */
function refuseToReplace(target: string, shown: string, entries: readonly string[], protect: readonly string[]): void {
  const real = realPathOf(target);
  const cwd = realPathOf(process.cwd());
  const home = realPathOf(homedir());
  const why =
    real === dirname(real) ? 'the root directory'
    : holds(real, home) ? (real === home ? 'the home directory' : 'it holds the home directory')
    : holds(real, cwd) ? (real === cwd ? 'it is the working directory' : 'it holds the working directory')
    : protect.map(realPathOf).some((p) => holds(real, p)) ? 'it holds the input spec'
    : undefined;
  if (why) throw new EmitError(`refusing to replace ${shown} (${why}${real !== target ? `; it resolves to ${real}` : ''}); emit into a new directory`);
  if (entries.includes('.git')) throw new EmitError(`refusing to replace ${shown}: it holds a git repository (.git); emit into a new directory`);
}

/** Writes `files` as the whole content of `outDir`. Returns the absolute paths written. */
export function writeProject(outDir: string, files: ReadonlyMap<string, string>, options: WriteOptions = {}): string[] {
  const target = resolve(outDir);
  const exists = existsSync(target);
  if (exists) {
    if (!statSync(target).isDirectory()) throw new EmitError(`${outDir} exists and is not a directory`);
    const entries = readdirSync(target);
    if (entries.length > 0 && !options.force) {
      throw new EmitError(`${outDir} is not empty; use --force to replace its contents`);
    }
    if (entries.length > 0) refuseToReplace(target, outDir, entries, options.protect ?? []);
  }
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const tmp = mkdtempSync(join(parent, `.${basename(target)}.dlc-emit-`));
  const written: string[] = [];
  try {
    for (const [rel, content] of files) {
      const path = join(tmp, safeRelative(rel));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      written.push(join(target, safeRelative(rel)));
    }
    if (exists) {
      // Move the old directory aside first so the swap never leaves a mix of old and new files.
      const old = `${tmp}.old`;
      renameSync(target, old);
      try {
        renameSync(tmp, target);
      } catch (err) {
        renameSync(old, target);
        throw err;
      }
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, target);
    }
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  return written;
}
