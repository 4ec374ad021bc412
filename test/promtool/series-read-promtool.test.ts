import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { promtoolTestFile } from '../../generators/promtool-tests/promtool-test-file.js';
import { parsePromtoolReport } from '../../sandbox/promtool/promtool-output.js';
import { resolvePromtool } from '../../sandbox/promtool/promtool-runner.js';
import { runPromtool, seriesRead } from '../../sandbox/promtool/promtool.js';
import { compareObservations } from '../../sandbox/replay/observation-cache.js';
import { prepareScenario } from '../../sandbox/replay/replay-scenarios.js';
import { simulateScenario } from '../../sandbox/replay/simulate.js';
import { resolveScenarios } from '../../sandbox/scenario/resolve-scenarios.js';
import { requireBinaries } from '../support/binaries.js';

const bins = await requireBinaries(['promtool']);
const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-series-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!bins.available)('promtool given only the series the rules read (the real promtool)', () => {
  it.each(['demo', 'vex-lens-conflict-backlog'])(
    '%s: observes the same alerts as with every series',
    async (name) => {
      const promtool = await resolvePromtool({ path: bins.get('promtool').path });
      const { catalogue, files } = await resolveScenarios([name], undefined);
      const { loaded, systems, ruleFiles } = await prepareScenario(files[0]!, catalogue, {});
      const { scenario } = loaded;
      const simulated = await simulateScenario(scenario, systems.systems, files[0], systems.faults);
      const run = { ruleFiles, evaluationIntervalMs: scenario.evaluation_interval, probes: simulated.probes };

      const whole = join(dir, `${name}-whole.yml`);
      writeFileSync(whole, promtoolTestFile({ ...run, series: simulated.series }));
      const everySeries = parsePromtoolReport((await promtool.run(['test', 'rules', whole], [whole])).output);
      const onlyRead = await runPromtool({ ...run, promtool, series: simulated.series, name });

      expect((await seriesRead(ruleFiles, simulated.series)).length).toBeLessThan(simulated.series.length);
      expect(onlyRead.some((o) => o.state === 'firing')).toBe(true);
      expect([...onlyRead].sort(compareObservations)).toEqual([...everySeries!].sort(compareObservations));
    },
    120_000,
  );
});
