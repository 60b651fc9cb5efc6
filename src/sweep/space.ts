/**
 * The search space of a sweep and its trials: a grid (every combination) or
 * random draws (seeded, so the same command always makes the same trials).
 * Keys are `--set` paths (`optimizer.adam.learning_rate`, `data.batch_size`).
 */
import { mulberry32 } from '../compiler/shared/mulberry32.js';

/** One swept key: a list of values, or a distribution to draw from. */
export type ParamSpace =
  | { readonly values: readonly unknown[] }
  | { readonly dist: 'uniform' | 'loguniform' | 'int_uniform'; readonly low: number; readonly high: number };

export interface SweepConfig {
  readonly method: 'grid' | 'random';
  readonly parameters: Readonly<Record<string, ParamSpace>>;
  /** Random search: how many trials. */
  readonly trials?: number;
  /** The value that ranks trials: a metrics.jsonl key (best over epochs) or test_accuracy / test_loss (report.json). */
  readonly monitor?: string;
  readonly mode?: 'min' | 'max';
  readonly parallel?: number;
  /** Successive halving: train every trial `min_epochs`, keep the best 1/eta, train those eta times longer, … up to train.epochs. */
  readonly halving?: { readonly min_epochs: number; readonly eta: number };
}

export interface Trial {
  /** "t000", "t001", … in expansion order. */
  readonly id: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export class SweepError extends Error {}

/** Parses one scalar the way a user writes it on the command line (numbers, booleans, else the string). */
export function scalar(text: string): unknown {
  const t = text.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  return t;
}

/** `--grid key=v1,v2,v3`. */
export function parseGridFlag(arg: string): [string, ParamSpace] {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new SweepError(`--grid expects key=v1,v2,… (got '${arg}')`);
  const values = arg.slice(eq + 1).split(',').filter((v) => v.trim() !== '').map(scalar);
  if (values.length === 0) throw new SweepError(`--grid ${arg.slice(0, eq)} has no values`);
  return [arg.slice(0, eq).trim(), { values }];
}

/** `--random key=loguniform(1e-4,1e-1)` | `uniform(a,b)` | `int_uniform(a,b)` | `choice(a,b,c)`. */
export function parseRandomFlag(arg: string): [string, ParamSpace] {
  const m = /^([^=]+)=\s*(loguniform|uniform|int_uniform|choice)\((.*)\)\s*$/.exec(arg);
  if (!m) throw new SweepError(`--random expects key=loguniform(a,b), uniform(a,b), int_uniform(a,b) or choice(v1,v2,…) (got '${arg}')`);
  const args = m[3].split(',').map(scalar);
  if (m[2] === 'choice') return [m[1].trim(), { values: args }];
  return [m[1].trim(), distribution(m[1].trim(), m[2] as 'uniform', args)];
}

function distribution(key: string, dist: 'uniform' | 'loguniform' | 'int_uniform', args: readonly unknown[]): ParamSpace {
  const [low, high] = args;
  if (args.length !== 2 || typeof low !== 'number' || typeof high !== 'number' || !(low < high)) throw new SweepError(`${key}: ${dist} needs two numbers low < high`);
  if (dist === 'loguniform' && low <= 0) throw new SweepError(`${key}: loguniform needs low > 0`);
  return { dist, low, high };
}

/** The `sweep:` section of a spec (already checked by the schema) as a SweepConfig. */
export function configFromSection(section: Record<string, unknown>): SweepConfig {
  const parameters: Record<string, ParamSpace> = {};
  for (const [key, v] of Object.entries((section.parameters ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(v)) parameters[key] = { values: v };
    else if (v && typeof v === 'object') {
      const [[dist, args]] = Object.entries(v as Record<string, unknown>);
      parameters[key] = dist === 'choice' ? { values: args as unknown[] } : distribution(key, dist as 'uniform', args as unknown[]);
    } else throw new SweepError(`sweep.parameters.${key}: expected a list of values or {loguniform|uniform|int_uniform|choice: […]}`);
  }
  const h = section.halving as { min_epochs?: number; eta?: number } | undefined;
  return {
    method: (section.method as 'grid' | 'random' | undefined) ?? (Object.values(parameters).some((p) => 'dist' in p) ? 'random' : 'grid'),
    parameters,
    trials: section.trials as number | undefined,
    monitor: section.monitor as string | undefined,
    mode: section.mode as 'min' | 'max' | undefined,
    parallel: section.parallel as number | undefined,
    halving: h ? { min_epochs: h.min_epochs ?? 1, eta: h.eta ?? 2 } : undefined,
  };
}


function draw(p: ParamSpace, r: () => number): unknown {
  if ('values' in p) return p.values[Math.floor(r() * p.values.length)];
  const u = r();
  if (p.dist === 'uniform') return Number((p.low + u * (p.high - p.low)).toPrecision(6));
  if (p.dist === 'int_uniform') return Math.floor(p.low + u * (p.high - p.low + 1));
  return Number(Math.exp(Math.log(p.low) + u * (Math.log(p.high) - Math.log(p.low))).toPrecision(4));
}

const MAX_TRIALS = 10000;

/** The trials of a sweep: the grid's combinations (first key slowest), or `trials` seeded random draws. */
export function expandTrials(config: SweepConfig, seed: number): Trial[] {
  const keys = Object.keys(config.parameters);
  if (keys.length === 0) throw new SweepError('the sweep has no parameters (sweep.parameters, --grid or --random)');
  const id = (i: number): string => `t${String(i).padStart(3, '0')}`;
  if (config.method === 'grid') {
    const lists = keys.map((k) => {
      const p = config.parameters[k];
      if (!('values' in p)) throw new SweepError(`${k}: a grid sweep needs a list of values (a distribution needs method: random)`);
      return p.values;
    });
    const count = lists.reduce((a, l) => a * l.length, 1);
    if (count > MAX_TRIALS) throw new SweepError(`the grid has ${count} combinations (at most ${MAX_TRIALS})`);
    const out: Trial[] = [];
    for (let i = 0; i < count; i++) {
      const params: Record<string, unknown> = {};
      let rest = i;
      for (let k = keys.length - 1; k >= 0; k--) {
        params[keys[k]] = lists[k][rest % lists[k].length];
        rest = Math.floor(rest / lists[k].length);
      }
      out.push({ id: id(i), params: Object.fromEntries(keys.map((k) => [k, params[k]])) });
    }
    return out;
  }
  const n = config.trials ?? 10;
  if (!(Number.isInteger(n) && n >= 1 && n <= MAX_TRIALS)) throw new SweepError(`trials must be a whole number from 1 to ${MAX_TRIALS}`);
  const r = mulberry32(seed ^ 0x5eed);
  return Array.from({ length: n }, (_, i) => ({ id: id(i), params: Object.fromEntries(keys.map((k) => [k, draw(config.parameters[k], r)])) }));
}

/** A trial's value as a `--set` right-hand side (YAML flow syntax). */
export function setValue(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}
