/**
 * The microkernel: boots, deploys, hands over to BPMN, then only watches.
 *
 * {@link Kernel.boot} runs the boot sequence on a validated {@link KernelConfig}:
 * 1. (configuration: loaded before, by `loadConfig`)
 * 2. open and migrate the store (creating the SQLite folder);
 * 3. start the runtime and the HTTP listener (`/health`, `/procos/v1`, `/engine-rest`);
 * 4. deploy every .bpmn under the processes folder (a broken file is reported and
 *    skipped, unless `strict`);
 * 5. write the readiness marker and flip `/health` to ready;
 * 6. start the root process unless one is already running, and the runtime's job
 *    executor (timers, async continuations);
 * 7. start the built-in workers over an in-process transport.
 *
 * Then {@link Kernel.watch} logs a health line periodically and restarts a failed
 * worker with backoff; {@link Kernel.stop} shuts down gracefully. All state is in the
 * store, so a second boot on the same store resumes everything: locks the previous run
 * of this node held are released at once, the root process is not started twice.
 */
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { API_PATHS, ENGINE_REST_MOUNTED, createApiServer } from '../api/server.js';
import type { ApiServer, HealthReport } from '../api/server.js';
import { statusCounts } from '../api/procos-v1/index.js';
import { ProcosError, isProcosError } from '../common/errors.js';
import type { JsonObject } from '../common/json.js';
import type { Logger } from '../observability/index.js';
import { Runtime } from '../runtime/index.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/index.js';
import { TdeWorker, compileRoutes } from '../worker/index.js';
import type { CompiledRoutes } from '../worker/index.js';
import type { KernelConfig } from './config.js';
import { deployFile, deployFolder, isFolder } from './deploy-folder.js';
import type { FileDeployResult } from './deploy-folder.js';
import { KernelErrors } from './errors.js';
import { InProcessTransport } from './in-process-transport.js';
import { createKernelLogger } from './log-format.js';
import { substitutePlaceholders } from './placeholders.js';
import { removeReadyMarker, writeReadyMarker } from './ready-marker.js';
import { Supervisor } from './supervisor.js';
import { PROCOS_VERSION } from './version.js';

/** Lifecycle of a kernel: `created` → `booting` → `running` → `stopping` → `stopped` (also after a failed boot). */
export type KernelState = 'created' | 'booting' | 'running' | 'stopping' | 'stopped';

/** Options of {@link Kernel}. */
export interface KernelOptions {
  readonly config: KernelConfig;
  /** @default a logger made from `config.log` (pretty on a terminal, else JSON lines) */
  readonly logger?: Logger;
}

/** What boot step 6 did. */
export type RootReport =
  | { readonly outcome: 'started' | 'running'; readonly key: string; readonly version: number; readonly instanceId: string }
  | { readonly outcome: 'none'; readonly reason: string };

/** What the built-in workers run. */
export interface WorkersReport {
  readonly id: string;
  readonly parallel: number;
  readonly topics: readonly { readonly topic: string; readonly adapter: string }[];
}

/** Everything the boot summary shows. */
export interface BootReport {
  readonly version: string;
  readonly pid: number;
  /** ms from `boot()` to ready. */
  readonly bootMs: number;
  readonly configFile: string | null;
  /** Store URL, password hidden. */
  readonly db: string;
  readonly storeKind: 'sqlite' | 'postgres';
  readonly schemaVersion: number;
  readonly processes: string;
  /** Null when auto-deploy is off. */
  readonly deployed: readonly FileDeployResult[] | null;
  readonly root: RootReport;
  /** Null when the built-in workers are off. */
  readonly workers: WorkersReport | null;
  readonly url: string;
  readonly urls: { readonly health: string; readonly procosV1: string; readonly engineRest: string | null };
  readonly readyFile: string | null;
  /** Things a person should know (missing folder, failed files, no root process). */
  readonly warnings: readonly string[];
}

/** Hides a password in a URL. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** How long a worker may go without fetching (while it has free slots) before it counts as stalled, beyond its long poll, ms. */
const STALL_MARGIN_MS = 45_000;

/**
 * The ProcOS microkernel. One instance per process.
 * @example
 * const kernel = new Kernel({ config: loadConfig() });
 * const report = await kernel.boot();
 * kernel.watch();
 * process.once('SIGTERM', () => void kernel.stop('SIGTERM'));
 */
