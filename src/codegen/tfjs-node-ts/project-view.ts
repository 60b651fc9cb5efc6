/**
 * The whole view model of a tfjs-node-ts project: every value the templates
 * print, settled here. Names are validated identifiers; strings are literals
 * made by literals.ts (fields ending in Lit/Code/Text); booleans drive
 * `{{#if}}`. The templates do nothing but print this.
 */
import type { IR } from '../../compiler/ir.js';
import { buildReadmeView, generatedBySentence, type ReadmeView, type SpecOrigin } from '../common/origin.js';
import { commentText, jsString, jsValue } from './literals.js';
import { buildDataView, type DataView } from './data-view.js';
import { buildModelView, type ModelView } from './model-view.js';
import { projectDependencies } from './package-json.js';
import type { RuntimeClosure } from './runtime-files.js';

export type { SpecOrigin } from '../common/origin.js';

export interface ProjectView {
  readonly specFileText: string;
  readonly headerLit: string;
  readonly packageNameLit: string;
  readonly descriptionLit: string;
  readonly dependenciesCode: string;
  readonly hasOptionalDependencies: boolean;
  readonly optionalDependenciesCode: string;
  readonly devDependenciesCode: string;
  readonly readme: ReadmeView;
  readonly model: ModelView;
  readonly data: DataView;
}

/** npm package name from the spec name: lower-case, [a-z0-9-._], ≤ 214 chars. */
export function packageName(specName: string): string {
  const n = specName.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|[._-]+$/g, '').slice(0, 200);
  return n === '' ? 'dlc-project' : n;
}

/** Builds the view; `closure` lists the runtime files and packages the project carries. */
export function buildProjectView(ir: IR, origin: SpecOrigin, closure: RuntimeClosure): ProjectView {
  const spec = ir.spec;
  const deps = projectDependencies(closure.packages);
  const model = buildModelView(ir);
  const header = generatedBySentence(commentText(origin.specFile));
  return {
    specFileText: commentText(origin.specFile),
    headerLit: jsString(header),
    packageNameLit: jsString(packageName(spec.name)),
    descriptionLit: jsString(spec.description ?? `Training project for the dlc spec ${spec.name}`),
    dependenciesCode: jsValue(deps.dependencies, '  '),
    hasOptionalDependencies: Object.keys(deps.optionalDependencies).length > 0,
    optionalDependenciesCode: jsValue(deps.optionalDependencies, '  '),
    devDependenciesCode: jsValue(deps.devDependencies, '  '),
    readme: buildReadmeView(ir, origin, model.totalParamsText),
    model,
    data: buildDataView(ir),
  };
}
