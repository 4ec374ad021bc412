import { describe, expect, it } from 'vitest';
import { SampleEstimate } from '../../../generators/promtool-tests/sample-estimate.js';
import type { RecordedSeries } from '../../../generators/promtool-tests/series-recorder.js';
import type { Sample } from '../../../generators/promtool-tests/series-values.js';

const series = (...samples: Sample[]): RecordedSeries => ({ name: 'm', labels: {}, samples });

describe('SampleEstimate', () => {
  it('counts the samples taken and one per live series for each scrape left', () => {
    const estimate = new SampleEstimate(10);
    const a = series(1);
    const b = series(2);
    expect(estimate.observe([a, b])).toEqual({ samples: 2 + 2 * 9, live: 2 });
    a.samples.push(1);
    b.samples.push('stale');
    // b went stale: it costs nothing from now on.
    expect(estimate.observe([a, b])).toEqual({ samples: 3 + 1 * 8, live: 1 });
  });

  it('never counts scrapes beyond the last', () => {
    const estimate = new SampleEstimate(1);
    estimate.observe([series(1)]);
    expect(estimate.observe([series(1, 1)])).toEqual({ samples: 2, live: 1 });
  });
});
