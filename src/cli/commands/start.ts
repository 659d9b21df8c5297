/** `procos start <key>`: starts an instance of a deployed process. */
import type { Command } from 'commander';
import type { InstanceView } from '../../api/procos-v1/index.js';
import { clientFor, collect, printJson, withClientOptions } from '../common.js';
import type { ClientOptions, CommandContext } from '../common.js';
import { currentText } from '../format.js';
import { commandName, print } from '../io.js';
import { collectVariables } from '../vars.js';

interface StartOptions extends ClientOptions {
  readonly var?: string[];
  readonly vars?: string;
  readonly businessKey?: string;
}

/** Registers `procos start`. */
export function registerStart(program: Command, ctx: CommandContext): void {
  withClientOptions(
    program
      .command('start')
      .argument('<key>', 'process definition key (the BPMN process id), e.g. file_intake')
      .description('start an instance of the latest version of a deployed process')
      .option('--var <name=value>', 'a variable; JSON values (5, true, {"a":1}) are JSON, anything else is text; repeatable', collect, [])
      .option('--vars <file.json>', 'variables from a JSON object file (--var wins)')
      .option('--business-key <key>', 'a business key to find the instance by'),
  )
    .addHelpText('after', '\nExamples:\n  procos start kernel_report\n  procos start file_intake --var file=$PWD/README.md\n  procos start file_intake --vars input.json --business-key order-42')
    .action(async (key: string, opts: StartOptions) => {
      const variables = collectVariables(opts.var, opts.vars, ctx.io.cwd);
      const client = clientFor(ctx.io, opts);
      const res = await client.post<InstanceView>('/instances', { key, variables, ...(opts.businessKey !== undefined ? { businessKey: opts.businessKey } : {}) });
      if (opts.json === true) return printJson(ctx.io, res);
      const where = res.current.length > 0 ? `, at ${currentText(res)}` : '';
      print(ctx.io, `Started ${res.key}:${res.version} as instance ${res.id} (${res.state}${where}).`);
      print(ctx.io, `Follow it with: ${commandName(ctx.io)} show ${res.id}`);
    });
}
