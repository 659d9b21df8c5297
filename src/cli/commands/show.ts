/** `procos show <id>`: one instance's history timeline, variables and incidents. */
import type { Command } from 'commander';
import type { InstanceDetailView } from '../../api/procos-v1/index.js';
import { clientFor, printJson, resolveInstanceId, withClientOptions } from '../common.js';
import type { ClientOptions, CommandContext } from '../common.js';
import { formatInstanceDetail } from '../format.js';
import { commandName, print } from '../io.js';

/** Registers `procos show`. */
export function registerShow(program: Command, ctx: CommandContext): void {
  withClientOptions(
    program
      .command('show')
      .argument('<id>', 'instance id (or a part only it has, e.g. its last 8 characters)')
      .description("show an instance: state, where it waits, its history timeline, incidents and variables"),
  )
    .addHelpText('after', '\nExamples:\n  procos show 0199a7c2-5c1e-7f3a-9d2b-4c8e1f0a6b3d\n  procos show 4c8e1f0a6b3d    # the end of the id is enough when only one id has it\n  procos show 4c8e1f0a6b3d --json')
    .action(async (id: string, opts: ClientOptions) => {
      const client = clientFor(ctx.io, opts);
      const full = await resolveInstanceId(client, id);
      const detail = await client.get<InstanceDetailView>(`/instances/${encodeURIComponent(full)}`);
      if (opts.json === true) return printJson(ctx.io, detail);
      print(ctx.io, formatInstanceDetail(detail, Date.now(), commandName(ctx.io)));
    });
}
