/** `procos retry <incident>`: resolves an incident by retrying what failed. */
import type { Command } from 'commander';
import type { IncidentView } from '../../api/procos-v1/index.js';
import { clientFor, printJson, withClientOptions } from '../common.js';
import type { ClientOptions, CommandContext } from '../common.js';
import { commandName, print } from '../io.js';

/** Registers `procos retry`. */
export function registerRetry(program: Command, ctx: CommandContext): void {
  withClientOptions(
    program
      .command('retry')
      .argument('<incident>', 'incident id (from procos incidents)')
      .description('retry what an incident stopped: a failed task gets one more attempt, a failed step runs again'),
  )
    .addHelpText('after', '\nExamples:\n  procos retry 0199a7c3-0b1d-7e55-8c1a-2f3b4c5d6e7f')
    .action(async (incident: string, opts: ClientOptions) => {
      const client = clientFor(ctx.io, opts);
      const res = await client.post<IncidentView | { id: string }>(`/incidents/${encodeURIComponent(incident)}/retry`, {});
      if (opts.json === true) return printJson(ctx.io, res);
      if ('processInstanceId' in res) {
        const what = res.type === 'failedExternalTask' ? 'its task gets one more attempt now' : 'the step runs again';
        print(ctx.io, `Incident ${res.id} resolved: "${res.activityName ?? res.elementId}" of ${res.key ?? 'instance'} ${res.processInstanceId}: ${what}.`);
        print(ctx.io, `Follow it with: ${commandName(ctx.io)} show ${res.processInstanceId}`);
      } else {
        print(ctx.io, `Incident ${res.id} resolved.`);
      }
    });
}
