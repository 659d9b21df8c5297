/**
 * `procos test <scenario.yaml | folder>…`: declarative process tests with time travel.
 * Each scenario runs on a fresh temporary store with a controllable clock (see
 * src/testing). Exit 0 when every scenario passed, 1 otherwise.
 */
import type { Command } from 'commander';
import type { CommandContext } from '../common.js';
import { printJson } from '../common.js';
import { print } from '../io.js';

interface TestOptions {
  readonly verbose?: boolean;
  readonly json?: boolean;
}

/** Registers `procos test`. */
export function registerTest(program: Command, ctx: CommandContext): void {
  program
    .command('test')
    .description('run declarative process test scenarios (YAML), each on a fresh store with a controllable clock')
    .argument('<scenarios...>', 'scenario files, or folders holding *.test.yaml files')
    .option('-v, --verbose', 'print every step, not only failures')
    .option('--json', 'print the results as JSON')
    .addHelpText(
      'after',
      `
Examples:
  procos test processes/root-orchestrator.test.yaml
  procos test test/fixtures/testing/ --verbose

A scenario deploys BPMN files, starts an instance and runs steps:
  expect, complete, bpmnError, fail, correlate, signal, advanceClock (see docs/testing.md).`,
    )
    .action(async (paths: string[], opts: TestOptions) => {
      const { expandScenarioPaths, formatResult, formatSummary, runScenarioFiles } = await import('../../testing/index.js');
      const files = await expandScenarioPaths(paths);
      const summary = await runScenarioFiles(files);
      if (opts.json === true) printJson(ctx.io, summary);
      else {
        for (const r of summary.results) print(ctx.io, formatResult(r, { verbose: opts.verbose === true }));
        print(ctx.io, formatSummary(summary));
      }
      ctx.exitCode = summary.failed === 0 && summary.results.length > 0 ? 0 : 1;
    });
}
