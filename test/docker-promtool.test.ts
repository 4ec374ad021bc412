import { describe, expect, it } from 'vitest';
import { docker, MANAGED_LABEL } from '../sandbox/docker/engine.js';
import { buildLocalImage } from '../sandbox/docker/local-images.js';
import { replay } from '../sandbox/testing.js';
import { requireBinaries } from './support/binaries.js';
import { requireDocker } from './support/docker.js';

const engine = await requireDocker();
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
      expect(left).toEqual([]);
    }, 120_000);
  },
);
