import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, cpSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCompose } from '../../sandbox/stack/compose-file.js';
import { requireBinaries } from '../support/binaries.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

interface ComposeService {
  image: string;
  ports?: string[];
  privileged?: boolean;
  volumes?: string[];
  environment?: Record<string, string>;
}

describe('compose/ (the plain docker-compose variant)', async () => {
  const rendered = await renderCompose();

  it('is exactly what the code renders (run `sandbox compose` after changing the catalogue)', () => {
    const checkedIn = Object.fromEntries(
      filesUnder('compose').map((f) => [relative('compose', f), readFileSync(f, 'utf8')]),
    );
    expect(Object.keys(checkedIn).sort()).toEqual(Object.keys(rendered).sort());
    for (const [path, content] of Object.entries(rendered)) expect(checkedIn[path], path).toBe(content);
  });

  it('publishes ports on 127.0.0.1 only, pins images, has no default password and no privileges', () => {
    const compose = parse(rendered['docker-compose.yml']!) as { services: Record<string, ComposeService> };
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.image, name).toMatch(/:[\w.-]+$/);
      expect(service.image, name).not.toMatch(/:latest$/);
      for (const port of service.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
      expect(service.privileged, name).toBeUndefined();
      for (const volume of service.volumes ?? []) expect(volume, name).not.toMatch(/docker\.sock/);
    }
    expect(compose.services.grafana!.environment!.GF_SECURITY_ADMIN_PASSWORD).toMatch(
      /^\$\{GRAFANA_ADMIN_PASSWORD:\?/,
    );
  });

  it('provisions the Loki → Jaeger and Jaeger → Loki links', () => {
    const { datasources } = parse(rendered['config/grafana/provisioning/datasources/datasources.yaml']!) as {
      datasources: { uid: string; jsonData: Record<string, unknown> }[];
    };
    expect(datasources.map((d) => d.uid)).toEqual(['prometheus', 'loki', 'jaeger', 'alertmanager']);
    expect(JSON.stringify(datasources[1]!.jsonData)).toMatch(/"datasourceUid":"jaeger"/);
    expect(JSON.stringify(datasources[2]!.jsonData)).toMatch(/"tracesToLogsV2":\{"datasourceUid":"loki"/);
  });
});

const bins = await requireBinaries(['promtool', 'alertmanager']);

describe.skipIf(!bins.available)('rendered configs pass the real tools', async () => {
  const rendered = await renderCompose();
  const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-compose-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prometheus.yml passes promtool check config (rule files included)', () => {
    cpSync('compose/config/prometheus', join(dir, 'prometheus'), { recursive: true });
    const config = rendered['config/prometheus/prometheus.yml']!.replaceAll(
      '/etc/prometheus/',
      `${join(dir, 'prometheus')}/`,
    );
    writeFileSync(join(dir, 'prometheus', 'prometheus.yml'), config);
    const out = execFileSync(
      bins.get('promtool').path,
      ['check', 'config', join(dir, 'prometheus', 'prometheus.yml')],
      { encoding: 'utf8' },
    );
    expect(out).toMatch(/SUCCESS: 2 rule files found/);
  });

  it('alertmanager.yml passes amtool check-config', () => {
    const amtool = join(bins.get('alertmanager').path, '..', 'amtool');
    writeFileSync(join(dir, 'alertmanager.yml'), rendered['config/alertmanager/alertmanager.yml']!);
    const out = execFileSync(amtool, ['check-config', join(dir, 'alertmanager.yml')], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS/);
    expect(out).toMatch(/- 3 receivers/);
  });
});
