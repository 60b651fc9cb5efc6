/**
 * Where a data file named in a spec lives: an absolute path as it is; a
 * relative one is taken from the spec's folder when that file exists, else
 * resolved through node's module resolution as a package path
 * (`vega-datasets/data/penguins.json`: from the spec's folder, then from
 * dlc's own installation), else left relative to the spec's folder (so the
 * error names the path the user meant). A pure leaf (node built-ins only).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';

export function resolveDataPath(path: string, specDir: string): string {
  if (isAbsolute(path)) return path;
  const local = resolve(specDir, path);
  if (existsSync(local)) return local;
  if (!path.startsWith('.')) {
    // Package `exports` often leave data files out, so look the package folder up, not the file.
    const parts = path.split('/');
    const nameLen = parts[0].startsWith('@') ? 2 : 1;
    const name = parts.slice(0, nameLen).join('/');
    const rest = parts.slice(nameLen);
    for (const from of [join(resolve(specDir), 'spec.yaml'), import.meta.url]) {
      for (const dir of createRequire(from).resolve.paths(name) ?? []) {
        const file = join(dir, name, ...rest);
        if (existsSync(file)) return file;
      }
    }
  }
  return local;
}
