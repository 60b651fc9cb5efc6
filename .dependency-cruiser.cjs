/**
 * dlc's import boundaries, checked by dependency-cruiser (`npm run lint:deps`,
 * part of `npm test`; test/lint/boundaries.test.ts shows each rule can fail).
 *
 * The layers, top to bottom (an arrow may only point down):
 *
 *   cli ──► lsp, codegen, runtime, report, sweep ──► compiler ──► io, util
 *
 *  - compiler: imports nothing else of dlc (leaf helpers in src/io, src/util
 *    are fine: they import nothing of dlc themselves).
 *  - runtime: from the compiler only the contracts (spec.ts, ir.ts,
 *    ir-attrs.ts) and the pure shared modules in `RUNTIME_MAY_IMPORT`. The
 *    emitted project copies runtime files verbatim by following imports
 *    (codegen/tfjs-node-ts/runtime-files.ts), so anything else is a bug that
 *    would otherwise show only at `dlc emit`.
 *  - codegen: no runtime, and nothing that reaches `@tensorflow/*` (emitting
 *    must not load TensorFlow.js).
 *  - lsp: the compiler only through its public entry `compile.ts` and the
 *    pure leaves of compiler/shared, plus type-only imports of the contracts
 *    (spec, ir, diagnostics).
 *  - runtime/transforms/host.ts: no imports but type-only ones (its source
 *    text is shipped to a worker with Function.prototype.toString()).
 *  - the files the runtime may import from the compiler, src/io and
 *    src/util: pure leaves (each other and node built-ins only).
 *  - no dependency cycles between files; and (test/lint/boundaries.test.ts)
 *    none between top-level modules, type-only imports aside.
 */

/**
 * Compiler files the runtime may import: the contracts plus pure,
 * dependency-free shared modules. Keep in step with ALLOWED_COMPILER_FILES in
 * src/codegen/tfjs-node-ts/runtime-files.ts (the files emit may copy).
 */
const RUNTIME_MAY_IMPORT = ['src/compiler/spec.ts', 'src/compiler/ir.ts', 'src/compiler/ir-attrs.ts', 'src/compiler/shared/'];

/** A path regex that matches exactly the listed files and folders (a trailing `/` means the folder). */
const anyOf = (paths) => `^(${paths.map((p) => p.replace(/[.]/g, '\\.') + (p.endsWith('/') ? '' : '$')).join('|')})`;

const TOP = '^src/(cli|lsp|codegen|runtime|report|sweep|compiler|io|util)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'compiler-imports-no-other-dlc-module',
      comment: 'src/compiler is the bottom layer: it may use the leaf helpers in src/io and src/util, nothing else of dlc.',
      severity: 'error',
      from: { path: '^src/compiler/' },
      to: { path: '^src/', pathNot: '^src/(compiler|io|util)/' },
    },
    {
      name: 'runtime-imports-only-compiler-contracts',
      comment: `the runtime may import from the compiler only ${RUNTIME_MAY_IMPORT.join(', ')} (the emitted project copies runtime files and these by following imports)`,
      severity: 'error',
      from: { path: '^src/runtime/' },
      to: { path: '^src/compiler/', pathNot: anyOf(RUNTIME_MAY_IMPORT) },
    },
    {
      name: 'runtime-imports-no-upper-layer',
      comment: 'the runtime must not import the CLI, the language server, codegen, reports or sweeps.',
      severity: 'error',
      from: { path: '^src/runtime/' },
      to: { path: '^src/(cli|lsp|codegen|report|sweep)/' },
    },
    {
      name: 'codegen-imports-no-runtime',
      comment: 'codegen works from the IR alone; it copies runtime files as text, it never imports them.',
      severity: 'error',
      from: { path: '^src/codegen/' },
      to: { path: '^src/(runtime|cli|lsp)/' },
    },
    {
      name: 'codegen-loads-no-tensorflow',
      comment: '`dlc emit` must not load TensorFlow.js, not even through another module.',
      severity: 'error',
      from: { path: '^src/codegen/' },
      to: { path: '@tensorflow/', reachable: true },
    },
    {
      name: 'lsp-reaches-compiler-through-compile-ts',
      comment: 'the language server calls the compiler only through src/compiler/compile.ts (plus the pure formatting helpers of src/compiler/shared), so it sees exactly what `dlc check` sees.',
      severity: 'error',
      from: { path: '^src/lsp/' },
      to: { path: '^src/compiler/', pathNot: '^src/compiler/compile\\.ts$|^src/compiler/shared/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'lsp-type-imports-only-contracts',
      comment: 'type-only imports from the language server may name the contracts (spec, ir, diagnostics) and the public entry.',
      severity: 'error',
      from: { path: '^src/lsp/' },
      to: {
        path: '^src/compiler/',
        pathNot: '^src/compiler/(compile|spec|ir|ir-attrs)\\.ts$|^src/compiler/diagnostics/(diagnostics|codes)\\.ts$',
        dependencyTypes: ['type-only'],
      },
    },
    {
      name: 'lsp-imports-no-runtime-or-codegen',
      comment: 'the language server neither trains nor emits.',
      severity: 'error',
      from: { path: '^src/lsp/' },
      to: { path: '^src/(runtime|codegen|cli|report|sweep)/' },
    },
    {
      name: 'host-transforms-import-nothing',
      comment: 'runtime/transforms/host.ts is shipped to a worker as source text: it must be self-contained.',
      severity: 'error',
      from: { path: '^src/runtime/transforms/host\\.ts$' },
      // Type-only imports are erased before the function text is taken.
      to: { dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'shared-modules-are-leaves',
      comment: 'what the runtime may import from the compiler, and src/io and src/util, are used by several layers and copied into emitted projects: they import only each other and node built-ins (no other part of dlc, no npm package).',
      severity: 'error',
      from: { path: `${anyOf(RUNTIME_MAY_IMPORT)}|^src/(io|util)/` },
      // One npm package is allowed: `entities` (the HTML5 character-reference table) for shared/text.ts's
      // decodeEntities; an emitted project that copies text.ts gets it in its package.json (package-json.ts).
      to: { pathNot: `${anyOf(RUNTIME_MAY_IMPORT)}|^src/(io|util)/|^node_modules/entities/`, dependencyTypesNot: ['core'] },
    },
    {
      name: 'nothing-imports-the-cli',
      comment: 'the CLI is the top layer.',
      severity: 'error',
      from: { path: TOP, pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-unresolvable-import',
      comment: 'an import the cruiser cannot resolve is an edge no rule can check.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'no-circular',
      comment: 'no dependency cycles between files (cycles between top-level modules, which no file shows, are checked by test/lint/boundaries.test.ts).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are dependencies too (and the LSP rule needs to tell them apart).
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'] },
    exclude: { path: '^(dist|test|bench)/' },
    cache: false,
  },
};