export class Kernel {
  readonly config: KernelConfig;
  readonly logger: Logger;
  private current: KernelState = 'created';
  private healthState: HealthReport = { status: 'starting' };
  private storeRef: Store | null = null;
  private runtimeRef: Runtime | null = null;
  private server: ApiServer | null = null;
  private transport: InProcessTransport | null = null;
  private workerRef: TdeWorker | null = null;
  private routes: CompiledRoutes | null = null;
  private workerId = '';
  private baseUrl = '';
  private startedAt = 0;
  private supervisor: Supervisor | null = null;
  private healthTimer: ReturnType<typeof setInterval> | null = null;
  private stopping: Promise<void> | null = null;

  constructor(options: KernelOptions) {
    this.config = options.config;
    this.logger = options.logger ?? createKernelLogger(options.config.log);
  }

  /** The lifecycle state. */
  get state(): KernelState {
    return this.current;
  }

  /** The runtime. @throws PROCOS_KERNEL_LIFECYCLE before boot */
  get runtime(): Runtime {
    if (this.runtimeRef === null) throw new ProcosError(KernelErrors.LIFECYCLE, `the kernel is ${this.current}: it has no runtime`, { state: this.current });
    return this.runtimeRef;
  }

  /** The kernel's base URL (e.g. `http://127.0.0.1:8080`), once listening; '' before. */
  get url(): string {
    return this.baseUrl;
  }

  /** The built-in worker, while one runs. */
  get worker(): TdeWorker | null {
    return this.workerRef;
  }

  /** What `/health` answers. */
  health(): HealthReport {
    return this.healthState;
  }

  /**
   * Runs boot steps 2–7 (see the module doc).
   * @throws PROCOS_KERNEL_STORE_OPEN_FAILED, PROCOS_KERNEL_DATA_DIR_FAILED,
   *   PROCOS_KERNEL_LISTEN_FAILED, PROCOS_KERNEL_PROCESSES_DIR_MISSING,
   *   PROCOS_KERNEL_DEPLOY_FAILED and PROCOS_KERNEL_ROOT_NOT_DEPLOYED (the last three
   *   only when they apply, see {@link KernelConfig}), PROCOS_KERNEL_LIFECYCLE when
   *   called twice. After a failed boot everything opened is closed again.
   */
  async boot(): Promise<BootReport> {
    if (this.current !== 'created') throw new ProcosError(KernelErrors.LIFECYCLE, `boot() called on a kernel that is ${this.current}`, { state: this.current });
    this.current = 'booting';
    this.startedAt = Date.now();
    const warnings: string[] = [];
    try {
      const store = await this.openStore();
      // A stable node id per host and port: job locks of a killed run of this node can be released at the next boot.
      this.runtimeRef = new Runtime(store, {
        ...(this.config.port !== 0 ? { nodeId: `kernel@${hostname()}:${this.config.port}` } : {}),
        onBackgroundError: (e) => this.logger.warn({ error: { message: e instanceof Error ? e.message : String(e), code: isProcosError(e) ? e.code : undefined } }, 'topic notifications across nodes failed; long polls here still wake on this node\'s tasks and time out as usual'),
      });
      await this.listen();
      const deployed = await this.deployProcesses(warnings);
      await this.markReady();
      const root = await this.startRoot(warnings);
      await this.startJobs();
      const workers = await this.startWorkers();
      this.current = 'running';
      return {
        version: PROCOS_VERSION,
        pid: process.pid,
        bootMs: Date.now() - this.startedAt,
        configFile: this.config.configFile,
        db: redactUrl(this.config.db),
        storeKind: store.kind,
        schemaVersion: store.schemaVersion,
        processes: this.config.processes,
        deployed,
        root,
        workers,
        url: this.baseUrl,
        urls: {
          health: `${this.baseUrl}${API_PATHS.health}`,
          procosV1: `${this.baseUrl}${API_PATHS.procosV1}`,
          engineRest: ENGINE_REST_MOUNTED ? `${this.baseUrl}${API_PATHS.engineRest}` : null,
        },
        readyFile: this.config.readyFile,
        warnings,
      };
    } catch (e) {
      await this.shutdown('boot failed').catch(() => undefined);
      throw e;
    }
  }

  // ------------------------------------------------------------------ boot steps

