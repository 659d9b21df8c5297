/**
 * `procos worker`: a standalone TDE worker pool over the Camunda 7 REST protocol, against
 * ProcOS or any Camunda 7 compatible engine (Camunda 7, Operaton). The same adapters and
 * routes as the built-in workers; long polling, batching, lock extension for long
 * handlers, backoff with jitter when the engine is unreachable, a summary line per
 * interval, and a graceful stop on SIGINT/SIGTERM (running tasks finish within the grace
 * period, else they are unlocked).
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ProcosError } from '../../common/errors.js';
import { CliErrors } from '../errors.js';
import type { CommandContext } from '../common.js';
import { parsePositiveInt } from '../common.js';
import { print } from '../io.js';

interface WorkerOptions {
  readonly url?: string;
  readonly config?: string;
  readonly topics?: string;
  readonly maxTasks?: string;
  readonly parallel?: string;
  readonly auth?: string;
  readonly token?: string;
  readonly workerId?: string;
  readonly asyncResponseTimeout?: string;
  readonly summaryIntervalMs?: string;
  readonly shutdownGraceMs?: string;
  readonly logLevel?: string;
  readonly logFormat?: string;
}

/** Registers `procos worker`. */
export function registerWorker(program: Command, ctx: CommandContext): void {
  program
    .command('worker')
    .description('run a TDE worker pool against an engine over the Camunda 7 REST API (ProcOS, Camunda 7, Operaton)')
    .option('--url <url>', 'the engine REST root (default: $PROCOS_ENGINE_REST_URL or http://127.0.0.1:8080/engine-rest)')
    .option('-c, --config <file>', 'workers config (YAML): topics → adapter routes, as under workers: in procos.yml (default: the built-in routes)')
    .option('--topics <a,b>', 'only these topics of the config')
    .option('--max-tasks <n>', 'tasks fetched per request (default: 10)')
    .option('--parallel <n>', 'tasks run at once (default: 4)')
    .option('--auth <user:password>', 'HTTP Basic credentials (or $PROCOS_WORKER_AUTH)')
    .option('--token <token>', 'bearer token (or $PROCOS_WORKER_TOKEN)')
    .option('--worker-id <id>', 'worker id the tasks are locked for (default: procos-worker@<host>:<pid>)')
    .option('--async-response-timeout <ms>', 'long-polling wait per fetch (default: 20000)')
    .option('--summary-interval-ms <ms>', 'period of the summary line, 0 for none (default: 60000)')
    .option('--shutdown-grace-ms <ms>', 'how long running tasks may finish at shutdown (default: 10000)')
    .option('--log-level <level>', 'trace | debug | info | warn | error | silent (default: info)')
    .option('--log-format <format>', 'pretty | json | auto (default: auto)')
    .addHelpText(
      'after',
      `
Examples:
  procos worker                                                  built-in routes against a local ProcOS
  procos worker --url http://camunda:8080/engine-rest --config workers.yml --topics charge,ship
  procos worker --auth demo:demo --parallel 8 --max-tasks 50`,
    )
    .action(async (opts: WorkerOptions) => {
      const [{ RestTransport, TdeWorker, compileRoutes }, { DEFAULT_WORKERS, createKernelLogger, substitutePlaceholders }, { parse }] = await Promise.all([
        import('../../worker/index.js'),
        import('../../kernel/index.js'),
        import('yaml'),
      ]);
      const url = (opts.url ?? process.env.PROCOS_ENGINE_REST_URL ?? 'http://127.0.0.1:8080/engine-rest').replace(/\/+$/, '');
      let raw: unknown = DEFAULT_WORKERS;
      if (opts.config !== undefined) {
        const file = resolve(opts.config);
        let text: string;
        try {
          text = await readFile(file, 'utf8');
        } catch (e) {
          throw new ProcosError(CliErrors.BAD_ARGUMENT, `cannot read the workers config ${file}: ${e instanceof Error ? e.message : String(e)}`, { option: '--config' });
        }
        let doc: unknown;
        try {
          doc = parse(text);
        } catch (e) {
          throw new ProcosError(CliErrors.BAD_ARGUMENT, `the workers config ${file} is not valid YAML: ${e instanceof Error ? e.message : String(e)}`, { option: '--config' });
        }
        raw = typeof doc === 'object' && doc !== null && 'workers' in doc ? (doc as { workers: unknown }).workers : doc;
      }
      if (opts.topics !== undefined && typeof raw === 'object' && raw !== null && 'topics' in raw) {
        const wanted = new Set(opts.topics.split(',').map((t) => t.trim()).filter((t) => t !== ''));
        const all = (raw as { topics: Record<string, unknown> }).topics;
        const unknown = [...wanted].filter((t) => !(t in all));
        if (unknown.length > 0) throw new ProcosError(CliErrors.BAD_ARGUMENT, `--topics names topics the config has no route for: ${unknown.join(', ')} (known: ${Object.keys(all).join(', ')})`, { option: '--topics' });
        raw = { ...(raw as object), topics: Object.fromEntries(Object.entries(all).filter(([t]) => wanted.has(t))) };
      }
      const base = url.replace(/\/engine-rest(\/engine\/default)?$/, '');
      const routes = compileRoutes(substitutePlaceholders(raw, { url: base, node: process.execPath, dataDir: resolve('.procos') }));
      const authText = opts.auth ?? process.env.PROCOS_WORKER_AUTH;
      const token = opts.token ?? process.env.PROCOS_WORKER_TOKEN;
      let auth: { basic: { username: string; password: string } } | { bearer: string } | undefined;
      if (authText !== undefined) {
        const i = authText.indexOf(':');
        if (i <= 0) throw new ProcosError(CliErrors.BAD_ARGUMENT, '--auth must be user:password', { option: '--auth' });
        auth = { basic: { username: authText.slice(0, i), password: authText.slice(i + 1) } };
      } else if (token !== undefined) auth = { bearer: token };
      const logger = createKernelLogger({ level: (opts.logLevel ?? 'info') as 'info', format: (opts.logFormat ?? 'auto') as 'auto' });
      const transport = new RestTransport({ baseUrl: url, ...(auth !== undefined ? { auth } : {}) });
      const workerId = opts.workerId ?? `procos-worker@${hostname()}:${process.pid}`;
      const worker = new TdeWorker({
        transport,
        workerId,
        routes,
        maxTasks: opts.maxTasks === undefined ? 10 : parsePositiveInt('--max-tasks', opts.maxTasks),
        parallel: opts.parallel === undefined ? 4 : parsePositiveInt('--parallel', opts.parallel),
        asyncResponseTimeout: opts.asyncResponseTimeout === undefined ? 20_000 : parsePositiveInt('--async-response-timeout', opts.asyncResponseTimeout),
        logger,
      });
      const topics = [...routes.topics.keys()];
      print(ctx.io, `procos worker ${workerId} → ${url.replace(/\/\/[^@/]*@/, '//')}, ${topics.length} topic(s): ${topics.join(', ')}`);
      worker.start();
      const interval = opts.summaryIntervalMs === undefined ? 60_000 : Number(opts.summaryIntervalMs);
      const timer =
        interval > 0
          ? setInterval(() => {
              const s = worker.stats();
              logger.info({ stats: s }, `worker: ${s.completed} completed, ${s.failed} failed, ${s.bpmnErrors} BPMN errors, ${s.running} running, ${s.fetched} fetched`);
            }, interval)
          : undefined;
      const grace = opts.shutdownGraceMs === undefined ? 10_000 : Number(opts.shutdownGraceMs);
      await new Promise<void>((done) => {
        const stop = (signal: string): void => {
          logger.info(`${signal}: stopping (running tasks may finish within ${grace} ms, then they are unlocked)`);
          if (timer !== undefined) clearInterval(timer);
          void worker.stop({ graceMs: grace }).then(done, done);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
      // The worker has stopped: close the keep-alive connections it left idle.
      transport.close();
      const s = worker.stats();
      print(ctx.io, `procos worker stopped: ${s.completed} completed, ${s.failed} failed, ${s.bpmnErrors} BPMN errors, ${s.unlocked} unlocked`);
    });
}
