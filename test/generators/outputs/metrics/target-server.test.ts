import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../generators/clock.js';
import { LiveGenerators, type TargetInfo } from '../../../../generators/live/live-generators.js';
import { UserError } from '../../../../generators/user-error.js';
import { ModelTime } from '../../../../generators/model/model-time.js';
import { Simulation } from '../../../../generators/model/simulation.js';
import { MemoryMetrics } from '../../../../generators/outputs/metrics/memory-store.js';
import { PromRegistries } from '../../../../generators/outputs/metrics/prom-registries.js';
import {
  SeriesRecorder,
  type RecordedSeries,
} from '../../../../generators/promtool-tests/series-recorder.js';
import { platform } from '../../../../generators/systems/platform.js';
import { targetsOf } from '../../../../generators/systems/targets.js';
import { nativePromtool } from '../../../../sandbox/promtool/promtool-runner.js';
import { scrapeTargets } from '../../../../sandbox/replay/simulate.js';
import { prometheusConfig } from '../../../../sandbox/stack/configs/prometheus-config.js';
import { writeHistoryBlocks, writeOpenMetrics } from '../../../../sandbox/stack/history-blocks.js';
import { nativeAddresses } from '../../../../sandbox/stack/stack-topology.js';
import { requireBinaries } from '../../../support/binaries.js';
import { DEMO_API, DEMO_DB, demo } from '../../../support/demo-system.js';
import { freePort } from '../../../support/ports.js';

const T0 = Date.UTC(2026, 0, 1);
const ROUTE = { route: '/a' };
const API_TARGETS = [0, 1, 2].map((instance) => ({ job: DEMO_API, instance }));

const bins = await requireBinaries(['promtool']);

const samplesOf = (recorded: readonly RecordedSeries[], name: string, instance: string) =>
  recorded.find((s) => s.name === name && s.labels.instance === instance)?.samples;

describe('targets of a system', () => {
  it('follow the jobs in order, each job its targets consecutively', () => {
    expect(targetsOf([demo])).toEqual([...API_TARGETS, { job: DEMO_DB, instance: 0 }]);
  });

  it('get the replay addresses 127.0.0.1:9470 and on, in that order', () => {
    expect(scrapeTargets([demo]).map((t) => [t.job, t.instance, t.address])).toEqual([
      [DEMO_API, 0, '127.0.0.1:9470'],
      [DEMO_API, 1, '127.0.0.1:9471'],
      [DEMO_API, 2, '127.0.0.1:9472'],
      [DEMO_DB, 0, '127.0.0.1:9473'],
    ]);
  });

  it('are all listed under their job in the Prometheus config', () => {
    const ports = targetsOf([demo]).map((t, i) => ({ ...t, port: 9470 + i }));
    const config = parse(
      prometheusConfig({
        addresses: nativeAddresses(
          { prometheus: 9090, alertmanager: 9093, grafana: 3000, loki: 3100, jaeger: 16686 },
          ports,
          9479,
        ),
        ruleFiles: [],
      }),
    ) as { scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] };
    expect(config.scrape_configs.slice(0, 2)).toEqual([
      {
        job_name: DEMO_API,
        static_configs: [{ targets: ['127.0.0.1:9470', '127.0.0.1:9471', '127.0.0.1:9472'] }],
      },
      { job_name: DEMO_DB, static_configs: [{ targets: ['127.0.0.1:9473'] }] },
    ]);
  });
});

