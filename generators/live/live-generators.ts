import type { Clock } from '../clock.js';
import { WallClock } from '../clock.js';
import type { FaultRequest } from '../model/faults/fault-catalogue.js';
import type { Simulation } from '../model/simulation.js';
import type { SystemDefinition } from '../model/system.js';
import type { LogRecord, ModelSink, SpanRecord } from '../model/types.js';
import { displayUrl } from '../outputs/display-url.js';
import { LokiPusher, type LokiPusherStats } from '../outputs/logs/loki-push.js';
import { RingBuffer } from '../outputs/logs/ring-buffer.js';
import { MemoryMetrics } from '../outputs/metrics/memory-store.js';
import { HandOverMetrics } from '../outputs/metrics/hand-over-metrics.js';
import { TargetServer } from '../outputs/metrics/target-server.js';
import { RemoteWriteOutput, type RemoteWriteStats } from '../outputs/remote-write/remote-write-output.js';
import type { TimeSeries } from '../outputs/remote-write/write-request.js';
import { OtlpTraceOutput, type OtlpTraceStats } from '../outputs/traces/otlp-output.js';
import type { PushTarget } from '../outputs/push-target.js';
import { defaultSystems } from '../systems/index.js';
import { shardTargets, type ReplicaTarget, type Shard } from '../systems/scale.js';
import { targetsOf } from '../systems/targets.js';
import { recordHistory, type History, type HistoryEstimateCheck } from './history.js';
import { createReplica, type Replica } from './replica.js';
import { seriesOfTargets, type LiveRemoteWrite } from './remote-series.js';
import { WorkSlicer } from './work-slicer.js';

/** Wall time one step may take: shorter than the default step interval (250 ms), so signals get their turn. */
const STEP_SLICE_MS = 200;

export interface LiveOptions {
  seed: number | string;
  /** First target's port; the others follow (N, N+1, ...). 0 picks free ports. */
  port: number;
  hosts?: readonly string[];
  knobs?: Readonly<Record<string, unknown>>;
  faults?: readonly FaultRequest[];
  /** Where the log lines are pushed, with auth, the tenant (X-Scope-OrgID), the user's own headers, TLS. */
  loki?: PushTarget;
  /**
   * Loki comes up after the generators: their log lines are held (the newest `heldLogLines`, default
   * 10,000; the others counted as dropped) until `connectLoki` sends them or says there is no Loki.
   */
  awaitLoki?: boolean;
  heldLogLines?: number;
  /** Where the spans are exported over OTLP/HTTP, with headers and TLS as Loki's. */
  otlp?: PushTarget;
  clock?: Clock;
  /** How often the model is advanced between scrapes. */
  stepIntervalMs?: number;
  /**
   * Model time simulated before now, sampled every `historyIntervalMs` (see `history()`), so that the
   * stack can start with full baselines; logs and spans of that time are not produced.
   */
  historyMs?: number;
  historyIntervalMs?: number;
  /** Refuses a history too large, before most of it is simulated (see HistoryEstimateCheck). */
  checkHistory?: HistoryEstimateCheck;
  /** Lines and spans kept in memory for the TUI and `--log-file`. */
  localBufferSize?: number;
  systems?: readonly SystemDefinition[];
  /** Copies of the systems (`--scale`), each with a seed of its own; 1 (the default) runs them once. */
  scale?: number;
  /** The part of the scaled targets this process serves (`--shard i/N`); all of them by default. */
  shard?: Shard;
  /** Serve the scrape targets (default true); false when only pushing. */
  scrape?: boolean;
  remoteWrite?: LiveRemoteWrite;
  onStatus?: (message: string) => void;
  /** Called with every log record, after it is buffered (e.g. to append it to a file). */
  onLog?: (record: LogRecord) => void;
}

export interface TargetInfo {
  job: string;
  /** Ordinal of the target among its job's. */
  instance: number;
  /** The copy of the systems it belongs to, when scaled (`--scale`). */
  replica?: number;
  url: string;
}

/**
 * The model running on a clock, served live: one scrape target per job's target (most jobs have one), logs
 * to Loki, spans over OTLP, and the most recent of both kept in memory.
 */