  private async openStore(): Promise<Store> {
    const db = this.config.db;
    const sqlitePath = db.startsWith('sqlite:') && !db.startsWith('sqlite::memory:') ? db.slice('sqlite:'.length).replace(/\?.*$/, '') : null;
    for (const dir of [this.config.dataDir, ...(sqlitePath !== null ? [dirname(sqlitePath)] : [])]) {
      try {
        await mkdir(dir, { recursive: true });
      } catch (e) {
        throw new ProcosError(KernelErrors.DATA_DIR_FAILED, `cannot create the folder ${dir}: ${messageOf(e)}`, { path: dir }, { cause: e });
      }
    }
    try {
      this.storeRef = await openStore(db);
      return this.storeRef;
    } catch (e) {
      const why = isProcosError(e) ? `${e.message} (${e.code})` : messageOf(e);
      throw new ProcosError(KernelErrors.STORE_OPEN_FAILED, `cannot open the store ${redactUrl(db)}: ${why}`, { db: redactUrl(db) }, { cause: e });
    }
  }

  private async listen(): Promise<void> {
    const { host, port } = this.config;
    const server = await createApiServer({
      runtime: this.runtime,
      logger: this.logger,
      health: () => this.healthState,
      kernelStatus: () => this.kernelStatus(),
    });
    this.server = server;
    try {
      await server.listen({ host, port });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const reason =
        code === 'EADDRINUSE'
          ? `port ${port} is already in use on ${host} (another ProcOS?). Stop it, or choose another port with --port or PROCOS_PORT`
          : code === 'EACCES'
            ? `not allowed to listen on port ${port} (ports below 1024 need privileges); choose another with --port or PROCOS_PORT`
            : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND'
              ? `the address ${host} is not an address of this machine; set --host or PROCOS_HOST`
              : messageOf(e);
      throw new ProcosError(KernelErrors.LISTEN_FAILED, `cannot listen on ${host}:${port}: ${reason}`, { host, port, reason: code ?? messageOf(e) }, { cause: e });
    }
    const address = server.server.address();
    const actualPort = typeof address === 'object' && address !== null ? address.port : port;
    const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    this.baseUrl = `http://${shownHost}:${actualPort}`;
  }

  private async deployProcesses(warnings: string[]): Promise<FileDeployResult[] | null> {
    if (!this.config.autoDeployProcesses) return null;
    const dir = this.config.processes;
    if (!(await isFolder(dir))) {
      const message = `the processes folder ${dir} does not exist`;
      if (this.config.processesExplicit || this.config.strict) {
        throw new ProcosError(KernelErrors.PROCESSES_DIR_MISSING, `${message}; create it or set --processes / PROCOS_PROCESSES`, { path: dir });
      }
      warnings.push(`${message}: nothing deployed`);
      this.logger.warn({ path: dir }, 'no processes folder: nothing deployed');
      return [];
    }
    const results = await deployFolder(this.runtime, dir);
    const failed = results.filter((r) => r.status === 'failed');
    for (const f of failed) {
      for (const p of f.problems) {
        this.logger.warn({ file: f.file, ...(p.elementId !== undefined ? { elementId: p.elementId } : {}), ...(p.line !== undefined ? { line: p.line } : {}), reason: p.message }, 'process file not deployed');
      }
      warnings.push(`${f.file} was not deployed: ${f.problems[0]?.message ?? 'refused'}`);
    }
    if (failed.length > 0 && this.config.strict) {
      const failures = failed.map((f) => ({ file: f.file, ...(f.problems[0]?.elementId !== undefined ? { elementId: f.problems[0].elementId } : {}), message: f.problems[0]?.message ?? 'refused' }));
      throw new ProcosError(KernelErrors.DEPLOY_FAILED, `${failed.length} process file(s) did not deploy (--strict): ${failures.map((f) => f.message).join('; ')}`, { failures });
    }
    return results;
  }

  private async markReady(): Promise<void> {
    this.healthState = { status: 'ready' };
    if (this.config.readyFile === null) return;
    await writeReadyMarker(this.config.readyFile, {
      pid: process.pid,
      url: this.baseUrl,
      db: redactUrl(this.config.db),
      version: PROCOS_VERSION,
      readyAt: new Date().toISOString(),
    });
  }

  private async startRoot(warnings: string[]): Promise<RootReport> {
    const key = this.config.rootProcess;
    if (key === null) return { outcome: 'none', reason: 'no root process configured' };
    const store = this.runtime.store;
    const def = await store.getLatestProcessDefinition(key);
    if (def === null) {
      const message = `root process "${key}" is not deployed`;
      if (this.config.strict) throw new ProcosError(KernelErrors.ROOT_NOT_DEPLOYED, `${message} (--strict)`, { key });
      if (this.config.rootProcessExplicit) warnings.push(`${message}; nothing started`);
      return { outcome: 'none', reason: `"${key}" is not deployed` };
    }
    const running = await store.listInstances({ processDefinitionKey: key, status: 'active' }, { maxResults: 1 });
    if (running.length > 0) {
      const r = running[0]!;
      const d = await store.getProcessDefinition(r.processDefinitionId);
      this.logger.debug({ key, processInstanceId: r.id }, 'root process already running; not started again');
      return { outcome: 'running', key, version: d?.version ?? def.version, instanceId: r.id };
    }
    const started = await this.runtime.startInstance({ key });
    this.logger.debug({ key, version: def.version, processInstanceId: started.id }, 'root process started');
    return { outcome: 'started', key, version: def.version, instanceId: started.id };
  }

