import type { LogRecord } from '../../model/types.js';
import { formatLogLine, lokiLabels, lokiTimestampNs } from './log-line.js';

/** One label set, with its JSON form rendered once and shared by every line of that stream. */
export interface LokiStream {
  readonly labelsJson: string;
}

/** A buffered line, already rendered as its Loki `values` element: `["<unix ns>","<escaped line>"]`. */
export interface LokiEntry {
  readonly stream: LokiStream;
  readonly timeMs: number;
  readonly value: string;
}

/** Interns one `LokiStream` per (job, level) so buffered entries share label objects and strings. */
export class StreamTable {
  private readonly byJob = new Map<string, Map<string, LokiStream>>();

  entryFor(record: LogRecord): LokiEntry {
    const value = '["' + lokiTimestampNs(record.timeMs) + '",' + JSON.stringify(formatLogLine(record)) + ']';
    return { stream: this.streamFor(record), timeMs: record.timeMs, value };
  }

  private streamFor(record: LogRecord): LokiStream {
    let byLevel = this.byJob.get(record.job);
    if (byLevel === undefined) {
      byLevel = new Map();
      this.byJob.set(record.job, byLevel);
    }
    let stream = byLevel.get(record.level);
    if (stream === undefined) {
      stream = { labelsJson: JSON.stringify(lokiLabels(record)) };
      byLevel.set(record.level, stream);
    }
    return stream;
  }
}

const byTime = (a: LokiEntry, b: LokiEntry): number => a.timeMs - b.timeMs;

function isTimeOrdered(entries: readonly LokiEntry[]): boolean {
  for (let i = 1; i < entries.length; i++) {
    if ((entries[i] as LokiEntry).timeMs < (entries[i - 1] as LokiEntry).timeMs) return false;
  }
  return true;
}

/**
 * The push request body in Loki's documented JSON form, `{"streams":[{"stream":{...},"values":[...]}]}`:
 * one stream per distinct label set, values in time order within a stream (stable for equal times).
 */
export function buildPushBody(entries: readonly LokiEntry[]): string {
  const groups = new Map<LokiStream, LokiEntry[]>();
  for (const entry of entries) {
    const group = groups.get(entry.stream);
    if (group === undefined) groups.set(entry.stream, [entry]);
    else group.push(entry);
  }
  let body = '{"streams":[';
  let firstStream = true;
  for (const [stream, group] of groups) {
    if (!isTimeOrdered(group)) group.sort(byTime);
    body += (firstStream ? '{"stream":' : ',{"stream":') + stream.labelsJson + ',"values":[';
    for (let i = 0; i < group.length; i++) body += (i === 0 ? '' : ',') + (group[i] as LokiEntry).value;
    body += ']}';
    firstStream = false;
  }
  return body + ']}';
}
