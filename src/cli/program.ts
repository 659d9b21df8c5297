/**
 * The `procos` command line (commander): `boot`, `run`, `deploy`, `start`, `ps`, `show`,
 * `incidents`, `retry`, `kill`, `test`, `worker`. {@link runCli} runs one command line and returns the
 * exit code; errors are printed as one line, `procos: <reason> [CODE]`, never as a
 * stack trace (set PROCOS_DEBUG=1 to see one).
 */
import { Command, CommanderError } from 'commander';
import { isProcosError } from '../common/errors.js';
// Only the version, not the kernel: commands load what they need when they run (a quick `procos ps`).
import { PROCOS_VERSION } from '../kernel/version.js';
import { registerBoot } from './commands/boot.js';
import { registerDeploy } from './commands/deploy.js';
import { registerIncidents } from './commands/incidents.js';
import { registerKill } from './commands/kill.js';
import { registerPs } from './commands/ps.js';
import { registerRetry } from './commands/retry.js';
import { registerRun } from './commands/run.js';
import { registerShow } from './commands/show.js';
import { registerStart } from './commands/start.js';
import { registerTest } from './commands/test.js';
import { registerWorker } from './commands/worker.js';
import type { CommandContext } from './common.js';
import { printErr } from './io.js';
import type { CliIo } from './io.js';

const EXAMPLES = `
Examples:
  procos boot                                              boot ProcOS here (SQLite in .procos/, processes/ deployed)
  procos ps                                                running instances
  procos run processes/examples/kernel-report.bpmn         one-shot run of a BPMN file, prints the path it took
  procos start file_intake --var file=$PWD/README.md       start an instance on the running kernel
  procos show <id>                                         history, variables and incidents of an instance
  procos incidents                                         what needs a person; then: procos retry <incident>
  procos test processes/root-orchestrator.test.yaml        run declarative process tests (fresh store, time travel)
  procos worker --url http://127.0.0.1:8080/engine-rest    a worker pool in its own process (any Camunda 7 REST engine)

Commands other than boot and run talk to a running kernel at --url, $PROCOS_URL, the URL in
.procos/ready, or http://127.0.0.1:8080. Exit code 0: done; 1: error; 2 (run): stuck.`;

/** Builds the program; commands report into `ctx`. */
export function createProgram(ctx: CommandContext): Command {
  const program = new Command('procos');
  program
    .description('ProcOS: a process-oriented operating system whose kernel language is BPMN 2.0')
    .version(PROCOS_VERSION, '-V, --version', 'print the ProcOS version')
    .helpOption('-h, --help', 'show help for a command')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => void ctx.io.stdout.write(s),
      writeErr: (s) => void ctx.io.stderr.write(s),
      outputError: (s, write) => write(`procos: ${s.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')} (see procos --help)\n`),
    })
    .addHelpText('after', EXAMPLES);
  registerBoot(program, ctx);
  registerRun(program, ctx);
  registerDeploy(program, ctx);
  registerStart(program, ctx);
  registerPs(program, ctx);
  registerShow(program, ctx);
  registerIncidents(program, ctx);
  registerRetry(program, ctx);
  registerKill(program, ctx);
  registerTest(program, ctx);
  registerWorker(program, ctx);
  // A usage error of a command points to that command's help.
  for (const cmd of program.commands) {
    cmd.configureOutput({
      ...cmd.configureOutput(),
      outputError: (s, write) => write(`procos: ${s.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')} (see procos ${cmd.name()} --help)\n`),
    });
  }
  return program;
}

/** Prints an error on one line (plus a list of problems when there are several). */
export function reportError(io: CliIo, e: unknown): void {
  if (isProcosError(e)) {
    printErr(io, `procos: ${e.message} [${e.code}]`);
    const list = (e.details.problems ?? e.details.issues) as unknown;
    if (Array.isArray(list) && list.length > 1) {
      for (const p of list as { message?: unknown; key?: unknown; source?: unknown; resource?: unknown }[]) {
        const where = typeof p.key === 'string' ? `${p.key} (${String(p.source)}): ` : '';
        printErr(io, `  - ${where}${String(p.message)}`);
      }
    }
  } else {
    printErr(io, `procos: unexpected error: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (io.env.PROCOS_DEBUG === '1' && e instanceof Error && e.stack) printErr(io, e.stack);
}

/**
 * Runs one command line (without `node` and the script path) and returns its exit code.
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), processIo());
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const ctx: CommandContext = { io, exitCode: 0 };
  const program = createProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      if (e.code === 'commander.help') return argv.length === 0 ? 1 : e.exitCode;
      return e.exitCode === 0 ? 0 : 1;
    }
    reportError(io, e);
    return 1;
  }
}
