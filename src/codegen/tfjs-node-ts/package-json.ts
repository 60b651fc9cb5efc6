/**
 * The emitted project's dependencies: exactly the packages its files import
 * (tfjs plus what the copied runtime files need), at the versions dlc itself
 * is built and tested with (read from dlc's package.json). Nothing of dlc.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSpec } from '../../compiler/spec.js';
import { dlcRoot } from '../dlc-root.js';

interface PackageJson {
  readonly version?: string;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

export interface ProjectDependencies {
  readonly dependencies: Record<string, string>;
  readonly optionalDependencies: Record<string, string>;
  readonly devDependencies: Record<string, string>;
}

/** dlc's own package.json. */
export function dlcPackageJson(): PackageJson {
  return JSON.parse(readFileSync(join(dlcRoot(), 'package.json'), 'utf8')) as PackageJson;
}

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Versions for `packages` (bare names the emitted code imports). Optional
 * dependencies of dlc (tfjs-node: its install downloads libtensorflow and may
 * fail offline) stay optional. Type packages come along for imported packages
 * that ship none.
 */
export function projectDependencies(packages: Iterable<string>, pkg: PackageJson = dlcPackageJson()): ProjectDependencies {
  const deps: Record<string, string> = {};
  const optional: Record<string, string> = {};
  const dev: Record<string, string> = {
    '@types/node': pkg.devDependencies?.['@types/node'] ?? '^20.0.0',
    typescript: pkg.devDependencies?.['typescript'] ?? '^5.0.0',
  };
  for (const name of packages) {
    const regular = pkg.dependencies?.[name];
    const opt = pkg.optionalDependencies?.[name];
    if (regular) deps[name] = regular;
    else if (opt) optional[name] = opt;
    else throw new Error(`codegen: emitted code imports ${JSON.stringify(name)}, which is not a dependency of dlc`);
    const types = `@types/${name.replace(/^@([^/]+)\/(.+)$/, '$1__$2')}`;
    const typesVersion = pkg.devDependencies?.[types];
    if (typesVersion) dev[types] = typesVersion;
  }
  return { dependencies: sorted(deps), optionalDependencies: sorted(optional), devDependencies: sorted(dev) };
}

/**
 * The packages a spec's data files live in: a relative, non-dotted path such
 * as `vega-datasets/data/cars.json` names a file inside the package
 * `vega-datasets` (compiler/shared/data-path.ts resolves it that way), so the
 * emitted project needs that package installed. Only `known` packages (dlc's
 * own dependencies) count: any other first segment is an ordinary folder.
 */
export function dataPackages(data: DataSpec, known: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of [data.path, data.test_split?.path]) {
    if (p === undefined || p.startsWith('.') || p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) continue;
    const parts = p.split(/[\\/]/);
    const name = parts.slice(0, parts[0]!.startsWith('@') ? 2 : 1).join('/');
    if (parts.length > name.split('/').length && known.includes(name)) out.add(name);
  }
  return [...out].sort();
}
