/**
 * Contract tests of the Tempo module: no Tempo binary or image is available here, so its rendered
 * configuration is checked against Tempo's documented options, and its datasource against Grafana's.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderCompose } from '../../../sandbox/stack/compose-file.js';
import { stackModules } from '../../../sandbox/stack/services/registry.js';
import { tempo } from '../../../sandbox/stack/services/tempo.js';
import { datasourcesOf } from '../../../sandbox/stack/stack-plan.js';
import { containerAddresses } from '../../../sandbox/stack/stack-topology.js';
import { nativeContext } from './native-context.js';

interface TempoConfig {
  server: Record<string, unknown>;
  memberlist: { bind_addr: string[] };
  distributor: { receivers: { otlp: { protocols: Record<string, { endpoint: string }> } }; ring: Ring };
  ingester: { lifecycler: { address: string; ring: Ring } };
  compactor: { ring: Ring };
  metrics_generator: { ring: Ring };
  storage: { trace: { backend: string; wal: { path: string }; local: { path: string } } };
  usage_report: { reporting_enabled: boolean };
}
interface Ring {
  kvstore: { store: string };
  instance_addr?: string;
}

const ctx = nativeContext(tempo, '/run');
const native = parse(tempo.native.files!(ctx)['tempo.yaml']!) as TempoConfig;

describe('Tempo configuration', () => {
  it('listens on 127.0.0.1 for HTTP, gRPC and OTLP, and on the ports the runtime checks before it starts', () => {
    expect(native.server).toMatchObject({
      http_listen_address: '127.0.0.1',
      http_listen_port: 3200,
      grpc_listen_address: '127.0.0.1',
      grpc_listen_port: 9095,
    });
    expect(native.distributor.receivers.otlp.protocols).toEqual({ http: { endpoint: '127.0.0.1:4318' } });
    const declared = [3200, 9095, 4318];
    expect(Object.values(ctx.ports).sort()).toEqual(declared.sort());
  });

  it('keeps every ring in memory on loopback: no memberlist gossip on another interface', () => {
    for (const ring of [native.distributor.ring, native.compactor.ring, native.metrics_generator.ring]) {
      expect(ring).toEqual({ kvstore: { store: 'inmemory' }, instance_addr: '127.0.0.1' });
    }
    expect(native.ingester.lifecycler.address).toBe('127.0.0.1');
    expect(native.ingester.lifecycler.ring.kvstore.store).toBe('inmemory');
    expect(native.memberlist.bind_addr).toEqual(['127.0.0.1']);
  });

  it('stores traces locally under its run directory, and reports no usage', () => {
    expect(native.storage.trace).toEqual({
      backend: 'local',
      wal: { path: '/run/tempo/data/wal' },
      local: { path: '/run/tempo/data/blocks' },
    });
    expect(native.usage_report.reporting_enabled).toBe(false);
    expect(tempo.native.args(ctx, { path: '/bin/tempo' })).toEqual(['-config.file=/run/tempo/tempo.yaml']);
  });

  it('keeps gRPC on loopback in a container too, where HTTP and OTLP are published', async () => {
    const container = parse(
      (await tempo.container.files({ ...ctx, image: tempo.image }))['/etc/tempo/tempo.yaml']!,
    ) as TempoConfig;
    expect(container.server.grpc_listen_address).toBe('127.0.0.1');
    expect(container.server.http_listen_address).toBe('0.0.0.0');
    expect(tempo.container.publish).toEqual(['http', 'otlpHttp']);
    expect(tempo.image).toMatch(/^grafana\/tempo:\d+\.\d+\.\d+$/);
  });
});

describe('Grafana datasources with Tempo as the trace backend', () => {
  const modules = stackModules('tempo');
  const addresses = containerAddresses(
    Object.fromEntries(modules.map((m) => [m.name, m.ports])),
    [],
    'sandbox-host',
    9479,
  );
  const datasources = datasourcesOf(modules, addresses) as {
    uid: string;
    type: string;
    url: string;
    jsonData: Record<string, unknown>;
  }[];
  const byUid = (uid: string) => datasources.find((d) => d.uid === uid)!;

  it('has Tempo and no Jaeger', () => {
    expect(datasources.map((d) => d.uid)).toEqual(['prometheus', 'loki', 'tempo', 'alertmanager']);
    expect(byUid('tempo')).toMatchObject({ type: 'tempo', url: 'http://tempo:3200' });
  });

  it('links a span to its logs in Loki (service.name → job)', () => {
    expect(byUid('tempo').jsonData.tracesToLogsV2).toMatchObject({
      datasourceUid: 'loki',
      filterByTraceID: true,
      tags: [{ key: 'service.name', value: 'job' }],
    });
  });

  it('links a log line to its trace in Tempo', () => {
    expect(byUid('loki').jsonData.derivedFields).toEqual([
      expect.objectContaining({ datasourceUid: 'tempo', urlDisplayLabel: 'Open trace in Tempo' }),
    ]);
  });
});

describe('compose with --traces tempo', async () => {
  const files = await renderCompose(undefined, 'tempo');
  const compose = parse(files['docker-compose.yml']!) as {
    services: Record<string, { image: string; command?: string[]; ports?: string[] }>;
  };

  it('runs Tempo instead of Jaeger, and the generators send their spans to it', () => {
    expect(Object.keys(compose.services)).not.toContain('jaeger');
    expect(compose.services.tempo).toMatchObject({
      image: tempo.image,
      ports: ['127.0.0.1:3200:3200', '127.0.0.1:4318:4318'],
    });
    const command = compose.services.generators!.command!;
    expect(command[command.indexOf('--otlp') + 1]).toBe('http://tempo:4318');
    expect(files['config/tempo/tempo.yaml']).toContain('backend: local');
    expect(files['config/jaeger/jaeger.yaml']).toBeUndefined();
  });

  it("points the bundled dashboards' traces panels at Tempo, searching the same service", () => {
    const dashboards = Object.entries(files).filter(([path]) =>
      path.startsWith('config/grafana/dashboards/'),
    );
    expect(dashboards.length).toBeGreaterThan(0);
    for (const [path, content] of dashboards) expect(content, path).not.toContain('"jaeger"');
    const zkp = JSON.parse(files['config/grafana/dashboards/zkp-proof-pipeline.json']!) as {
      panels: { type: string; datasource: { uid: string }; targets: Record<string, unknown>[] }[];
    };
    const traces = zkp.panels.filter((p) => p.type === 'traces');
    expect(traces).toHaveLength(1);
    expect(traces[0]!.datasource.uid).toBe('tempo');
    expect(traces[0]!.targets).toEqual([
      expect.objectContaining({
        refId: 'A',
        queryType: 'traceql',
        query: '{resource.service.name="zkp-dataset-ledger"}',
      }),
    ]);
  });
});
