/**
 * Fault corpus, CLI cases: the built `dlc` in a child process, on files the
 * test makes (FIFOs with mkfifo, sparse 3 GiB files, symlinks, secrets in
 * files a spec must not be able to print). Each case asserts the message,
 * the documented exit code, no stack trace, no hang (spawnSync timeout) and
 * that nothing was written or deleted where it does not belong.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, ROOT, type BuiltCli } from '../lsp/build-cli.js';

const SECRET = 'hunter2-h7-secret';
const SPEC = 'name: ok\ndata: {dataset: mnist}\nmodel:\n  layers:\n    - flatten\n    - dense: {units: 10}\n';

let cli: BuiltCli;
let dir: string;

interface Ran {
  status: number | null;
  out: string;
  err: string;
  all: string;
}

function dlc(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Ran {
  const r = spawnSync(process.execPath, [cli.launcher, ...args], { cwd: opts.cwd ?? dir, env: { ...process.env, DLC_DEBUG: '', DLC_H7_SECRET: SECRET, ...opts.env }, encoding: 'utf8', timeout: 20_000 });
  if (r.error) throw r.error;
  return { status: r.status, out: r.stdout, err: r.stderr, all: r.stdout + r.stderr };
}

/** No stack trace, no secret, no raw escape sequence. */
function clean(r: Ran): void {
  expect(r.all).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  expect(r.all).not.toContain(SECRET);
  expect(r.all).not.toContain('\x1b');
  expect(r.all).not.toMatch(/internal error/);
}

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

