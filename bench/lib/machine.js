/** What the results were measured on: CPU, cores, memory, load, Node, tfjs and torch versions. */
import * as os from 'node:os';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';

const require = createRequire(import.meta.url);

function version(pkg) {
  try {
    return require(`${pkg}/package.json`).version;
  } catch {
    return undefined;
  }
}

/** `git describe`-like state of the checkout the bench ran from (dist/ is built from it). */
function gitState() {
  try {
    const run = (args) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { commit: run(['rev-parse', '--short', 'HEAD']), dirty: run(['status', '--porcelain', '--untracked-files=no']) !== '' };
  } catch {
    return null;
  }
}

/** A JSON-able description of this machine and its software. */
export function describeMachine() {
  const cpus = os.cpus();
  return {
    host: os.hostname(),
    cpu: cpus[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memory_gb: +(os.totalmem() / 2 ** 30).toFixed(1),
    loadavg_at_start: os.loadavg().map((x) => +x.toFixed(2)),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    tfjs: version('@tensorflow/tfjs'),
    tfjs_backend_wasm: version('@tensorflow/tfjs-backend-wasm'),
    tfjs_node: version('@tensorflow/tfjs-node') ?? null,
    git: gitState(),
  };
}
