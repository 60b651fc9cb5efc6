/** How dlc run/eval/predict report failures they expect (exit 2, one line) versus bugs (rethrown, with a stack). */
import { BackendUnavailableError } from '../runtime/backend/select.js';
import { DataError } from '../runtime/data/errors.js';
import { RunError } from '../runtime/train/errors.js';

/** The message to print for an expected failure, or undefined for a bug. */
export function expectedFailure(e: unknown): string | undefined {
  if (e instanceof DataError || e instanceof BackendUnavailableError || e instanceof RunError) return e.message;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code && ['ENOENT', 'EACCES', 'EPERM', 'ENOSPC', 'EROFS', 'EISDIR', 'ENOTDIR', 'EEXIST'].includes(code)) return (e as Error).message;
  return undefined;
}
