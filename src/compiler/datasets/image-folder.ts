/**
 * image_folder: PNG/JPEG files in one folder per class, path/train/<class>/
 * and path/test/<class>/. The shape comes from data.image_size (+ channels),
 * the classes from the folder names when the directory can be listed.
 */
import { array, describe } from '../front/schema/helpers.js';
import type { DatasetDef, SetFacts } from './dataset-def.js';

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

export const image_folder: DatasetDef<'image_folder'> = {
  name: 'image_folder',
  description: 'Your own PNG/JPEG images: path/train/<class>/… and path/test/<class>/…, one sub-folder per class.',
  keys: ['path', 'image_size', 'channels'],
  schema: {
    image_size: array({ type: 'integer', minimum: 1 }, '`image_folder` only: resize every image to [height, width].', { minItems: 2, maxItems: 2, examples: [[32, 32]] }),
    channels: describe({ type: 'integer', enum: [1, 3] }, '`image_folder` only: 1 (grayscale) or 3 (RGB).', { examples: [3] }),
  },
  requires: [{ key: 'path', message: "dataset image_folder needs 'path' (a folder with train/ and test/ class sub-folders)" }],
  input: 'image',
  target: 'class',
  downloads: false,
  source: 'Images are read from `data.path` in `src/data.ts` (`train/<class>/*` and\n`test/<class>/*`; a relative path is taken from the directory you run in), and\nthe decoded images are cached in `$DLC_CACHE` (default `~/.cache/dlc`).',
  facts(data, ctx) {
    const out: { -readonly [K in keyof SetFacts]: SetFacts[K] } = {};
    if (data.image_size) out.shape = [data.image_size[0], data.image_size[1], data.channels ?? 3];
    const dir = data.path !== undefined ? joinPath(data.path, 'train') : undefined;
    const listed = dir !== undefined ? ctx.listDir?.(dir) : undefined;
    const names = listed?.filter((n) => !n.startsWith('.')).sort();
    if (names && names.length > 0) {
      out.numClasses = names.length;
      out.classNames = names;
      out.classesFrom = `${dir} has ${names.length} class folders (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}), so the data set has`;
    }
    return out;
  },
  hints: { shape: 'state data.image_size (and channels), or data.input_shape', classes: 'state data.num_classes, or give data.path with one sub-folder per class under train/' },
};
