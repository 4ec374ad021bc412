import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, MANAGED_LABEL } from '../../sandbox/stack/docker/engine.js';
import { buildLocalImage } from '../../sandbox/stack/docker/local-images.js';
import { replay } from '../../sandbox/testing.js';
import { requireBinaries } from '../support/binaries.js';
import { requireDocker } from '../support/docker.js';

const engine = await requireDocker();
// The replays' files go into a private temporary directory (no other file runs in this process meanwhile, and
// test/support/integration-reset.ts restores TMPDIR after it), so the containers mounting it are this file's.
const privateTmp = mkdtempSync(join(tmpdir(), 'obs-sandbox-promtool-container-'));
process.env.TMPDIR = privateTmp;
afterAll(() => rmSync(privateTmp, { recursive: true, force: true }));
const bins = engine.available ? await requireBinaries(['prometheus', 'promtool']) : { available: false };

describe.skipIf(!engine.available || !bins.available)(
  'promtool inside the Prometheus image (Docker-only setups)',
  () => {
    it('builds a FROM scratch Prometheus image from the real binaries', async () => {
      const image = await buildLocalImage('prometheus');
      expect(image).toMatch(/^obs-sandbox-local\/prometheus:3\.\d+\.\d+$/);
      const info = await docker().getImage(image).inspect();
      expect(info.Config.Labels?.[MANAGED_LABEL]).toBe('true');
    }, 120_000);

    it('judges scenarios exactly as the local promtool does, and leaves no container', async () => {
      const image = await buildLocalImage('prometheus');
      const refs = ['emergency-active', 'test/fixtures/scenarios/wrong-expectations.yaml'];
      const inContainer = await replay(refs, { promtoolImage: image });
      const local = await replay(refs);
      expect(inContainer.map((r) => r.failures)).toEqual(local.map((r) => r.failures));
      expect(inContainer[1]!.failures).toHaveLength(4);
      const left = await docker().listContainers({
        all: true,
        filters: { label: [`${MANAGED_LABEL}=true`, 'org.obs-sandbox.role=promtool'] },
      });
      expect(left.filter((c) => c.Mounts.some((m) => m.Source.startsWith(privateTmp)))).toEqual([]);
    }, 120_000);
  },
);

describe.skipIf(!engine.available || !bins.available)('--runtime auto', () => {
  it('uses Docker when the Prometheus image is there, else native with the reason', async () => {
    const { chooseRuntime } = await import('../../sandbox/stack/choose-runtime.js');
    const messages: string[] = [];
    const saved = process.env.OBS_SANDBOX_PROMETHEUS_IMAGE;
    try {
      process.env.OBS_SANDBOX_PROMETHEUS_IMAGE = await buildLocalImage('prometheus');
      expect(await chooseRuntime('auto', (m) => messages.push(m))).toBe('docker');
      process.env.OBS_SANDBOX_PROMETHEUS_IMAGE = 'obs-sandbox-missing/prometheus:0';
      expect(await chooseRuntime('auto', (m) => messages.push(m))).toBe('native');
      expect(messages).toEqual([
        expect.stringMatching(
          /^Docker answers, but obs-sandbox-missing\/prometheus:0 cannot be pulled .*; using the native runtime$/,
        ),
      ]);
      expect(await chooseRuntime('docker', () => undefined)).toBe('docker');
    } finally {
      if (saved === undefined) delete process.env.OBS_SANDBOX_PROMETHEUS_IMAGE;
      else process.env.OBS_SANDBOX_PROMETHEUS_IMAGE = saved;
    }
  }, 120_000);
});
