/**
 * A schema-valid spec document → the typed, normalised Spec (spec.ts):
 * shorthands expanded, defaults filled (layers: their op modules; losses,
 * optimizers, schedules, metrics, transforms: their declarations in
 * compiler/kinds/; the rest: schema/defaults.ts),
 * reusable blocks expanded. Also the few rules a JSON Schema cannot say
 * well (data-set-specific keys), reported as diagnostics.
 */
import { expandLayers } from './blocks.js';
import type { Diagnostic } from '../diagnostics/diagnostics.js';
import { itemKind } from './normalize-layer.js';
import { diag } from '../diagnostics/report.js';
import { anyFamily, DEFAULT_LOSS, DEFAULT_METRICS, DEFAULT_OPTIMIZER, DEFAULT_SCHEDULE, LOSSES, METRICS, normalizeKind, OPTIMIZERS, SCHEDULES, TRANSFORMS, type AnyFamily, type AnyKindDecl } from '../kinds/index.js';
import { datasetDef, datasetOwnKeys, keysOfOneDataset, keysOfSomeDatasets, specTargetKind, type TargetKind } from '../datasets/index.js';
import { defaultMonitor } from '../kinds/target.js';
import { DEFAULTS } from './schema/defaults.js';
import type { SourceMap } from './source-map.js';
import { DEFAULT_CONVENTIONS, optimizerDefaultsFor, scheduleDefaultsFor } from './conventions.js';
import type { Conventions, DataSpec, LossSpec, ModelOutputSpec, MetricSpec, OptimizerSpec, ScheduleSpec, Spec, TrainSpec, TransformSpec } from '../spec.js';

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
/** `defaults` overridden by the given attributes that are present. */
const withDefaults = (defaults: Readonly<Obj>, given: Obj): Obj => {
  const out: Obj = { ...defaults };
  for (const [k, v] of Object.entries(given)) if (v !== undefined && v !== null) out[k] = v;
  return out;
};

/** A transform item: its declaration's shorthand and defaults, and where it is in the spec. */
function transform(item: unknown, path: string): TransformSpec {
  const { kind, value } = itemKind(item);
  return { ...normalizeKind(declOf(TRANSFORMS, kind), value), path } as TransformSpec;
}

function data(d: Obj, sourceMap: SourceMap, diagnostics: Diagnostic[]): DataSpec {
  const dataset = d.dataset as DataSpec['dataset'];
  // Keys that only make sense for one data set, and the keys a set needs: from its definition (compiler/datasets/).
  for (const [key, ds] of keysOfOneDataset()) {
    if (d[key] !== undefined && dataset !== ds) {
      const p = `/data/${key}`;
      diagnostics.push(diag('DLC010', `'${key}' applies to dataset ${ds} only, not ${dataset}`, sourceMap.locate(p, 'key'), p, `remove it, or use dataset: ${ds}`));
    }
  }
  // Keys of a few sets (csv and text: target, test_split); `path` is every file-backed set's and stays unchecked here.
  for (const [key, sets] of keysOfSomeDatasets()) {
    if (key !== 'path' && d[key] !== undefined && !sets.includes(dataset)) {
      const p = `/data/${key}`;
      diagnostics.push(diag('DLC010', `'${key}' applies to datasets ${sets.join(', ')} only, not ${dataset}`, sourceMap.locate(p, 'key'), p, `remove it, or use dataset: ${sets.join(' or ')}`));
    }
  }
  for (const need of datasetDef(dataset)?.requires ?? []) {
    if (d[need.key] === undefined) diagnostics.push(diag('DLC014', need.message, sourceMap.locate('/data/dataset'), '/data/dataset', need.hint));
  }
  const t = obj(d.transforms);
  const list = (which: 'train' | 'eval') => ((t[which] ?? []) as unknown[]).map((item, i) => transform(item, `/data/transforms/${which}/${i}`));
  const out: Obj = { dataset };
  for (const k of [...datasetOwnKeys(), 'input_shape', 'num_classes'] as const) if (d[k] !== undefined) out[k] = d[k];
  out.validation_split = d.validation_split ?? DEFAULTS.data.validation_split;
  out.batch_size = d.batch_size ?? DEFAULTS.data.batch_size;
  if (d.train_limit !== undefined) out.train_limit = d.train_limit;
  if (d.test_limit !== undefined) out.test_limit = d.test_limit;
  out.transforms = { train: list('train'), eval: list('eval') };
  return out as unknown as DataSpec;
}

