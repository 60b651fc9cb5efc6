/**
 * Which YAML documents are dlc specs. Generic LSP clients attach a server to
 * every YAML file (docker-compose.yaml, CI configs…); linting those as specs
 * would bury them in errors, so the server only speaks about documents that
 * say or look like they are specs.
 */

/** True for `*.dlc.yaml`, files under a `specs/` folder, the dlc modeline, or a top-level `model:`/`extends:` next to `data:`/`name:`. */
export function looksLikeSpec(path: string, text: string): boolean {
  const p = path.replace(/\\/g, '/');
  if (/\.dlc\.ya?ml$/i.test(p) || /(^|\/)specs\/.+\.ya?ml$/i.test(p)) return true;
  if (/^#\s*yaml-language-server:\s*\$schema=\S*dlc\.schema\.json/m.test(text)) return true;
  const top = (key: string) => new RegExp(`^${key}\\s*:`, 'm').test(text);
  return (top('model') && (top('data') || top('name'))) || (top('extends') && top('name'));
}
