/**
 * `procos run <file.bpmn>`: one shot. Boots a private kernel on a temporary store (a
 * free port, the built-in workers, no root process), deploys the file, starts one
 * instance and runs it until it ends or nothing more can happen; prints the path taken
 * with timings and the final variables. Exit 0: completed; 2: stuck (an incident, a user
 * task, a topic no worker handles) or still running at `--timeout`; 1: error.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { InstanceDetailView } from '../../api/procos-v1/index.js';
import { ProcosError } from '../../common/errors.js';
import type { KernelConfig } from '../../kernel/index.js';
import type { Runtime } from '../../runtime/index.js';
import { collect, parseSeconds, printJson } from '../common.js';
import type { CommandContext } from '../common.js';
import { CliErrors } from '../errors.js';
import { activityLabel, formatDuration, formatIncidents, formatTimeline, formatVariables, humanType } from '../format.js';
import { commandName, print, printErr } from '../io.js';
import { collectVariables } from '../vars.js';

interface RunOptions {
  readonly var?: string[];
  readonly vars?: string;
  readonly businessKey?: string;
  readonly process?: string;
  readonly timeout?: string;
  readonly config?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** How a one-shot run ended. */
export type RunOutcome = 'completed' | 'terminated' | 'stuck' | 'timeout';

/** Why an active instance cannot move on by itself, or null when something still can happen. */
async function stuckReason(runtime: Runtime, id: string, routed: ReadonlySet<string>): Promise<string | null> {
  const store = runtime.store;
  const tasks = await store.listExternalTasks({ processInstanceId: id });
  if (tasks.some((t) => (t.retries === null || t.retries > 0) && routed.has(t.topic))) return null;
  // A timer or an async continuation of this instance still comes (the job executor runs it).
  if ((await store.listJobs({ processInstanceId: id })).some((j) => j.retries === null || j.retries > 0)) return null;
  const reasons: string[] = [];
  const incidents = await store.countIncidents({ processInstanceId: id, open: true });
  if (incidents > 0) reasons.push(`${incidents} open incident${incidents === 1 ? '' : 's'}`);
  for (const t of tasks) if (!routed.has(t.topic)) reasons.push(`task "${t.elementId}" has topic "${t.topic}", which no worker route handles (add one under workers.topics in procos.yml)`);
  for (const u of await store.listUserTasks({ processInstanceId: id })) reasons.push(`user task "${u.name ?? u.elementId}" waits for a person (a one-shot run completes no user tasks; boot ProcOS for that)`);
  for (const s of await store.listSubscriptions({ processInstanceId: id })) {
    reasons.push(`"${s.elementId}" waits for the ${s.eventType} "${s.name}" (boot ProcOS and send it: POST /engine-rest/${s.eventType === 'message' ? 'message' : 'signal'})`);
  }
  return reasons.length > 0 ? reasons.join('; ') : 'it waits for something no built-in worker does';
}

function runConfig(base: KernelConfig, dir: string, verbose: boolean): KernelConfig {
  return {
    ...base,
    db: `sqlite:${join(dir, 'run.db')}?synchronous=OFF`,
    dataDir: dir,
    host: '127.0.0.1',
    port: 0,
    autoDeployProcesses: false,
    strict: false,
    rootProcess: null,
    readyFile: null,
    healthIntervalMs: 0,
    shutdownGraceMs: 2000,
    log: { level: verbose ? 'info' : 'warn', format: 'pretty' },
    workers: { ...base.workers, enabled: true },
  };
}