  /** Releases job locks a killed run of this node left (they would block timers for minutes), then runs due jobs continuously. */
  private async startJobs(): Promise<void> {
    const runtime = this.runtime;
    const now = runtime.now();
    const stale = (await runtime.store.listJobs({ dueBefore: now }, { maxResults: 10_000 })).filter(
      (j) => j.lockOwner === runtime.nodeId && j.lockExpirationTime !== null && j.lockExpirationTime > now,
    );
    if (stale.length > 0) {
      await runtime.store.commit({ jobUpdates: stale.map((j) => ({ id: j.id, expectedLockOwner: runtime.nodeId, releaseLock: true })) });
      this.logger.info({ count: stale.length, nodeId: runtime.nodeId }, 'released job locks held by the previous run of this node');
    }
    runtime.startJobExecutor();
  }

  private async startWorkers(): Promise<WorkersReport | null> {
    if (!this.config.workers.enabled) return null;
    const port = new URL(this.baseUrl).port;
    this.workerId = this.config.workers.id ?? `builtin@${hostname()}:${port}`;
    this.routes = compileRoutes(substitutePlaceholders(this.config.workers.routes, { url: this.baseUrl, node: process.execPath, dataDir: this.config.dataDir }));
    this.transport = new InProcessTransport(this.runtime);
    await this.releaseStaleLocks();
    this.workerRef = this.newWorker();
    this.workerRef.start();
    return {
      id: this.workerId,
      parallel: this.config.workers.parallel,
      topics: [...this.routes.topics.values()].map((r) => ({ topic: r.topic, adapter: r.adapterName })),
    };
  }

  private newWorker(): TdeWorker {
    return new TdeWorker({
      transport: this.transport!,
      workerId: this.workerId,
      routes: this.routes!,
      parallel: this.config.workers.parallel,
      asyncResponseTimeout: this.config.workers.asyncResponseTimeout,
      logger: this.logger,
    });
  }

  /** Tasks locked by this node's worker id belong to a run of it that is gone (crashed or killed): offer them again at once. */
  private async releaseStaleLocks(): Promise<void> {
    const runtime = this.runtime;
    const stale = await runtime.store.listExternalTasks({ workerId: this.workerId, lockedAt: runtime.now() });
    for (const t of stale) await runtime.unlockExternalTask(t.id).catch(() => undefined);
    if (stale.length > 0) this.logger.info({ count: stale.length, workerId: this.workerId }, 'released task locks held by the previous run of this node');
  }

  // ------------------------------------------------------------------ watch

  /** Kernel facts for `/procos/v1/status`. */
  kernelStatus(): JsonObject {
    const w = this.workerRef;
    return {
      version: PROCOS_VERSION,
      pid: process.pid,
      url: this.baseUrl,
      startedAt: new Date(this.startedAt).toISOString(),
      uptimeMs: Date.now() - this.startedAt,
      health: this.healthState.status,
      workers: w === null ? [] : [{ id: this.workerId, state: w.state, parallel: this.config.workers.parallel, topics: [...(this.routes?.topics.keys() ?? [])], stats: { ...w.stats() } }],
    };
  }

  /** One line for people: instances, tasks, incidents, workers. */
  async healthLine(): Promise<string> {
    const c = await statusCounts(this.runtime.store, this.runtime.now());
    const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
    const w = this.workerRef;
    const workers = w === null ? 'no built-in workers' : `worker ${w.state} (${w.stats().running}/${this.config.workers.parallel} busy, ${w.stats().completed} completed, ${w.stats().failed} failed)`;
    return [
      `${plural(c.instances.active, 'instance')} running`,
      `${plural(c.externalTasks.waiting, 'task')} waiting, ${c.externalTasks.locked} locked`,
      `${plural(c.userTasks, 'user task')}`,
      `${plural(c.incidents.open, 'open incident')}`,
      workers,
    ].join(', ');
  }