export class LiveGenerators {
  /** The first replica's model (the only one unless scaled). */
  readonly simulation: Simulation;
  readonly logs: RingBuffer<LogRecord>;
  readonly spans: RingBuffer<SpanRecord>;
  /** The replicas that have a target in this shard, by index. */
  private readonly replicas = new Map<number, Replica>();
  /** This shard's targets. */
  private readonly owned: ReplicaTarget[];
  private readonly servers: { target: ReplicaTarget; server: TargetServer }[] = [];
  private remote: RemoteWriteOutput | undefined;
  private readonly clock: Clock;
  private loki: LokiPusher | undefined;
  /** A second Loki the lines also go to (`sandbox start --loki`), beside the stack's own. */
  private extraLoki: LokiPusher | undefined;
  /** Lines produced before Loki was ready (see `awaitLoki`). */
  private heldLogs: RingBuffer<LogRecord> | undefined;
  private otlp: OtlpTraceOutput | undefined;
  /** A second OTLP receiver the spans also go to (`sandbox start --otlp`), beside the stack's own. */
  private extraOtlp: OtlpTraceOutput | undefined;
  private timer: NodeJS.Timeout | undefined;
  private recorded: Promise<History | undefined> = Promise.resolve(undefined);
  private readonly pendingHistory: ((signal: AbortSignal) => Promise<History>) | undefined;
  /** Ends the history's simulation when the generators stop before it is done. */
  private readonly historyAbort = new AbortController();
  private readonly slicer = new WorkSlicer();
  /**
   * True while the history is simulated: the model makes no logs and spans (only its metrics are
   * recorded), writes its metrics into the history's store (the registries take them over after), the live
   * clock does not advance it, and the targets cut every connection (what they would serve is the past).
   */
  private recordingHistory = false;
  /** True while `holdSteps` holds the model where it is. */
  private held = false;
  /** Ticks of the step timer to let pass after a hold (see `holdSteps`). */
  private skipTicks = 0;

  private constructor(private readonly options: LiveOptions) {
    const systems = options.systems ?? defaultSystems();
    this.clock = options.clock ?? new WallClock();
    const historyMs = options.historyMs ?? 0;
    const startTime = this.clock.now() - historyMs;
    const scale = options.scale ?? 1;
    this.owned = shardTargets(targetsOf(systems), scale, options.shard);
    const replicaIndexes = [...new Set(this.owned.map((t) => t.replica))];
    if (historyMs > 0 && (scale > 1 || options.shard))
      throw new Error('history is simulated for an unscaled, unsharded run only');
    this.logs = new RingBuffer(options.localBufferSize ?? 10_000);
    this.spans = new RingBuffer(options.localBufferSize ?? 10_000);
    const report = (event: { message: string }) => options.onStatus?.(event.message);
    this.loki = options.loki ? new LokiPusher({ ...options.loki, onStatus: report }) : undefined;
    if (!this.loki && options.awaitLoki) this.heldLogs = new RingBuffer(options.heldLogLines ?? 10_000);
    this.otlp = options.otlp ? new OtlpTraceOutput({ ...options.otlp, onStatus: report }) : undefined;
    const modelNow = () => this.replicas.values().next().value?.time.now() ?? startTime;
    const metrics = systems.flatMap((s) => s.metrics);
    const store = historyMs > 0 ? new MemoryMetrics(metrics, { now: modelNow }) : undefined;
    // While the history is simulated the model writes into the store alone, the registries loaded from it after.
    const handOvers: HandOverMetrics[] = [];
    const sink: Omit<ModelSink, 'metrics'> = {
      log: (record) => {
        this.logs.push(record);
        if (this.loki) this.loki.push(record);
        else this.heldLogs?.push(record);
        this.extraLoki?.push(record);
        options.onLog?.(record);
      },
      span: (record) => {
        this.spans.push(record);
        this.otlp?.span(record);
        this.extraOtlp?.span(record);
      },
    };
    // Every replica's lines go to Loki, OTLP or a file; held in memory only, the first replica's are enough.
    const detailed = (index: number) =>
      index === replicaIndexes[0] ||
      Boolean(options.loki ?? options.otlp ?? options.onLog ?? options.awaitLoki);
    for (const index of replicaIndexes)
      this.replicas.set(
        index,
        createReplica(index, {
          systems,
          seed: options.seed,
          startTime,
          sink: detailed(index) ? sink : {},
          knobs: options.knobs,
          faults: options.faults,
          labelled: scale > 1,
          scrape: options.scrape !== false || store !== undefined,
          wrapMetrics: store && (() => handOvers[handOvers.push(new HandOverMetrics(store)) - 1]!),
        }),
      );
    const first = this.replicas.values().next().value;
    if (!first) throw new Error(`shard ${options.shard?.index}/${options.shard?.count} has no targets`);
    this.simulation = first.simulation;
    const handOver = handOvers[0];
    const registries = first.registries;
    if (store && handOver && registries) {
      this.recordingHistory = true;
      this.simulation.muteDetail(true);
      this.pendingHistory = async (signal) => {
        const history = await recordHistory(
          this.simulation,
          store,
          targetsOf(systems),
          {
            startMs: startTime,
            endMs: startTime + historyMs,
            intervalMs: options.historyIntervalMs ?? 15_000,
            now: () => this.clock.now(),
          },
          options.checkHistory,
          signal,
        );
        registries.load(store);
        handOver.handOver(registries);
        this.recordingHistory = false;
        this.simulation.muteDetail(false);
        return history;
      };
    }
  }

