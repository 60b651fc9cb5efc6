/**
 * dlc's library API: the same functions the CLI commands, the language
 * server and the tests call.
 *
 *   compile(source) / compileFile(path) → {spec, ir, diagnostics}
 *   train(ir, options)                  → run directory, history, test metrics
 *   evaluate(runDir) / predict(runDir, images)
 *   emit(ir, target, outDir)            → a standalone TypeScript project
 */
export { compile, compileFile, type CompileOptions, type CompileResult, type CompileFileOptions } from './compiler/compile.js';
export { formatDiagnostics, diagnosticsToJson } from './compiler/diagnostics/format.js';
export { summarize as summarizeModel, formatSummary } from './compiler/lower/summary.js';
export type { Diagnostic, DiagnosticFix, Severity } from './compiler/diagnostics/diagnostics.js';
export { CODES, type DiagnosticCode } from './compiler/diagnostics/codes.js';
export type { IR, IRNode, SourceRef } from './compiler/ir.js';
export type { Spec } from './compiler/spec.js';
export { train, evaluate, predict, buildModel, type TrainOptions, type TrainResult, type EvaluateOptions, type PredictOptions } from './runtime/train/index.js';
export { initBackend, type BackendChoice, type BackendInfo } from './runtime/backend/select.js';
export { loadDataset } from './runtime/data/load.js';
export { emit, renderProject, EmitError, TARGETS, type Target } from './codegen/index.js';