describe('the in-memory store and the recorder, per target', () => {
  const setup = () => {
    const clock = new VirtualClock(T0);
    const store = new MemoryMetrics(demo.metrics, { now: () => clock.now() });
    const recorder = new SeriesRecorder(store, scrapeTargets([demo]));
    for (const instance of [0, 1, 2]) store.add('demo_requests_total', ROUTE, instance + 1, instance);
    return { store, recorder };
  };

  it('keep one series per target, target 0 under the plain labels', () => {
    const { store } = setup();
    expect(store.value('demo_requests_total', ROUTE)).toBe(1);
    expect(store.value('demo_requests_total', ROUTE, 2)).toBe(3);
    expect(store.get('demo_requests_total').map((s) => [s.instance, s.value])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    store.remove('demo_requests_total', ROUTE, 1);
    expect(store.get('demo_requests_total').map((s) => s.instance)).toEqual([0, 2]);
  });

  it("label each target's series with its address, and record an up series per target", () => {
    const { recorder } = setup();
    recorder.sample();
    const recorded = recorder.recorded();
    expect(
      recorded.filter((s) => s.name === 'up').map((s) => [s.labels.job, s.labels.instance, s.samples]),
    ).toEqual([
      [DEMO_API, '127.0.0.1:9470', [1]],
      [DEMO_API, '127.0.0.1:9471', [1]],
      [DEMO_API, '127.0.0.1:9472', [1]],
      [DEMO_DB, '127.0.0.1:9473', [1]],
    ]);
    expect(samplesOf(recorded, 'demo_requests_total', '127.0.0.1:9471')).toEqual([2]);
  });

  it('make only the series of a target that is down stale; without an ordinal, the whole job', () => {
    const { store, recorder } = setup();
    recorder.sample();
    store.setTargetUp(DEMO_API, false, 1);
    expect([0, 1, 2].map((i) => store.targetUp(DEMO_API, i))).toEqual([true, false, true]);
    recorder.sample();
    store.setTargetUp(DEMO_API, true);
    recorder.sample();
    store.setTargetUp(DEMO_API, false);
    recorder.sample();
    const recorded = recorder.recorded();
    expect(samplesOf(recorded, 'up', '127.0.0.1:9470')).toEqual([1, 1, 1, 0]);
    expect(samplesOf(recorded, 'up', '127.0.0.1:9471')).toEqual([1, 0, 1, 0]);
    expect(samplesOf(recorded, 'up', '127.0.0.1:9473')).toEqual([1, 1, 1, 1]);
    expect(samplesOf(recorded, 'demo_requests_total', '127.0.0.1:9470')).toEqual([1, 1, 1, 'stale']);
    expect(samplesOf(recorded, 'demo_requests_total', '127.0.0.1:9471')).toEqual([2, 'stale', 2, 'stale']);
  });

  it('see service_down take every target of the job down', () => {
    const systems = [demo, platform([demo])];
    const time = new ModelTime(T0);
    const store = new MemoryMetrics(
      systems.flatMap((s) => s.metrics),
      { now: time.now },
    );
    const sim = time.follow(new Simulation({ systems, seed: 1, startTime: T0, sink: { metrics: store } }));
    sim.setFault({ name: 'service_down', params: { service: 'api' } });
    sim.advanceTo(T0 + 2_000);
    expect([0, 1, 2].map((i) => store.targetUp(DEMO_API, i))).toEqual([false, false, false]);
    expect(store.targetUp(DEMO_DB)).toBe(true);
    sim.clearFault('service_down');
    sim.advanceTo(T0 + 4_000);
    expect([0, 1, 2].map((i) => store.targetUp(DEMO_API, i))).toEqual([true, true, true]);
  });
});

describe('prom-client registries, one per target', () => {
  const setup = () => {
    const registries = new PromRegistries(demo.metrics, targetsOf([demo]), { now: () => T0 });
    for (const instance of [0, 1, 2]) registries.set('demo_worker_ordinal', {}, instance, instance);
    return registries;
  };

  it('route each write to the target its ordinal names', async () => {
    const registries = setup();
    expect(registries.targets()).toEqual(targetsOf([demo]));
    for (const instance of [0, 1, 2]) {
      const text = await registries.registry(DEMO_API, instance).metrics();
      expect(text).toContain(
        `# HELP demo_worker_ordinal The target's ordinal\n# TYPE demo_worker_ordinal gauge\ndemo_worker_ordinal ${instance}\n`,
      );
    }
    expect(await registries.registry(DEMO_DB).metrics()).not.toContain('demo_worker_ordinal');
    expect(() => registries.set('demo_worker_ordinal', {}, 1, 3)).toThrow(/no target 3/);
  });

  it('take one target down, or without an ordinal every target of the job', () => {
    const registries = setup();
    registries.setTargetUp(DEMO_API, false, 2);
    expect([0, 1, 2].map((i) => registries.isUp(DEMO_API, i))).toEqual([true, true, false]);
    registries.setTargetUp(DEMO_API, false);
    expect([0, 1, 2].map((i) => registries.isUp(DEMO_API, i))).toEqual([false, false, false]);
    expect(registries.isUp(DEMO_DB)).toBe(true);
  });
});

/** Starts the generators on consecutive ports from a free one, trying another if one of them is taken. */
async function startOnFreePorts(historyMs: number): Promise<LiveGenerators> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await LiveGenerators.start({
        systems: [demo],
        seed: 3,
        port: await freePort(),
        clock: new VirtualClock(T0),
        historyMs,
      });
    } catch (error) {
      if (!(error instanceof UserError) || attempt === 4) throw error;
    }
  }
}

