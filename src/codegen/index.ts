/**
 * Codegen: IR → a standalone project, for any target in the registry
 * (./targets.ts). `renderProject` is pure (returns the files); `emit` writes
 * them atomically. Nothing here or in a target loads TensorFlow.js: emitting
 * copies runtime files as text and never imports them.
 */
import type { IR } from '../compiler/ir.js';
import type { TargetDef } from './common/target.js';
import { EmitError, writeProject } from './common/write-project.js';
import { TARGET_DEFS } from './targets.js';

export { EmitError } from './common/write-project.js';
export type { TargetDef, TargetLanguage } from './common/target.js';

/** The names of the targets dlc can emit, the default first. */
export const TARGETS: readonly string[] = TARGET_DEFS.map((t) => t.name);
/** A target name (one of TARGETS). */
export type Target = string;
/** The default target. */
export const DEFAULT_TARGET: string = TARGETS[0]!;

/** The registry entry of `name`; throws EmitError naming the known ones. */
export function targetDef(name: string): TargetDef {
  const def = TARGET_DEFS.find((t) => t.name === name);
  if (!def) throw new EmitError(`unknown target ${JSON.stringify(name)}; known: ${TARGETS.join(', ')}`);
  return def;
}

export interface RenderOptions {
  /** The spec file as the user named it; shown in headers and the README. Default: ir.file. */
  readonly specFile?: string;
  /** The spec's text; copied into the project as spec.yaml when given. */
  readonly specSource?: string;
  /** `--set key=value` overrides the IR was compiled with (listed in the README and spec.yaml). */
  readonly overrides?: readonly string[];
}

export interface EmitOptions extends RenderOptions {
  /** Replace the contents of a non-empty outDir. */
  readonly force?: boolean;
  /** Paths --force must never delete (the input spec): a directory holding one is refused. */
  readonly protect?: readonly string[];
}

export interface EmitResult {
  /** Absolute paths of the files written. */
  readonly files: string[];
}

/** Renders the project for `target` in memory: relative path → content, sorted by path. */
export function renderProject(ir: IR, target: Target = DEFAULT_TARGET, options: RenderOptions = {}): Map<string, string> {
  const def = targetDef(target);
  return def.render(ir, { specFile: options.specFile ?? ir.file, specSource: options.specSource, overrides: options.overrides ?? [] });
}

/**
 * Renders and writes the project into `outDir`. Refuses a non-empty outDir
 * unless `force`; on any failure nothing of the new project is left behind.
 */
export function emit(ir: IR, target: Target, outDir: string, options: EmitOptions = {}): EmitResult {
  const files = renderProject(ir, target, options);
  return { files: writeProject(outDir, files, { force: options.force, protect: options.protect }) };
}
