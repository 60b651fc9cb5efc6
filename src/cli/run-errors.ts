/** How dlc run/eval/predict report failures they expect (exit 2, one line) versus bugs (rethrown, with a stack). */
import { BackendUnavailableError } from '../runtime/backend/select.js';
import { DataError } from '../runtime/data/errors.js';
import { RunError } from '../runtime/train/errors.js';
import { describeErrno } from './io.js';

/** The message to print for an expected failure, or undefined for a bug. */
export function expectedFailure(e: unknown): string | undefined {
  if (e instanceof DataError || e instanceof BackendUnavailableError || e instanceof RunError) return e.message;
  // Thrown by the checkpoint reader and the bounded file reader: complete one-line messages.
  if (e instanceof Error && (e.name === 'CheckpointError' || e.name === 'FileReadError')) return e.message;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code && ['ENOENT', 'EACCES', 'EPERM', 'ENOSPC', 'EROFS', 'EISDIR', 'ENOTDIR', 'EEXIST', 'ELOOP', 'EDQUOT', 'ENAMETOOLONG', 'EMFILE'].includes(code)) return describeErrno(e as NodeJS.ErrnoException);
  return undefined;
}