describe('the live generators', () => {
  let live: LiveGenerators;
  let targets: TargetInfo[];

  beforeAll(async () => {
    live = await startOnFreePorts(10 * 60_000);
    await live.history();
    targets = live.targets();
  });

  afterAll(async () => {
    await live?.stop();
  });

  it('serve each target of a job on its own port, the ports consecutive over all targets', () => {
    const base = Number(new URL(targets[0]!.url).port);
    expect(targets).toEqual([
      ...API_TARGETS.map((t, i) => ({ ...t, url: `http://127.0.0.1:${base + i}/metrics` })),
      { job: DEMO_DB, instance: 0, url: `http://127.0.0.1:${base + 3}/metrics` },
    ]);
  });

  it("serve each target's own series", async () => {
    const texts = await Promise.all(targets.map(async (t) => (await fetch(t.url)).text()));
    for (const instance of [0, 1, 2]) expect(texts[instance]).toContain(`demo_worker_ordinal ${instance}\n`);
    expect(texts[0]).toContain('demo_request_duration_seconds{quantile="0.5",route="/a"} 0.1\n');
    expect(texts[1]).toContain('demo_request_duration_seconds{quantile="0.5",route="/a"} Nan\n');
    expect(texts[1]).toContain('demo_request_duration_seconds_count{route="/a"} 0\n');
    expect(texts[2]).toContain('demo_request_duration_seconds{quantile="0.99",route="/a"} 0.3\n');
    expect(texts[3]).toContain('demo_db_connections 5\n');
  });

  it("record a history whose series carry each target's address once the stack names it", async () => {
    const history = (await live.history())!;
    const dir = await mkdtemp(join(tmpdir(), 'history-targets-'));
    try {
      const file = join(dir, 'history.om.txt');
      const portOf = (job: string, instance: number) =>
        new URL(targets.find((t) => t.job === job && t.instance === instance)!.url).port;
      const instanceOf = (job: string, instance: number) => `127.0.0.1:${portOf(job, instance)}`;
      await writeOpenMetrics(history, instanceOf, file);
      const lines = (await readFile(file, 'utf8')).split('\n');
      for (const instance of [0, 1, 2]) {
        const address = `127.0.0.1:${portOf(DEMO_API, instance)}`;
        expect(lines).toContainEqual(
          expect.stringMatching(`^up\\{job="${DEMO_API}",instance="${address}"\\} 1 `),
        );
        expect(lines).toContainEqual(
          expect.stringMatching(
            `^demo_worker_ordinal\\{job="${DEMO_API}",instance="${address}"\\} ${instance} `,
          ),
        );
      }
      expect(lines).toContainEqual(
        expect.stringMatching(
          `^demo_request_duration_seconds\\{route="/a",job="${DEMO_API}",instance="127.0.0.1:${portOf(DEMO_API, 1)}",quantile="0.5"\\} NaN `,
        ),
      );
      if (bins.available) {
        const samples = await writeHistoryBlocks(
          history,
          instanceOf,
          join(dir, 'data'),
          dir,
          nativePromtool(bins.get('promtool').path),
        );
        expect(samples).toBeGreaterThan(0);
        expect((await readdir(join(dir, 'data'))).length).toBeGreaterThan(0);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
