/** `procos boot`: the microkernel, in the foreground until SIGINT/SIGTERM. */
import type { Command } from 'commander';
import type { ConfigFlags } from '../../kernel/index.js';
import type { CommandContext } from '../common.js';
import { commandName, print, printErr } from '../io.js';

interface BootOptions {
  readonly config?: string;
  readonly db?: string;
  readonly dataDir?: string;
  readonly host?: string;
  readonly port?: string;
  readonly processes?: string;
  readonly autoDeploy?: boolean;
  readonly strict?: boolean;
  readonly rootProcess?: string;
  readonly logLevel?: string;
  readonly logFormat?: string;
  readonly healthIntervalMs?: string;
  readonly shutdownGraceMs?: string;
  readonly workers?: boolean;
  readonly workersParallel?: string;
}

/** Registers `procos boot`. */
export function registerBoot(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('boot')
    .description('boot ProcOS: open the store, deploy processes/, start the root orchestrator and the built-in workers, then watch')
    .option('-c, --config <file>', 'configuration file (default: ./procos.yml when present)')
    .option('--db <url>', 'store: sqlite:<path> or postgres://user:password@host:5432/db (default: sqlite:.procos/procos.db)')
    .option('--data-dir <dir>', 'folder of the readiness marker and the default SQLite file (default: .procos)')
    .option('--host <host>', 'HTTP listen address (default: 127.0.0.1)')
    .option('-p, --port <port>', 'HTTP port; 0 picks a free one (default: 8080)')
    .option('--processes <dir>', 'folder whose .bpmn files are deployed at boot (default: ./processes)')
    .option('--no-auto-deploy', 'do not deploy the processes folder at boot')
    .option('--strict', 'exit with an error when a process file does not deploy or the root process is missing')
    .option('--root-process <key>', 'process started at boot unless one runs; "none" for none (default: root_orchestrator)')
    .option('--log-level <level>', 'trace | debug | info | warn | error | silent (default: info)')
    .option('--log-format <format>', 'pretty | json | auto (auto: pretty on a terminal)')
    .option('--health-interval-ms <ms>', 'period of the health line, 0 for none (default: 60000)')
    .option('--shutdown-grace-ms <ms>', 'how long running tasks may finish at shutdown (default: 10000)')
    .option('--no-workers', 'do not start the built-in workers')
    .option('--workers-parallel <n>', 'tasks the built-in workers run at once (default: 4)')
    .addHelpText(
      'after',
      [
        '',
        'Every option can also be set in procos.yml (see procos.example.yml) or as a PROCOS_* environment',
        'variable (PROCOS_DB, PROCOS_PORT, PROCOS_AUTO_DEPLOY_PROCESSES=false, …); flags win over variables,',
        'variables over the file.',
        '',
        'Examples:',
        '  procos boot',
        '  procos boot --port 9090 --db sqlite:/var/lib/procos/procos.db',
        '  PROCOS_DB=postgres://procos:secret@db:5432/procos procos boot --log-format json',
      ].join('\n'),
    );
  cmd.action(async (opts: BootOptions) => {
    const { Kernel, createKernelLogger, formatBootSummary, isPretty, loadConfig } = await import('../../kernel/index.js');
    const given = (name: string): boolean => cmd.getOptionValueSource(name) === 'cli';
    const flags: ConfigFlags = {
      db: opts.db,
      dataDir: opts.dataDir,
      host: opts.host,
      port: opts.port,
      processes: opts.processes,
      rootProcess: opts.rootProcess,
      'log.level': opts.logLevel,
      'log.format': opts.logFormat,
      healthIntervalMs: opts.healthIntervalMs,
      shutdownGraceMs: opts.shutdownGraceMs,
      'workers.parallel': opts.workersParallel,
      ...(given('autoDeploy') ? { autoDeployProcesses: opts.autoDeploy === true } : {}),
      ...(given('strict') ? { strict: true } : {}),
      ...(given('workers') ? { 'workers.enabled': opts.workers === true } : {}),
    };
    const config = loadConfig({ cwd: ctx.io.cwd, env: ctx.io.env, flags, ...(opts.config !== undefined ? { configPath: opts.config } : {}) });
    const logger = createKernelLogger({ level: config.log.level, format: config.log.format, stream: ctx.io.stdout });
    const pretty = isPretty(config.log.format, ctx.io.stdout);
    const kernel = new Kernel({ config, logger });

    let signals = 0;
    let stoppedBySignal: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (stoppedBySignal = resolve));
    const onSignal = (signal: NodeJS.Signals): void => {
      signals += 1;
      if (signals > 1) {
        printErr(ctx.io, `procos: second ${signal}: exiting at once; tasks still locked are offered again when the next boot starts`);
        process.exit(130);
      }
      if (kernel.state !== 'running') {
        printErr(ctx.io, `procos: ${signal} received, stopping as soon as boot has finished`);
        return;
      }
      // On a terminal the ^C echo leaves the cursor mid-line.
      const again = signal === 'SIGINT' ? 'press Ctrl-C again' : `send ${signal} again`;
      printErr(ctx.io, `${ctx.io.stderr.isTTY === true ? '\n' : ''}procos: ${signal} received, stopping (running tasks get up to ${Math.round(config.shutdownGraceMs / 1000)} s; ${again} to exit at once)`);
      void kernel.stop(signal).then(stoppedBySignal, stoppedBySignal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const report = await kernel.boot();
      if (pretty) print(ctx.io, formatBootSummary(report, ctx.io.cwd, commandName(ctx.io)));
      else {
        printErr(ctx.io, formatBootSummary(report, ctx.io.cwd, commandName(ctx.io)));
        logger.info({ event: 'ready', url: report.url, root: report.root, deployed: report.deployed?.length ?? 0 }, 'procos ready');
      }
      if (signals > 0) {
        await kernel.stop('signal during boot');
        return;
      }
      kernel.watch();
      await stopped;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  });
}
