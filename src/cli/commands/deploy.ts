/** `procos deploy <files…>`: deploys BPMN files to the running kernel. */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { ProcosError } from '../../common/errors.js';
import type { DeploymentResultView } from '../../api/procos-v1/index.js';
import { clientFor, printJson, withClientOptions } from '../common.js';
import type { ClientOptions, CommandContext } from '../common.js';
import { CliErrors } from '../errors.js';
import { table } from '../format.js';
import { commandName, print } from '../io.js';

/** Registers `procos deploy`. */
export function registerDeploy(program: Command, ctx: CommandContext): void {
  withClientOptions(
    program
      .command('deploy')
      .argument('<files...>', 'BPMN files (.bpmn)')
      .description('deploy BPMN files to the running kernel; an unchanged process gets no new version'),
  )
    .addHelpText('after', '\nExamples:\n  procos deploy processes/examples/file-intake.bpmn\n  procos deploy my/*.bpmn --json')
    .action(async (files: string[], opts: ClientOptions) => {
      const resources: { name: string; content: string }[] = [];
      for (const f of files) {
        const path = resolve(ctx.io.cwd, f);
        try {
          resources.push({ name: basename(path), content: await readFile(path, 'utf8') });
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          throw new ProcosError(CliErrors.FILE_UNREADABLE, `${f}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot read it (${code ?? String(e)})`}`, { file: path });
        }
      }
      const client = clientFor(ctx.io, opts);
      const res = await client.post<DeploymentResultView>('/deployments', { name: resources.map((r) => r.name).join(', '), source: 'procos deploy', resources });
      if (opts.json === true) return printJson(ctx.io, res);
      print(ctx.io, table(['DEFINITION', 'FILE', ''], res.definitions.map((d) => [`${d.key}:${d.version}`, d.resource, d.isNew ? 'new version' : 'unchanged'])));
      print(ctx.io, res.duplicate ? 'Nothing changed: every process was already deployed as it is.' : `Deployed (deployment ${res.deploymentId}). Start one with: ${commandName(ctx.io)} start <key>`);
    });
}
