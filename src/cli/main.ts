#!/usr/bin/env node
/**
 * The `procos` executable (package.json `bin`). Runs one command line and exits with its
 * code; see `program.ts`.
 */
import { processIo } from './io.js';
import { runCli } from './program.js';

// `procos ps | head -1`: the reader went away; stop quietly instead of a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await runCli(process.argv.slice(2), processIo());
