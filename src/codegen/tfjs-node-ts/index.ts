/**
 * The `tfjs-node-ts` target: a standalone Node + TypeScript project that
 * trains the spec's model with TensorFlow.js, carrying its own copy of the
 * dlc runtime pieces it uses under src/lib/.
 */
import type { IR } from '../../compiler/ir.js';
import { templatesDir } from '../dlc-root.js';
import { commentText } from './literals.js';
import { renderTemplates } from '../common/render.js';
import { buildProjectView, type SpecOrigin } from './project-view.js';
import { dlcPackageJson } from './package-json.js';
import { collectRuntimeFiles } from './runtime-files.js';
import { runtimeEntries } from './train-view.js';

export const TARGET = 'tfjs-node-ts';

/** Where copied runtime files go inside the project (mirrors dlc's src/). */
export const LIB_DIR = 'src/lib';

/** The header put in front of every copied runtime file. */
export function libHeader(specFile: string, rel: string): string {
  return `// Copied by dlc from its runtime (src/${rel}) for the project generated from ${commentText(specFile)}.\n// Do not edit by hand: it is the same code \`dlc run\` trains with; re-run \`dlc emit\` to update it.\n`;
}

/** Renders the project: relative path → content. Pure apart from reading templates and runtime sources. */
export function renderTfjsNodeTs(ir: IR, origin: SpecOrigin): Map<string, string> {
  const pkg = dlcPackageJson();
  const known = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})];
  const closure = collectRuntimeFiles(runtimeEntries(ir), undefined, known);
  const view = buildProjectView(ir, origin, closure);
  const files = renderTemplates(templatesDir(TARGET), view);
  for (const [rel, source] of [...closure.files].sort(([a], [b]) => a.localeCompare(b))) {
    files.set(`${LIB_DIR}/${rel}`, libHeader(origin.specFile, rel) + source);
  }
  if (origin.specSource !== undefined) {
    const overrides = (origin.overrides ?? []).map((o) => `#   --set ${commentText(o)}\n`).join('');
    const withOverrides = overrides ? `# Emitted with these overrides on top of it:\n${overrides}` : '';
    files.set('spec.yaml', `# Copy of ${commentText(origin.specFile)}, the spec this project was generated from by dlc.\n# Editing it changes nothing here: edit the original and run \`dlc emit\` again.\n${withOverrides}${origin.specSource}`);
  }
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}
