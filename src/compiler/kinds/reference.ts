/**
 * The reference page of every declared loss, optimizer, schedule, metric and
 * transform (docs/compiler/kinds.md), written from the declarations so it
 * cannot drift: test/compiler/kinds/reference.test.ts fails when the checked-in
 * page is stale (`DLC_UPDATE_DOCS=1 npx vitest run test/compiler/kinds/reference.test.ts`
 * rewrites it).
 */
import type { Schema } from '../front/schema/helpers.js';
import { anyFamily, type AnyFamily, type AnyKindDecl } from './kind.js';
import { DEFAULT_LOSS, LOSSES } from './losses/index.js';
import { DEFAULT_METRICS, METRICS } from './metrics/index.js';
import { DEFAULT_OPTIMIZER, OPTIMIZERS } from './optimizers/index.js';
import { DEFAULT_SCHEDULE, SCHEDULES } from './schedules/index.js';
import { TRANSFORMS } from './transforms/index.js';

const code = (v: unknown): string => `\`${JSON.stringify(v).replace(/,/g, ', ').replace(/\|/g, '\\|')}\``;
const section = (key: string): ItemForm => (kind, value) => `\`${key}: ${value === undefined ? kind : `{${kind}: ${value}}`}\``;
const listItem: ItemForm = (kind, value) => `\`- ${value === undefined ? kind : `${kind}: ${value}`}\``;
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function typeOf(s: Schema): string {
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map(code).join(' / ');
  if (s.type === 'array') {
    const items = (s.items ?? {}) as Schema;
    const n = s.minItems !== undefined && s.minItems === s.maxItems ? `${s.minItems} ` : '';
    const bounds = n ? '' : s.minItems !== undefined || s.maxItems !== undefined ? ` (${s.minItems ?? 0}–${s.maxItems ?? '…'} items)` : '';
    return `list of ${n}${typeOf(items)}${n ? 's' : ''}${bounds}`;
  }
  return String(s.type);
}

function rangeOf(s: Schema): string {
  const target = s.type === 'array' ? ((s.items ?? {}) as Schema) : s;
  const parts: string[] = [];
  if (target.exclusiveMinimum !== undefined) parts.push(`> ${target.exclusiveMinimum}`);
  if (target.minimum !== undefined) parts.push(`≥ ${target.minimum}`);
  if (target.maximum !== undefined) parts.push(`≤ ${target.maximum}`);
  return parts.join(', ');
}

/** How an item is written: bare (`value` absent) or `kind: value`, in a section (`loss: {huber: …}`) or a list (`- huber: …`). */
type ItemForm = (kind: string, value?: string) => string;

const flow = (v: unknown): string => JSON.stringify(v).replace(/,/g, ', ');

function kindSection(decl: AnyKindDecl, item: ItemForm): string[] {
  const out = [`### \`${decl.kind}\``, '', decl.description, ''];
  const attrs = Object.entries(decl.attrs);
  if (attrs.length) {
    out.push('| attribute | type | default | range | description |', '| --- | --- | --- | --- | --- |');
    for (const [name, s] of attrs) {
      const req = decl.required?.includes(name);
      const d = decl.defaults[name];
      out.push(`| \`${name}\` | ${typeOf(s)} | ${req ? 'required' : d === undefined ? '—' : code(d)} | ${rangeOf(s)} | ${cell(String(s.description ?? ''))} |`);
    }
    out.push('');
  } else out.push('No attributes.', '');
  const forms: string[] = [];
  if (!decl.required?.length) forms.push(item(decl.kind));
  if (decl.shorthand) {
    const ex = (decl.shorthand.schema.examples as unknown[] | undefined)?.[0];
    if (ex !== undefined) forms.push(`${item(decl.kind, flow(ex))} (= \`{${decl.shorthand.key}: ${flow(ex)}}\`)`);
  }
  const req = Object.fromEntries((decl.required ?? []).map((k) => [k, (decl.attrs[k].examples as unknown[] | undefined)?.[0]]));
  if (Object.keys(req).length) forms.push(item(decl.kind, `{${Object.entries(req).map(([k, v]) => `${k}: ${flow(v)}`).join(', ')}}`));
  if (forms.length) out.push(`Written as ${forms.join('; ')}.`, '');
  return out;
}

function familySection(title: string, intro: string, family: AnyFamily, item: ItemForm): string[] {
  const out = [`## ${title}`, '', intro, ''];
  for (const decl of Object.values(family)) out.push(...kindSection(decl, item));
  return out;
}

/** The whole page, as markdown. */
export function kindsReference(): string {
  const lines = [
    '# Losses, optimizers, schedules, metrics and transforms',
    '',
    '<!-- Written from src/compiler/kinds/ by src/compiler/kinds/reference.ts; do not edit by hand.',
    '     DLC_UPDATE_DOCS=1 npx vitest run test/compiler/kinds/reference.test.ts rewrites it. -->',
    '',
    'Every kind with its attributes, their types, defaults and ranges, as the',
    'schema (`dlc schema`) states them. Where each is defined and implemented:',
    '[spec-format.md](spec-format.md#where-a-loss-optimizer-schedule-metric-or-transform-is-defined).',
    '',
    ...familySection('Losses', `The \`loss:\` section. Default: \`${DEFAULT_LOSS}\`.`, anyFamily(LOSSES), section('loss')),
    ...familySection('Optimizers', `The \`optimizer:\` section. Default: \`${DEFAULT_OPTIMIZER}\`. Every optimizer takes \`weight_decay\`, \`clip_norm\` and \`clip_value\`.`, anyFamily(OPTIMIZERS), section('optimizer')),
    ...familySection('Schedules', `The \`schedule:\` section: the learning rate per step, stated in epochs. Default: \`${DEFAULT_SCHEDULE}\`.`, anyFamily(SCHEDULES), section('schedule')),
    ...familySection('Metrics', `Items of the \`metrics:\` list, reported on the validation and test sets. Default: \`[${DEFAULT_METRICS.join(', ')}]\`.`, anyFamily(METRICS), listItem),
    ...familySection('Transforms', 'Items of `data.transforms.train` and `data.transforms.eval`, applied in order after pixels are scaled to [0, 1]. Random ones apply in training only (random_crop becomes a centre crop outside training).', anyFamily(TRANSFORMS), listItem),
  ];
  return lines.join('\n').replace(/\n+$/, '') + '\n';
}
