import { createServer } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError } from '../../../generators/user-error.js';
import {
  BinaryUnavailableError,
  ensureBinary,
  findBinary,
  type BinaryName,
  type ResolvedBinary,
} from '../../binaries/index.js';
import { runTmpDir } from '../run-dir.js';
import { StartedServices } from '../running-stack.js';
import type { ServiceStatus } from '../service-status.js';
import type { StackService } from '../services/registry.js';
import type {
  NativeContext,
  PortMap,
  RenderContext,
  StackServiceModule,
  StackSettings,
} from '../services/service-module.js';
import { renderContext } from '../stack-plan.js';
import { nativeAddresses } from '../stack-topology.js';
import { httpOk } from './http-ok.js';
import { ManagedProcess } from './supervisor.js';

export type { ServiceStatus } from '../service-status.js';

type Module = StackServiceModule<StackService>;

/** Ports of the native stack on 127.0.0.1, per service: by port name, or the first port alone. */
export type NativePorts = Partial<Record<StackService, number | Partial<PortMap>>>;

function portsOf(module: Module, offset: number, given: number | Partial<PortMap> | undefined): PortMap {
  const ports = Object.fromEntries(Object.entries(module.ports).map(([k, v]) => [k, v + offset]));
  if (typeof given === 'number') ports[Object.keys(module.ports)[0]!] = given;
  else for (const [k, v] of Object.entries(given ?? {})) if (v !== undefined) ports[k] = v;
  return ports;
}

/** A service's port was taken: by another program, or, for a port chosen free a moment before, by chance. */
export class PortInUseError extends UserError {}

export interface NativeStackOptions {
  dataDir: string;
  modules: readonly Module[];
  settings: StackSettings;
  /** Added to every default port. */
  portOffset?: number;
  ports?: NativePorts;
  generators: readonly { job: string; port: number }[];
  webhookPort: number;
  /** The webhook receiver's path, which holds its secret (default /alertmanager). */
  webhookPath?: string;
  healthTimeoutMs?: number;
  onStatus?: (status: ServiceStatus) => void;
  /** What a service must wait for before it is launched (Prometheus: the history blocks in its data). */
  awaits?: Partial<Record<StackService, Promise<unknown>>>;
}

