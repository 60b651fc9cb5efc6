/**
 * Codegen: IR → a standalone project. `renderProject` is pure (returns the
 * files); `emit` writes them atomically.
 */
import type { IR } from '../compiler/ir.js';
import { renderTfjsNodeTs, TARGET as TFJS_NODE_TS } from './tfjs-node-ts/index.js';
import { EmitError, writeProject } from './common/write-project.js';

export { EmitError } from './common/write-project.js';

/** The targets dlc can emit. */
export const TARGETS = [TFJS_NODE_TS] as const;
export type Target = (typeof TARGETS)[number];

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
export function renderProject(ir: IR, target: Target = 'tfjs-node-ts', options: RenderOptions = {}): Map<string, string> {
  const origin = { specFile: options.specFile ?? ir.file, specSource: options.specSource, overrides: options.overrides ?? [] };
  switch (target) {
    case 'tfjs-node-ts':
      return renderTfjsNodeTs(ir, origin);
    default:
      throw new EmitError(`unknown target ${JSON.stringify(target)}; known: ${TARGETS.join(', ')}`);
  }
}

/**
 * Renders and writes the project into `outDir`. Refuses a non-empty outDir
 * unless `force`; on any failure nothing of the new project is left behind.
 */
export function emit(ir: IR, target: Target, outDir: string, options: EmitOptions = {}): EmitResult {
  const files = renderProject(ir, target, options);
  return { files: writeProject(outDir, files, { force: options.force, protect: options.protect }) };
}