/** The declaration of `kind` (schema validation has already rejected unknown kinds). */
function declOf(family: Readonly<Record<string, unknown>>, kind: string): AnyKindDecl {
  const decl = anyFamily(family as AnyFamily)[kind];
  if (!decl) throw new Error(`normalize: no declaration of kind '${kind}'`);
  return decl;
}

/**
 * A one-key section (loss, optimizer, schedule): `kind`, `{kind: shorthand}` or `{kind: {attrs}}`, else the default kind.
 * `over(kind)`: defaults put over the declaration's (the conventions').
 */
function section(family: Readonly<Record<string, unknown>>, v: unknown, defaultKind: string, over?: (kind: string) => Readonly<Obj>): Obj {
  const { kind, value } = itemKind(v ?? defaultKind);
  const decl = declOf(family, kind);
  const extra = over?.(kind);
  return normalizeKind(extra && Object.keys(extra).length ? { ...decl, defaults: { ...decl.defaults, ...extra } } : decl, value);
}

/** The train section; the best-checkpoint monitor defaults by the data's target kind (kinds/target.ts). */
function train(v: unknown, target: TargetKind): TrainSpec {
  const t = obj(v);
  const T = DEFAULTS.train;
  const out: Obj = { epochs: t.epochs ?? T.epochs };
  // `early_stopping:` (empty) or `{}` turns it on with the defaults; absent leaves it off.
  if (t.early_stopping !== undefined) out.early_stopping = withDefaults(T.early_stopping, obj(t.early_stopping));
  out.checkpoint = withDefaults({ ...T.checkpoint, monitor: defaultMonitor(target) }, obj(t.checkpoint));
  return out as unknown as TrainSpec;
}

function metrics(v: unknown): MetricSpec[] {
  return ((v ?? DEFAULT_METRICS) as unknown[]).map((m) => {
    const { kind, value } = itemKind(m);
    return normalizeKind(declOf(METRICS, kind), value) as MetricSpec;
  });
}

/** `model.outputs` with every loss weight filled in (default 1); absent when not given. */
function outputs(v: unknown): { outputs?: ModelOutputSpec[] } {
  if (!Array.isArray(v)) return {};
  return { outputs: v.map((o) => ({ layer: String(obj(o).layer), loss_weight: (obj(o).loss_weight as number | undefined) ?? 1 })) };
}

/** Normalises a schema-valid document. `spec` is absent when a block could not be expanded. */
export function normalizeSpec(doc: unknown, sourceMap: SourceMap): { spec?: Spec; diagnostics: Diagnostic[] } {
  const d = obj(doc);
  const diagnostics: Diagnostic[] = [];
  const model = obj(d.model);
  const conventions = (d.conventions as Conventions | undefined) ?? DEFAULT_CONVENTIONS;
  const { layers, diagnostics: blockDiags } = expandLayers(model, sourceMap, conventions);
  diagnostics.push(...blockDiags);
  const spec: Spec = {
    name: d.name as string,
    ...(d.description !== undefined ? { description: String(d.description) } : {}),
    seed: (d.seed as number | undefined) ?? DEFAULTS.seed,
    conventions,
    data: data(obj(d.data), sourceMap, diagnostics),
    model: { layers, ...(model.output !== undefined ? { output: model.output as string } : {}), ...outputs(model.outputs) },
    loss: section(LOSSES, d.loss, DEFAULT_LOSS) as unknown as LossSpec,
    optimizer: section(OPTIMIZERS, d.optimizer, DEFAULT_OPTIMIZER, (k) => optimizerDefaultsFor(conventions, k)) as unknown as OptimizerSpec,
    schedule: section(SCHEDULES, d.schedule, DEFAULT_SCHEDULE, (k) => scheduleDefaultsFor(conventions, k)) as unknown as ScheduleSpec,
    train: train(d.train, specTargetKind(obj(d.data) as unknown as DataSpec)),
    metrics: metrics(d.metrics),
  };
  return blockDiags.some((x) => x.severity === 'error') ? { diagnostics } : { spec, diagnostics };
}