beforeAll(() => {
  cli = buildCli(['src/cli/main.ts', 'src/cli/check.ts', 'src/cli/emit.ts', 'src/cli/inspect.ts', 'src/cli/eval.ts']);
  // emit reads package.json and src/ (the runtime files it copies) from the package root: the build's parent.
  const buildRoot = join(cli.launcher, '..');
  for (const name of ['package.json', 'src']) if (!existsSync(join(buildRoot, name))) symlinkSync(join(ROOT, name), join(buildRoot, name));
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'dlc-h7-cli-')));
}, 180_000);
afterAll(() => {
  cli?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('specs that are not regular files (root cause 4)', { timeout: 30_000 }, () => {
  it('a FIFO as the spec is refused at once, exit 2', () => {
    execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
    const r = dlc(['check', 'fifo.yaml']);
    expect(r.status).toBe(2);
    expect(r.out).toMatch(/fifo\.yaml:1:1 error DLC007 cannot read 'fifo\.yaml': it is a FIFO \(named pipe\), not a regular file/);
    clean(r);
  });

  it('/dev/zero as the spec is refused, exit 2', () => {
    const r = dlc(['check', '/dev/zero']);
    expect(r.status).toBe(2);
    expect(r.out).toMatch(/DLC007 .*character device, not a regular file/);
    clean(r);
  });

  it('a 3 GiB spec is refused without reading it and its first line is not echoed', () => {
    const p = write('huge.yaml', `token: ${SECRET}\n`);
    truncateSync(p, 3 * 1024 ** 3);
    const t = Date.now();
    const r = dlc(['check', 'huge.yaml']);
    // check: a spec over the limit is an error in the input (exit 1); unreadable files are exit 2.
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/DLC005 'huge\.yaml' is too large: 3 GiB/);
    expect(Date.now() - t).toBeLessThan(15_000);
    clean(r);
  });

  it('a dangling symlink and a symlink loop name the cause', () => {
    symlinkSync(join(dir, 'gone.yaml'), join(dir, 'dangling.yaml'));
    symlinkSync(join(dir, 'loop-b.yaml'), join(dir, 'loop-a.yaml'));
    symlinkSync(join(dir, 'loop-a.yaml'), join(dir, 'loop-b.yaml'));
    const a = dlc(['check', 'dangling.yaml']);
    expect(a.status).toBe(2);
    expect(a.out).toMatch(/cannot read 'dangling\.yaml': a symbolic link to something that does not exist/);
    const b = dlc(['check', 'loop-a.yaml']);
    expect(b.status).toBe(2);
    expect(b.out).toMatch(/cannot read 'loop-a\.yaml': too many levels of symbolic links/);
    clean(a);
    clean(b);
  });
});

describe('extends cannot print other files (root cause 2)', { timeout: 30_000 }, () => {
  const child = (base: string) => `extends: ${base}\n${SPEC}`;

  it('extends: /proc/self/environ prints no environment', () => {
    write('environ.yaml', child('/proc/self/environ'));
    const r = dlc(['check', 'environ.yaml']);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/environ\.yaml:1:10 error DLC018 cannot use '\/proc\/self\/environ' as a base spec: a base spec must be a \.yaml or \.yml file/);
    expect(r.all).not.toMatch(/PATH=|HOME=/);
    clean(r);
  });

  it('a .npmrc-style token file, and a .yaml symlink to it, are refused without their content', () => {
    write('token.npmrc', `//registry.npmjs.org/:_authToken=${SECRET}\n`);
    symlinkSync(join(dir, 'token.npmrc'), join(dir, 'innocent.yaml'));
    write('npmrc.yaml', child('token.npmrc'));
    write('linked.yaml', child('innocent.yaml'));
    const a = dlc(['check', 'npmrc.yaml']);
    const b = dlc(['check', 'linked.yaml']);
    expect(a.status).toBe(1);
    expect(a.out).toMatch(/DLC018 .*must be a \.yaml or \.yml file/);
    expect(b.status).toBe(1);
    expect(b.out).toMatch(/DLC018 .*symbolic link to a file that is not \.yaml or \.yml/);
    clean(a);
    clean(b);
  });

  it('a YAML file that is not a spec (a kube config) is refused and none of it is shown', () => {
    write('kube.yaml', `apiVersion: v1\nkind: Config\nusers:\n  - name: admin\n    user: {token: ${SECRET}}\n`);
    write('kubed.yaml', child('kube.yaml'));
    const r = dlc(['check', 'kubed.yaml']);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/DLC018 .*most of its top-level keys are not spec sections/);
    expect(r.all).not.toMatch(/apiVersion|admin/);
    clean(r);
  });

  it('a base with a YAML error shows its position but not its text', () => {
    write('broken-base.yaml', `name: b\ndata: {dataset: [${SECRET}\n`);
    write('broken.yaml', child('broken-base.yaml'));
    const r = dlc(['check', 'broken.yaml']);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/DLC018 .*not valid YAML \(syntax error at line \d+, column \d+\)/);
    clean(r);
  });

  it('a FIFO base is refused without blocking', () => {
    execFileSync('mkfifo', [join(dir, 'fifo-base.yaml')]);
    write('fifo-child.yaml', child('fifo-base.yaml'));
    const r = dlc(['check', 'fifo-child.yaml']);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/DLC018 .*not a regular file/);
    clean(r);
  });

  it('a legitimate base in a sibling folder still works', () => {
    mkdirSync(join(dir, 'shared'));
    write('shared/base.yaml', 'data: {dataset: mnist}\noptimizer: {sgd: {learning_rate: 0.1}}\n');
    write('sib.yaml', 'extends: shared/base.yaml\nname: sib\nmodel:\n  layers:\n    - flatten\n    - dense: {units: 10}\n');
    const r = dlc(['check', 'sib.yaml']);
    expect(r.out).toMatch(/sib\.yaml: ok/);
    expect(r.status).toBe(0);
  });
});

