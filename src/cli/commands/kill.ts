/** `procos kill <id>`: cancels a running instance. */
import type { Command } from 'commander';
import type { InstanceView } from '../../api/procos-v1/index.js';
import { clientFor, printJson, resolveInstanceId, withClientOptions } from '../common.js';
import type { ClientOptions, CommandContext } from '../common.js';
import { print } from '../io.js';

interface KillOptions extends ClientOptions {
  readonly reason?: string;
}

/** Registers `procos kill`. */
export function registerKill(program: Command, ctx: CommandContext): void {
  withClientOptions(
    program
      .command('kill')
      .argument('<id>', 'instance id (or a part only it has, e.g. its last 8 characters)')
      .description('cancel a running instance: its tasks and incidents are removed, its history keeps it as terminated')
      .option('--reason <text>', 'why, kept in the history', 'cancelled with procos kill'),
  )
    .addHelpText('after', '\nExamples:\n  procos kill 0199a7c2-5c1e-7f3a-9d2b-4c8e1f0a6b3d\n  procos kill 4c8e1f0a6b3d --reason "started with the wrong file"')
    .action(async (id: string, opts: KillOptions) => {
      const client = clientFor(ctx.io, opts);
      const full = await resolveInstanceId(client, id);
      const q = new URLSearchParams({ reason: opts.reason ?? 'cancelled with procos kill' });
      const res = await client.delete<InstanceView>(`/instances/${encodeURIComponent(full)}?${q.toString()}`);
      if (opts.json === true) return printJson(ctx.io, res);
      print(ctx.io, `Instance ${res.id} (${res.key}:${res.version}) is ${res.state}.`);
    });
}