/** Registers `procos run`. */
export function registerRun(program: Command, ctx: CommandContext): void {
  program
    .command('run')
    .argument('<file>', 'a BPMN file')
    .description('run one instance of a BPMN file start to end on a temporary store, and print the path it took')
    .option('--var <name=value>', 'a variable; JSON values (5, true, {"a":1}) are JSON, anything else is text; repeatable', collect, [])
    .option('--vars <file.json>', 'variables from a JSON object file (--var wins)')
    .option('--business-key <key>', 'business key of the instance')
    .option('--process <key>', 'which process to start, when the file has several')
    .option('--timeout <seconds>', 'give up (exit 2) when the instance still runs after this long', '300')
    .option('-c, --config <file>', 'configuration whose workers routes to use (default: ./procos.yml when present)')
    .option('--verbose', 'log every task the workers run')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      [
        '',
        'Exit code: 0 the instance completed; 2 it is stuck (incident, user task, topic without a worker)',
        'or still running at --timeout; 1 an error (file not found, invalid BPMN, bad variables).',
        '',
        'Examples:',
        '  procos run processes/examples/kernel-report.bpmn',
        '  procos run processes/examples/file-intake.bpmn --var file=$PWD/README.md',
        '  procos run my-process.bpmn --vars input.json --json',
      ].join('\n'),
    )
    .action(async (file: string, opts: RunOptions) => {
      const { Kernel, createKernelLogger, loadConfig } = await import('../../kernel/index.js');
      const { instanceDetail } = await import('../../api/procos-v1/index.js');
      const path = resolve(ctx.io.cwd, file);
      const isFile = await stat(path).then(
        (s) => s.isFile(),
        () => false,
      );
      if (!isFile) throw new ProcosError(CliErrors.FILE_UNREADABLE, `${file}: no such file`, { file: path });
      const variables = collectVariables(opts.var, opts.vars, ctx.io.cwd);
      const timeoutMs = parseSeconds('--timeout', opts.timeout ?? '300') * 1000;
      const base = loadConfig({ cwd: ctx.io.cwd, env: ctx.io.env, ...(opts.config !== undefined ? { configPath: opts.config } : {}) });
      const dir = await mkdtemp(join(tmpdir(), 'procos-run-'));
      const config = runConfig(base, dir, opts.verbose === true);
      const kernel = new Kernel({ config, logger: createKernelLogger({ level: config.log.level, format: 'pretty', stream: ctx.io.stderr }) });
      try {
        const report = await kernel.boot();
        const deployed = await kernel.deployFile(path, basename(path));
        if (deployed.status === 'failed') {
          const p = deployed.problems[0]!;
          const more = deployed.problems.length > 1 ? ` (and ${deployed.problems.length - 1} more problem(s))` : '';
          throw new ProcosError({ code: p.code ?? 'PROCOS_RUNTIME_DEPLOYMENT_INVALID', status: 400 }, `${file} cannot run: ${p.message}${more}`, { problems: deployed.problems.map((x) => ({ ...x })) });
        }
        const defs = deployed.definitions;
        const def = opts.process !== undefined ? defs.find((d) => d.key === opts.process) : defs.length === 1 ? defs[0] : undefined;
        if (def === undefined) {
          const keys = defs.map((d) => d.key).join(', ');
          throw new ProcosError(
            CliErrors.BAD_ARGUMENT,
            opts.process !== undefined ? `${file} has no process "${opts.process}" (it has: ${keys})` : `${file} has ${defs.length} executable processes (${keys}); choose one with --process <key>`,
            { argument: '--process' },
          );
        }
        const runtime = kernel.runtime;
        const routed = new Set((report.workers?.topics ?? []).map((t) => t.topic));
        if (opts.json !== true) printErr(ctx.io, `Running ${def.key}:${def.version} from ${file} on a temporary store …`);
        const started = await runtime.startInstance({ definitionId: def.id, variables, ...(opts.businessKey !== undefined ? { businessKey: opts.businessKey } : {}) });

        const deadline = Date.now() + timeoutMs;
        let outcome: RunOutcome;
        let reason: string | null = null;
        for (;;) {
          const rec = await runtime.getInstance(started.id);
          if (rec.status !== 'active') {
            outcome = rec.status;
            break;
          }
          reason = await stuckReason(runtime, started.id, routed);
          if (reason !== null) {
            outcome = 'stuck';
            break;
          }
          if (Date.now() > deadline) {
            outcome = 'timeout';
            reason = `still running after ${formatDuration(timeoutMs)} (--timeout)`;
            break;
          }
          await new Promise((r) => setTimeout(r, 50));
        }
        const detail = (await instanceDetail(runtime.store, started.id))!;
        ctx.exitCode = outcome === 'completed' || outcome === 'terminated' ? 0 : 2;
        if (opts.json === true) printJson(ctx.io, { outcome, reason, exitCode: ctx.exitCode, instance: detail });
        else print(ctx.io, formatRun(detail, outcome, reason, commandName(ctx.io)));
      } finally {
        await kernel.stop('run finished');
        await rm(dir, { recursive: true, force: true });
      }
    });
}

/** The text `procos run` prints: the path with timings, how it ended, the final variables. */
export function formatRun(d: InstanceDetailView, outcome: RunOutcome, reason: string | null, cmd = 'procos'): string {
  const now = Date.now();
  const L: string[] = [`${d.key}:${d.version}, instance ${d.id}`, '', 'Path taken', formatTimeline(d.startTime, d.history, now), ''];
  if (outcome === 'completed' || outcome === 'terminated') {
    const ends = d.history.filter((h) => h.type === 'endEvent' && h.endTime !== null);
    const at = ends.length > 0 ? ` at ${ends.map((e) => `"${activityLabel(e)}"`).join(', ')}` : '';
    L.push(`${outcome === 'completed' ? 'Completed' : 'Terminated'}${at} in ${formatDuration((d.endTime ?? now) - d.startTime)}.`);
  } else {
    const where = d.current.map((c) => `"${activityLabel(c)}" (${humanType(c.type)})`).join(', ');
    L.push(`${outcome === 'timeout' ? 'Still running' : 'Stuck'}${where ? ` at ${where}` : ''}: ${reason ?? ''}.`);
    const open = d.incidentList.filter((i) => i.resolvedTime === null);
    if (open.length > 0) L.push('', 'Incidents', formatIncidents(open));
    L.push('', 'This was a one-shot run on a temporary store, now deleted. To keep instances and retry incidents,', `boot ProcOS (${cmd} boot) and use ${cmd} start, ${cmd} incidents and ${cmd} retry.`);
  }
  L.push('', 'Final variables', formatVariables(d.variables));
  return L.join('\n');
}
