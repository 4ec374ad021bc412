import { displayUrl } from '../display-url.js';
import { SampleQueue } from './sample-queue.js';
import { RemoteWriteSender, type SenderOptions } from './sender.js';
import { encodeWriteRequest, type TimeSeries } from './write-request.js';

export interface RemoteWriteOutputOptions {
  sender: SenderOptions;
  /** Every series' current value, stamped with the model's time. */
  collect: () => Promise<TimeSeries[]>;
  /** Wall time between two collections. */
  intervalMs: number;
  /** Samples held at most (the oldest beyond are dropped and counted). */
  queueCapacity?: number;
  maxSamplesPerSend?: number;
  onStatus?: (message: string) => void;
}

export interface RemoteWriteStats {
  /** Where it pushes, as it may be shown (no user, password or query). */
  url: string;
  collected: number;
  sent: number;
  /** Dropped from the full queue, or in batches the receiver refused or never took. */
  dropped: number;
  requests: number;
  bytes: number;
  /** Samples waiting in the queue now. */
  queued: number;
  lastError?: string;
}

/**
 * Pushes the generators' series to one remote-write receiver: every `intervalMs` of wall time each series'
 * current value is queued, and the queue is drained in batches, one request at a time.
 */
export class RemoteWriteOutput {
  private readonly queue: SampleQueue;
  private readonly sender: RemoteWriteSender;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private collecting: Promise<void> | undefined;
  private readonly counts: Omit<RemoteWriteStats, 'url' | 'queued'> = {
    collected: 0,
    sent: 0,
    dropped: 0,
    requests: 0,
    bytes: 0,
  };
  private failedSince: number | undefined;
  private reportedDrops = 0;

  constructor(private readonly options: RemoteWriteOutputOptions) {
    this.queue = new SampleQueue(options.queueCapacity ?? 2_000_000);
    this.sender = new RemoteWriteSender(options.sender);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.collectOnce(), this.options.intervalMs);
    void this.collectOnce();
  }

  /** Queues every series' current value (after any collection under way) and starts sending. */
  collectOnce(): Promise<void> {
    const next = (this.collecting ?? Promise.resolve()).then(async () => {
      try {
        const series = await this.options.collect();
        this.counts.collected += series.length;
        this.queue.push(series);
        this.reportOverflow();
        this.drain();
      } catch (error) {
        this.options.onStatus?.(`remote write: cannot collect series: ${String(error)}`);
      }
    });
    this.collecting = next;
    void next.finally(() => {
      if (this.collecting === next) this.collecting = undefined;
    });
    return next;
  }

  /** Resolves when the queue is empty (or the receiver failed for good on what was in it). */
  async flush(): Promise<void> {
    await this.collecting;
    while (this.draining) await this.draining;
  }

  stats(): RemoteWriteStats {
    return {
      url: displayUrl(this.options.sender.url),
      ...this.counts,
      dropped: this.counts.dropped + this.queue.dropped,
      queued: this.queue.size,
    };
  }

  /** Stops collecting, sends what is queued (for at most `graceMs`), then reports what was not delivered. */
  async stop(graceMs = 5000): Promise<void> {
    clearInterval(this.timer);
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise((r) => (timeout = setTimeout(r, graceMs)))]);
    clearTimeout(timeout);
    this.sender.close();
    const stats = this.stats();
    const unsent = stats.dropped + stats.queued;
    if (unsent > 0)
      this.options.onStatus?.(
        `remote write: ${unsent} of ${stats.collected} samples were not delivered` +
          (stats.lastError ? ` (last error: ${stats.lastError})` : ' (the queue overflowed)'),
      );
  }

  /** Says when the queue has dropped samples since it last said so (once per collection at most). */
  private reportOverflow(): void {
    const dropped = this.queue.dropped;
    if (dropped === this.reportedDrops) return;
    this.options.onStatus?.(
      `remote write: the queue is full (${this.queue.capacity} samples); dropped the ${dropped - this.reportedDrops} oldest (${dropped} in all)`,
    );
    this.reportedDrops = dropped;
  }

  private drain(): void {
    this.draining ??= this.sendAll().finally(() => (this.draining = undefined));
  }

  private async sendAll(): Promise<void> {
    const max = this.options.maxSamplesPerSend ?? 10_000;
    for (let batch = this.queue.take(max); batch.length > 0; batch = this.queue.take(max)) {
      const body = encodeWriteRequest(batch);
      const outcome = await this.sender.send(body);
      this.counts.requests += outcome.attempts;
      this.counts.bytes += body.length * outcome.attempts;
      if (outcome.ok) {
        this.counts.sent += batch.length;
        if (this.failedSince !== undefined)
          this.options.onStatus?.('remote write: the receiver takes samples again');
        this.failedSince = undefined;
        continue;
      }
      this.counts.dropped += batch.length;
      this.counts.lastError = outcome.reason;
      if (this.failedSince === undefined)
        this.options.onStatus?.(
          `remote write to ${displayUrl(this.options.sender.url)} failed (${outcome.reason})${outcome.retryable ? ` after ${outcome.attempts} attempts` : ''}; dropping that batch`,
        );
      this.failedSince ??= this.counts.requests;
    }
  }
}
