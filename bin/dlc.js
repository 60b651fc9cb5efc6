#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (npm run build).
import { main } from '../dist/cli/main.js';

// `dlc schema | head` closes the pipe early: that is the reader's choice, not an error.
// Any other stdout failure (a full disk under a redirect) is one line, not a stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`dlc: cannot write the output: ${err.code === 'ENOSPC' ? 'no space left on the device' : err.message}\n`);
  process.exit(2);
});

// main() reports its own failures (src/cli/io.ts reportFailure); this is only a last resort.
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    process.stderr.write(`dlc: internal error: ${process.env.DLC_DEBUG === '1' ? (err?.stack ?? err) : (err?.message ?? err)}\n`);
    process.exitCode = 3;
  },
);
