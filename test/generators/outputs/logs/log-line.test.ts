import { describe, expect, it } from 'vitest';
import { formatLogLine, lokiLabels, lokiTimestampNs } from '../../../../generators/outputs/logs/index.js';
import type { LogRecord } from '../../../../generators/model/types.js';

const base: LogRecord = {
  timeMs: 1_700_000_000_123,
  job: 'vaultmesh-portal',
  level: 'info',
  message: 'receipt sealed',
  fields: {},
};

describe('lokiLabels', () => {
  it('is exactly job, level and source, whatever ids the record carries', () => {
    const record = {
      ...base,
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      fields: { receipt_id: 'r-1' },
    };
    expect(lokiLabels(record)).toEqual({ job: 'vaultmesh-portal', level: 'info', source: 'obs-sandbox' });
  });
});

describe('formatLogLine', () => {
  it('writes ts, level, msg, job, trace_id, span_id, then fields in order', () => {
    const line = formatLogLine({
      ...base,
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      fields: { receipt_id: 'r-1', epoch: 42, verified: true, lag_s: 0.25 },
    });
    expect(line).toBe(
      '{"ts":"2023-11-14T22:13:20.123Z","level":"info","msg":"receipt sealed","job":"vaultmesh-portal",' +
        '"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7",' +
        '"receipt_id":"r-1","epoch":42,"verified":true,"lag_s":0.25}',
    );
  });

  it('omits absent ids and keeps the line valid JSON for awkward text', () => {
    const message = 'quote " backslash \\ newline \n tab \t unicode ✓ \u0001';
    const line = formatLogLine({ ...base, message, fields: { scroll: 'Ledger "main"' } });
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['ts', 'level', 'msg', 'job', 'scroll']);
    expect(parsed.msg).toBe(message);
    expect(line).not.toContain('\n');
  });

  it('renames fields that clash with envelope keys instead of duplicating them', () => {
    const line = formatLogLine({ ...base, fields: { level: 'custom', ts: 5 } });
    expect(JSON.parse(line)).toEqual({
      ts: '2023-11-14T22:13:20.123Z',
      level: 'info',
      msg: 'receipt sealed',
      job: 'vaultmesh-portal',
      field_level: 'custom',
      field_ts: 5,
    });
  });
});

describe('lokiTimestampNs', () => {
  it('renders integer nanoseconds without float precision loss', () => {
    expect(lokiTimestampNs(1_700_000_000_123)).toBe('1700000000123000000');
    expect(BigInt(lokiTimestampNs(1_700_000_000_123))).toBe(1_700_000_000_123n * 1_000_000n);
    expect(lokiTimestampNs(0)).toBe('0');
  });

  it('keeps sub-millisecond model time', () => {
    expect(lokiTimestampNs(1.5)).toBe('1500000');
    expect(lokiTimestampNs(1_700_000_000_123.25)).toBe('1700000000123250000');
    expect(lokiTimestampNs(2.0000004)).toBe('2000000');
  });

  it('rejects times Loki cannot take', () => {
    expect(() => lokiTimestampNs(Number.NaN)).toThrow(RangeError);
    expect(() => lokiTimestampNs(-1)).toThrow(RangeError);
    expect(() => lokiTimestampNs(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
