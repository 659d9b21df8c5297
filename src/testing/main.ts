/**
 * `node dist/src/testing/main.js [--verbose] <scenario.test.yaml | folder>…`: runs
 * scenario files (a folder: its `*.test.yaml` files), prints each result and a summary,
 * and exits 0 when every scenario passed, 1 otherwise (2 for a wrong command line).
 * Stands in until `procos test` exists in the CLI.
 */
import { formatResult, formatSummary } from './format.js';
import { expandScenarioPaths, runScenarioFiles } from './run.js';

const USAGE = 'usage: node dist/src/testing/main.js [--verbose] <scenario.test.yaml | folder>…';

async function main(argv: readonly string[]): Promise<number> {
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  const unknown = argv.filter((a) => a.startsWith('-') && a !== '--verbose' && a !== '-v');
  const paths = argv.filter((a) => !a.startsWith('-'));
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (unknown.length > 0 || paths.length === 0) {
    process.stderr.write(`${unknown.length > 0 ? `unknown option ${unknown[0]}\n` : 'no scenario files given\n'}${USAGE}\n`);
    return 2;
  }
  const files = await expandScenarioPaths(paths);
  const summary = await runScenarioFiles(files);
  for (const r of summary.results) process.stdout.write(`${formatResult(r, { verbose })}\n`);
  process.stdout.write(`${formatSummary(summary)}\n`);
  return summary.failed === 0 && summary.results.length > 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