  /** The model of each replica that has a target in this shard, by replica index. */
  simulations(): Map<number, Simulation> {
    return new Map([...this.replicas].map(([index, replica]) => [index, replica.simulation]));
  }

  /**
   * The simulated history (`historyMs`), once recorded; undefined without one. Rejects when it is refused
   * (`checkHistory`) or the generators stopped before it was done. The live model starts when it ends.
   */
  history(): Promise<History | undefined> {
    return this.recorded;
  }

  /**
   * Starts the targets and the clock, then simulates the history in the background (see `history()`): the
   * ports are known at once, so the stack can start meanwhile. On failure (a busy port) everything started
   * so far is closed.
   */
  static async start(options: LiveOptions): Promise<LiveGenerators> {
    const live = new LiveGenerators(options);
    try {
      if (options.scrape !== false) await live.listen();
      if (options.remoteWrite) live.connectRemoteWrite(options.remoteWrite);
    } catch (error) {
      await live.stop();
      throw error;
    }
    if (live.pendingHistory) {
      live.recorded = live.pendingHistory(live.historyAbort.signal);
      // Whoever reads the history hears of its failure; the generators themselves go on.
      live.recorded.catch(() => undefined);
    }
    live.timer = setInterval(() => {
      if (live.skipTicks > 0) live.skipTicks--;
      else live.step();
    }, options.stepIntervalMs ?? 250);
    return live;
  }

  /**
   * Starts pushing logs to Loki (for a stack that comes up after the generators), the lines held since the
   * start first; undefined: there is no Loki, and the held lines are let go.
   */
  connectLoki(url: string | undefined): void {
    const held = this.heldLogs;
    this.heldLogs = undefined;
    if (url === undefined || this.loki) return;
    this.loki = new LokiPusher({ url, onStatus: (e) => this.options.onStatus?.(e.message) });
    if (!held) return;
    for (const record of held.toArray()) this.loki.push(record);
    if (held.dropped > 0)
      this.options.onStatus?.(
        `${held.dropped} log lines from before Loki was ready were dropped (the newest ${held.capacity} were kept)`,
      );
  }

  /** Starts exporting spans over OTLP/HTTP. */
  connectOtlp(url: string): void {
    this.otlp ??= new OtlpTraceOutput({ url, onStatus: (e) => this.options.onStatus?.(e.message) });
  }

  /** Also pushes every line from now on to a second Loki (a remote one, beside the stack's). */
  connectExtraLoki(target: PushTarget): void {
    this.extraLoki ??= new LokiPusher({
      ...target,
      onStatus: (e) => this.options.onStatus?.(`Loki ${displayUrl(target.url)}: ${e.message}`),
    });
  }

  /** Also exports every span from now on to a second OTLP receiver (a remote one, beside the stack's). */
  connectExtraOtlp(target: PushTarget): void {
    this.extraOtlp ??= new OtlpTraceOutput({
      ...target,
      onStatus: (e) => this.options.onStatus?.(e.message),
    });
  }

  /** What the second OTLP receiver (`connectExtraOtlp`) has been sent so far; undefined without it. */
  extraOtlpStats(): OtlpTraceStats | undefined {
    return this.extraOtlp?.stats();
  }