async function portFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function waitHealthy(url: string, timeoutMs: number, alive: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && alive()) {
    if (await httpOk(url, 1000)) return true;
    // Often: a health check costs a local request, and every service's wait is on the path to ready.
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** Optional services are looked up without downloading what cannot be had here; errors say how to install. */
async function findOrProvision(name: BinaryName) {
  try {
    return await findBinary(name);
  } catch (error) {
    if (!(error instanceof BinaryUnavailableError)) throw error;
    return ensureBinary(name);
  }
}

/** The stack's services as supervised child processes on 127.0.0.1. */
export class NativeStack extends StartedServices {
  private readonly processes = new Map<StackService, ManagedProcess>();
  /** Each service's ports. */
  private readonly ports: ReadonlyMap<StackService, PortMap>;
  private readonly context: RenderContext;

  private constructor(private readonly options: NativeStackOptions) {
    super(options.modules, 'native', options.onStatus);
    const offset = options.portOffset ?? 0;
    this.ports = new Map(options.modules.map((m) => [m.name, portsOf(m, offset, options.ports?.[m.name])]));
    const addresses = nativeAddresses(
      Object.fromEntries(this.ports),
      options.generators,
      options.webhookPort,
      options.webhookPath,
    );
    this.context = renderContext(options.modules, options.settings, addresses, this.board, (m) =>
      findOrProvision(m.native.binary).then(
        () => true,
        () => false,
      ),
    );
  }

  /**
   * Starts what can run, all at once; only the required services must. On failure everything started is
   * stopped, once every start has settled (none launches a process afterwards).
   */
  static async start(options: NativeStackOptions): Promise<NativeStack> {
    const stack = new NativeStack(options);
    try {
      await mkdir(join(options.dataDir, 'logs'), { recursive: true });
      // Every binary is found first: Prometheus scrapes the services that will run, so those must be known.
      const binaries = await Promise.all(options.modules.map((m) => stack.binaryOf(m)));
      // The files of the services that run (rendering the others' YAML cost ~0.1 s of CPU before ready).
      for (const [i, module] of options.modules.entries()) {
        if (!binaries[i]) continue;
        const ctx = stack.contextOf(module);
        await stack.writeFiles(module.native.files?.(ctx), ctx.root);
      }
      const starts = await Promise.allSettled(
        options.modules.map((m, i) => (binaries[i] ? stack.startService(m, binaries[i]) : undefined)),
      );
      const failed = starts.find((s) => s.status === 'rejected');
      if (failed) throw failed.reason;
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.processes.values()].map((p) => p.stop()));
  }

  private contextOf(module: Module): NativeContext {
    return {
      ...this.context,
      dataDir: this.options.dataDir,
      root: join(this.options.dataDir, module.name),
      ports: this.ports.get(module.name)!,
    };
  }

  /** Writes files under the run directory, 0600: Alertmanager's configuration holds the webhook's secret path. */
  private async writeFiles(files: Readonly<Record<string, string>> | undefined, root: string) {
    for (const [path, content] of Object.entries(files ?? {})) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content, { mode: 0o600 });
    }
  }

  private fail(module: Module, reason: string): void {
    if (module.required) throw new UserError(`${module.name} ${reason}`);
    this.board.update(module.name, { state: 'failed', reason });
  }

  /** The service's binary; none (and the service `unavailable`) when an optional one cannot be had. */
  private async binaryOf(module: Module): Promise<ResolvedBinary | undefined> {
    this.board.update(module.name, { state: 'starting' });
    try {
      return module.required
        ? await ensureBinary(module.native.binary)
        : await findOrProvision(module.native.binary);
    } catch (error) {
      if (module.required) throw error;
      const fix = error instanceof BinaryUnavailableError ? error.fix : undefined;
      this.board.update(module.name, { state: 'unavailable', reason: (error as Error).message, fix });
      return undefined;
    }
  }

  private async startService(module: Module, binary: ResolvedBinary): Promise<void> {
    const name = module.name;
    await this.options.awaits?.[name];
    const started = Date.now();
    const ctx = this.contextOf(module);
    for (const port of Object.values(ctx.ports)) {
      if (!(await portFree(port))) {
        throw new PortInUseError(
          `port ${port} on 127.0.0.1 (${name}) is in use; stop what uses it, or run \`sandbox down\` if it is an earlier sandbox`,
        );
      }
    }
    const args = module.native.args(ctx, binary);
    const run = (await module.native.command?.(ctx, binary, args)) ?? { command: binary.path, args };
    if ('unavailable' in run) {
      this.board.update(name, { state: 'unavailable', reason: run.unavailable });
      return;
    }
    if (module.native.lateFiles) await this.writeFiles(await module.native.lateFiles(ctx), ctx.root);
    const log = join(this.options.dataDir, 'logs', `${name}.log`);
    // Temporary files go into the run's directory, which `sandbox down` removes even after a SIGKILL.
    const env = {
      ...process.env,
      TMPDIR: await runTmpDir(this.options.dataDir),
      ...module.native.env?.(ctx),
    };
    const managed = new ManagedProcess(
      { name, command: run.command, args: run.args, env, logFile: log },
      (_n, code, signal) =>
        this.board.update(name, {
          state: 'crashed',
          reason: `exited (${signal ?? `code ${code}`}); see ${log}`,
        }),
    );
    this.processes.set(name, managed);
    managed.start();
    const launched = Date.now();
    const timeoutMs = this.options.healthTimeoutMs ?? 60_000;
    const health = `http://127.0.0.1:${ctx.ports[module.native.health.port]}${module.native.health.path}`;
    const ready = await waitHealthy(health, timeoutMs, () => managed.running());
    // Whatever answered must be this process: another program that took the port in the meantime would
    // answer the health check from the first poll while ours exits, unable to bind. Ours must have lived
    // 250 ms since its launch, not 250 ms more after a slow health check (Prometheus opening its history).
    if (ready) await new Promise((r) => setTimeout(r, Math.max(0, launched + 250 - Date.now())));
    if (!ready || !managed.running()) {
      const why = managed.running()
        ? `did not become ready within ${Math.round(timeoutMs / 1000)}s`
        : 'exited while starting (is its port taken?)';
      await managed.stop();
      return this.fail(module, `${why}; see ${log}`);
    }
    this.handles.set(name, {
      service: name,
      url: (port) => `http://127.0.0.1:${port ? ctx.ports[port] : Object.values(ctx.ports)[0]}`,
      writeFiles: (files) => this.writeFiles(files, ctx.root),
      signal: async (signal) => managed.signal(signal),
    });
    this.board.update(name, {
      state: 'running',
      url: `http://127.0.0.1:${Object.values(ctx.ports)[0]}`,
      version: binary.version,
      pid: managed.pid,
      process: managed.identity(),
      readyMs: Date.now() - started,
    });
  }
}
