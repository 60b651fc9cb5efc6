/**
 * The `pytorch` target: a standalone Python project (model.py, train.py, the dlc_runtime
 * package, ir.json, requirements.txt, README.md) that trains the spec's model with PyTorch
 * as `dlc run` trains it — the same data order and augmentation bit for bit, the same
 * optimizer equations, schedules, metrics, checkpoints-and-resume and run directory — on
 * CPU, CUDA or MPS, and on several processes or machines with DistributedDataParallel.
 *
 * dlc_runtime/*.py (templates/pytorch/dlc_runtime/) is copied verbatim; model.py is printed
 * from the IR nodes' recipes (model-view.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentToYaml, specToDocument } from '../../compiler/front/denormalize.js';
import type { IR } from '../../compiler/ir.js';
import { thousands } from '../../compiler/shared/format.js';
import { buildReadmeView, generatedBySentence, type SpecOrigin } from '../common/origin.js';
import { renderTemplates } from '../common/render.js';
import { EmitError } from '../common/write-project.js';
import type { TargetDef } from '../common/target.js';
import { templatesDir } from '../dlc-root.js';
import { pyCommentText, pyString } from './literals.js';
import { buildModelView } from './model-view.js';
import { PY_IDENTIFIERS } from './names.js';
import { tfjsTopology } from './topology.js';

export const TARGET = 'pytorch';

/** Text safe inside a """docstring""" (one line; backslashes and quotes escaped). */
export function pyDocText(value: string): string {
  return pyCommentText(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** The view every template of the target renders with. */
export function buildPytorchView(ir: IR, origin: SpecOrigin): object {
  const model = buildModelView(ir, origin.specFile);
  const totalParamsText = thousands(model.totalParams);
  return {
    ...buildReadmeView(ir, origin, totalParamsText),
    generatedByText: pyCommentText(generatedBySentence(origin.specFile)),
    specNameText: pyDocText(ir.spec.name),
    inputShapeCode: model.inputShapeCode,
    numClassesCode: model.numClassesCode,
    outputCode: model.outputVar,
    trainingOutputsCode: model.trainingOutputsCode,
    lossWeightsCode: model.lossWeightsCode,
    modules: model.nodes.flatMap((n) => n.modules.map((m) => ({ attrLit: pyString(m.attr), tfjsNameLit: m.tfjsNameLit, roleLit: m.roleLit, seedsCode: m.seedsCode }))),
    nodes: model.nodes.map((n) => ({
      commentText: n.commentText,
      hasModules: n.modules.length > 0,
      modules: n.modules.map((m) => ({ attr: m.attr, exprCode: m.exprCode })),
      lines: n.forwardCode.map((lineCode) => ({ lineCode })),
    })),
  };
}

/** The Python runtime files (relative to templates/pytorch/), copied verbatim. */
export function runtimeFiles(): Map<string, string> {
  const dir = join(templatesDir(TARGET), 'dlc_runtime');
  const out = new Map<string, string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.py')).sort()) out.set(`dlc_runtime/${f}`, readFileSync(join(dir, f), 'utf8'));
  return out;
}

/** The data sets dlc_runtime/data.py loads (load_dataset), all with class targets. */
export const PYTORCH_DATASETS: readonly string[] = ['mnist', 'fashion_mnist', 'cifar10', 'image_folder', 'synthetic'];

/**
 * Why this target cannot train `ir` (undefined: it can). Its Python runtime
 * loads only the image data sets and class targets: a csv or text spec, or
 * real / multi-label targets, would emit a project that fails at its first
 * line of data, so the target refuses them up front.
 */
export function pytorchRefusal(ir: IR, specFile: string): string | undefined {
  const dataset = ir.spec.data.dataset;
  if (!PYTORCH_DATASETS.includes(dataset)) {
    return `${specFile}: data.dataset ${JSON.stringify(dataset)} cannot be emitted with --target pytorch: its dlc_runtime loads ${PYTORCH_DATASETS.join(', ')} only; emit it with --target tfjs-node-ts or train it with dlc run`;
  }
  const kind = ir.target?.kind ?? 'class';
  if (kind !== 'class') {
    return `${specFile}: ${kind === 'real' ? 'real-valued' : 'multi-label'} targets cannot be emitted with --target pytorch: its dlc_runtime trains class targets only; emit it with --target tfjs-node-ts or train it with dlc run`;
  }
  return undefined;
}

/** Renders the project: relative path → content. Throws EmitError for a spec the target cannot train (pytorchRefusal). */
export function renderPytorch(ir: IR, origin: SpecOrigin): Map<string, string> {
  const refusal = pytorchRefusal(ir, origin.specFile);
  if (refusal) throw new EmitError(refusal);
  const files = renderTemplates(templatesDir(TARGET), buildPytorchView(ir, origin));
  for (const [rel, text] of runtimeFiles()) files.set(rel, text);
  files.set('ir.json', JSON.stringify(ir, null, 1) + '\n');
  files.set('tfjs_topology.json', JSON.stringify(tfjsTopology(ir)) + '\n');
  files.set(
    'spec.resolved.yaml',
    documentToYaml(specToDocument(ir.spec), [
      `# Generated by dlc from ${pyCommentText(origin.specFile)}: the resolved spec (every default filled in), copied into each run directory as spec.yaml.`,
      '# Do not edit by hand: the training reads ir.json; change the spec and run `dlc emit` again.',
    ]),
  );
  if (origin.specSource !== undefined) {
    files.set('spec.yaml', `# Copy of ${pyCommentText(origin.specFile)}, the spec this project was generated from by dlc.\n# Editing it changes nothing here: edit the original and run \`dlc emit\` again.\n${origin.specSource}`);
  }
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

/** The registry entry of this target (src/codegen/targets.ts). */
export const PYTORCH: TargetDef = {
  name: TARGET,
  description: 'Python project training with PyTorch (CPU, CUDA, MPS; DistributedDataParallel through torchrun) with dlc\'s data pipeline, loop and run directory',
  language: { name: 'Python', stringLiteral: pyString, commentText: pyCommentText, identifiers: PY_IDENTIFIERS },
  nextSteps: ['pip install -r requirements.txt', 'python train.py'],
  render: renderPytorch,
};