describe('emit --force through symlinks (root cause 1)', { timeout: 60_000 }, () => {
  it('refuses a symlink to the working directory, and the folder holding the spec; deletes nothing', () => {
    const work = join(dir, 'work');
    mkdirSync(work);
    writeFileSync(join(work, 'spec.yaml'), SPEC);
    writeFileSync(join(work, 'keep.txt'), 'precious');
    symlinkSync(work, join(dir, 'work-link'));
    const viaLink = dlc(['emit', 'spec.yaml', '-o', join(dir, 'work-link'), '--force'], { cwd: work });
    expect(viaLink.err).toMatch(/dlc emit: refusing to replace .*it is the working directory; it resolves to /);
    expect(viaLink.status).toBe(2);
    const specDir = join(dir, 'specdir');
    mkdirSync(specDir);
    writeFileSync(join(specDir, 'spec.yaml'), SPEC);
    const intoSpec = dlc(['emit', join(specDir, 'spec.yaml'), '-o', specDir, '--force'], { cwd: dir });
    expect(intoSpec.status).toBe(2);
    expect(intoSpec.err).toMatch(/it holds the input spec/);
    expect(readdirSync(work).sort()).toEqual(['keep.txt', 'spec.yaml']);
    expect(readFileSync(join(specDir, 'spec.yaml'), 'utf8')).toBe(SPEC);
    expect(readdirSync(dir).some((n) => n.includes('dlc-emit'))).toBe(false);
    clean(viaLink);
    clean(intoSpec);
  });
});

describe('dlc eval on a run directory from someone else (root cause 3)', { timeout: 120_000 }, () => {
  it('a manifest path out of the checkpoint folder: exit 2, one message, /etc/passwd never loaded', async () => {
    const { train } = await import('../../src/runtime/train/train.js');
    const { tinyConvIR, tinySpec } = await import('../runtime/model/ir-fixtures.js');
    const quiet = { write: () => true, isTTY: false };
    const ir = tinyConvIR(tinySpec({ train: { epochs: 1, checkpoint: { every_epochs: 1, keep_best: false, monitor: 'val_accuracy' } } }));
    const done = await train(ir, { backend: 'cpu', runsDir: join(dir, 'runs'), stdout: quiet, stderr: quiet, cacheDir: join(dir, 'cache') });
    const modelJson = join(done.runDir, 'checkpoints', 'last', 'model.json');
    const m = JSON.parse(readFileSync(modelJson, 'utf8')) as { weightsManifest: Array<{ paths: string[] }> };
    m.weightsManifest[0]!.paths = ['../../../../../../../../../../etc/passwd'];
    writeFileSync(modelJson, JSON.stringify(m));
    const r = dlc(['eval', done.runDir, '--checkpoint', 'last', '--backend', 'cpu']);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/dlc eval: cannot load the 'last' checkpoint in .*: the weights manifest path .* leaves the checkpoint folder/);
    expect(r.all).not.toMatch(/root:x:0:0/);
    clean(r);
  });
});

describe('messages (escapes, long lines)', { timeout: 30_000 }, () => {
  it('terminal escape sequences in a key are escaped, never sent raw', () => {
    write('esc.yaml', `${SPEC}"\\e[31mevil\\e]0;title\\a": 1\n`);
    const r = dlc(['check', 'esc.yaml']);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/unknown key .*\\x1b\[31mevil/);
    clean(r);
  });

  it('a 900 KB line is clipped, not echoed whole', () => {
    write('long.yaml', `${SPEC}description: ${'x'.repeat(900_000)}\nbogus: 1\nname2: ${'y'.repeat(900)}\n`);
    const r = dlc(['check', 'long.yaml']);
    expect(r.status).toBe(1);
    expect(r.all.length).toBeLessThan(10_000);
    clean(r);
  });

  it('an unknown command with control characters is escaped', () => {
    const r = dlc(['\x1b[2Jwipe']);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/unknown command '\\x1b\[2Jwipe'/);
    clean(r);
  });
});

describe('paths of the corpus stay inside the test folder', () => {
  it('nothing was written into the repository', () => {
    expect(existsSync(join(ROOT, 'work-link'))).toBe(false);
    expect(existsSync(join(ROOT, 'keep.txt'))).toBe(false);
  });
});
