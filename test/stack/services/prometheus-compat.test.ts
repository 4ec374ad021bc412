import { describe, expect, it } from 'vitest';
import { replay } from '../../../sandbox/testing.js';
import { oldestPromtool } from '../../support/oldest-prometheus.js';

const oldest = await oldestPromtool();

describe.skipIf(!oldest.path)('the oldest supported Prometheus (2.42) judges scenarios the same way', () => {
  it('passes bundled scenarios whose alerts fire', async () => {
    const results = await replay(['receipt-rate-spike', 'node-down', 'anchor-delayed'], {
      promtool: oldest.path,
    });
    expect(results.map((r) => [r.name, r.failures])).toEqual([
      ['receipt-rate-spike', []],
      ['node-down', []],
      ['anchor-delayed', []],
    ]);
  });

  it('reports failures with the same messages', async () => {
    const [result] = await replay('test/fixtures/scenarios/wrong-expectations.yaml', {
      promtool: oldest.path,
    });
    expect(result!.failures).toHaveLength(4);
    expect(result!.failures[0]).toBe(
      'NodeUnhealthy fires within 3m after sick: expected firing by 13m, was pending (since 10m15s)',
    );
  });
});
