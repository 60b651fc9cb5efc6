/** The emitted project's command line (runtime/train/project-args.ts). */
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../src/runtime/backend/choices.js';
import { parseProjectArgs, PROJECT_USAGE } from '../../../src/runtime/train/project-args.js';

describe('parseProjectArgs', () => {
  it('has dlc run defaults', () => {
    expect(parseProjectArgs([])).toEqual({ backend: 'auto', runsDir: 'runs', out: undefined, resume: undefined, epochs: undefined, replicas: undefined, help: false });
  });

  it.each([
    [['--backend', 'cpu', '--epochs', '3', '--replicas=2'], { backend: 'cpu', epochs: 3, replicas: 2 }],
    [['--runs-dir', 'r', '--resume=r/x/1'], { runsDir: 'r', resume: 'r/x/1' }],
    [['--out', 'o'], { out: 'o' }],
    [['--help'], { help: true }],
  ])('%j', (argv, want) => {
    expect(parseProjectArgs(argv)).toMatchObject(want);
  });

  it.each([
    [['--backend', 'gpu'], /--backend must be one of auto, tensorflow, wasm, cpu/],
    [['--epochs', '0'], /--epochs needs a positive integer, got '0'/],
    [['--replicas', '1.5'], /--replicas needs a positive integer/],
    [['--epochs'], /--epochs needs a value/],
    [['--out', 'a', '--resume', 'b'], /exclude each other/],
    [['--bogus'], /unknown option '--bogus'/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseProjectArgs(argv)).toThrow(message);
  });

  it('accepts exactly the backends dlc run accepts, and lists them in --help', () => {
    for (const b of BACKENDS) expect(parseProjectArgs(['--backend', b]).backend).toBe(b);
    expect(PROJECT_USAGE).toContain(BACKENDS.join(' | '));
  });
});
