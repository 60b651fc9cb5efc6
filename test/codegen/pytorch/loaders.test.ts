/**
 * The PyTorch runtime's file loaders read the same bytes as dlc's: IDX (MNIST format, raw and
 * gzipped), CIFAR-10 binary batches, and image folders of PNGs (RGB and RGBA, 1 or 3
 * channels, resized to data.image_size with dlc's bilinear decoder resize).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeCifarBatch, encodeIdx, loadCifarBatches, loadIdxPair, loadImageFolder, loadSynthetic } from '../../../src/runtime/data/index.js';
import { bytesToBase64, PY_B64, PYTHON, runPython } from './python.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlc-torch-loaders-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function pixels(set: object): Uint8Array {
  const s = set as { images?: Uint8Array; x?: { values: Uint8Array } };
  return (s.images ?? s.x!.values) as Uint8Array;
}

function png(w: number, h: number, alpha: boolean, seed: number): Buffer {
  const p = new PNG({ width: w, height: h, colorType: alpha ? 6 : 2, inputHasAlpha: true });
  let s = seed;
  for (let i = 0; i < p.data.length; i++) p.data[i] = (s = (s * 1103515245 + 12345) % 2147483648) % 256;
  return PNG.sync.write(p, { colorType: alpha ? 6 : 2 });
}

describe.skipIf(!PYTHON)('dlc_runtime loaders = dlc loaders', () => {
  it('IDX, CIFAR-10 binary and PNG image folders give the same pixels and labels', async () => {
    // IDX: 1-channel images from the synthetic generator; images gzipped, labels raw.
    const mono = loadSynthetic({ train_samples: 23, test_samples: 2, shape: [6, 5, 1], classes: 3 }, 1).train;
    const idxDir = join(tmp, 'idx');
    mkdirSync(idxDir);
    writeFileSync(join(idxDir, 'img.gz'), gzipSync(encodeIdx([23, 6, 5], pixels(mono))));
    writeFileSync(join(idxDir, 'lab'), encodeIdx([23], Uint8Array.from(mono.labels)));
    const idx = loadIdxPair(join(idxDir, 'img.gz'), join(idxDir, 'lab'), 3);

    // CIFAR-10: two batch files of 32×32×3 images.
    const rgb = loadSynthetic({ train_samples: 7, test_samples: 5, shape: [32, 32, 3], classes: 10 }, 2);
    const cifarFiles = [join(tmp, 'data_batch_1.bin'), join(tmp, 'test_batch.bin')];
    writeFileSync(cifarFiles[0], encodeCifarBatch(rgb.train as never));
    writeFileSync(cifarFiles[1], encodeCifarBatch(rgb.test as never));
    const cifar = loadCifarBatches(cifarFiles);

    // An image folder: PNGs of different sizes, RGB and RGBA; resized to 5×4.
    const root = join(tmp, 'folder');
    const files: [string, number, number, boolean][] = [
      ['train/cat/a.png', 8, 6, false], ['train/cat/b.png', 11, 7, true], ['train/dog/c.png', 5, 4, false], ['train/dog/d.png', 3, 9, true],
      ['test/cat/e.png', 6, 6, false], ['test/dog/f.png', 12, 3, true],
    ];
    files.forEach(([rel, w, h, alpha], i) => {
      mkdirSync(join(root, rel, '..'), { recursive: true });
      writeFileSync(join(root, rel), png(w, h, alpha, 17 + i));
    });
    const folders = await Promise.all(([3, 1] as const).map((channels) => loadImageFolder({ root, imageSize: [5, 4], channels, workers: 0 })));

    const py = runPython<{ idx: string; idxLabels: number[]; cifar: string; cifarLabels: number[]; folders: { train: string; test: string; labels: number[]; classes: string[] }[] }>(
      PY_B64 +
        `from dlc_runtime.data import load_idx_pair, load_cifar_batches, load_image_folder
i = load_idx_pair(INPUT['idx'][0], INPUT['idx'][1], 3)
c = load_cifar_batches(INPUT['cifar'])
folders = []
for ch in (3, 1):
    d = load_image_folder(INPUT['root'], [5, 4], ch)
    folders.append({'train': b64(d.train.images), 'test': b64(d.test.images), 'labels': d.train.labels.tolist() + d.test.labels.tolist(), 'classes': d.class_names})
print(json.dumps({'idx': b64(i.images), 'idxLabels': i.labels.tolist(), 'cifar': b64(c.images), 'cifarLabels': c.labels.tolist(), 'folders': folders}))`,
      { idx: [join(idxDir, 'img.gz'), join(idxDir, 'lab')], cifar: cifarFiles, root },
    );
    expect(py.idx).toBe(bytesToBase64(pixels(idx)));
    expect(py.idxLabels).toEqual(Array.from(idx.labels));
    expect(py.cifar).toBe(bytesToBase64(pixels(cifar)));
    expect(py.cifarLabels).toEqual(Array.from(cifar.labels));
    folders.forEach((ds, k) => {
      expect(py.folders[k].classes).toEqual(ds.classNames);
      expect(py.folders[k].train, `channels ${[3, 1][k]} train`).toBe(bytesToBase64(pixels(ds.train)));
      expect(py.folders[k].test).toBe(bytesToBase64(pixels(ds.test)));
      expect(py.folders[k].labels).toEqual([...Array.from(ds.train.labels), ...Array.from(ds.test.labels)]);
    });
  });
});
