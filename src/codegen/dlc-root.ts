/**
 * Where dlc's own files are: templates/, src/runtime/ (copied into emitted
 * projects) and package.json (dependency versions). Resolved from this
 * module, so it works from src/ (tests, tsx) and from dist/ alike — both sit
 * one level below the package root.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The dlc package root (holds package.json, templates/, src/). */
export function dlcRoot(): string {
  return fileURLToPath(new URL('../../', import.meta.url));
}

/** The folder of one target's templates. */
export function templatesDir(target: string): string {
  return join(dlcRoot(), 'templates', target);
}
