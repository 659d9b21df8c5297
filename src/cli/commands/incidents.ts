/** `procos incidents`: open incidents (things a person must look at). */
import type { Command } from 'commander';
import type { IncidentView } from '../../api/procos-v1/index.js';
import { clientFor, printJson, resolveInstanceId, withClientOptions } from '../common.js';
import type { ClientOptions, CommandContext } from '../common.js';
import { formatAge, table, truncate } from '../format.js';
import { commandName, print } from '../io.js';

interface IncidentsOptions extends ClientOptions {
  readonly all?: boolean;
  readonly instance?: string;
}

/** Registers `procos incidents`. */
export function registerIncidents(program: Command, ctx: CommandContext): void {
  withClientOptions(
    program
      .command('incidents')
      .description('list open incidents: failed tasks out of retries, failed expressions')
      .option('-a, --all', 'also list resolved incidents')
      .option('--instance <id>', 'only incidents of this instance'),
  )
    .addHelpText('after', '\nExamples:\n  procos incidents\n  procos incidents --all --instance 4c8e1f0a6b3d\n\nFix the cause (a missing file, a service that is down), then: procos retry <incident id>')
    .action(async (opts: IncidentsOptions) => {
      const client = clientFor(ctx.io, opts);
      const q = new URLSearchParams({ state: opts.all === true ? 'all' : 'open' });
      if (opts.instance !== undefined) q.set('instance', await resolveInstanceId(client, opts.instance));
      const res = await client.get<{ total: number; incidents: IncidentView[] }>(`/incidents?${q.toString()}`);
      if (opts.json === true) return printJson(ctx.io, res);
      if (res.incidents.length === 0) {
        print(ctx.io, opts.all === true ? 'No incidents.' : 'No open incidents.');
        return;
      }
      const now = Date.now();
      const rows = res.incidents.map((i) => [
        i.id,
        i.processInstanceId,
        `${i.key ?? '?'} / ${i.activityName ?? i.elementId}`,
        i.resolvedTime === null ? `open ${formatAge(now - i.createdTime)}` : 'resolved',
        truncate(i.message, 70),
      ]);
      print(ctx.io, table(['INCIDENT', 'INSTANCE', 'PROCESS / AT', 'STATE', 'MESSAGE'], rows));
      if (res.incidents.some((i) => i.resolvedTime === null)) print(ctx.io, `\nFix the cause, then retry with: ${commandName(ctx.io)} retry <incident>   (details: ${commandName(ctx.io)} show <instance>)`);
    });
}
