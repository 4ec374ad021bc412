import type { LogLevel, LogRecord } from '../../model/types.js';

/** Value of the `source` stream label on every line this sandbox ships. */
export const LOG_SOURCE = 'obs-sandbox';

/**
 * Loki stream labels. Deliberately tiny: every distinct label set is a separate stream in Loki, so ids
 * (trace, receipt, ...) stay in the line where LogQL's `| json` can still filter on them.
 */
export interface LokiStreamLabels {
  readonly job: string;
  readonly level: LogLevel;
  readonly source: typeof LOG_SOURCE;
}

/** Below this, `timeMs * 1e6` stays under 2^53 and the float product is exact enough. */
const SAFE_FLOAT_NS_LIMIT_MS = 9e9;

const RESERVED_KEYS = new Set(['ts', 'level', 'msg', 'job', 'trace_id', 'span_id']);

export function lokiLabels(record: LogRecord): LokiStreamLabels {
  return { job: record.job, level: record.level, source: LOG_SOURCE };
}

/**
 * The line as one compact JSON object: ts, level, msg, job, trace_id and span_id when present, then the
 * record's fields in their own order. A field whose name clashes with one of those keys is written as
 * `field_<name>` so it neither duplicates a key nor overrides the envelope.
 */
export function formatLogLine(record: LogRecord): string {
  let line =
    '{"ts":"' +
    isoTime(record.timeMs) +
    '","level":' +
    JSON.stringify(record.level) +
    ',"msg":' +
    JSON.stringify(record.message) +
    ',"job":' +
    JSON.stringify(record.job);
  if (record.traceId !== undefined) line += ',"trace_id":' + JSON.stringify(record.traceId);
  if (record.spanId !== undefined) line += ',"span_id":' + JSON.stringify(record.spanId);
  const fields = record.fields;
  for (const key in fields) {
    if (!Object.hasOwn(fields, key)) continue;
    const name = RESERVED_KEYS.has(key) ? 'field_' + key : key;
    line += ',' + JSON.stringify(name) + ':' + (JSON.stringify(fields[key]) ?? 'null');
  }
  return line + '}';
}

// Simulation ticks emit many lines with the same timestamp; reuse the last rendering instead of a new Date.
let lastIsoMs = Number.NaN;
let lastIso = '';

function isoTime(timeMs: number): string {
  if (timeMs !== lastIsoMs) {
    lastIso = new Date(timeMs).toISOString();
    lastIsoMs = timeMs;
  }
  return lastIso;
}

/**
 * Loki entry timestamp: integer nanoseconds since the epoch as a decimal string. Present-day times are
 * built from the millisecond digits because `timeMs * 1e6` exceeds 2^53 and would lose precision.
 */
export function lokiTimestampNs(timeMs: number): string {
  if (!Number.isFinite(timeMs) || timeMs < 0) {
    throw new RangeError(`log timestamp must be a finite, non-negative number of ms, got ${timeMs}`);
  }
  if (timeMs < SAFE_FLOAT_NS_LIMIT_MS) return String(Math.round(timeMs * 1e6));
  const wholeMs = Math.floor(timeMs);
  const subMsNs = Math.round((timeMs - wholeMs) * 1e6);
  if (subMsNs === 0) return wholeMs + '000000';
  if (subMsNs === 1e6) return wholeMs + 1 + '000000';
  return wholeMs + String(subMsNs).padStart(6, '0');
}
