import type { Clock } from '../clock.js';
import { WallClock } from '../clock.js';
import type { FaultRequest } from '../model/faults/catalogue.js';
import { ModelTime } from '../model/model-time.js';
import { Simulation } from '../model/simulation.js';
import type { SystemDefinition } from '../model/system.js';
import type { LogRecord, ModelSink, SpanRecord } from '../model/types.js';
import { LokiPusher } from '../outputs/logs/loki-push.js';
import { RingBuffer } from '../outputs/logs/ring-buffer.js';
import { MemoryMetrics } from '../outputs/metrics/memory-store.js';
import { PromRegistries } from '../outputs/metrics/prom-registries.js';
import { TeeMetrics } from '../outputs/metrics/tee-metrics.js';
import { TargetServer } from '../outputs/metrics/target-server.js';
import { OtlpTraceOutput } from '../outputs/traces/otlp-output.js';
import { defaultSystems } from '../systems/index.js';
import { targetsOf } from '../systems/targets.js';
import { recordHistory, type History, type HistoryEstimateCheck } from './history.js';
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
  lokiUrl?: string;
  /**
   * Loki comes up after the generators: their log lines are held (the newest `heldLogLines`, default
   * 10,000; the others counted as dropped) until `connectLoki` sends them or says there is no Loki.
   */
  awaitLoki?: boolean;
  heldLogLines?: number;
  otlpUrl?: string;
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
  onStatus?: (message: string) => void;
  /** Called with every log record, after it is buffered (e.g. to append it to a file). */
  onLog?: (record: LogRecord) => void;
}

export interface TargetInfo {
  job: string;
  /** Ordinal of the target among its job's. */
  instance: number;
  url: string;
}

/**
 * The model running on a clock, served live: one scrape target per job's target (most jobs have one), logs
 * to Loki, spans over OTLP, and the most recent of both kept in memory.
 */
export class LiveGenerators {
  readonly simulation: Simulation;
  readonly logs: RingBuffer<LogRecord>;
  readonly spans: RingBuffer<SpanRecord>;
  private readonly registries: PromRegistries;
  private readonly servers: TargetServer[] = [];
  private readonly clock: Clock;
  private loki: LokiPusher | undefined;
  /** Lines produced before Loki was ready (see `awaitLoki`). */
  private heldLogs: RingBuffer<LogRecord> | undefined;
  private otlp: OtlpTraceOutput | undefined;
  private timer: NodeJS.Timeout | undefined;
  private recorded: History | undefined;
  private readonly pendingHistory: (() => Promise<History>) | undefined;
  private readonly slicer = new WorkSlicer();
  /** False while the history is simulated: its logs and spans are not emitted. */
  private emitting = true;

  private constructor(private readonly options: LiveOptions) {
    const systems = options.systems ?? defaultSystems();
    this.clock = options.clock ?? new WallClock();
    const historyMs = options.historyMs ?? 0;
    const startTime = this.clock.now() - historyMs;
    const time = new ModelTime(startTime);
    const metrics = systems.flatMap((s) => s.metrics);
    this.registries = new PromRegistries(metrics, targetsOf(systems), { now: time.now });
    this.logs = new RingBuffer(options.localBufferSize ?? 10_000);
    this.spans = new RingBuffer(options.localBufferSize ?? 10_000);
    const report = (event: { message: string }) => options.onStatus?.(event.message);
    this.loki = options.lokiUrl ? new LokiPusher({ url: options.lokiUrl, onStatus: report }) : undefined;
    if (!this.loki && options.awaitLoki) this.heldLogs = new RingBuffer(options.heldLogLines ?? 10_000);
    this.otlp = options.otlpUrl ? new OtlpTraceOutput({ url: options.otlpUrl, onStatus: report }) : undefined;
    const store = historyMs > 0 ? new MemoryMetrics(metrics, { now: time.now }) : undefined;
    const tee = store ? new TeeMetrics(this.registries, store) : undefined;
    const sink: ModelSink = {
      metrics: tee ?? this.registries,
      log: (record) => {
        if (!this.emitting) return;
        this.logs.push(record);
        if (this.loki) this.loki.push(record);
        else this.heldLogs?.push(record);
        options.onLog?.(record);
      },
      span: (record) => {
        if (!this.emitting) return;
        this.spans.push(record);
        this.otlp?.span(record);
      },
    };
    this.simulation = time.follow(
      new Simulation({
        systems,
        seed: options.seed,
        startTime,
        sink,
        knobs: options.knobs,
        faults: options.faults,
      }),
    );
    if (store && tee) {
      this.emitting = false;
      this.pendingHistory = async () => {
        const history = await recordHistory(
          this.simulation,
          store,
          this.registries.targets(),
          startTime,
          startTime + historyMs,
          options.historyIntervalMs ?? 15_000,
          options.checkHistory,
        );
        tee.detach(store);
        this.emitting = true;
        return history;
      };
    }
  }

  /** The simulated history (`historyMs`), if any. */
  history(): History | undefined {
    return this.recorded;
  }

  /** Starts the targets and the clock; on failure (a busy port) everything started so far is closed. */
  static async start(options: LiveOptions): Promise<LiveGenerators> {
    const live = new LiveGenerators(options);
    try {
      if (live.pendingHistory) live.recorded = await live.pendingHistory();
      await live.listen();
    } catch (error) {
      await live.stop();
      throw error;
    }
    live.timer = setInterval(() => live.step(), options.stepIntervalMs ?? 250);
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

  targets(): TargetInfo[] {
    const targets = this.registries.targets();
    return this.servers.map((server, i) => ({ ...targets[i]!, url: server.url }));
  }

  /**
   * Advances the model to the clock's current time, for at most one slice of wall time: a clock run very
   * fast leaves the model behind rather than blocking signals and scrapes.
   */
  step(): void {
    this.slicer.advanceForOneSlice(this.simulation, this.clock.now(), STEP_SLICE_MS);
  }

  /** Stops the targets and the clock, then flushes logs and spans; says how many log lines Loki never got. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.servers.map((s) => s.close()));
    await Promise.all([this.loki?.close(), this.otlp?.close()]);
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
    for (const [i, { job, instance }] of this.registries.targets().entries()) {
      const server = new TargetServer({
        job,
        registry: this.registries.registry(job, instance),
        hosts,
        port: this.options.port === 0 ? 0 : this.options.port + i,
        isUp: () => this.registries.isUp(job, instance),
        beforeScrape: () => this.step(),
      });
      this.servers.push(server);
      await server.start();
    }
  }
}
