/**
 * `--set path=value` overrides: a dotted path (numeric segments index
 * lists) and a YAML scalar or flow value (`0.1`, `sgd`, `[32, 32]`,
 * `{sgd: {momentum: 0.9}}`). Applied after `extends`, before validation.
 * The overrides form a pseudo-file named `--set`, one override per line,
 * so their diagnostics print like any other.
 */
import { parseDocument } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostics.js';
import { parseSpec } from './parse.js';
import { diag } from '../diagnostics/report.js';
import { setOwn } from './resolve.js';
import { childPointer, type SourceMap } from './source-map.js';

/** The pseudo-file name overrides are reported in. */
export const OVERRIDES_FILE = '--set';

const PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** Applies `overrides` to `data` in place, recording origins in `sourceMap`. */
export function applyOverrides(data: Record<string, unknown>, sourceMap: SourceMap, overrides: readonly string[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  overrides.forEach((arg, i) => {
    const line = i + 1;
    const at = (col: number, endCol: number) => ({ file: OVERRIDES_FILE, line, col, endLine: line, endCol });
    const eq = arg.indexOf('=');
    if (eq < 0) {
      diagnostics.push(diag('DLC009', `--set needs path=value, got '${arg}'`, at(1, arg.length + 1), '', 'e.g. --set optimizer.sgd.learning_rate=0.1'));
      return;
    }
    const path = arg.slice(0, eq);
    const text = arg.slice(eq + 1);
    if (!PATH.test(path)) {
      diagnostics.push(diag('DLC009', `malformed --set path '${path}'`, at(1, eq + 1), '', 'a dotted path of keys and list indices, e.g. model.layers.0.conv2d.filters'));
      return;
    }
    if (text.trim() === '') {
      diagnostics.push(diag('DLC009', `--set ${path}= has no value`, at(eq + 1, eq + 2), '', 'give a YAML value, e.g. 0.1, sgd, [32, 32] or {sgd: {momentum: 0.9}}'));
      return;
    }
    const doc = parseDocument(text);
    if (doc.errors.length) {
      diagnostics.push(diag('DLC009', `--set ${path}: value is not valid YAML (${doc.errors[0].message.split('\n')[0]})`, at(eq + 2, arg.length + 1), ''));
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      // An alias to an anchor the value does not define (`*x`), or an alias bomb.
      diagnostics.push(diag('DLC009', `--set ${path}: value is not valid YAML (${(err as Error).message.split('\n')[0]})`, at(eq + 2, arg.length + 1), '', 'quote the value if it starts with * or &'));
      return;
    }
    // Parse the value for its own positions, shifted onto this override's line.
    const parsed = parseSpec(text, OVERRIDES_FILE);
    const segs = path.split('.');
    let cur: unknown = data;
    let ptr = '';
    for (let s = 0; s < segs.length; s++) {
      const seg = segs[s];
      const last = s === segs.length - 1;
      const prefix = segs.slice(0, s).join('.') || '(the spec)';
      const pathCol = segs.slice(0, s).join('.').length + (s ? 2 : 1);
      if (Array.isArray(cur)) {
        const idx = /^\d+$/.test(seg) ? Number(seg) : NaN;
        if (!(idx < cur.length)) {
          diagnostics.push(diag('DLC009', `--set ${path}: ${prefix} is a list of ${cur.length} item${cur.length === 1 ? '' : 's'}; '${seg}' is not an index in it`, at(pathCol, pathCol + seg.length), ptr));
          return;
        }
      } else if (!cur || typeof cur !== 'object') {
        diagnostics.push(diag('DLC009', `--set ${path}: ${prefix} is ${JSON.stringify(cur)}, not a mapping`, at(pathCol, pathCol + seg.length), ptr));
        return;
      }
      const container = cur as Record<string, unknown>;
      const p = childPointer(ptr, seg);
      // Only own properties: `__proto__` or `constructor` must never reach Object.prototype.
      const has = Object.prototype.hasOwnProperty.call(container, seg);
      if (last) {
        setOwn(container, seg, parsed.data ?? value);
        sourceMap.deleteSubtree(p);
        for (const [q, o] of parsed.sourceMap.origins) {
          const shift = (r: { line: number; col: number; endLine: number; endCol: number }) => ({ line, col: r.col + eq + 1, endLine: line, endCol: r.line === r.endLine ? r.endCol + eq + 1 : arg.length + 1 });
          sourceMap.set(p + q, { file: OVERRIDES_FILE, value: shift(o.value), ...(o.key ? { key: shift(o.key) } : q === '' ? { key: at(eq + 1 - seg.length, eq + 1) } : {}) });
        }
        if (!parsed.sourceMap.get('')) sourceMap.set(p, { file: OVERRIDES_FILE, value: at(eq + 2, arg.length + 1), key: at(eq + 1 - seg.length, eq + 1) });
      } else if (!has || container[seg] === undefined || container[seg] === null) {
        setOwn(container, seg, {});
        // A mapping the override made: a problem with it is reported at its key in the --set text, not at spec.yaml:1:1.
        sourceMap.set(p, { file: OVERRIDES_FILE, value: at(pathCol, pathCol + seg.length), key: at(pathCol, pathCol + seg.length) });
      }
      cur = container[seg];
      ptr = p;
    }
  });
  return diagnostics;
}
