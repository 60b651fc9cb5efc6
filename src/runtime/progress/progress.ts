/**
 * Training progress on stderr. On a TTY: one bar per epoch, redrawn in
 * place with \r (at most ~10 times a second), with samples/s, ETA, running
 * loss and accuracy; the epoch's summary line replaces it at the end. Not a
 * TTY (CI, pipes, files): a plain line every `logEvery` batches and one per
 * epoch, so logs stay readable.
 */

export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
}

export type ProgressMode = 'auto' | 'tty' | 'plain' | 'none';

export interface ProgressOptions {
  readonly mode?: ProgressMode;
  /** Plain mode: a line every this many batches (default 50). */
  readonly logEvery?: number;
  /** Bar width in characters (default 24). */
  readonly width?: number;
  /** Clock in milliseconds (tests). */
  readonly now?: () => number;
}

/** Running numbers of the epoch so far. */
export interface ProgressUpdate {
  readonly samples: number;
  readonly batches: number;
  readonly loss: number;
  /** Absent for real-valued targets (an arg-max accuracy means nothing there). */
  readonly accuracy?: number;
}

export interface Progress {
  startEpoch(epoch: number, epochs: number, totalSamples: number, totalBatches: number): void;
  update(u: ProgressUpdate): void;
  /** Ends the epoch's bar and prints its summary line. */
  endEpoch(summary: string): void;
  /** A line that must not collide with the bar (clears it first on a TTY). */
  log(line: string): void;
}

/** "m:ss" or "h:mm:ss". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Creates the progress reporter for `stream`. */
export function createProgress(stream: ProgressStream, options: ProgressOptions = {}): Progress {
  const mode = options.mode === undefined || options.mode === 'auto' ? (stream.isTTY ? 'tty' : 'plain') : options.mode;
  const now = options.now ?? (() => performance.now());
  const logEvery = Math.max(1, options.logEvery ?? 50);
  const width = options.width ?? 24;
  let epoch = 0;
  let epochs = 0;
  let total = 0;
  let totalBatches = 0;
  let start = 0;
  let lastDraw = -Infinity;
  let drawn = false;

  const head = (): string => `epoch ${String(epoch).padStart(String(epochs).length)}/${epochs}`;
  const rate = (samples: number): number => samples / Math.max((now() - start) / 1000, 1e-9);
  const clear = (): void => {
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };

  return {
    startEpoch(e, n, samples, batches) {
      epoch = e;
      epochs = n;
      total = samples;
      totalBatches = batches;
      start = now();
      lastDraw = -Infinity;
    },
    update(u) {
      if (mode === 'none') return;
      const sps = rate(u.samples);
      const stats = `loss ${u.loss.toFixed(4)}${u.accuracy === undefined ? '' : ` acc ${(u.accuracy * 100).toFixed(2)}%`}`;
      if (mode === 'plain') {
        if (u.batches % logEvery === 0 && u.batches < totalBatches) {
          stream.write(`${head()} batch ${u.batches}/${totalBatches} ${stats} ${sps.toFixed(0)} samples/s\n`);
        }
        return;
      }
      const t = now();
      if (t - lastDraw < 100 && u.samples < total) return;
      lastDraw = t;
      const frac = total > 0 ? Math.min(1, u.samples / total) : 0;
      const filled = Math.round(frac * width);
      const bar = '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? (frac >= 1 ? '=' : '>') : '') + ' '.repeat(width - filled);
      const eta = formatDuration((total - u.samples) / sps);
      stream.write(`\r\x1b[2K${head()} [${bar}] ${u.samples}/${total} ${sps.toFixed(0)} samples/s ETA ${eta} ${stats}`);
      drawn = true;
    },
    endEpoch(summary) {
      if (mode === 'none') return;
      clear();
      stream.write(summary + '\n');
    },
    log(line) {
      if (mode === 'none') return;
      clear();
      stream.write(line + '\n');
    },
  };
}
