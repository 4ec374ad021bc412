import type { Readable } from 'node:stream';
import type { BinaryName } from '../../binaries/index.js';
import type { AlertmanagerFile } from '../../routing/alertmanager-file.js';
import type { StackRuleFile } from '../../rules/stack-rules.js';
import type { DashboardFile } from '../dashboards/user-dashboards.js';
import type { PortMap, StackAddresses } from '../stack-topology.js';

export type { PortMap } from '../stack-topology.js';

/** What the stack's files are rendered from, the same in every runtime. */
export interface StackSettings {
  /** The user's Alertmanager configuration (its routing, receivers replaced by the webhook). */
  alertmanager?: AlertmanagerFile;
  ruleFiles: readonly StackRuleFile[];
  /** Prometheus' scrape and evaluation interval (default 15s, as in the seed). */
  interval?: string;
  grafanaPassword: string;
  /** The dashboards that come with the systems, by file name (`bundledDashboards`). */
  bundledDashboards: Readonly<Record<string, unknown>>;
  /** The user's dashboards (`--dashboards`): their directory (native) and their files (containers). */
  userDashboards?: { dir: string; files: readonly DashboardFile[] };
  /** TSDB blocks (a directory) for Prometheus to start with: the generators' simulated history. */
  historyBlocks?: string;
  /** Told what could not be done (history that could not be copied in). */
  onMessage?: (message: string) => void;
}

/** A job Prometheus adds to scrape one of the stack's own services. */
export interface ScrapeJob {
  job: string;
  address: string;
}

/** What a service renders its files from, in any runtime. */
export interface RenderContext {
  settings: StackSettings;
  addresses: StackAddresses;
  /** The stack's services Prometheus scrapes: those that run, and those to start after it that can. */
  scrapeJobs(): Promise<ScrapeJob[]>;
  /** The Grafana datasources of the stack's services, in order. */
  datasources: readonly object[];
  /** The trace backend the stack runs (its datasource uid is its name). */
  traces: { name: string; title: string };
}

export interface NativeContext extends RenderContext {
  /** The run's data directory. */
  dataDir: string;
  /** This service's directory in it (its configuration, data and rules). */
  root: string;
  ports: PortMap;
}

export interface ContainerContext extends RenderContext {
  image: string;
}

/** A file of the compose export, by path relative to the compose directory. */
export interface ComposeContext {
  addresses: StackAddresses;
  /** Rule files (host paths) Prometheus loads. */
  ruleFiles: readonly { name: string; content: string }[];
  bundledDashboards: Readonly<Record<string, unknown>>;
  datasources: readonly object[];
  traces: { name: string; title: string };
  scrapeJobs: readonly ScrapeJob[];
}

export interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  volumes: string[];
  /** Ports published on 127.0.0.1 (by name). */
  publish: readonly string[];
  /** Configuration files it renders, by path relative to the compose directory. */
  files: Record<string, string>;
  /** Files copied as they are (rules, dashboards), by path relative to the compose directory. */
  copies?: Record<string, string>;
}

/** What a started service answers, whichever runtime runs it. */
export interface ServiceHandle {
  readonly service: string;
  /** `http://127.0.0.1:<port>` on the host for one of its ports (default: the first). */
  url(port?: string): string;
  /** Writes files under the service's configuration root (native: its directory; container: `container.root`). */
  writeFiles(files: Readonly<Record<string, string>>): Promise<void>;
  signal(signal: NodeJS.Signals): Promise<void>;
}

/** Where a service takes what the generators send. */
export interface Ingest {
  kind: 'logs' | 'traces';
  port: string;
}

/** One service of the stack: everything each runtime and the compose export need to know about it. */
export interface StackServiceModule<Name extends string = string> {
  name: Name;
  /** Shown in datasources and messages. */
  title: string;
  /** Official image, pinned; overridable with OBS_SANDBOX_<NAME>_IMAGE (the tests use local builds). */
  image: string;
  /** Its ports, in a container and by default natively too. */
  ports: PortMap;
  /** The stack cannot run without it. */
  required: boolean;
  /** One of several trace backends: only the one chosen (`--traces`) is part of the stack. */
  traceBackend?: boolean;
  ingest?: Ingest;
  /** A trace backend's query for a service's recent traces, as a dashboard's traces panel runs it. */
  traceSearch?(service: string): { datasource: { type: string; uid: string } } & Record<string, unknown>;
  /** Prometheus scrapes its /metrics. */
  scraped?: boolean;
  datasource?(addresses: StackAddresses, traces: { name: string; title: string }): object;
  native: {
    binary: BinaryName;
    /** Files to write before anything starts, by path relative to its root. */
    files?(ctx: NativeContext): Record<string, string>;
    /** Files to write right before it starts (rendered from what runs by then). */
    lateFiles?(ctx: NativeContext): Promise<Record<string, string>>;
    args(ctx: NativeContext, binary: { path: string; assetsDir?: string }): string[];
    env?(ctx: NativeContext): Record<string, string>;
    /** How to run it, when not as the binary itself. */
    command?(
      ctx: NativeContext,
      binary: { path: string; assetsDir?: string },
      args: string[],
    ): Promise<{ command: string; args: string[] } | { unavailable: string }>;
    health: { port: string; path: string };
  };
  container: {
    /** Where its configuration lives in the container. */
    root: string;
    /** Ports published on 127.0.0.1 (by name). */
    publish: readonly string[];
    files(ctx: ContainerContext): Promise<Record<string, string>>;
    archives?(ctx: ContainerContext): Promise<{ tar: Readable; target: string }[]>;
    command: string[];
    env?(ctx: ContainerContext): Record<string, string>;
    health: { port: string; path: string };
  };
  compose(ctx: ComposeContext): ComposeService;
}

/** A module with its port names checked against its own ports. */
export function defineService<Name extends string, Ports extends PortMap>(
  module: StackServiceModule<Name> & { ports: Ports },
): StackServiceModule<Name> {
  return module;
}

export function imageFor(module: StackServiceModule, env: NodeJS.ProcessEnv = process.env): string {
  return env[`OBS_SANDBOX_${module.name.toUpperCase()}_IMAGE`] ?? module.image;
}