  /**
   * Starts watching: a health line every `healthIntervalMs` (0: none), a store probe and
   * worker supervision every `tickMs` (a stalled or stopped worker is replaced, with
   * exponential backoff between attempts).
   */
  watch(options: { tickMs?: number } = {}): void {
    if (this.current !== 'running' || this.supervisor !== null) return;
    if (this.config.healthIntervalMs > 0) {
      this.healthTimer = setInterval(() => {
        this.healthLine().then(
          (line) => this.logger.info({ event: 'health' }, `health: ${line}`),
          (e: unknown) => this.logger.warn({ error: { message: messageOf(e) } }, 'health line failed'),
        );
      }, this.config.healthIntervalMs);
      this.healthTimer.unref();
    }
    this.supervisor = new Supervisor({ logger: this.logger, tickMs: options.tickMs ?? 2000 });
    this.supervisor.add({
      name: 'store',
      check: async () => {
        try {
          await this.runtime.store.countInstances({ status: 'active' });
          if (this.healthState.status === 'degraded') {
            this.healthState = { status: 'ready' };
            this.logger.info('store reachable again; ready');
          }
          return null;
        } catch (e) {
          const reason = `store unreachable: ${messageOf(e)}`;
          if (this.healthState.status === 'ready') this.healthState = { status: 'degraded', reason };
          return reason;
        }
      },
    });
    if (this.workerRef !== null) {
      this.supervisor.add({
        name: 'built-in worker',
        check: async () => this.workerProblem(),
        restart: async () => this.restartWorker(),
      });
    }
    this.supervisor.start();
  }

  /** Why the worker is not healthy, or null. */
  private workerProblem(): string | null {
    const w = this.workerRef;
    if (w === null || this.current !== 'running') return null;
    if (w.state === 'stopped' || w.state === 'stopping') return `worker ${this.workerId} is ${w.state}`;
    const last = this.transport?.lastFetchAt(this.workerId);
    const free = w.stats().running < this.config.workers.parallel;
    const limit = this.config.workers.asyncResponseTimeout + STALL_MARGIN_MS;
    if (free && last !== undefined && Date.now() - last > limit) return `worker ${this.workerId} has not fetched for ${Math.round((Date.now() - last) / 1000)} s`;
    return null;
  }

  private async restartWorker(): Promise<void> {
    const old = this.workerRef;
    if (old !== null && old.state !== 'stopped') {
      await Promise.race([old.stop({ graceMs: 0 }), new Promise((r) => setTimeout(r, 5000).unref())]);
    }
    if (this.current !== 'running') return;
    this.workerRef = this.newWorker();
    this.workerRef.start();
  }

  // ------------------------------------------------------------------ stop

  /**
   * Shuts down gracefully: `/health` says stopping; the worker stops fetching, running
   * tasks get `shutdownGraceMs` to finish (the rest are unlocked for the next run); the
   * runtime, the listener and the store close; the readiness marker is removed.
   * Calling it again returns the same promise.
   */
  stop(reason = 'stop requested'): Promise<void> {
    if (this.stopping === null) this.stopping = this.shutdown(reason);
    return this.stopping;
  }

  private async shutdown(reason: string): Promise<void> {
    const wasRunning = this.current === 'running';
    this.current = 'stopping';
    this.healthState = { status: 'stopping', reason };
    this.supervisor?.stop();
    if (this.healthTimer !== null) clearInterval(this.healthTimer);
    if (wasRunning) this.logger.info({ reason, graceMs: this.config.shutdownGraceMs, running: this.workerRef?.stats().running ?? 0 }, 'shutting down');
    const errors: string[] = [];
    const step = async (what: string, fn: () => Promise<unknown> | unknown): Promise<void> => {
      try {
        await fn();
      } catch (e) {
        errors.push(`${what}: ${messageOf(e)}`);
      }
    };
    if (this.workerRef !== null) await step('workers', () => this.workerRef!.stop({ graceMs: this.config.shutdownGraceMs }));
    this.runtimeRef?.close();
    if (this.server !== null) await step('http', () => this.server!.close());
    if (this.storeRef !== null) await step('store', () => this.storeRef!.close());
    if (this.config.readyFile !== null && wasRunning) await removeReadyMarker(this.config.readyFile);
    this.current = 'stopped';
    if (errors.length > 0) this.logger.warn({ errors }, 'shutdown finished with errors');
    if (wasRunning) this.logger.info('stopped');
  }

  // ------------------------------------------------------------------ one-shot helpers

  /** Deploys one file (used by `procos run`). Never throws for a bad file; see `status`. */
  deployFile(path: string, name: string): Promise<FileDeployResult> {
    return deployFile(this.runtime, path, name, 'procos run');
  }
}
