/**
 * compile() never throws, whatever the text: deterministic mutations of the
 * shipped specs (the language server compiles every keystroke, and a
 * half-typed spec is the normal case).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/compiler/compile.js';

const dir = fileURLToPath(new URL('../../../specs/', import.meta.url));
const specs = readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(dir + f, 'utf8'));

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = ['', ' ', '-', ':', '{', '}', '[', ']', ',', '$x', '$filters', '0', '-1', '1e400', 'null', '~', 'true', '"', "'", '&a', '*a', '!!str', '<<', '#', '\t', 'input', 'block', 'constructor', '__proto__', 'conv2d', '{use: basic}', '[a, b]'];

function mutate(text: string, r: () => number): string {
  const lines = text.split('\n');
  const n = 1 + Math.floor(r() * 3);
  for (let k = 0; k < n; k++) {
    const i = Math.floor(r() * lines.length);
    const line = lines[i];
    const at = Math.floor(r() * (line.length + 1));
    switch (Math.floor(r() * 5)) {
      case 0: lines[i] = line.slice(0, at) + line.slice(at + 1 + Math.floor(r() * 5)); break; // delete
      case 1: lines[i] = line.slice(0, at) + TOKENS[Math.floor(r() * TOKENS.length)] + line.slice(at); break; // insert
      case 2: lines.splice(i, 0, line); break; // duplicate a line
      case 3: lines.splice(i, 1); break; // drop a line
      default: lines[i] = line.replace(/: [^{}\[\],#]+/, `: ${TOKENS[Math.floor(r() * TOKENS.length)]}`); // replace a value
    }
  }
  return lines.join('\n');
}

describe('robustness', () => {
  it('never throws on 300 mutated specs, and every diagnostic has a position', () => {
    const r = rng(1234);
    for (let i = 0; i < 300; i++) {
      const text = mutate(specs[i % specs.length], r);
      let result;
      try {
        result = compile(text, { file: 'm.yaml', noLower: i % 2 === 0 });
      } catch (err) {
        throw new Error(`compile threw on mutation ${i}: ${(err as Error).stack}\n---\n${text}`);
      }
      for (const d of result.diagnostics) {
        expect(d.line, text).toBeGreaterThanOrEqual(1);
        expect(d.col).toBeGreaterThanOrEqual(1);
        expect(d.message).not.toMatch(/must match|anyOf|#\//);
      }
    }
  });
});
