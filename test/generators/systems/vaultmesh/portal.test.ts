import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ModelTime } from '../../../../generators/model/model-time.js';
import { Simulation } from '../../../../generators/model/simulation.js';
import { MemoryMetrics } from '../../../../generators/outputs/metrics/memory-store.js';
import { encodeSamples } from '../../../../generators/promtool-tests/series-values.js';
import { SeriesRecorder } from '../../../../generators/promtool-tests/series-recorder.js';
import { platform } from '../../../../generators/systems/platform.js';
import { targetsOf } from '../../../../generators/systems/targets.js';
import { vaultmesh } from '../../../../generators/systems/vaultmesh/index.js';
import { requireBinaries } from '../../../support/binaries.js';

const bins = await requireBinaries(['promtool']);

const HOUR = 3_600_000;
const STEP = 15_000;
const SEEDS = [1, 2, 3, 4];

/** `vaultmesh_receipts_total` as a scrape every 15s from promtool's time 0 would store it. */
function quietReceipts(seed: number, hours: number) {
  const systems = [vaultmesh, platform([vaultmesh])];
  const time = new ModelTime(0);
  const store = new MemoryMetrics(vaultmesh.metrics, { now: time.now });
  const simulation = time.follow(new Simulation({ systems, seed, startTime: 0, sink: { metrics: store } }));
  const recorder = new SeriesRecorder(
    store,
    targetsOf(systems).map((t) => ({ ...t, address: t.job })),
  );
  for (let t = 0; t <= hours * HOUR; t += STEP) {
    simulation.advanceTo(t);
    recorder.sample();
  }
  return recorder.recorded().filter((s) => s.name === 'vaultmesh_receipts_total');
}

const selector = (name: string, labels: Record<string, string>) =>
  `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;

describe.skipIf(!bins.available)('the portal’s receipts on quiet traffic', () => {
  it('never make ReceiptRateAnomaly pending once its 1h band is full (6h, four seeds, real promtool)', async () => {
    const hours = 6;
    // One test per seed: promtool refuses a query over many more series than one run's 12.
    const tests = SEEDS.map((seed) => {
      const series = quietReceipts(seed, hours);
      return {
        interval: '15s',
        input_series: series.map((s) => ({
          series: selector(s.name, s.labels),
          values: encodeSamples(s.samples),
        })),
        promql_expr_test: [
          // The bundled rule, pending or firing at any evaluation after the first hour (none: no sample).
          {
            expr: `count_over_time(ALERTS{alertname="ReceiptRateAnomaly"}[${hours - 1}h])`,
            eval_time: `${hours}h`,
            exp_samples: [],
          },
          // It had something to judge: every series has its band, over the whole run.
          {
            expr: 'count(stddev_over_time(rate(vaultmesh_receipts_total[5m])[1h:5m]) > 0)',
            eval_time: `${hours}h`,
            exp_samples: [{ labels: '{}', value: 12 }],
          },
        ],
      };
    });
    const dir = await mkdtemp(join(tmpdir(), 'quiet-receipts-'));
    try {
      const file = join(dir, 'quiet.test.json');
      await writeFile(
        file,
        JSON.stringify({ rule_files: vaultmesh.ruleFiles, evaluation_interval: '15s', tests }),
      );
      const run = promisify(execFile)(bins.get('promtool').path, ['test', 'rules', file], {
        maxBuffer: 16 * 1024 * 1024,
      });
      // On failure promtool lists each series ReceiptRateAnomaly was active for, and for how many evaluations.
      const outcome = await run.then(
        () => 'passed',
        (e: { stdout?: string; stderr?: string }) => `${e.stdout}${e.stderr}`,
      );
      expect(outcome.trim()).toBe('passed');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