  /** What the second Loki (`connectExtraLoki`) has been sent so far; undefined without it. */
  extraLokiStats(): LokiPusherStats | undefined {
    return this.extraLoki?.stats();
  }

  /** Starts pushing every series over remote write (for a sandbox whose stack was started first). */
  connectRemoteWrite(options: LiveRemoteWrite): void {
    if (this.remote) return;
    this.remote = new RemoteWriteOutput({
      ...options,
      // The registries hold nothing before the history is recorded (see `recordingHistory`).
      collect: () => (this.recordingHistory ? Promise.resolve([]) : this.collectSeries()),
      onStatus: (message) => this.options.onStatus?.(message),
    });
    this.remote.start();
  }

  targets(): TargetInfo[] {
    const scaled = (this.options.scale ?? 1) > 1;
    return this.servers.map(({ target: { job, instance, replica }, server }) => ({
      job,
      instance,
      ...(scaled ? { replica } : {}),
      url: server.url,
    }));
  }

  /** Series this process serves (or pushes), counted now. */
  async seriesCount(): Promise<number> {
    return (await this.collectSeries()).length;
  }

  /** What remote write has done so far; undefined without it. */
  remoteWriteStats(): RemoteWriteStats | undefined {
    return this.remote?.stats();
  }

  /** Pushes every series' current value now (as the interval does), resolving once the queue is sent. */
  async pushNow(): Promise<void> {
    await this.remote?.collectOnce();
    await this.remote?.flush();
  }

  /** Every series of this shard's targets, at its model time, with the labels remote write gives them. */
  collectSeries(): Promise<TimeSeries[]> {
    this.step();
    return seriesOfTargets(this.owned, this.replicas);
  }

  /**
   * Holds the model where it is until `until` settles; it then catches up with the clock, making the same
   * metrics, lines and spans as it would have step by step: at the first scrape or collection, or at the
   * step timer's second tick, not its next (that comes right after what was waited for, which the first
   * live steps would delay: they draw the name pools of the lines and spans, ~0.15 s of CPU).
   */
  holdSteps(until: Promise<unknown>): void {
    this.held = true;
    const release = () => {
      this.held = false;
      this.skipTicks = 1;
    };
    until.then(release, release);
  }

  /**
   * Advances the model to the clock's current time, for at most one slice of wall time: a clock run very
   * fast leaves the model behind rather than blocking signals and scrapes. Returns whether every replica
   * got there.
   */
  step(): boolean {
    if (this.recordingHistory || this.held) return false;
    const now = this.clock.now();
    const slice = STEP_SLICE_MS / this.replicas.size;
    let caughtUp = true;
    for (const { simulation } of this.replicas.values())
      caughtUp = this.slicer.advanceForOneSlice(simulation, now, slice) && caughtUp;
    return caughtUp;
  }

  /** Stops the targets and the clock, then flushes logs and spans; says how many log lines Loki never got. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.historyAbort.abort();
    await this.recorded.catch(() => undefined);
    await Promise.all(this.servers.map(({ server }) => server.close()));
    await Promise.all([
      this.loki?.close(),
      this.extraLoki?.close(),
      this.otlp?.close(),
      this.extraOtlp?.close(),
      this.remote?.stop(),
    ]);
    const loki = this.loki?.stats();
    if (loki && loki.dropped > 0) {
      const why = loki.reachable ? 'Loki rejected them or the buffer overflowed' : 'Loki was unreachable';
      this.options.onStatus?.(
        `${loki.dropped} of ${loki.pushed} log lines were not delivered to Loki (${why})`,
      );
    }
  }

  private async listen(): Promise<void> {
    const hosts = this.options.hosts ?? ['127.0.0.1'];
    for (const [i, target] of this.owned.entries()) {
      const registries = this.replicas.get(target.replica)!.registries!;
      const { job, instance } = target;
      const server = new TargetServer({
        job,
        registry: registries.registry(job, instance),
        hosts,
        port: this.options.port === 0 ? 0 : this.options.port + i,
        isUp: () => !this.recordingHistory && registries.isUp(job, instance),
        beforeScrape: () => this.step(),
      });
      this.servers.push({ target, server });
      await server.start();
    }
  }
}
