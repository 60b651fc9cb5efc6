import { describe, expect, it } from 'vitest';
import { looksLikeSpec } from '../../src/lsp/spec-detect.js';

describe('looksLikeSpec', () => {
  const cases: Array<[string, { path: string; text: string; want: boolean }]> = [
    ['*.dlc.yaml, even empty', { path: '/p/exp.dlc.yaml', text: '', want: true }],
    ['a YAML file under specs/', { path: '/repo/specs/lenet5.yaml', text: 'x: 1\n', want: true }],
    ['the dlc modeline', { path: '/p/a.yaml', text: '# yaml-language-server: $schema=../schema/dlc.schema.json\n', want: true }],
    ['top-level model + data', { path: '/p/a.yml', text: 'name: a\ndata: {dataset: mnist}\nmodel:\n  layers: []\n', want: true }],
    ['extends + name', { path: '/p/a.yaml', text: 'extends: base.yaml\nname: a\n', want: true }],
    ['docker compose', { path: '/p/docker-compose.yaml', text: 'services:\n  web: {image: nginx}\n', want: false }],
    ['a CI workflow', { path: '/p/.github/workflows/ci.yml', text: 'name: CI\non: push\njobs: {}\n', want: false }],
    ['another schema modeline', { path: '/p/a.yaml', text: '# yaml-language-server: $schema=https://json.schemastore.org/github-workflow.json\n', want: false }],
    ['model nested, not top-level', { path: '/p/a.yaml', text: 'app:\n  model: x\n  data: y\n', want: false }],
  ];
  it.each(cases)('%s', (_n, { path, text, want }) => expect(looksLikeSpec(path, text)).toBe(want));
});
