/**
 * Fault corpus, root cause 4 on the command line: `--replicas 1000`,
 * `DLC_REPLICAS=64` and `--epochs 1e12` are refused before anything starts.
 */
import { describe, expect, it } from 'vitest';
import { RunError } from '../../src/runtime/train/errors.js';
import { MAX_REPLICAS, envReplicas, planReplicas } from '../../src/runtime/train/replicas.js';
import { MAX_EPOCHS, setupSession } from '../../src/runtime/train/setup.js';
import { tinyConvIR, tinySpec } from '../runtime/model/ir-fixtures.js';

describe('replicas and epochs caps', () => {
  it('--replicas over the cap is a RunError; the cap itself passes the check', () => {
    const ir = tinyConvIR(tinySpec({}));
    expect(() => planReplicas(ir, 'cpu', 1000, new URL('file:///w.js'))).toThrow(RunError);
    expect(() => planReplicas(ir, 'cpu', 1000, new URL('file:///w.js'))).toThrow(`at most ${MAX_REPLICAS}`);
  });

  it('DLC_REPLICAS=64 is refused, 4 is accepted', () => {
    expect(() => envReplicas({ DLC_REPLICAS: '64' })).toThrow(/DLC_REPLICAS=64 is too many: at most 32/);
    expect(envReplicas({ DLC_REPLICAS: '4' })).toBe(4);
  });

  it('--epochs 1e12 is refused before any run directory or data', async () => {
    const ir = tinyConvIR(tinySpec({}));
    const parts = { loadData: () => Promise.reject(new Error('must not load')), buildModel: () => { throw new Error('must not build'); } };
    await expect(setupSession(ir, parts as never, { epochs: 1e12 }, { name: 'cpu', reason: '' }, () => {})).rejects.toThrow(`epochs 1000000000000 is more than the maximum of ${MAX_EPOCHS}`);
  });
});
