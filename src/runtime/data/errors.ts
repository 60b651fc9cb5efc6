/**
 * The one error type data loading throws. It always names the file (or
 * directory) involved and what is wrong with it, so a user sees
 * "train-images-idx3-ubyte: bad magic number 0x00000802 (want 0x00000803)"
 * instead of a crash deep inside tfjs.
 */
export class DataError extends Error {
  override readonly name = 'DataError';
  /** The file or directory the problem is about (absent for spec-level problems). */
  readonly file?: string;

  constructor(message: string, file?: string) {
    super(file !== undefined && !message.includes(file) ? `${file}: ${message}` : message);
    this.file = file;
  }
}

/**
 * A given saved preprocessing (a run's preprocessing.json) that cannot encode this data: another
 * kind, target, columns or tokenising. A DataError, so callers that know the file it came from
 * (dlc run --preprocessing) can name it.
 */
export class PreprocessingMismatch extends DataError {}
