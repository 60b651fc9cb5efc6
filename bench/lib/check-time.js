/**
 * `dlc check` time in-process after start-up: `compileFile` (read, parse,
 * extends, validate, normalise, lower, IR passes — everything `dlc check`
 * does before printing) of each shipped spec, after a warm-up call, median
 * of `reps` calls.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { compileFile } from '../../dist/compiler/compile.js';
import { median } from './stats.js';

/** The shipped specs: every specs/*.yaml. */
export function shippedSpecs(root) {
  return readdirSync(path.join(root, 'specs'))
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => path.join('specs', f));
}

/**
 * [{spec, median_ms, median_cpu_ms, min_ms, …}] for each spec, rounds interleaved across specs.
 * CPU time (this process, all threads) is the steadier figure on a loaded machine.
 */
export function measureCheck(specs, reps) {
  const times = new Map(specs.map((s) => [s, []]));
  const cpu = new Map(specs.map((s) => [s, []]));
  const errors = new Map();
  for (const s of specs) {
    const r = compileFile(s); // warm-up: module-level caches (schema compile, …)
    errors.set(s, r.diagnostics.filter((d) => d.severity === 'error').length);
  }
  for (let i = 0; i < reps; i++) {
    for (const s of specs) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      compileFile(s);
      times.get(s).push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.get(s).push((c.user + c.system) / 1000);
    }
  }
  return specs.map((s) => {
    const t = times.get(s);
    return { spec: s, median_ms: median(t), median_cpu_ms: median(cpu.get(s)), min_ms: Math.min(...t), max_ms: Math.max(...t), reps, errors: errors.get(s) };
  });
}
