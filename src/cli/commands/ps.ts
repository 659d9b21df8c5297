/** `procos ps`: the process instances, like `ps` for processes. */
import type { Command } from 'commander';
import type { InstanceView } from '../../api/procos-v1/index.js';
import { clientFor, parsePositiveInt, printJson, withClientOptions } from '../common.js';
import type { ClientOptions, CommandContext } from '../common.js';
import { currentText, formatAge, table, truncate } from '../format.js';
import { commandName, print } from '../io.js';

interface PsOptions extends ClientOptions {
  readonly all?: boolean;
  readonly key?: string;
  readonly limit?: string;
}

/** Registers `procos ps`. */
export function registerPs(program: Command, ctx: CommandContext): void {
  withClientOptions(
    program
      .command('ps')
      .description('list process instances: id, process key:version, state, current activities, business key, age')
      .option('-a, --all', 'also list ended (completed and terminated) instances')
      .option('--key <key>', 'only instances of this process key')
      .option('--limit <n>', 'show at most the newest n instances', '100'),
  )
    .addHelpText('after', '\nExamples:\n  procos ps\n  procos ps --all --key file_intake\n  procos ps --json | jq \'.instances[].id\'')
    .action(async (opts: PsOptions) => {
      const limit = parsePositiveInt('--limit', opts.limit ?? '100');
      const client = clientFor(ctx.io, opts);
      const q = new URLSearchParams({ state: opts.all === true ? 'all' : 'active', limit: String(limit), ...(opts.key !== undefined ? { key: opts.key } : {}) });
      const res = await client.get<{ total: number; instances: InstanceView[] }>(`/instances?${q.toString()}`);
      if (opts.json === true) return printJson(ctx.io, res);
      if (res.instances.length === 0) {
        const cmd = commandName(ctx.io);
        print(ctx.io, opts.all === true ? `No process instances yet. Start one with: ${cmd} start <key>` : `No running process instances. (${cmd} ps --all lists ended ones too)`);
        return;
      }
      const now = Date.now();
      const rows = res.instances.map((i) => [
        i.id,
        `${i.key}:${i.version}`,
        i.state,
        truncate(currentText(i), 40),
        truncate(i.businessKey ?? '-', 30),
        formatAge(now - i.startTime),
      ]);
      print(ctx.io, table(['ID', 'PROCESS', 'STATE', 'CURRENT', 'BUSINESS KEY', 'AGE'], rows));
      if (res.total > res.instances.length) print(ctx.io, `(${res.total - res.instances.length} older instance(s) not shown; use --limit)`);
    });
}
